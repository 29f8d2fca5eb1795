package io.ethling.hal.lcd;

import io.ethling.hal.Buttons;
import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.hal.I2cDevice;
import java.util.Objects;

/**
 * The Adafruit 16×2 RGB LCD plate for Raspberry Pi (products 1109/1110): an MCP23017 at 0x20
 * drives the HD44780 (an {@link LcdBus}) and the RGB backlight, and reads the five buttons
 * ({@link Buttons}, polled: the plate wires no interrupt line).
 *
 * <p>Pin map (PLATFORM.md §3.3, from Adafruit's libraries): GPA0 SELECT, GPA1 RIGHT, GPA2 DOWN,
 * GPA3 UP, GPA4 LEFT (inputs, pull-ups on, pressed = low), GPA6 red, GPA7 green, GPB0 blue (LEDs on
 * when low), GPB1 D7, GPB2 D6, GPB3 D5, GPB4 D4 (data bits reversed), GPB5 E, GPB6 RW (held low),
 * GPB7 RS.
 *
 * <p>Registers are used with IOCON.BANK=0 and SEQOP=0 (MCP23017 data sheet table 3-1): every port
 * B update is one 2-byte write to GPIOB (0x13), so a nibble strobe is two transactions and a byte
 * four (PLATFORM.md §3.3, "simpler alternative"; at 100 kHz a character takes about 1.1 ms, a full
 * 16×2 redraw about 35 ms). {@link #reset()} first writes 0 to address 0x05, which is IOCON when a
 * previous program left the chip in BANK=1 (the old Adafruit Python library does) and the harmless
 * GPINTENB in BANK=0, so the chip is in BANK=0 whichever way it was found. Output latches are
 * written before the directions, so no pin glitches. Nothing allocates per call.
 */
public final class Mcp23017Plate implements LcdBus, Buttons {

    /** The plate's default address. */
    public static final int DEFAULT_ADDRESS = 0x20;
    /** Default debounce time (contact bounce is a few ms). */
    public static final long DEFAULT_DEBOUNCE_NS = 20_000_000L;
    /** Default sample period of the buttons (no interrupt line: polled). */
    public static final long DEFAULT_SAMPLE_PERIOD_NS = 20_000_000L;

    static final int IODIRA = 0x00;
    static final int IODIRB = 0x01;
    static final int IPOLA = 0x02;
    static final int IPOLB = 0x03;
    static final int BANK1_IOCON = 0x05;
    static final int IOCON = 0x0A;
    static final int GPPUA = 0x0C;
    static final int GPPUB = 0x0D;
    static final int GPIOA = 0x12;
    static final int GPIOB = 0x13;
    static final int OLATA = 0x14;
    static final int OLATB = 0x15;

    private static final int GPA_BUTTONS = 0x1F;
    private static final int GPA_RED = 0x40;
    private static final int GPA_GREEN = 0x80;
    private static final int GPB_BLUE = 0x01;
    private static final int GPB_E = 0x20;
    private static final int GPB_RS = 0x80;

    /** Counter index: I2C transactions. */
    public static final int C_TRANSACTIONS = 0;
    /** Counter index: failed I2C transactions. */
    public static final int C_ERR_IO = 1;
    /** Counter index: button samples. */
    public static final int C_BUTTON_SAMPLES = 2;

    private final I2cDevice i2c;
    private final Debouncer debouncer;
    private final long samplePeriodNs;
    private final byte[] out = new byte[2];
    private final byte[] in = new byte[1];
    private final CounterSet counters = new CounterSet("i2c.transactions", "i2c.err.io", "buttons.samples");
    private int olatA = 0x00; // red and green on (active low), button pins are inputs
    private int blueBit = 0x00; // blue on
    private long lastSampleNs;
    private boolean sampled;

    /** The plate with the default debounce (20 ms) and sample period (20 ms). */
    public Mcp23017Plate(I2cDevice i2c) {
        this(i2c, DEFAULT_DEBOUNCE_NS, DEFAULT_SAMPLE_PERIOD_NS);
    }

    /**
     * @param debounceNs how long a button change must last before it counts, >= 0
     * @param samplePeriodNs how often {@link #pollAtNs} asks for a sample, > 0
     */
    public Mcp23017Plate(I2cDevice i2c, long debounceNs, long samplePeriodNs) {
        this.i2c = Objects.requireNonNull(i2c, "i2c");
        if (samplePeriodNs <= 0) {
            throw new IllegalArgumentException("button sample period must be > 0 ns, not " + samplePeriodNs);
        }
        this.debouncer = new Debouncer(debounceNs);
        this.samplePeriodNs = samplePeriodNs;
    }

