package io.ethling.hal.emulator.lcd;

import io.ethling.hal.emulator.Misuse;

import io.ethling.hal.Buttons;
import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.hal.I2cDevice;
import io.ethling.hal.emulator.VirtualClock;

/**
 * The Adafruit 16×2 RGB LCD plate (products 1109/1110) as an {@link I2cDevice}: an MCP23017 port
 * expander whose port B drives an HD44780 in 4-bit mode and the blue LED, and whose port A reads
 * five buttons and drives the red and green LEDs (PLATFORM.md §3.3).
 *
 * <p>The register file follows the MCP23017 data sheet (DS20001952, table 3-1 and §3.2.1): 22
 * registers, IOCON.BANK=0 addressing at power-on (IODIRA 0x00 … OLATB 0x15) and BANK=1 addressing
 * (port A 0x00–0x0A, port B 0x10–0x1A) once a driver sets BANK. The first byte of a write sets the
 * address pointer, the following bytes go to successive registers: with IOCON.SEQOP=0 the pointer
 * increments (wrapping at the end of the file), with SEQOP=1 it stays put in BANK=1 and toggles
 * between the A and B register of a pair in BANK=0. Reads continue from the pointer.
 *
 * <p>Pins: an output (IODIR bit 0) drives its OLAT bit; an input reads high when its pull-up
 * (GPPU) is on and the outside leaves it alone, low when a button pulls it to ground, and low when
 * it floats (no pull-up), so a driver that forgets GPPU sees every button pressed. IPOL inverts
 * what GPIO reads. Writing GPIO writes OLAT. IOCON is mirrored at 0x0A and 0x0B (BANK=0).
 *
 * <p>Wiring: GPA0 SELECT, GPA1 RIGHT, GPA2 DOWN, GPA3 UP, GPA4 LEFT (pressed = low), GPA6 red,
 * GPA7 green, GPB0 blue (LEDs on when low), GPB1 D7, GPB2 D6, GPB3 D5, GPB4 D4 (reversed), GPB5 E,
 * GPB6 RW, GPB7 RS. D7–D4 and RS are latched into the {@link Hd44780Model} on E's falling edge.
 * With a {@link VirtualClock}, each transaction advances it by its time on a 100 kHz bus.
 * {@link #buttons}, {@link #press} and {@link #release} may be called from another thread (a
 * terminal's key reader); everything else belongs to the thread that drives the bus. Otherwise not
 * thread-safe; allocates nothing per transaction (misuse lines aside).
 */
public final class Mcp23017LcdEmulator implements I2cDevice {

    /** Register (BANK=0): I/O direction A, 1 = input. */
    public static final int IODIRA = 0x00;
    /** Register (BANK=0): I/O direction B. */
    public static final int IODIRB = 0x01;
    /** Register (BANK=0): input polarity A. */
    public static final int IPOLA = 0x02;
    /** Register (BANK=0): input polarity B. */
    public static final int IPOLB = 0x03;
    /** Register (BANK=0): configuration (also at 0x0B). */
    public static final int IOCON = 0x0A;
    /** Register (BANK=0): pull-ups A. */
    public static final int GPPUA = 0x0C;
    /** Register (BANK=0): pull-ups B. */
    public static final int GPPUB = 0x0D;
    /** Register (BANK=0): port A. */
    public static final int GPIOA = 0x12;
    /** Register (BANK=0): port B. */
    public static final int GPIOB = 0x13;
    /** Register (BANK=0): output latch A. */
    public static final int OLATA = 0x14;
    /** Register (BANK=0): output latch B. */
    public static final int OLATB = 0x15;

    /** IOCON bit: BANK. */
    public static final int IOCON_BANK = 0x80;
    /** IOCON bit: SEQOP (1 = address pointer does not increment). */
    public static final int IOCON_SEQOP = 0x20;

    private static final int REGISTERS = 0x16;
    private static final int GPB_E = 0x20;
    private static final int GPB_RW = 0x40;
    private static final int GPB_RS = 0x80;
    private static final int BUTTON_PINS = 0x1F;

    /** Counter index: transactions acknowledged. */
    public static final int C_TRANSACTIONS = 0;
    /** Counter index: bytes after the I2C address (register address bytes included). */
    public static final int C_BYTES = 1;
    /** Counter index: transactions refused while disconnected. */
    public static final int C_NACK = 2;

    private final int address;
    private final VirtualClock clock;
    private final Misuse misuse;
    private final Hd44780Model lcd;
    private final CounterSet counters = new CounterSet("i2c.transactions", "i2c.bytes", "i2c.nack");
    private final int[] reg = new int[REGISTERS];
    private int pointer;
    private int portB; // the levels on port B's pins, as last computed
    private volatile int pressedPins; // port A pins held low by buttons; set from any thread
    private boolean connected = true;

