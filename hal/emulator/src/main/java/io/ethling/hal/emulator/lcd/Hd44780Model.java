package io.ethling.hal.emulator.lcd;

import io.ethling.hal.emulator.Misuse;

import io.ethling.hal.Clock;

/**
 * The HD44780 controller as a person and a driver see it: the nibbles latched on E's falling edge
 * go in, a grid of characters with a cursor comes out. The expander emulators
 * ({@link Pcf8574LcdEmulator}, {@link Mcp23017LcdEmulator}) decide when E falls and which lines
 * carry what, then call {@link #strobe}.
 *
 * <p>Modelled (HD44780U data sheet, instruction table and figure 24 "4-bit interface"):
 * <ul>
 *   <li>power-on state: 8-bit interface, display off; only D7–D4 are wired, so in 8-bit mode a
 *       strobe is read as the instruction {@code nibble << 4};</li>
 *   <li>the function-set sequence 0x3, 0x3, 0x3, 0x2 switches to 4 bits (every later byte is two
 *       nibbles, high first); 0x33 in 4-bit mode re-enters 8-bit mode, so a re-initialisation
 *       works as on the chip;</li>
 *   <li>clear (0x01), home (0x02), entry mode (0x04: increment/decrement, shift), display control
 *       (0x08: display, cursor, blink), cursor/display shift (0x10), function set (0x20: 4/8 bit,
 *       lines), CGRAM address (0x40) and 8 glyphs, DDRAM address (0x80); DDRAM 0x00–0x27 and
 *       0x40–0x67 in two-line mode;</li>
 *   <li>with a clock, the waits: >40 ms from power-on to the first strobe, >4.1 ms after the first
 *       0x3, >100 µs after the second, 37 µs after an instruction or data write and 1.52 ms after
 *       clear and home. A strobe while busy is lost, as on the chip, and recorded.</li>
 * </ul>
 * Misuse recorded: any instruction other than function set, or any data write, before the
 * initialisation is complete (still in 8-bit mode, or in 4-bit mode before the first function set);
 * the 4-bit switch without the three 0x3 nibbles; a strobe while busy; RW high (reads).
 */
public final class Hd44780Model {

    /** Power-on to the first instruction: >40 ms after VCC rises to 2.7 V (fig. 24). */
    public static final long POWER_ON_WAIT_NS = 40_000_000L;
    /** After the first 0x3 nibble: >4.1 ms. */
    public static final long FIRST_RESET_WAIT_NS = 4_100_000L;
    /** After the second 0x3 nibble: >100 µs. */
    public static final long SECOND_RESET_WAIT_NS = 100_000L;
    /** Execution time of most instructions and data writes: 37 µs at 270 kHz. */
    public static final long EXEC_NS = 37_000L;
    /** Execution time of clear and home: 1.52 ms. */
    public static final long CLEAR_NS = 1_520_000L;

    private static final int DDRAM_LENGTH = 0x80;

    private final int columns;
    private final int rows;
    private final Clock clock;
    private final Misuse misuse;
    private final byte[] ddram = new byte[DDRAM_LENGTH];
    private final byte[] cgram = new byte[64];
    private final long powerOnNs;

    private boolean eightBit = true;
    private boolean functionSetIn4Bit;
    private boolean highNibblePending; // in 4-bit mode: the high nibble arrived, waiting for the low one
    private int pendingHigh;
    private boolean pendingRs;
    private int resetNibbles; // 0x3 nibbles seen in 8-bit mode, in a row
    private int threesInARow; // instruction strobes of 0x3 just before this one, in any mode
    private long lastStrobeNs;
    private long busyUntilNs;
    private int strobes;
    private boolean twoLines;
    private boolean displayOn;
    private boolean cursorOn;
    private boolean blinkOn;
    private boolean increment = true;
    private boolean shiftOnWrite;
    private int displayShift;
    private int address; // address counter
    private boolean addressInCgram;
    private int instructions;
    private int dataWrites;

