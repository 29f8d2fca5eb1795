package io.ethling.hal.pi4j;

import com.pi4j.io.i2c.I2C;
import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import java.util.Objects;

/**
 * {@link io.ethling.hal.I2cDevice} on a Pi4J {@link I2C} (provider {@code linuxfs-i2c} on the
 * board, {@code /dev/i2c-<bus>}).
 *
 * <ul>
 *   <li>{@link #write}: one Pi4J raw {@code write(byte[],off,len)}, which linuxfs turns into one
 *       {@code write()} syscall, i.e. one START … STOP (PLATFORM.md §1.4) — so a PCF8574 nibble
 *       strobe is one call.</li>
 *   <li>{@link #read}: one raw {@code read(byte[],off,len)}.</li>
 *   <li>{@link #writeRead}: Pi4J's {@code readRegister}, which linuxfs issues as one
 *       {@code I2C_RDWR} ioctl: write, repeated START, read (PLATFORM.md §1.4). Pi4J's own
 *       {@code I2C.writeRead} is not used: it is two transactions under a lock, with a STOP
 *       between them, and allocates a capturing lambda per call.</li>
 * </ul>
 *
 * <p>This class allocates nothing per call (register-address arrays for multi-byte writes are
 * made once per length, up to {@link #MAX_REGISTER_BYTES}). Pi4J 3.0.4's linuxfs I2C itself
 * allocates on every call (lambdas, and in {@code readRegister} a 2 KiB {@code ByteBuffer}); that
 * is out of our hands. Failures, whether Pi4J reports them by a negative count, a short count or an
 * exception, become {@link #ERR_IO} and are counted.
 */
public final class Pi4jI2cDevice implements io.ethling.hal.I2cDevice {

    /** The longest write part of {@link #writeRead} (register address bytes). */
    public static final int MAX_REGISTER_BYTES = 16;

    /** Counter index: successful transactions. */
    public static final int C_TRANSACTIONS = 0;
    /** Counter index: bytes written and read in successful transactions. */
    public static final int C_BYTES = 1;
    /** Counter index: Pi4J returned a negative or short count. */
    public static final int C_ERR_IO = 2;
    /** Counter index: Pi4J threw. */
    public static final int C_ERR_EXCEPTION = 3;
    /** Counter index: refused, a length out of range. */
    public static final int C_ERR_LENGTH = 4;

    private final I2C i2c;
    private final int address;
    private final CounterSet counters = new CounterSet(
            "i2c.transactions", "i2c.bytes", "i2c.err.io", "i2c.err.exception", "i2c.err.length");
    /** registerBytes[n] is an n-byte array for a register address of n bytes (n >= 2). */
    private final byte[][] registerBytes = new byte[MAX_REGISTER_BYTES + 1][];

    /** Wraps a Pi4J device; {@link Pi4jBoard#i2c} creates it with the right provider. */
    public Pi4jI2cDevice(I2C i2c) {
        this.i2c = Objects.requireNonNull(i2c, "i2c");
        this.address = i2c.device();
        for (int n = 2; n <= MAX_REGISTER_BYTES; n++) {
            registerBytes[n] = new byte[n];
        }
    }

    @Override
    public int address() {
        return address;
    }

    @Override
    public int write(byte[] src, int off, int len) {
        if (len <= 0) {
            counters.inc(C_ERR_LENGTH);
            return ERR_IO;
        }
        Objects.checkFromIndexSize(off, len, src.length);
        final int rc;
        try {
            rc = i2c.write(src, off, len);
        } catch (RuntimeException e) {
            counters.inc(C_ERR_EXCEPTION);
            return ERR_IO;
        }
        // linuxfs and the mock both return len; treat anything negative as a failed transaction.
        if (rc < 0) {
            counters.inc(C_ERR_IO);
            return ERR_IO;
        }
        return ok(len);
    }

    @Override
    public int read(byte[] dst, int off, int len) {
        if (len <= 0) {
            counters.inc(C_ERR_LENGTH);
            return ERR_IO;
        }
        Objects.checkFromIndexSize(off, len, dst.length);
        final int rc;
        try {
            rc = i2c.read(dst, off, len);
        } catch (RuntimeException e) {
            counters.inc(C_ERR_EXCEPTION);
            return ERR_IO;
        }
        // The master clocks every byte it asks for; fewer means the transaction failed.
        if (rc != len) {
            counters.inc(C_ERR_IO);
            return ERR_IO;
        }
        return ok(len);
    }

    @Override
    public int writeRead(byte[] tx, int txOff, int txLen, byte[] rx, int rxOff, int rxLen) {
        if (txLen == 0) {
            return read(rx, rxOff, rxLen);
        }
        if (txLen < 0 || txLen > MAX_REGISTER_BYTES || rxLen <= 0) {
            counters.inc(C_ERR_LENGTH);
            return ERR_IO;
        }
        Objects.checkFromIndexSize(txOff, txLen, tx.length);
        Objects.checkFromIndexSize(rxOff, rxLen, rx.length);
        final int rc;
        try {
            if (txLen == 1) {
                rc = i2c.readRegister(tx[txOff] & 0xFF, rx, rxOff, rxLen);
            } else {
                final byte[] reg = registerBytes[txLen];
                System.arraycopy(tx, txOff, reg, 0, txLen);
                rc = i2c.readRegister(reg, rx, rxOff, rxLen);
            }
        } catch (RuntimeException e) {
            counters.inc(C_ERR_EXCEPTION);
            return ERR_IO;
        }
        if (rc != rxLen) {
            counters.inc(C_ERR_IO);
            return ERR_IO;
        }
        counters.add(C_BYTES, txLen);
        return ok(rxLen);
    }

    private int ok(int len) {
        counters.inc(C_TRANSACTIONS);
        counters.add(C_BYTES, len);
        return len;
    }

    /** Counters: transactions, bytes, failures by kind. */
    public Counters counters() {
        return counters;
    }

    /** The Pi4J device (tests and diagnostics). */
    I2C pi4j() {
        return i2c;
    }
}
