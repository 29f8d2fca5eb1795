package io.ethling.hal;

/**
 * A character display such as a 16×2 HD44780 LCD: a grid of {@link #columns()} × {@link #rows()}
 * cells, a cursor that advances after each character, and a backlight.
 *
 * <p>Characters are bytes in the display's own character set (ASCII 0x20–0x7D on an HD44780 with
 * the usual A00 ROM; 0–7 are the user-defined glyphs). Writes that run past the end of a row are
 * clipped, never wrapped into the next row, so a long text cannot scribble over the other line.
 *
 * <p>Every method returns {@link #OK} or a negative status ({@link #ERR_IO} when the bus failed,
 * {@link #ERR_UNSUPPORTED} when the hardware cannot do it); none allocates, so the app may redraw
 * on every loop iteration. Arguments out of range (a row beyond {@link #rows()}) are programming
 * errors and throw {@link IllegalArgumentException}.
 */
public interface CharacterDisplay {

    /** Done. */
    int OK = 0;
    /** The bus transaction failed (no ACK from the expander, bus error). */
    int ERR_IO = -1;
    /** The hardware cannot do this (a colour on a single-colour backlight, custom glyphs). */
    int ERR_UNSUPPORTED = -2;

    /** Colour for {@link #backlightColour(int)}: 0xRRGGBB; white. */
    int WHITE = 0xFFFFFF;
    /** Red. */
    int RED = 0xFF0000;
    /** Green. */
    int GREEN = 0x00FF00;
    /** Blue. */
    int BLUE = 0x0000FF;
    /** Yellow (red and green). */
    int YELLOW = 0xFFFF00;
    /** Cyan (green and blue). */
    int CYAN = 0x00FFFF;
    /** Violet (red and blue). */
    int VIOLET = 0xFF00FF;

    /** Cells per row (16 on a 16×2). */
    int columns();

    /** Rows (2 on a 16×2). */
    int rows();

    /** Blanks every cell and puts the cursor at column 0, row 0. */
    int clear();

    /** Moves the cursor to {@code column} (0-based) of {@code row} (0-based). */
    int setCursor(int column, int row);

    /**
     * Writes {@code len} bytes at the cursor, which advances; bytes beyond the end of the row are
     * dropped (clipped). @return {@link #OK} or a negative status
     */
    int write(byte[] src, int off, int len);

    /**
     * Replaces the whole of {@code row} with {@code len} bytes of {@code src}, clipped to the row
     * and padded with spaces, so no character of the previous text remains.
     */
    int printRow(int row, byte[] src, int off, int len);

    /**
     * Replaces the whole of {@code row} with {@code text}, clipped and padded with spaces; chars
     * outside 0x20–0x7D show as '?'. A {@link String} is read in place, so this does not allocate.
     */
    int printRow(int row, CharSequence text);

    /**
     * Replaces the whole of {@code row} with {@code text} from char index {@code from} on (a
     * window for scrolling a long line: {@code from} 0, 1, 2 … moves it left), clipped and padded
     * with spaces; {@code from} beyond the end shows a blank row. Only the cells that change need
     * to be sent, so scrolling costs the characters that moved.
     */
    int printRow(int row, CharSequence text, int from);

    /** Switches the backlight on or off (on a colour backlight, "on" is the last colour set). */
    int backlight(boolean on);

    /** Whether the backlight is on, as last set. */
    boolean backlightOn();

    /**
     * Sets the backlight colour, 0xRRGGBB; the channels of an RGB LED backlight are on or off, a
     * channel is lit when its byte is 0x80 or more, and 0 switches the backlight off.
     *
     * @return {@link #OK}, or {@link #ERR_UNSUPPORTED} on a single-colour backlight
     */
    default int backlightColour(int rgb) {
        return ERR_UNSUPPORTED;
    }

    /**
     * Defines custom glyph {@code location} (0–7) from eight row patterns (5 low bits each) at
     * {@code pattern[off..off+8)}; it is then written as the byte {@code location}. The cursor
     * position is kept.
     *
     * @return {@link #OK}, or {@link #ERR_UNSUPPORTED}
     */
    default int createChar(int location, byte[] pattern, int off) {
        return ERR_UNSUPPORTED;
    }
}