    /**
     * @param columns cells per row, 1–40 (1–20 with 4 rows)
     * @param rows 1, 2 or 4
     * @param clock time for the timing checks, or {@code null} for none
     */
    Hd44780Model(int columns, int rows, Clock clock, Misuse misuse) {
        if (rows != 1 && rows != 2 && rows != 4) {
            throw new IllegalArgumentException("rows must be 1, 2 or 4, not " + rows);
        }
        if (columns < 1 || columns > (rows == 4 ? 20 : 40)) {
            throw new IllegalArgumentException("columns must be 1.." + (rows == 4 ? 20 : 40) + " for " + rows + " rows, not " + columns);
        }
        this.columns = columns;
        this.rows = rows;
        this.clock = clock;
        this.misuse = misuse;
        this.powerOnNs = clock == null ? 0 : clock.nanoTime();
        java.util.Arrays.fill(ddram, (byte) ' ');
    }

    /** The DDRAM address where {@code row} starts: 0x00, 0x40, then 0x00+columns, 0x40+columns. */
    public int rowAddress(int row) {
        return (row & 1) * 0x40 + (row >> 1) * columns;
    }

    /**
     * One E falling edge with these line levels.
     *
     * @param rs register select (true: data)
     * @param rw read/write (true: read, not supported)
     * @param nibble D7–D4 as bits 3–0
     */
    void strobe(boolean rs, boolean rw, int nibble) {
        strobes++;
        if (rw) {
            misuse.record("E strobed with RW high (a read); the driver is meant to be write-only");
            return;
        }
        int threesBefore = threesInARow;
        threesInARow = !rs && nibble == 3 ? threesInARow + 1 : 0;
        if (clock != null && !checkTiming(rs, nibble)) {
            return;
        }
        if (eightBit) {
            if (rs) {
                misuse.record(String.format("data write 0x%X0 while the controller is in 8-bit mode (the 0x3,0x3,0x3,0x2 init did not happen)", nibble));
                return;
            }
            int instruction = nibble << 4;
            if ((instruction & 0xE0) != 0x20) {
                misuse.record(String.format("instruction 0x%02X before the 4-bit init (the controller is in 8-bit mode)", instruction));
                return;
            }
            if ((instruction & 0x10) != 0) {
                resetNibbles++;
                return;
            }
            // 0x2: function set, 4-bit.
            // The driver must have sent 0x3 three times: from any state (8-bit, 4-bit, 4-bit with
            // half a byte received) that lands the controller in 8-bit mode first.
            if (threesBefore < 3) {
                misuse.record("4-bit switch (0x2) after " + threesBefore + " of the three 0x3 reset nibbles (HD44780 fig. 24)");
            }
            resetNibbles = 0;
            eightBit = false;
            highNibblePending = false;
            functionSetIn4Bit = false;
            return;
        }
        if (!highNibblePending) {
            highNibblePending = true;
            pendingHigh = nibble;
            pendingRs = rs;
            return;
        }
        highNibblePending = false;
        if (rs != pendingRs) {
            misuse.record("RS changed between the two nibbles of one byte");
        }
        int value = (pendingHigh << 4) | nibble;
        if (pendingRs) {
            data(value);
        } else {
            instruction(value);
        }
    }

    private boolean checkTiming(boolean rs, int nibble) {
        long now = clock.nanoTime();
        boolean ok = true;
        if (strobes == 1) {
            if (now - powerOnNs < POWER_ON_WAIT_NS) {
                misuse.record("first strobe " + (now - powerOnNs) / 1000 + " µs after power-on; the HD44780 needs >40 ms (fig. 24)");
            }
        } else if (eightBit && resetNibbles == 1 && now - lastStrobeNs < FIRST_RESET_WAIT_NS) {
            misuse.record("strobe " + (now - lastStrobeNs) / 1000 + " µs after the first 0x3; the HD44780 needs >4.1 ms (fig. 24)");
            ok = false;
        } else if (eightBit && resetNibbles == 2 && now - lastStrobeNs < SECOND_RESET_WAIT_NS) {
            misuse.record("strobe " + (now - lastStrobeNs) / 1000 + " µs after the second 0x3; the HD44780 needs >100 µs (fig. 24)");
            ok = false;
        } else if (!highNibblePending && busyUntilNs - now > 0) {
            misuse.record((busyUntilNs - now) / 1000 + " µs too early: the controller is still busy with the previous instruction (" + (rs ? "data" : "instruction") + " lost)");
            ok = false;
        }
        lastStrobeNs = now;
        return ok;
    }

