package io.ethling.hal.pi4j;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * An allocation-free {@link io.ethling.hal.SpiDevice} on Linux spidev ({@code /dev/spidevB.C}),
 * written with the Foreign Function &amp; Memory API instead of Pi4J, whose SPI transfer allocates
 * native memory on every call (PLATFORM.md §0 item 2).
 *
 * <p><b>Open</b> (cold path, may allocate and throw):
 * <ol>
 *   <li>{@code open(path, O_RDWR | O_CLOEXEC)};</li>
 *   <li>{@code SPI_IOC_WR_MODE32} = 0, then read back with {@code SPI_IOC_RD_MODE32}: mode 0
 *       (CPOL = CPHA = 0), MSb first, chip select active low, the only mode the ENC28J60 speaks
 *       (ENC28J60.md §1.1). Setting the whole word also clears anything another program left,
 *       which Pi4J 3.0.4's {@code open()} would keep (PLATFORM.md §1.3, "Mode bug");</li>
 *   <li>{@code SPI_IOC_WR_BITS_PER_WORD} = 8;</li>
 *   <li>{@code SPI_IOC_WR_MAX_SPEED_HZ} = the clock, which must be 8..20 MHz ({@link SpiClock}:
 *       errata #1, DS80349C; DS39662E maximum).</li>
 * </ol>
 *
 * <p><b>Transfer</b> (hot path, allocates nothing, throws nothing for I/O errors): copy
 * {@code tx} into a native buffer, fill the pre-allocated 32-byte {@code spi_ioc_transfer},
 * make <i>one</i> {@code ioctl(fd, SPI_IOC_MESSAGE(1), &xfer)} — one chip-select frame, one
 * ENC28J60 instruction (DS39662E §4) — and copy the native receive buffer into {@code rx}. A
 * {@code null} {@code tx} sends zeros ({@code tx_buf} = 0); a {@code null} {@code rx} discards the
 * bytes ({@code rx_buf} = 0). A failed ioctl returns {@link #ERR_IO}, keeps its {@code errno} in
 * {@link #lastErrno()} and counts it. Transfers longer than spidev's default {@code bufsiz}, 4096
 * bytes, would fail with {@code EMSGSIZE} (PLATFORM.md §1.3), so they are refused before the ioctl.
 *
 * <p>"Allocates nothing" means after JIT warm-up: the errno-capturing FFM downcall allocates 40
 * bytes per call until C2 compiles it (see {@link FfmSpidevCalls}); from then on a transfer
 * allocates zero bytes, which the tests measure.
 *
 * <p>Layouts and numbers are those of PLATFORM.md §1.3 (checked with gcc against
 * {@code linux/spi/spidev.h}; identical on arm64 and x86-64).
 *
 * <p>Single-threaded: use it from the poll loop only.
 */
public final class SpidevSpiDevice implements CloseableSpiDevice {

    /** Native buffer size and the longest transfer: spidev's default {@code bufsiz}. */
    public static final int MAX_TRANSFER = 4096;

    // ioctl numbers: _IOC(dir, 'k' = 0x6B, nr, size) (PLATFORM.md §1.3).
    /** {@code SPI_IOC_MESSAGE(1)}: one 32-byte {@code spi_ioc_transfer}. */
    static final long SPI_IOC_MESSAGE_1 = 0x40206B00L;
    static final long SPI_IOC_WR_MODE32 = 0x40046B05L;
    static final long SPI_IOC_RD_MODE32 = 0x80046B05L;
    static final long SPI_IOC_WR_BITS_PER_WORD = 0x40016B03L;
    static final long SPI_IOC_WR_MAX_SPEED_HZ = 0x40046B04L;

    // open(2) flags (PLATFORM.md §4.1; same on arm64).
    static final int O_RDWR = 0x2;
    static final int O_CLOEXEC = 0x80000;

    // struct spi_ioc_transfer, 32 bytes (PLATFORM.md §1.3).
    static final int XFER_SIZE = 32;
    static final long OFF_TX_BUF = 0;
    static final long OFF_RX_BUF = 8;
    static final long OFF_LEN = 16;
    static final long OFF_SPEED_HZ = 20;
    static final long OFF_DELAY_USECS = 24;
    static final long OFF_BITS_PER_WORD = 26;
    static final long OFF_CS_CHANGE = 27;

    /** SPI mode bits that must read back as 0: CPHA, CPOL, CS_HIGH, LSB_FIRST (spidev.h). */
    static final int MODE_CHECK_MASK = 0x0F;

    static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int EBUSY = 16;

    /** Counter index: successful transfers. */
    public static final int C_TRANSFERS = 0;
    /** Counter index: bytes clocked in successful transfers. */
    public static final int C_BYTES = 1;
    /** Counter index: the ioctl returned -1 (errno in {@link #lastErrno()}). */
    public static final int C_ERR_IOCTL = 2;
    /** Counter index: the ioctl moved fewer bytes than asked. */
    public static final int C_ERR_SHORT = 3;
    /** Counter index: refused, longer than {@link #MAX_TRANSFER} (or negative). */
    public static final int C_ERR_TOO_LONG = 4;
    /** Counter index: called after {@link #close()}. */
    public static final int C_ERR_CLOSED = 5;
    /** Counter index: clock changes. */
    public static final int C_CLOCK_CHANGES = 6;

    private final CounterSet counters = new CounterSet(
            "spi.transfers", "spi.bytes", "spi.err.ioctl", "spi.err.short", "spi.err.too_long",
            "spi.err.closed", "spi.clock_changes");
    private final String path;
    private final SpidevCalls calls;
    private final Arena arena;
    private final MemorySegment xfer;
    private final MemorySegment txBuf;
    private final MemorySegment rxBuf;
    /** A 4-byte argument for the settings ioctls. */
    private final MemorySegment word;
    private final long txAddr;
    private final long rxAddr;
    private int fd;
    private int clockHz;
    private int lastErrno;

    /**
     * Opens {@code /dev/spidev<bus>.<cs>}.
     *
     * @throws IllegalArgumentException if {@code hz} is outside 8..20 MHz
     * @throws IOException with one clear line if the device cannot be opened or set up
     */
    public SpidevSpiDevice(int bus, int cs, int hz) throws IOException {
        this(devicePath(bus, cs), hz);
    }

    /** Opens the spidev node at {@code path} (see {@link #SpidevSpiDevice(int, int, int)}). */
    public SpidevSpiDevice(String path, int hz) throws IOException {
        this(path, hz, null);
    }

    /** As above, with the libc calls given (tests); {@code null} means the real FFM calls. */
    SpidevSpiDevice(String path, int hz, SpidevCalls calls) throws IOException {
        this.path = Objects.requireNonNull(path, "path");
        this.clockHz = SpiClock.require(hz);
        this.calls = calls != null ? calls : new FfmSpidevCalls();
        this.arena = Arena.ofShared(); // the poll loop need not be the thread that opened it
        this.xfer = arena.allocate(XFER_SIZE, 8);
        this.txBuf = arena.allocate(MAX_TRANSFER, 8);
        this.rxBuf = arena.allocate(MAX_TRANSFER, 8);
        this.word = arena.allocate(4, 4);
        this.txAddr = txBuf.address();
        this.rxAddr = rxBuf.address();
        this.fd = -1;
        try {
            openAndConfigure(hz);
        } catch (IOException | RuntimeException e) {
            if (fd >= 0) {
                this.calls.close(fd);
                fd = -1;
            }
            arena.close();
            throw e;
        }
        // The fixed fields of the transfer; only tx_buf, rx_buf and len change per call.
        xfer.set(JAVA_INT, OFF_SPEED_HZ, hz);
        xfer.set(JAVA_SHORT, OFF_DELAY_USECS, (short) 0);
        xfer.set(JAVA_BYTE, OFF_BITS_PER_WORD, (byte) 8);
        xfer.set(JAVA_BYTE, OFF_CS_CHANGE, (byte) 0); // release CS at the end (one instruction)
    }

    /** {@code /dev/spidev<bus>.<cs>}. */
    public static String devicePath(int bus, int cs) {
        return "/dev/spidev" + bus + "." + cs;
    }

    /**
     * Sets spidev mode 0 on {@code path} and closes it again (cold path). Pi4J 3.0.4's
     * {@code LinuxFsSpi.open()} ORs the requested mode into the device's current mode instead of
     * setting it (PLATFORM.md §1.3, "Mode bug"), so a device left in mode 3 would stay in mode 3;
     * calling this first leaves Pi4J nothing stale to keep. The mode is a property of the spidev
     * device, not of the file descriptor, so it persists after this close.
     *
     * @return whether the mode was set (false if the node cannot be opened or refuses the ioctl)
     */
    public static boolean resetMode(String path) {
        return resetMode(path, new FfmSpidevCalls());
    }

    static boolean resetMode(String path, SpidevCalls calls) {
        final int fd = calls.open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            return false;
        }
        try (Arena a = Arena.ofConfined()) {
            final MemorySegment mode = a.allocate(4, 4);
            mode.set(JAVA_INT, 0, 0);
            return calls.ioctl(fd, SPI_IOC_WR_MODE32, mode) >= 0;
        } finally {
            calls.close(fd);
        }
    }

    /** The one-line reason and hint for a spidev node that could not be opened. */
    static String openFailure(String path, String reason, int errno) {
        return path + ": " + reason + openHint(errno);
    }

    private void openAndConfigure(int hz) throws IOException {
        fd = calls.open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            final int errno = calls.errno();
            throw new IOException(openFailure(path, calls.strerror(errno), errno));
        }
        setting(SPI_IOC_WR_MODE32, 0, "SPI_IOC_WR_MODE32 (mode 0)");
        word.set(JAVA_INT, 0, -1);
        if (calls.ioctl(fd, SPI_IOC_RD_MODE32, word) < 0) {
            throw settingFailed("SPI_IOC_RD_MODE32");
        }
        final int mode = word.get(JAVA_INT, 0);
        if ((mode & MODE_CHECK_MASK) != 0) {
            throw new IOException(path + ": SPI mode reads back as 0x" + Integer.toHexString(mode)
                    + " after setting mode 0; the ENC28J60 needs mode 0, MSb first (ENC28J60.md §1.1)");
        }
        word.set(JAVA_BYTE, 0, (byte) 8);
        if (calls.ioctl(fd, SPI_IOC_WR_BITS_PER_WORD, word) < 0) {
            throw settingFailed("SPI_IOC_WR_BITS_PER_WORD (8)");
        }
        setting(SPI_IOC_WR_MAX_SPEED_HZ, hz, "SPI_IOC_WR_MAX_SPEED_HZ (" + hz + ")");
    }

    private void setting(long request, int value, String what) throws IOException {
        word.set(JAVA_INT, 0, value);
        if (calls.ioctl(fd, request, word) < 0) {
            throw settingFailed(what);
        }
    }

    private IOException settingFailed(String what) {
        final int errno = calls.errno();
        return new IOException(path + ": " + what + " failed: " + calls.strerror(errno)
                + (errno == 25 ? " — not a spidev device?" : ""));
    }

    private static String openHint(int errno) {
        return switch (errno) {
            case ENOENT -> " — enable SPI with raspi-config (dtparam=spi=on) and make sure the"
                    + " enc28j60 overlay is not loaded";
            case EACCES -> " — add the user to group spi (udev gives /dev/spidev* group spi, mode 0660)";
            case EBUSY -> " — another process or driver holds the device";
            default -> "";
        };
    }

    @Override
    public int transfer(byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
        if (fd < 0) {
            counters.inc(C_ERR_CLOSED);
            return ERR_IO;
        }
        if (len <= 0 || len > MAX_TRANSFER) {
            if (len == 0) {
                return 0;
            }
            counters.inc(C_ERR_TOO_LONG);
            return ERR_IO;
        }
        final MemorySegment x = xfer;
        if (tx != null) {
            Objects.checkFromIndexSize(txOff, len, tx.length);
            MemorySegment.copy(tx, txOff, txBuf, JAVA_BYTE, 0L, len);
            x.set(JAVA_LONG, OFF_TX_BUF, txAddr);
        } else {
            x.set(JAVA_LONG, OFF_TX_BUF, 0L); // spidev clocks out zeros
        }
        if (rx != null) {
            Objects.checkFromIndexSize(rxOff, len, rx.length);
            x.set(JAVA_LONG, OFF_RX_BUF, rxAddr);
        } else {
            x.set(JAVA_LONG, OFF_RX_BUF, 0L); // spidev discards what comes in
        }
        x.set(JAVA_INT, OFF_LEN, len);
        final int rc = calls.ioctl(fd, SPI_IOC_MESSAGE_1, x);
        if (rc < 0) {
            lastErrno = calls.errno();
            counters.inc(C_ERR_IOCTL);
            return ERR_IO;
        }
        if (rc != len) {
            counters.inc(C_ERR_SHORT);
            return ERR_IO;
        }
        if (rx != null) {
            MemorySegment.copy(rxBuf, JAVA_BYTE, 0L, rx, rxOff, len);
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
     * Sets a new maximum SCK (cold path): {@code SPI_IOC_WR_MAX_SPEED_HZ} and the transfer's
     * {@code speed_hz}. The controller's divider may give less than requested (PLATFORM.md §1.3).
     * If the ioctl fails the old clock stays and is returned.
     *
     * @throws IllegalArgumentException if {@code requestedHz} is outside 8..20 MHz (errata #1,
     *     DS80349C; DS39662E maximum)
     */
    @Override
    public int clockHz(int requestedHz) {
        SpiClock.require(requestedHz);
        if (fd < 0 || requestedHz == clockHz) {
            return clockHz;
        }
        word.set(JAVA_INT, 0, requestedHz);
        if (calls.ioctl(fd, SPI_IOC_WR_MAX_SPEED_HZ, word) < 0) {
            lastErrno = calls.errno();
            counters.inc(C_ERR_IOCTL);
            return clockHz;
        }
        xfer.set(JAVA_INT, OFF_SPEED_HZ, requestedHz);
        clockHz = requestedHz;
        counters.inc(C_CLOCK_CHANGES);
        return clockHz;
    }

    /**
     * Keeps chip select low for {@code micros} after the last clock of each transfer (the
     * transfer's {@code delay_usecs}). The ENC28J60 needs at least 210 ns between the last SCK
     * edge and CS rising when reading MAC/MII registers (ENC28J60.md §1.1, "t10"); 1 µs covers it
     * if a logic analyser shows the Pi's chip-select timing is too tight. Default 0. Cold path.
     */
    public void csHoldMicros(int micros) {
        if (micros < 0 || micros > 0xFFFF) {
            throw new IllegalArgumentException("CS hold " + micros + " us is outside 0..65535");
        }
        if (fd < 0) {
            return;
        }
        xfer.set(JAVA_SHORT, OFF_DELAY_USECS, (short) micros);
    }

    /** The {@code errno} of the last failed transfer or clock change, 0 if none failed. */
    public int lastErrno() {
        return lastErrno;
    }

    /** The device node. */
    public String path() {
        return path;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    /** Closes the file descriptor and frees the native buffers (idempotent). */
    @Override
    public void close() {
        if (fd < 0) {
            return;
        }
        calls.close(fd);
        fd = -1;
        arena.close();
    }

    @Override
    public String toString() {
        return "SpidevSpiDevice[" + path + ", " + clockHz + " Hz]";
    }
}