    // ---- LcdBus -------------------------------------------------------------------------------

    @Override
    public int reset() {
        int s = set(BANK1_IOCON, 0x00); // BANK=1 -> IOCON = 0 (BANK=0); BANK=0 -> GPINTENB = 0
        s |= set(IOCON, 0x00); // BANK=0, SEQOP=0: sequential addressing, no interrupt use
        s |= set(OLATA, olatA);
        s |= set(OLATB, blueBit);
        s |= set(IPOLA, 0x00);
        s |= set(IPOLB, 0x00);
        s |= set(GPPUA, GPA_BUTTONS);
        s |= set(GPPUB, 0x00);
        s |= set(IODIRA, GPA_BUTTONS); // buttons in; red, green (and unused GPA5) out
        s |= set(IODIRB, 0x00); // LCD lines and blue out
        return s == LcdBus.OK ? LcdBus.OK : LcdBus.ERR_IO;
    }

    @Override
    public int writeNibble(boolean data, int nibble) {
        int v = portB(data, nibble);
        int s = set(GPIOB, v | GPB_E);
        s |= set(GPIOB, v);
        return s == LcdBus.OK ? LcdBus.OK : LcdBus.ERR_IO;
    }

    @Override
    public int writeByte(boolean data, int value) {
        int s = writeNibble(data, value >>> 4 & 0x0F);
        s |= writeNibble(data, value & 0x0F);
        return s == LcdBus.OK ? LcdBus.OK : LcdBus.ERR_IO;
    }

    /** GPIOB for a nibble: D4 = GPB4, D5 = GPB3, D6 = GPB2, D7 = GPB1; RW (GPB6) low; E low. */
    private int portB(boolean data, int nibble) {
        int reversed = (nibble & 1) << 4 | (nibble & 2) << 2 | (nibble & 4) | (nibble & 8) >> 2;
        return reversed | (data ? GPB_RS : 0) | blueBit;
    }

    @Override
    public boolean colourBacklight() {
        return true;
    }

    @Override
    public int backlight(int rgb) {
        olatA = ((rgb & 0x800000) != 0 ? 0 : GPA_RED) | ((rgb & 0x008000) != 0 ? 0 : GPA_GREEN);
        blueBit = (rgb & 0x000080) != 0 ? 0 : GPB_BLUE;
        int s = set(OLATA, olatA);
        s |= set(OLATB, blueBit);
        return s == LcdBus.OK ? LcdBus.OK : LcdBus.ERR_IO;
    }

    private int set(int register, int value) {
        out[0] = (byte) register;
        out[1] = (byte) value;
        counters.inc(C_TRANSACTIONS);
        if (i2c.write(out, 0, 2) != 2) {
            counters.inc(C_ERR_IO);
            return LcdBus.ERR_IO;
        }
        return LcdBus.OK;
    }

    // ---- Buttons ------------------------------------------------------------------------------

    @Override
    public int poll(long nowNs) {
        lastSampleNs = nowNs;
        sampled = true;
        out[0] = GPIOA;
        counters.inc(C_TRANSACTIONS);
        if (i2c.writeRead(out, 0, 1, in, 0, 1) != 1) {
            counters.inc(C_ERR_IO);
            debouncer.noSample();
            return Buttons.ERR_IO;
        }
        counters.inc(C_BUTTON_SAMPLES);
        int low = ~in[0] & GPA_BUTTONS; // pressed = low
        int mask = ((low & 0x01) != 0 ? SELECT : 0) | ((low & 0x02) != 0 ? RIGHT : 0)
                | ((low & 0x04) != 0 ? DOWN : 0) | ((low & 0x08) != 0 ? UP : 0) | ((low & 0x10) != 0 ? LEFT : 0);
        return debouncer.update(mask, nowNs);
    }

    @Override
    public long pollAtNs(long nowNs) {
        long next = sampled ? lastSampleNs + samplePeriodNs : nowNs;
        long settle = debouncer.settleAtNs();
        return settle != Long.MAX_VALUE && settle - next < 0 ? settle : next;
    }

    @Override
    public int held() {
        return debouncer.held();
    }

    @Override
    public int pressedEdges() {
        return debouncer.pressedEdges();
    }

    @Override
    public int releasedEdges() {
        return debouncer.releasedEdges();
    }

    @Override
    public int available() {
        return ALL;
    }

    @Override
    public void listener(Listener listener) {
        debouncer.listener(listener);
    }

    @Override
    public Counters counters() {
        return counters;
    }
}
