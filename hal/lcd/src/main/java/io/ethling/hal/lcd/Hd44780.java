package io.ethling.hal.lcd;

import io.ethling.hal.CharacterDisplay;
import io.ethling.hal.Clock;
import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import java.util.Objects;

/**
 * An HD44780 character LCD in 4-bit mode over an {@link LcdBus} (a PCF8574 backpack or the MCP23017
 * plate), as a {@link CharacterDisplay}.
 *
 * <p>{@link #init()} runs the data sheet's "initialising by instruction" for the 4-bit interface
 * (HD44780U fig. 24; PLATFORM.md §3.1): wait >40 ms after power-on (50 ms), 0x3 and >4.1 ms
 * (4.5 ms), 0x3 and >100 µs (150 µs), 0x3 (150 µs), 0x2 (4-bit), then function set 0x28 (two lines,
 * 5×8; 0x20 on a one-line display), display off 0x08, clear 0x01 (2 ms), entry mode 0x06
 * (increment, no shift), display on 0x0C. Waits go through {@link Clock#sleepNanos}, so a virtual
 * clock makes them free. Instructions other than clear and home execute in 37 µs, less than one
 * expander write takes on a 100–400 kHz I2C bus, so only clear and home sleep (2 ms, data sheet
 * 1.52 ms).
 *
 * <p>DDRAM addressing: row 0 at 0x00, row 1 at 0x40, rows 2 and 3 (4-line modules) at 0x00 and
 * 0x40 plus the column count. Writes past the end of a row are clipped: the controller would carry
 * on into DDRAM cells that are not shown, and then into the other row.
 *
 * <p>A shadow of the grid lets {@link #printRow} send only the cells that changed (a scrolling line
 * costs the characters that moved, not the whole display); {@link #invalidate()} forgets it.
 * Nothing allocates per character, per row or per call. Not thread-safe: one loop owns it.
 */
public final class Hd44780 implements CharacterDisplay {

    /** Power-on to the first instruction: >40 ms (fig. 24); 50 ms as the libraries do. */
    static final long POWER_ON_WAIT_NS = 50_000_000L;
    /** After the first 0x3: >4.1 ms. */
    static final long FIRST_WAIT_NS = 4_500_000L;
    /** After the second and third 0x3 and after 0x2: >100 µs. */
    static final long SHORT_WAIT_NS = 150_000L;
    /** Clear and home: 1.52 ms (data sheet); 2 ms. */
    static final long CLEAR_WAIT_NS = 2_000_000L;

    private static final int CMD_CLEAR = 0x01;
    private static final int CMD_ENTRY_MODE = 0x04;
    private static final int ENTRY_INCREMENT = 0x02;
    private static final int CMD_DISPLAY = 0x08;
    private static final int DISPLAY_ON = 0x04;
    private static final int DISPLAY_CURSOR = 0x02;
    private static final int DISPLAY_BLINK = 0x01;
    private static final int CMD_FUNCTION_SET = 0x20;
    private static final int FUNCTION_TWO_LINES = 0x08;
    private static final int CMD_CGRAM = 0x40;
    private static final int CMD_DDRAM = 0x80;

    /** Counter index: bytes (instructions and characters) sent. */
    public static final int C_BYTES = 0;
    /** Counter index: cells skipped because the shadow already showed them. */
    public static final int C_CELLS_SKIPPED = 1;
    /** Counter index: bus errors. */
    public static final int C_ERR_IO = 2;

    private final LcdBus bus;
    private final Clock clock;
    private final int columns;
    private final int rows;
    private final byte[] shadow;
    private final CounterSet counters = new CounterSet("lcd.bytes", "lcd.cells.skipped", "lcd.err.io");
    private boolean shadowValid;
    private int cursorColumn;
    private int cursorRow;
    private int displayControl = DISPLAY_ON;
    private int colour = WHITE;
    private boolean backlightOn = true;

    /** A 16×2 display. */
    public Hd44780(LcdBus bus, Clock clock) {
        this(bus, clock, 16, 2);
    }

