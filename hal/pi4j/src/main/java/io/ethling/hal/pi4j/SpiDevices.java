package io.ethling.hal.pi4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Chooses how the firmware reaches the ENC28J60's SPI bus.
 *
 * <ul>
 *   <li>{@value #SPIDEV} (the default): {@link SpidevSpiDevice}, FFM straight onto
 *       {@code /dev/spidevB.C}, allocation-free per transfer;</li>
 *   <li>{@value #PI4J}: {@link Pi4jSpiDevice} through Pi4J's {@code linuxfs-spi} provider, which
 *       allocates native memory on every transfer (PLATFORM.md §1.3) — a fallback and a
 *       reference.</li>
 * </ul>
 */
public final class SpiDevices {

    /** Kind: FFM spidev ({@link SpidevSpiDevice}). */
    public static final String SPIDEV = "spidev";
    /** Kind: Pi4J linuxfs ({@link Pi4jSpiDevice}). */
    public static final String PI4J = "pi4j";
    /** The kind used when none is given. */
    public static final String DEFAULT_KIND = SPIDEV;

    private SpiDevices() {
    }

    /**
     * Opens the SPI device {@code /dev/spidev<bus>.<cs>} at {@code hz}. For {@value #PI4J} the
     * device comes from {@code board}'s context, which must then not be {@code null}.
     *
     * @param kind {@value #SPIDEV}, {@value #PI4J}, or {@code null}/empty for {@link #DEFAULT_KIND}
     * @throws IllegalArgumentException for an unknown kind, a missing board, or a clock outside
     *     8..20 MHz (see {@link SpiClock})
     * @throws IOException if the spidev node cannot be opened or set up (one clear line)
     */
    public static CloseableSpiDevice open(String kind, int bus, int cs, int hz, Pi4jBoard board)
            throws IOException {
        final String k = kind == null || kind.isBlank() ? DEFAULT_KIND : kind.trim().toLowerCase(Locale.ROOT);
        SpiClock.require(hz);
        return switch (k) {
            case SPIDEV -> new SpidevSpiDevice(bus, cs, hz);
            case PI4J -> {
                if (board == null) {
                    throw new IllegalArgumentException("SPI kind \"pi4j\" needs a Pi4J board (context)");
                }
                yield pi4j(board, bus, cs, hz);
            }
            default -> throw new IllegalArgumentException(
                    "unknown SPI kind \"" + kind + "\": use \"" + SPIDEV + "\" or \"" + PI4J + "\"");
        };
    }

    /**
     * As {@link #open(String, int, int, int, Pi4jBoard)}; for {@value #PI4J} a private Pi4J
     * context with the real providers is built and shut down when the device is closed.
     */
    public static CloseableSpiDevice open(String kind, int bus, int cs, int hz) throws IOException {
        final String k = kind == null || kind.isBlank() ? DEFAULT_KIND : kind.trim().toLowerCase(Locale.ROOT);
        if (!PI4J.equals(k)) {
            return open(k, bus, cs, hz, null);
        }
        SpiClock.require(hz);
        final Pi4jBoard board = Pi4jBoard.open();
        try {
            return new OwningDevice(pi4j(board, bus, cs, hz), board);
        } catch (IOException | RuntimeException e) {
            board.close();
            throw e;
        }
    }

    /**
     * Pi4J's linuxfs reports a missing node as a bare {@code RuntimeException("Failed to open SPI
     * device ...")}; give it the same one clear line as {@link SpidevSpiDevice}.
     */
    private static Pi4jSpiDevice pi4j(Pi4jBoard board, int bus, int cs, int hz) throws IOException {
        try {
            return board.spi(bus, cs, hz);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            final String path = SpidevSpiDevice.devicePath(bus, cs);
            if (!Files.exists(Path.of(path))) {
                throw new IOException(SpidevSpiDevice.openFailure(
                        path, "No such file or directory", SpidevSpiDevice.ENOENT), e);
            }
            throw new IOException(path + ": Pi4J could not open it: " + e.getMessage(), e);
        }
    }

    /** A device that also closes the board it came from. */
    private static final class OwningDevice implements CloseableSpiDevice {
        private final CloseableSpiDevice device;
        private final Pi4jBoard board;

        OwningDevice(CloseableSpiDevice device, Pi4jBoard board) {
            this.device = Objects.requireNonNull(device);
            this.board = board;
        }

        @Override
        public int transfer(byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
            return device.transfer(tx, txOff, rx, rxOff, len);
        }

        @Override
        public int clockHz() {
            return device.clockHz();
        }

        @Override
        public int clockHz(int requestedHz) {
            return device.clockHz(requestedHz);
        }

        @Override
        public io.ethling.hal.Counters counters() {
            return device.counters();
        }

        @Override
        public void close() {
            try {
                device.close();
            } finally {
                board.close();
            }
        }
    }
}
