package io.ethling.hal.emulator.lcd;

import io.ethling.hal.emulator.Misuse;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.hal.I2cDevice;
import io.ethling.hal.emulator.VirtualClock;

/**
 * A 16×2 (configurable) HD44780 LCD behind a PCF8574 I2C backpack, as an {@link I2cDevice}.
 *
 * <p>The PCF8574 has no registers: every byte written sets the eight port lines at once (NXP
 * PCF8574 data sheet, "writing to the port"), so one transaction of several bytes is several port
 * updates in a row. The port is wired P7–P4 = D7–D4, P3 = backlight (1 = on), P2 = E, P1 = RW,
 * P0 = RS (PLATFORM.md §3.2). The emulator latches D7–D4 and RS into the {@link Hd44780Model}
 * on each falling edge of E, with the levels that were present while E was high; data or RS that
 * change in the same port update that drops E are recorded as a setup-time violation.
 *
 * <p>With a {@link VirtualClock}, each transaction advances it by its time on a 100 kHz bus (9 bit
 * times per byte, address included), as the real bus would take, and the controller's waits are
 * checked. At power-on the port is 0xFF (RW high), so the first write's falling E is a harmless
 * read cycle and is not decoded. Reads return the port. {@link #connected(boolean) connected(false)} makes every
 * transaction fail with {@link #ERR_IO} (no ACK), as an unplugged backpack does. Allocates nothing
 * per transaction (misuse lines aside). Not thread-safe.
 */
public final class Pcf8574LcdEmulator implements I2cDevice {

    /** Port bit: register select. */
    public static final int RS = 0x01;
    /** Port bit: read/write. */
    public static final int RW = 0x02;
    /** Port bit: enable (latch on falling edge). */
    public static final int E = 0x04;
    /** Port bit: backlight, 1 = on. */
    public static final int BACKLIGHT = 0x08;

    /** Nanoseconds per bit on a 100 kHz bus (the PCF8574's maximum). */
    static final long BIT_NS = 10_000L;

    /** Counter index: transactions acknowledged. */
    public static final int C_TRANSACTIONS = 0;
    /** Counter index: bytes written to the port. */
    public static final int C_BYTES = 1;
    /** Counter index: transactions refused while disconnected. */
    public static final int C_NACK = 2;

    private final int address;
    private final VirtualClock clock;
    private final Misuse misuse;
    private final Hd44780Model lcd;
    private final CounterSet counters = new CounterSet("i2c.transactions", "i2c.bytes", "i2c.nack");
    private int port = 0xFF; // power-on: quasi-bidirectional lines high
    private boolean portWritten;
    private boolean connected = true;

    /** A 16×2 display at {@code address}, strict misuse checks, with timing on {@code clock}. */
    public Pcf8574LcdEmulator(int address, VirtualClock clock) {
        this(address, 16, 2, clock, true);
    }

    /**
     * @param address 7-bit I2C address (0x20–0x27 for the PCF8574, 0x38–0x3F for the PCF8574A)
     * @param columns cells per row
     * @param rows rows (1, 2 or 4)
     * @param clock virtual time advanced by bus time, timing checks on; {@code null}: neither
     * @param strict whether misuse throws {@link IllegalStateException}
     */
    public Pcf8574LcdEmulator(int address, int columns, int rows, VirtualClock clock, boolean strict) {
        if (address < 0x20 || address > 0x27 && address < 0x38 || address > 0x3F) {
            throw new IllegalArgumentException(String.format("PCF8574 address must be 0x20-0x27 or 0x38-0x3F, not 0x%02X", address));
        }
        this.address = address;
        this.clock = clock;
        this.misuse = new Misuse("LCD", strict, 200);
        this.lcd = new Hd44780Model(columns, rows, clock, misuse);
    }

    @Override
    public int address() {
        return address;
    }

    @Override
    public int write(byte[] src, int off, int len) {
        if (!begin(len)) {
            return ERR_IO;
        }
        doWrite(src, off, len);
        return len;
    }

    private void doWrite(byte[] src, int off, int len) {
        for (int i = 0; i < len; i++) {
            setPort(src[off + i] & 0xFF);
        }
        counters.add(C_BYTES, len);
    }

    @Override
    public int read(byte[] dst, int off, int len) {
        if (!begin(len)) {
            return ERR_IO;
        }
        doRead(dst, off, len);
        return len;
    }

    private void doRead(byte[] dst, int off, int len) {
        for (int i = 0; i < len; i++) {
            dst[off + i] = (byte) port;
        }
    }

    /** One transaction: the write, a repeated START (its address byte is charged), the read. */
    @Override
    public int writeRead(byte[] tx, int txOff, int txLen, byte[] rx, int rxOff, int rxLen) {
        if (!begin(txLen + rxLen)) {
            return ERR_IO;
        }
        if (clock != null) {
            clock.advanceNanos(9 * BIT_NS); // the address byte after the repeated START
        }
        doWrite(tx, txOff, txLen);
        doRead(rx, rxOff, rxLen);
        return rxLen;
    }

    private boolean begin(int len) {
        if (clock != null) {
            clock.advanceNanos((1L + len) * 9 * BIT_NS);
        }
        if (!connected) {
            counters.inc(C_NACK);
            return false;
        }
        counters.inc(C_TRANSACTIONS);
        return true;
    }

    private void setPort(int value) {
        int old = port;
        port = value;
        if (!portWritten) {
            // Power-on: every line is high, RW too, so the first write's falling E is a read
            // cycle of the controller, which changes nothing.
            portWritten = true;
            return;
        }
        if ((old & E) != 0 && (value & E) == 0) {
            if (((old ^ value) & 0xF3) != 0) {
                misuse.record(String.format("data/RS/RW changed together with E's falling edge (port 0x%02X -> 0x%02X): setup time violated", old, value));
            }
            lcd.strobe((old & RS) != 0, (old & RW) != 0, old >>> 4);
        }
    }

    /** Simulates plugging or unplugging the backpack: when false, every transaction gets no ACK. */
    public void connected(boolean connected) {
        this.connected = connected;
    }

    /** The port lines as last written. */
    public int port() {
        return port;
    }

    /** Whether the backlight bit is set. */
    public boolean backlightOn() {
        return (port & BACKLIGHT) != 0;
    }

    /** The controller and its character grid. */
    public Hd44780Model lcd() {
        return lcd;
    }

    /** What a person reads on {@code row}. */
    public String row(int row) {
        return lcd.row(row);
    }

    /** Every row, joined with '\n'. */
    public String text() {
        return lcd.text();
    }

    /** The protocol misuse recorded. */
    public Misuse misuse() {
        return misuse;
    }

    /** Transactions, bytes, refusals. */
    public Counters counters() {
        return counters;
    }
}