    private void busy(long ns) {
        if (clock != null) {
            busyUntilNs = clock.nanoTime() + ns;
        }
    }

    private void instruction(int value) {
        instructions++;
        if (!functionSetIn4Bit && (value & 0xE0) != 0x20) {
            misuse.record(String.format("instruction 0x%02X before the function set that follows the 4-bit switch", value));
            return;
        }
        busy(EXEC_NS);
        if ((value & 0x80) != 0) {
            addressInCgram = false;
            address = value & 0x7F;
            if (!twoLines && address >= 0x50 || twoLines && (address >= 0x28 && address < 0x40 || address >= 0x68)) {
                misuse.record(String.format("DDRAM address 0x%02X does not exist in %s mode", address, twoLines ? "two-line" : "one-line"));
            }
        } else if ((value & 0x40) != 0) {
            addressInCgram = true;
            address = value & 0x3F;
        } else if ((value & 0x20) != 0) {
            if ((value & 0x10) != 0) {
                // 8-bit function set in 4-bit mode: the nibbles 0x3, 0x3 of a re-initialisation
                // arrive as one byte 0x33 and put the chip back in 8-bit mode; two of the three
                // reset nibbles are done.
                eightBit = true;
                resetNibbles = 2;
                return;
            }
            if (functionSetIn4Bit && twoLines != ((value & 0x08) != 0)) {
                misuse.record("function set changed the number of lines after initialisation (the data sheet allows it only right after the 4-bit switch)");
            }
            functionSetIn4Bit = true;
            twoLines = (value & 0x08) != 0;
        } else if ((value & 0x10) != 0) {
            // Cursor or display shift: S/C (0x08) 1 = display, R/L (0x04) 1 = right. A display
            // shift to the left moves the visible window to higher addresses.
            boolean display = (value & 0x08) != 0;
            int step = (value & 0x04) != 0 ? 1 : -1;
            if (display) {
                displayShift -= step;
            } else {
                moveAddress(step);
            }
        } else if ((value & 0x08) != 0) {
            displayOn = (value & 0x04) != 0;
            cursorOn = (value & 0x02) != 0;
            blinkOn = (value & 0x01) != 0;
        } else if ((value & 0x04) != 0) {
            increment = (value & 0x02) != 0;
            shiftOnWrite = (value & 0x01) != 0;
        } else if ((value & 0x02) != 0) {
            address = 0;
            addressInCgram = false;
            displayShift = 0;
            busy(CLEAR_NS);
        } else if (value == 0x01) {
            java.util.Arrays.fill(ddram, (byte) ' ');
            address = 0;
            addressInCgram = false;
            displayShift = 0;
            increment = true;
            busy(CLEAR_NS);
        }
        // 0x00 is no instruction: ignored.
    }

    private void data(int value) {
        dataWrites++;
        if (!functionSetIn4Bit) {
            misuse.record(String.format("data 0x%02X before the function set that follows the 4-bit switch", value));
            return;
        }
        busy(EXEC_NS);
        if (addressInCgram) {
            cgram[address & 0x3F] = (byte) value;
            address = (address + (increment ? 1 : -1)) & 0x3F;
            return;
        }
        ddram[address & 0x7F] = (byte) value;
        moveAddress(increment ? 1 : -1);
        if (shiftOnWrite) {
            displayShift += increment ? 1 : -1;
        }
    }

    private void moveAddress(int step) {
        if (twoLines) {
            // Two 40-cell lines: 0x27 -> 0x40, 0x67 -> 0x00 and back.
            int line = address >= 0x40 ? 1 : 0;
            int pos = (address & 0x3F) + step;
            if (pos >= 40) {
                line ^= 1;
                pos = 0;
            } else if (pos < 0) {
                line ^= 1;
                pos = 39;
            }
            address = line * 0x40 + pos;
        } else {
            address = Math.floorMod(address + step, 80);
        }
    }

