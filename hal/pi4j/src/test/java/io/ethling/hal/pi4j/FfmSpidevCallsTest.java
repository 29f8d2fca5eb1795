package io.ethling.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.Arrays;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The real FFM downcalls, on nodes that exist on every Linux machine and are not SPI. */
class FfmSpidevCallsTest {

    private static final int ENOENT = 2;
    private static final int ENOTTY = 25;

    @Test
    void missingSpidevNodeGivesTheClearIoException() {
        assumeFalse(Files.exists(Path.of("/dev/spidev0.0")),
                "/dev/spidev0.0 exists (a real Pi?): not touching real SPI hardware from a unit test");
        assumeFalse(Files.exists(Path.of("/dev/spidev9.9")), "/dev/spidev9.9 unexpectedly exists");
        IOException e = assertThrows(IOException.class, () -> new SpidevSpiDevice(9, 9, 12_000_000));
        assertEquals("/dev/spidev9.9: No such file or directory — enable SPI with raspi-config"
                + " (dtparam=spi=on) and make sure the enc28j60 overlay is not loaded", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void clockIsCheckedBeforeTheDeviceIsOpened() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SpidevSpiDevice(9, 9, 1_000_000));
        assertTrue(e.getMessage().contains("errata #1"), e.getMessage());
    }

    @Test
    void aNodeThatIsNotSpidevFailsTheModeIoctlWithErrno() {
        // /dev/null opens fine but knows no SPI ioctl: the real ioctl downcall and errno capture.
        IOException e = assertThrows(IOException.class, () -> new SpidevSpiDevice("/dev/null", 12_000_000));
        assertEquals("/dev/null: SPI_IOC_WR_MODE32 (mode 0) failed: Inappropriate ioctl for device"
                + " — not a spidev device?", e.getMessage());
    }

    @Test
    void openAndCloseReportErrno() {
        FfmSpidevCalls calls = new FfmSpidevCalls();
        assertEquals(-1, calls.open("/nonexistent/ethling/spidev", SpidevSpiDevice.O_RDWR));
        assertEquals(ENOENT, calls.errno());
        assertEquals("No such file or directory", calls.strerror(ENOENT));
        int fd = calls.open("/dev/null", SpidevSpiDevice.O_RDWR | SpidevSpiDevice.O_CLOEXEC);
        assertTrue(fd >= 0, "fd " + fd);
        assertEquals(0, calls.close(fd));
        assertEquals(-1, calls.close(fd), "second close of the same fd");
        assertEquals(9, calls.errno(), "EBADF");
    }

    @Test
    void realIoctlDowncallAllocatesNothingOnceCompiled() {
        FfmSpidevCalls calls = new FfmSpidevCalls();
        int fd = calls.open("/dev/null", SpidevSpiDevice.O_RDWR | SpidevSpiDevice.O_CLOEXEC);
        assertTrue(fd >= 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xfer = arena.allocate(32, 8);
            final int[] enotty = new int[1];
            long[] rounds = AllocationProbe.rounds(n -> enotty[0] += loop(calls, fd, xfer, n), 10_000, 200, 3);
            assertTrue(AllocationProbe.endsWithZeros(rounds, 3),
                    "bytes allocated per round of 10,000 ioctl downcalls: " + Arrays.toString(rounds));
            assertEquals(rounds.length * 10_000, enotty[0], "every SPI ioctl on /dev/null fails with ENOTTY");
        } finally {
            calls.close(fd);
        }
    }

    @Test
    void deviceOnTheRealDowncallCountsErrnoAndAllocatesNothingOnceCompiled() throws IOException {
        // Real FFM open and transfer ioctl on /dev/null; only the set-up ioctls are answered here,
        // because /dev/null refuses them. Every transfer then fails with ENOTTY, as a device whose
        // SPI controller went away would fail, and must not allocate doing so.
        FfmSpidevCalls real = new FfmSpidevCalls();
        SpidevCalls setupOk = new SpidevCalls() {
            @Override
            public int open(String path, int flags) {
                return real.open(path, flags);
            }

            @Override
            public int ioctl(int fd, long request, MemorySegment arg) {
                if (request == SpidevSpiDevice.SPI_IOC_MESSAGE_1) {
                    return real.ioctl(fd, request, arg);
                }
                if (request == SpidevSpiDevice.SPI_IOC_RD_MODE32) {
                    arg.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 0);
                }
                return 0;
            }

            @Override
            public int close(int fd) {
                return real.close(fd);
            }

            @Override
            public int errno() {
                return real.errno();
            }

            @Override
            public String strerror(int errno) {
                return real.strerror(errno);
            }
        };
        try (SpidevSpiDevice spi = new SpidevSpiDevice("/dev/null", 12_000_000, setupOk)) {
            final byte[] tx = new byte[1518];
            final byte[] rx = new byte[1518];
            assertEquals(io.ethling.hal.SpiDevice.ERR_IO, spi.transfer(tx, 0, rx, 0, 2));
            assertEquals(ENOTTY, spi.lastErrno());
            long[] rounds = AllocationProbe.rounds(n -> {
                for (int i = 0; i < n; i++) {
                    spi.transfer(tx, 0, (i & 1) == 0 ? rx : null, 0, 1 + (i & 1023));
                }
            }, 10_000, 200, 3);
            assertTrue(AllocationProbe.endsWithZeros(rounds, 3),
                    "bytes allocated per round of 10,000 transfers: " + Arrays.toString(rounds));
            assertEquals(1 + rounds.length * 10_000L, spi.counters().value("spi.err.ioctl"));
            assertEquals(0, spi.counters().value("spi.transfers"));
        }
    }

    private static int loop(FfmSpidevCalls calls, int fd, MemorySegment xfer, int n) {
        int enotty = 0;
        for (int i = 0; i < n; i++) {
            if (calls.ioctl(fd, SpidevSpiDevice.SPI_IOC_MESSAGE_1, xfer) == -1 && calls.errno() == ENOTTY) {
                enotty++;
            }
        }
        return enotty;
    }
}
