package io.ethling.hal.lcd;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.hal.I2cDevice;
import java.util.Objects;

/**
 * An HD44780 behind a PCF8574 I2C "backpack" (LCM1602/YwRobot type, address 0x27 for the PCF8574T
 * or 0x3F for the PCF8574AT): an {@link LcdBus}.
 *
 * <p>Port bits (PLATFORM.md §3.2): P7–P4 = D7–D4, P3 = backlight (1 = on), P2 = E, P1 = RW (kept
 * 0), P0 = RS. Each byte written to a PCF8574 sets its port ("writing to the port", NXP PCF8574
 * data sheet §8.2), so a nibble strobe is the pair {@code data|E}, {@code data} in one transaction,
 * and a whole byte, two strobe pairs, is a single 4-byte write. At 100 kHz (the PCF8574's maximum)
 * each port byte lasts 90 µs, far above the 450 ns E pulse and 195 ns setup time the HD44780 needs,
 * and a byte's 450 µs exceeds its 37 µs execution time. Nothing is read back. The backlight bit is
 * carried in every byte. Allocates nothing per call.
 */
public final class Pcf8574Backpack implements LcdBus {

    static final int RS = 0x01;
    static final int E = 0x04;
    static final int BACKLIGHT = 0x08;

    /** Counter index: I2C writes. */
    public static final int C_WRITES = 0;
    /** Counter index: failed I2C writes. */
    public static final int C_ERR_IO = 1;

    private final I2cDevice i2c;
    private final byte[] out = new byte[4];
    private final CounterSet counters = new CounterSet("i2c.writes", "i2c.err.io");
    private int backlightBit = BACKLIGHT;

    /** @param i2c the backpack (0x27 or 0x3F, see {@code i2cdetect -y 1}) */
    public Pcf8574Backpack(I2cDevice i2c) {
        this.i2c = Objects.requireNonNull(i2c, "i2c");
    }

    @Override
    public int reset() {
        out[0] = (byte) backlightBit; // E, RW, RS low; data lines low
        return send(1);
    }

    @Override
    public int writeNibble(boolean data, int nibble) {
        int v = (nibble & 0x0F) << 4 | backlightBit | (data ? RS : 0);
        out[0] = (byte) (v | E);
        out[1] = (byte) v;
        return send(2);
    }

    @Override
    public int writeByte(boolean data, int value) {
        int low = backlightBit | (data ? RS : 0);
        int hi = (value & 0xF0) | low;
        int lo = (value & 0x0F) << 4 | low;
        out[0] = (byte) (hi | E);
        out[1] = (byte) hi;
        out[2] = (byte) (lo | E);
        out[3] = (byte) lo;
        return send(4);
    }

    @Override
    public boolean colourBacklight() {
        return false;
    }

    @Override
    public int backlight(int rgb) {
        backlightBit = rgb != 0 ? BACKLIGHT : 0;
        out[0] = (byte) backlightBit;
        return send(1);
    }

    @Override
    public Counters counters() {
        return counters;
    }

    private int send(int len) {
        counters.inc(C_WRITES);
        if (i2c.write(out, 0, len) != len) {
            counters.inc(C_ERR_IO);
            return ERR_IO;
        }
        return OK;
    }
}