    /** What a person reads on {@code row}: blanks while the display is off or the line is not driven. */
    public String row(int row) {
        if (row < 0 || row >= rows) {
            throw new IllegalArgumentException("row must be 0.." + (rows - 1) + ", not " + row);
        }
        char[] out = new char[columns];
        boolean visible = displayOn && (row == 0 || twoLines);
        for (int c = 0; c < columns; c++) {
            out[c] = visible ? (char) (cell(row, c) & 0xFF) : ' ';
        }
        return new String(out);
    }

    /** The byte in DDRAM behind cell ({@code column}, {@code row}), display shift applied. */
    public int cell(int row, int column) {
        int base = rowAddress(row);
        int lineStart = base & 0x40;
        int lineLength = twoLines ? 40 : 80;
        int pos = Math.floorMod((base - lineStart) + column + displayShift, lineLength);
        return ddram[lineStart + pos] & 0xFF;
    }

    /** Every row, joined with '\n'. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            if (r > 0) {
                sb.append('\n');
            }
            sb.append(row(r));
        }
        return sb.toString();
    }

    /**
     * The display as a framed picture, for terminals and test messages:
     * <pre>
     * +----------------+
     * |Hello           |
     * |recovered       |
     * +----------------+
     * </pre>
     * Custom glyphs (0–7) show as '#', other bytes outside 0x20–0x7E as '?'.
     */
    public String frame() {
        StringBuilder sb = new StringBuilder();
        sb.append('+').append("-".repeat(columns)).append("+\n");
        for (int r = 0; r < rows; r++) {
            String row = row(r);
            sb.append('|');
            for (int c = 0; c < columns; c++) {
                char ch = row.charAt(c);
                sb.append(ch < 8 ? '#' : ch < 0x20 || ch > 0x7E ? '?' : ch);
            }
            sb.append("|\n");
        }
        return sb.append('+').append("-".repeat(columns)).append("+\n").toString();
    }

    /** Columns of the grid. */
    public int columns() {
        return columns;
    }

    /** Rows of the grid. */
    public int rows() {
        return rows;
    }

    /** Whether the 0x3,0x3,0x3,0x2 switch and a function set have happened. */
    public boolean initialised() {
        return !eightBit && functionSetIn4Bit;
    }

    /** Whether the controller is in 4-bit mode. */
    public boolean fourBitMode() {
        return !eightBit;
    }

    /** Two-line mode (function set N). */
    public boolean twoLines() {
        return twoLines;
    }

    /** Display on (display control D). */
    public boolean displayOn() {
        return displayOn;
    }

    /** Underline cursor shown (display control C). */
    public boolean cursorOn() {
        return cursorOn;
    }

    /** Blinking block cursor (display control B). */
    public boolean blinkOn() {
        return blinkOn;
    }

    /** Entry mode I/D. */
    public boolean increment() {
        return increment;
    }

    /** The address counter (DDRAM or CGRAM). */
    public int address() {
        return address;
    }

    /** The cursor's row, or -1 when the address counter is outside the visible cells. */
    public int cursorRow() {
        for (int r = 0; r < rows; r++) {
            int start = rowAddress(r);
            if (!addressInCgram && address >= start && address < start + columns) {
                return r;
            }
        }
        return -1;
    }

    /** The cursor's column, or -1 when the address counter is outside the visible cells. */
    public int cursorColumn() {
        int r = cursorRow();
        return r < 0 ? -1 : address - rowAddress(r);
    }

    /** Row {@code line} (0–7) of custom glyph {@code location} (0–7), 5 low bits. */
    public int glyphRow(int location, int line) {
        return cgram[(location & 7) * 8 + (line & 7)] & 0x1F;
    }

    /** How many E strobes arrived. */
    public int strobes() {
        return strobes;
    }

    /** Instructions executed in 4-bit mode. */
    public int instructions() {
        return instructions;
    }

    /** Data bytes written in 4-bit mode. */
    public int dataWrites() {
        return dataWrites;
    }
}