    /** The plate at 0x20, 16×2, strict misuse checks, timing on {@code clock} (may be null). */
    public Mcp23017LcdEmulator(VirtualClock clock) {
        this(0x20, 16, 2, clock, true);
    }

    /**
     * @param address 7-bit I2C address, 0x20–0x27
     * @param columns cells per row
     * @param rows rows (1, 2 or 4)
     * @param clock virtual time advanced by bus time, timing checks on; {@code null}: neither
     * @param strict whether misuse throws {@link IllegalStateException}
     */
    public Mcp23017LcdEmulator(int address, int columns, int rows, VirtualClock clock, boolean strict) {
        if (address < 0x20 || address > 0x27) {
            throw new IllegalArgumentException(String.format("MCP23017 address must be 0x20-0x27, not 0x%02X", address));
        }
        this.address = address;
        this.clock = clock;
        this.misuse = new Misuse("LCD", strict, 200);
        this.lcd = new Hd44780Model(columns, rows, clock, misuse);
        powerOnReset();
    }

    /** Power-on reset: IODIR 0xFF, everything else 0 (data sheet table 3-1), BANK=0. */
    public void powerOnReset() {
        java.util.Arrays.fill(reg, 0);
        reg[IODIRA] = 0xFF;
        reg[IODIRB] = 0xFF;
        pointer = 0;
        portB = pinLevels(1);
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
        if (len == 0) {
            return;
        }
        pointer = src[off] & 0xFF;
        for (int i = 1; i < len; i++) {
            int index = index(pointer);
            if (index < 0) {
                misuse.record(String.format("write to register address 0x%02X, which does not exist with IOCON.BANK=%d", pointer, bank()));
            } else {
                writeRegister(index, src[off + i] & 0xFF);
            }
            advancePointer();
        }
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
            int index = index(pointer);
            if (index < 0) {
                misuse.record(String.format("read of register address 0x%02X, which does not exist with IOCON.BANK=%d", pointer, bank()));
                dst[off + i] = 0;
            } else {
                dst[off + i] = (byte) readRegister(index);
            }
            advancePointer();
        }
    }

    /** One transaction: the write, a repeated START (its address byte is charged), the read. */
    @Override
    public int writeRead(byte[] tx, int txOff, int txLen, byte[] rx, int rxOff, int rxLen) {
        if (!begin(txLen + rxLen)) {
            return ERR_IO;
        }
        if (clock != null) {
            clock.advanceNanos(9 * Pcf8574LcdEmulator.BIT_NS); // the address byte after the repeated START
        }
        doWrite(tx, txOff, txLen);
        doRead(rx, rxOff, rxLen);
        return rxLen;
    }

    private boolean begin(int len) {
        if (clock != null) {
            clock.advanceNanos((1L + len) * 9 * Pcf8574LcdEmulator.BIT_NS);
        }
        if (!connected) {
            counters.inc(C_NACK);
            return false;
        }
        counters.inc(C_TRANSACTIONS);
        counters.add(C_BYTES, len);
        return true;
    }

    private int bank() {
        return (reg[IOCON] & IOCON_BANK) != 0 ? 1 : 0;
    }

    /** The BANK=0 index of register address {@code addr}, or -1. */
    private int index(int addr) {
        if (bank() == 0) {
            return addr < REGISTERS ? addr : -1;
        }
        int port = addr >> 4;
        int r = addr & 0x0F;
        return port <= 1 && r <= 0x0A ? r * 2 + port : -1;
    }

    private void advancePointer() {
        boolean seqop = (reg[IOCON] & IOCON_SEQOP) != 0;
        if (bank() == 0) {
            if (seqop) {
                pointer ^= 1; // byte mode, BANK=0: toggles within the A/B pair (§3.2.1)
            } else {
                pointer = pointer + 1 >= REGISTERS ? 0 : pointer + 1;
            }
        } else if (!seqop) {
            int port = pointer >> 4;
            int r = (pointer & 0x0F) + 1;
            if (r > 0x0A) {
                r = 0;
                port ^= 1;
            }
            pointer = port << 4 | r;
        }
    }

    private void writeRegister(int index, int value) {
        switch (index) {
            case GPIOA, OLATA -> reg[OLATA] = value;
            case GPIOB, OLATB -> reg[OLATB] = value;
            case IOCON, IOCON + 1 -> reg[IOCON] = value & 0xFE; // bit 0 reads as 0
            case 0x0E, 0x0F, 0x10, 0x11 -> misuse.record("write to read-only register INTF/INTCAP");
            default -> reg[index] = value;
        }
        if (index == IOCON || index == IOCON + 1) {
            reg[IOCON + 1] = reg[IOCON];
        }
        updatePortB();
    }

    private int readRegister(int index) {
        return switch (index) {
            case GPIOA -> pinLevels(0) ^ reg[IPOLA];
            case GPIOB -> pinLevels(1) ^ reg[IPOLB];
            default -> reg[index];
        };
    }

    /** The level on each pin of port {@code p} (0 = A). */
    private int pinLevels(int p) {
        int iodir = reg[IODIRA + p];
        int olat = reg[OLATA + p];
        int pullUp = reg[GPPUA + p];
        int pulledLow = p == 0 ? pressedPins : 0;
        int inputs = pullUp & ~pulledLow; // input pins: high only with pull-up and no button
        return (olat & ~iodir | inputs & iodir) & 0xFF;
    }

    private void updatePortB() {
        int old = portB;
        int now = pinLevels(1);
        portB = now;
        if ((old & GPB_E) != 0 && (now & GPB_E) == 0) {
            if ((reg[IODIRB] & 0xDE) != 0) {
                misuse.record(String.format("E strobed while IODIRB=0x%02X leaves LCD lines as inputs", reg[IODIRB]));
            }
            if (((old ^ now) & 0xDE) != 0) {
                misuse.record(String.format("data/RS/RW changed together with E's falling edge (GPIOB 0x%02X -> 0x%02X): setup time violated", old, now));
            }
            int nibble = (old >> 4 & 1) | (old >> 2 & 2) | (old & 4) | (old << 2 & 8);
            lcd.strobe((old & GPB_RS) != 0, (old & GPB_RW) != 0, nibble);
        }
    }

    /** Holds the buttons in {@code buttonMask} ({@link Buttons#UP} … {@link Buttons#SELECT}) pressed, releases the others. */
    public void buttons(int buttonMask) {
        int pins = 0;
        if ((buttonMask & Buttons.SELECT) != 0) {
            pins |= 0x01;
        }
        if ((buttonMask & Buttons.RIGHT) != 0) {
            pins |= 0x02;
        }
        if ((buttonMask & Buttons.DOWN) != 0) {
            pins |= 0x04;
        }
        if ((buttonMask & Buttons.UP) != 0) {
            pins |= 0x08;
        }
        if ((buttonMask & Buttons.LEFT) != 0) {
            pins |= 0x10;
        }
        pressedPins = pins & BUTTON_PINS;
    }

    /** Presses {@code buttonMask} in addition to those held. */
    public void press(int buttonMask) {
        buttons(buttonsHeld() | buttonMask);
    }

    /** Releases {@code buttonMask}. */
    public void release(int buttonMask) {
        buttons(buttonsHeld() & ~buttonMask);
    }

    /** The buttons held by the test, as {@link Buttons} bits. */
    public int buttonsHeld() {
        int p = pressedPins;
        return ((p & 0x01) != 0 ? Buttons.SELECT : 0) | ((p & 0x02) != 0 ? Buttons.RIGHT : 0)
                | ((p & 0x04) != 0 ? Buttons.DOWN : 0) | ((p & 0x08) != 0 ? Buttons.UP : 0)
                | ((p & 0x10) != 0 ? Buttons.LEFT : 0);
    }

    /**
     * The backlight colour a person sees, 0xRRGGBB with each channel 0x00 or 0xFF: a channel is lit
     * when its pin is an output driven low (GPA6 red, GPA7 green, GPB0 blue).
     */
    public int backlightColour() {
        int a = pinLevels(0);
        int aOut = ~reg[IODIRA];
        int bOut = ~reg[IODIRB];
        int rgb = 0;
        if ((aOut & 0x40) != 0 && (a & 0x40) == 0) {
            rgb |= 0xFF0000;
        }
        if ((aOut & 0x80) != 0 && (a & 0x80) == 0) {
            rgb |= 0x00FF00;
        }
        if ((bOut & 0x01) != 0 && (portB & 0x01) == 0) {
            rgb |= 0x0000FF;
        }
        return rgb;
    }

    /** Whether any backlight LED is lit. */
    public boolean backlightOn() {
        return backlightColour() != 0;
    }

    /** The register at BANK=0 index {@code index} (0x00–0x15), as stored. */
    public int register(int index) {
        return reg[index];
    }

    /** Puts the chip in BANK=1 as another program (the old Adafruit Python library) may leave it. */
    public void leaveInBank1() {
        reg[IOCON] = reg[IOCON + 1] = IOCON_BANK | IOCON_SEQOP;
    }

    /** Simulates plugging or unplugging the plate: when false, every transaction gets no ACK. */
    public void connected(boolean connected) {
        this.connected = connected;
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