    /**
     * @param columns cells per row: 1–40, 1–20 with 4 rows
     * @param rows 1, 2 or 4
     */
    public Hd44780(LcdBus bus, Clock clock, int columns, int rows) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (rows != 1 && rows != 2 && rows != 4) {
            throw new IllegalArgumentException("LCD rows must be 1, 2 or 4, not " + rows);
        }
        if (columns < 1 || columns > (rows == 4 ? 20 : 40)) {
            throw new IllegalArgumentException("LCD columns must be 1.." + (rows == 4 ? 20 : 40) + " with " + rows + " rows, not " + columns);
        }
        this.columns = columns;
        this.rows = rows;
        this.shadow = new byte[columns * rows];
    }

    /**
     * The 4-bit initialisation (see the class comment); leaves the display blank and on, cursor
     * off, at 0,0, backlight on. May be called again to recover a display that lost its state (a
     * glitch on the supply): the three 0x3 nibbles resynchronise a controller in either mode.
     */
    public int init() {
        shadowValid = false;
        int s = bus.reset();
        clock.sleepNanos(POWER_ON_WAIT_NS);
        s |= bus.writeNibble(false, 0x3);
        clock.sleepNanos(FIRST_WAIT_NS);
        s |= bus.writeNibble(false, 0x3);
        clock.sleepNanos(SHORT_WAIT_NS);
        s |= bus.writeNibble(false, 0x3);
        clock.sleepNanos(SHORT_WAIT_NS);
        s |= bus.writeNibble(false, 0x2);
        clock.sleepNanos(SHORT_WAIT_NS);
        s |= command(CMD_FUNCTION_SET | (rows > 1 ? FUNCTION_TWO_LINES : 0));
        s |= command(CMD_DISPLAY);
        s |= clearNoCheck();
        s |= command(CMD_ENTRY_MODE | ENTRY_INCREMENT);
        displayControl = DISPLAY_ON;
        s |= command(CMD_DISPLAY | displayControl);
        s |= bus.backlight(backlightOn ? colour : 0);
        if (s != OK) {
            counters.inc(C_ERR_IO);
            shadowValid = false;
            return ERR_IO;
        }
        return OK;
    }

    @Override
    public int columns() {
        return columns;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int clear() {
        return status(clearNoCheck());
    }

    private int clearNoCheck() {
        int s = command(CMD_CLEAR);
        clock.sleepNanos(CLEAR_WAIT_NS);
        cursorColumn = 0;
        cursorRow = 0;
        java.util.Arrays.fill(shadow, (byte) ' ');
        shadowValid = s == OK;
        return s;
    }

    @Override
    public int setCursor(int column, int row) {
        checkCell(column, row);
        return status(moveTo(column, row));
    }

    private int moveTo(int column, int row) {
        cursorColumn = column;
        cursorRow = row;
        return command(CMD_DDRAM | rowAddress(row) + column);
    }

    /** The DDRAM address of the first cell of {@code row}. */
    int rowAddress(int row) {
        return (row & 1) * 0x40 + (row >> 1) * columns;
    }

    @Override
    public int write(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        int s = OK;
        int n = Math.min(len, columns - cursorColumn);
        for (int i = 0; i < n; i++) {
            s |= putAtCursor(src[off + i]);
        }
        return status(s);
    }

    @Override
    public int printRow(int row, byte[] src, int off, int len) {
        checkRow(row);
        Objects.checkFromIndexSize(off, len, src.length);
        int s = OK;
        boolean positioned = false;
        for (int c = 0; c < columns; c++) {
            byte b = c < len ? src[off + c] : (byte) ' ';
            if (shadowValid && shadow[row * columns + c] == b) {
                positioned = false;
                counters.inc(C_CELLS_SKIPPED);
                continue;
            }
            if (!positioned || cursorRow != row || cursorColumn != c) {
                s |= moveTo(c, row);
                positioned = true;
            }
            s |= putAtCursor(b);
        }
        return status(s);
    }

    @Override
    public int printRow(int row, CharSequence text) {
        return printRow(row, text, 0);
    }

    @Override
    public int printRow(int row, CharSequence text, int from) {
        checkRow(row);
        if (from < 0) {
            throw new IllegalArgumentException("scroll position must be >= 0, not " + from);
        }
        int len = text.length();
        int s = OK;
        boolean positioned = false;
        for (int c = 0; c < columns; c++) {
            int i = from + c;
            byte b = i < len ? toLcd(text.charAt(i)) : (byte) ' ';
            if (shadowValid && shadow[row * columns + c] == b) {
                positioned = false;
                counters.inc(C_CELLS_SKIPPED);
                continue;
            }
            if (!positioned || cursorRow != row || cursorColumn != c) {
                s |= moveTo(c, row);
                positioned = true;
            }
            s |= putAtCursor(b);
        }
        return status(s);
    }

    /**
     * ASCII 0x20–0x7D as itself; 0–7 (custom glyphs) as themselves; anything else '?'. (The A00
     * character ROM shows 0x5C as a yen sign and 0x7E/0x7F as arrows, HD44780U table 4.)
     */
    static byte toLcd(char ch) {
        if (ch >= 0x20 && ch <= 0x7D || ch < 8) {
            return (byte) ch;
        }
        return (byte) '?';
    }

    private int putAtCursor(byte b) {
        if (cursorColumn >= columns) {
            return OK; // clipped
        }
        int s = bus.writeByte(true, b & 0xFF);
        counters.inc(C_BYTES);
        shadow[cursorRow * columns + cursorColumn] = b;
        cursorColumn++;
        if (s != OK) {
            shadowValid = false;
        }
        return s;
    }

    @Override
    public int backlight(boolean on) {
        backlightOn = on;
        return status(bus.backlight(on ? colour : 0));
    }

    @Override
    public boolean backlightOn() {
        return backlightOn;
    }

    @Override
    public int backlightColour(int rgb) {
        if (!bus.colourBacklight()) {
            return ERR_UNSUPPORTED;
        }
        if (rgb == 0) {
            return backlight(false);
        }
        colour = rgb & 0xFFFFFF;
        backlightOn = true;
        return status(bus.backlight(colour));
    }

    @Override
    public int createChar(int location, byte[] pattern, int off) {
        if (location < 0 || location > 7) {
            throw new IllegalArgumentException("custom glyph location must be 0..7, not " + location);
        }
        Objects.checkFromIndexSize(off, 8, pattern.length);
        int s = command(CMD_CGRAM | location << 3);
        for (int i = 0; i < 8; i++) {
            s |= bus.writeByte(true, pattern[off + i] & 0x1F);
            counters.inc(C_BYTES);
        }
        s |= moveTo(Math.min(cursorColumn, columns - 1), cursorRow);
        shadowValid = false; // cells showing this glyph change; the shadow cannot tell
        return status(s);
    }

    /** Display on/off (the contents are kept), underline cursor, blinking block. */
    public int displayControl(boolean displayOn, boolean cursor, boolean blink) {
        displayControl = (displayOn ? DISPLAY_ON : 0) | (cursor ? DISPLAY_CURSOR : 0) | (blink ? DISPLAY_BLINK : 0);
        return status(command(CMD_DISPLAY | displayControl));
    }

    /** Forgets the shadow, so the next {@link #printRow} rewrites every cell. */
    public void invalidate() {
        shadowValid = false;
    }

    /** The column the next character goes to (may equal {@link #columns()}: clipped). */
    public int cursorColumn() {
        return cursorColumn;
    }

    /** The cursor's row. */
    public int cursorRow() {
        return cursorRow;
    }

    /** Bytes sent, cells skipped, errors. */
    public Counters counters() {
        return counters;
    }

    /** The bus this display talks through. */
    public LcdBus bus() {
        return bus;
    }

    private int command(int value) {
        counters.inc(C_BYTES);
        return bus.writeByte(false, value);
    }

    private int status(int s) {
        if (s != OK) {
            counters.inc(C_ERR_IO);
            shadowValid = false;
            return ERR_IO;
        }
        return OK;
    }

    private void checkRow(int row) {
        if (row < 0 || row >= rows) {
            throw new IllegalArgumentException("LCD row must be 0.." + (rows - 1) + ", not " + row);
        }
    }

    private void checkCell(int column, int row) {
        checkRow(row);
        if (column < 0 || column >= columns) {
            throw new IllegalArgumentException("LCD column must be 0.." + (columns - 1) + ", not " + column);
        }
    }
}
