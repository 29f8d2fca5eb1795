package io.ethling.hal.pi4j;

import com.pi4j.context.Context;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiMode;
import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * {@link io.ethling.hal.SpiDevice} on a Pi4J {@link Spi} (normally provider {@code linuxfs-spi},
 * {@code /dev/spidev<bus>.<cs>}).
 *
 * <p>Each {@link #transfer} is exactly one Pi4J {@code transfer(byte[],int,byte[],int,int)}: one
 * {@code SPI_IOC_MESSAGE(1)} ioctl, so chip select stays low for the whole ENC28J60 instruction
 * (DS39662E §4; PLATFORM.md §1.3). SPI mode 0, MSb first, is the only mode the ENC28J60 supports
 * (ENC28J60.md §1.1).
 *
 * <p><b>Allocation.</b> This class allocates nothing per call, but Pi4J 3.0.4's
 * {@code LinuxFsSpi.transfer} allocates a JNA native {@code Memory} block and a new
 * {@code spi_ioc_transfer} structure on every call (PLATFORM.md §0 item 2, §1.3). Use
 * {@link SpidevSpiDevice} where the data path must be allocation-free; this adapter exists for
 * comparison and as a fallback ({@link SpiDevices}). Also note Pi4J's {@code open()} ORs the
 * requested mode into the device's previous mode (PLATFORM.md §1.3, "Mode bug"), so a device left
 * in mode 3 by another program would stay in mode 3; with provider {@code linuxfs-spi} this class
 * first sets mode 0 itself ({@link SpidevSpiDevice#resetMode}), so Pi4J has nothing stale to keep.
 *
 * <p>Return values differ between Pi4J providers (linuxfs returns the length, the mock returns 0),
 * so only a negative return is treated as a failure (PLATFORM.md §1.3).
 */
public final class Pi4jSpiDevice implements CloseableSpiDevice {

    /** The largest transfer: spidev's default {@code bufsiz} (PLATFORM.md §1.3, "Buffer limit"). */
    public static final int MAX_TRANSFER = 4096;

    /** Pi4J's linuxfs SPI provider id. */
    static final String LINUXFS_SPI = "linuxfs-spi";

    /** Counter index: successful transfers. */
    public static final int C_TRANSFERS = 0;
    /** Counter index: bytes clocked in successful transfers. */
    public static final int C_BYTES = 1;
    /** Counter index: Pi4J returned a negative status. */
    public static final int C_ERR_IO = 2;
    /** Counter index: Pi4J threw (an I/O error surfaced as an exception). */
    public static final int C_ERR_EXCEPTION = 3;
    /** Counter index: refused, longer than {@link #MAX_TRANSFER} or negative. */
    public static final int C_ERR_LENGTH = 4;
    /** Counter index: called after {@link #close()}. */
    public static final int C_ERR_CLOSED = 5;
    /** Counter index: clock changes (re-opens). */
    public static final int C_REOPENS = 6;

    private final CounterSet counters = new CounterSet(
            "spi.transfers", "spi.bytes", "spi.err.io", "spi.err.exception", "spi.err.length",
            "spi.err.closed", "spi.reopens");
    /** Receives the bytes clocked in when the caller passes {@code rx == null}. */
    private final byte[] rxScratch = new byte[MAX_TRANSFER];
    /** Sent when the caller passes {@code tx == null}: zeros. */
    private final byte[] txZeros = new byte[MAX_TRANSFER];
    private final IntFunction<Spi> reopen;
    private Spi spi;
    private int clockHz;
    private boolean closed;

    /**
     * Creates and opens {@code /dev/spidev<bus>.<cs>} through {@code context}.
     *
     * @param providerId the Pi4J SPI provider, e.g. {@code "linuxfs-spi"} (never auto-selected)
     * @param hz SCK in hertz, {@link SpiClock#MIN_HZ}..{@link SpiClock#MAX_HZ}
     * @throws IllegalArgumentException if {@code hz} is outside the ENC28J60's range
     */
    public Pi4jSpiDevice(Context context, String providerId, int bus, int cs, int hz) {
        this(SpiClock.require(hz), new Opener(context, providerId, bus, cs));
    }

    private Pi4jSpiDevice(int hz, Opener opener) {
        this(opener.apply(hz), hz, opener);
    }

    /**
     * Wraps an already open {@link Spi} (tests, or a caller that built its own). {@code reopen}
     * is asked for a new {@link Spi} at another clock by {@link #clockHz(int)}; it may be
     * {@code null}, and then the clock cannot change.
     */
    Pi4jSpiDevice(Spi spi, int hz, IntFunction<Spi> reopen) {
        this.spi = Objects.requireNonNull(spi, "spi");
        this.clockHz = SpiClock.require(hz);
        this.reopen = reopen;
        if (reopen instanceof Opener o) {
            o.current = spi;
        }
    }

    @Override
    public int transfer(byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
        if (closed) {
            counters.inc(C_ERR_CLOSED);
            return ERR_IO;
        }
        if (len <= 0 || len > MAX_TRANSFER) {
            if (len == 0) {
                return 0;
            }
            counters.inc(C_ERR_LENGTH);
            return ERR_IO;
        }
        byte[] out = tx;
        int outOff = txOff;
        if (out == null) {
            out = txZeros;
            outOff = 0;
        } else {
            Objects.checkFromIndexSize(txOff, len, tx.length);
        }
        byte[] in = rx;
        int inOff = rxOff;
        if (in == null) {
            in = rxScratch;
            inOff = 0;
        } else {
            Objects.checkFromIndexSize(rxOff, len, rx.length);
        }
        final int rc;
        try {
            rc = spi.transfer(out, outOff, in, inOff, len);
        } catch (RuntimeException e) {
            // Pi4J reports some I/O failures by throwing; the caller gets a status, not the throw.
            counters.inc(C_ERR_EXCEPTION);
            return ERR_IO;
        }
        if (rc < 0) {
            counters.inc(C_ERR_IO);
            return ERR_IO;
        }
        counters.inc(C_TRANSFERS);
        counters.add(C_BYTES, len);
        return len;
    }

    @Override
    public int clockHz() {
        return clockHz;
    }

    /**
     * Re-opens the device at {@code requestedHz} (cold path). Pi4J cannot change the baud of an
     * open device, so the old one is closed and a new one created with the same id. The Pi's
     * divider may give a lower real clock than requested (PLATFORM.md §1.3); Pi4J does not report
     * it, so the request is returned.
     *
     * @throws IllegalArgumentException if {@code requestedHz} is outside 8..20 MHz (errata #1,
     *     DS80349C; DS39662E maximum)
     * @throws RuntimeException what Pi4J threw if the device cannot be re-opened; the device is
     *     then re-opened at the old clock, or, if that fails too, closed
     */
    @Override
    public int clockHz(int requestedHz) {
        SpiClock.require(requestedHz);
        if (requestedHz == clockHz || reopen == null || closed) {
            return clockHz;
        }
        try {
            spi = reopen.apply(requestedHz);
        } catch (RuntimeException e) {
            // The old device may already be closed: get it back at the old clock, then report.
            try {
                spi = reopen.apply(clockHz);
            } catch (RuntimeException again) {
                if (again != e) {
                    e.addSuppressed(again);
                }
                closed = true; // nothing usable is left; transfers now fail and are counted
            }
            throw e;
        }
        clockHz = requestedHz;
        counters.inc(C_REOPENS);
        return clockHz;
    }

    /** The Pi4J device in use (tests and diagnostics). */
    Spi spi() {
        return spi;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (reopen instanceof Opener o) {
            o.release();
        } else {
            spi.close();
        }
    }

    /** Creates the Pi4J device, and on a clock change shuts the old one down first. */
    private static final class Opener implements IntFunction<Spi> {
        private final Context context;
        private final String providerId;
        private final int bus;
        private final int cs;
        private final String id;
        Spi current;

        Opener(Context context, String providerId, int bus, int cs) {
            this.context = Objects.requireNonNull(context, "context");
            this.providerId = Objects.requireNonNull(providerId, "providerId");
            this.bus = bus;
            this.cs = cs;
            this.id = "ethling-spi" + bus + "." + cs;
        }

        @Override
        public Spi apply(int hz) {
            release();
            if (LINUXFS_SPI.equals(providerId)) {
                // Work around Pi4J 3.0.4 ORing the mode into a stale one (PLATFORM.md §1.3).
                SpidevSpiDevice.resetMode(SpidevSpiDevice.devicePath(bus, cs));
            }
            current = context.create(Spi.newConfigBuilder(context)
                    .id(id)
                    .name("ENC28J60 SPI " + bus + "." + cs)
                    .bus(bus)
                    .channel(cs)
                    .mode(SpiMode.MODE_0) // ENC28J60 supports mode 0 only (ENC28J60.md §1.1)
                    .baud(hz)
                    .provider(providerId));
            return current;
        }

        void release() {
            final Spi old = current;
            if (old == null) {
                return;
            }
            current = null;
            // LinuxFsSpi's shutdown does not close the file descriptor; close() does.
            old.close();
            if (!context.isShutdown()) {
                context.shutdown(old);
            }
        }
    }
}
