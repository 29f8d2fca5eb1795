package io.ethling.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ethling.hal.SpiDevice;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpidevSpiDeviceTest {

    private static final long SEED = Long.getLong("ethling.seed", 0x5EED_2026L);

    private static SpidevSpiDevice open(FakeSpidev fake, int hz) throws IOException {
        return new SpidevSpiDevice("/dev/spidev0.0", hz, fake);
    }

    @Test
    void ioctlNumbersMatchTheKernelFormula() {
        assertEquals(0x40206B00L, FakeSpidev.ioc(1, 0, 32));
        assertEquals(FakeSpidev.ioc(1, 0, 32), SpidevSpiDevice.SPI_IOC_MESSAGE_1);
        assertEquals(FakeSpidev.ioc(1, 5, 4), SpidevSpiDevice.SPI_IOC_WR_MODE32);
        assertEquals(FakeSpidev.ioc(2, 5, 4), SpidevSpiDevice.SPI_IOC_RD_MODE32);
        assertEquals(FakeSpidev.ioc(1, 3, 1), SpidevSpiDevice.SPI_IOC_WR_BITS_PER_WORD);
        assertEquals(FakeSpidev.ioc(1, 4, 4), SpidevSpiDevice.SPI_IOC_WR_MAX_SPEED_HZ);
    }

    @Test
    void openSetsModeZeroEightBitsAndTheClock() throws IOException {
        FakeSpidev fake = new FakeSpidev();
        fake.mode = 3; // left in mode 3 by another program: must be overwritten, not ORed
        try (SpidevSpiDevice spi = open(fake, 12_000_000)) {
            assertEquals("/dev/spidev0.0", fake.openedPath);
            assertEquals(0x2 | 0x80000, fake.openFlags, "O_RDWR | O_CLOEXEC");
            assertEquals(0, fake.mode);
            assertEquals(8, fake.bitsPerWord);
            assertEquals(12_000_000, fake.maxSpeedHz);
            assertEquals(12_000_000, spi.clockHz());
            assertEquals(0, fake.wrongRequests);
            // Order: mode, mode read-back, bits, speed.
            assertEquals(4, fake.settings);
            assertEquals(SpidevSpiDevice.SPI_IOC_WR_MODE32, fake.settingRequests[0]);
            assertEquals(SpidevSpiDevice.SPI_IOC_RD_MODE32, fake.settingRequests[1]);
            assertEquals(SpidevSpiDevice.SPI_IOC_WR_BITS_PER_WORD, fake.settingRequests[2]);
            assertEquals(SpidevSpiDevice.SPI_IOC_WR_MAX_SPEED_HZ, fake.settingRequests[3]);
        }
        assertEquals(1, fake.closes);
    }

    @Test
    void transferFillsTheStructAndCopiesBothWays() throws IOException {
        final Random rnd = new Random(SEED);
        FakeSpidev fake = new FakeSpidev();
        rnd.nextBytes(fake.response);
        try (SpidevSpiDevice spi = open(fake, 16_000_000)) {
            byte[] tx = new byte[100];
            byte[] rx = new byte[100];
            rnd.nextBytes(tx);
            Arrays.fill(rx, (byte) 0x77);
            assertEquals(60, spi.transfer(tx, 7, rx, 30, 60), "seed " + SEED);
            assertEquals(1, fake.messages);
            assertEquals(60, fake.lastLen);
            assertEquals(16_000_000, fake.lastSpeedHz);
            assertEquals(8, fake.lastBitsPerWord);
            assertEquals(0, fake.lastDelayUsecs);
            assertEquals(0, fake.lastCsChange, "CS released at the end of the instruction");
            assertEquals(0, fake.lastTxNbits);
            assertEquals(0, fake.lastRxNbits);
            assertEquals(0, fake.lastWordDelay);
            assertNotEquals(0L, fake.lastTxBuf);
            assertNotEquals(0L, fake.lastRxBuf);
            assertNotEquals(fake.lastTxBuf, fake.lastRxBuf);
            assertArrayEquals(Arrays.copyOfRange(tx, 7, 67), Arrays.copyOf(fake.lastTx, 60), "seed " + SEED);
            assertArrayEquals(Arrays.copyOf(fake.response, 60), Arrays.copyOfRange(rx, 30, 90), "seed " + SEED);
            for (int i = 0; i < 30; i++) {
                assertEquals(0x77, rx[i], "rx before rxOff untouched");
            }
            for (int i = 90; i < 100; i++) {
                assertEquals(0x77, rx[i], "rx after the transfer untouched");
            }
            assertEquals(1, spi.counters().value("spi.transfers"));
            assertEquals(60, spi.counters().value("spi.bytes"));
        }
    }

    @Test
    void inPlaceTransferAndNullBuffers() throws IOException {
        FakeSpidev fake = new FakeSpidev();
        for (int i = 0; i < fake.response.length; i++) {
            fake.response[i] = (byte) (0xA0 + i);
        }
        try (SpidevSpiDevice spi = open(fake, 12_000_000)) {
            byte[] buf = {0x3A, 0x00, 0x00, 0x00};
            assertEquals(4, spi.transfer(buf, 0, buf, 0, 4));
            assertArrayEquals(new byte[] {0x3A, 0, 0, 0}, Arrays.copyOf(fake.lastTx, 4));
            assertArrayEquals(new byte[] {(byte) 0xA0, (byte) 0xA1, (byte) 0xA2, (byte) 0xA3}, buf);

            // rx == null: the kernel is told to discard (rx_buf = 0), nothing is copied.
            assertEquals(3, spi.transfer(new byte[] {1, 2, 3}, 0, null, 0, 3));
            assertEquals(0L, fake.lastRxBuf);
            assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(fake.lastTx, 3));

            // tx == null: tx_buf = 0, spidev clocks out zeros.
            byte[] rx = new byte[2];
            assertEquals(2, spi.transfer(null, 0, rx, 0, 2));
            assertEquals(0L, fake.lastTxBuf);
            assertArrayEquals(new byte[] {(byte) 0xA0, (byte) 0xA1}, rx);

            assertEquals(0, spi.transfer(buf, 0, buf, 0, 0), "empty transfer: no ioctl");
            assertEquals(3, fake.messages);
        }
    }

    @Test
    void ioctlFailureIsCountedAndReturnsErrIo() throws IOException {
        FakeSpidev fake = new FakeSpidev();
        Arrays.fill(fake.response, (byte) 0x11);
        try (SpidevSpiDevice spi = open(fake, 12_000_000)) {
            byte[] rx = new byte[8];
            fake.nextFailErrno = 5; // EIO
            assertEquals(SpiDevice.ERR_IO, spi.transfer(new byte[8], 0, rx, 0, 8));
            assertEquals(5, spi.lastErrno());
            assertEquals(1, spi.counters().value("spi.err.ioctl"));
            assertEquals(0, spi.counters().value("spi.transfers"));
            assertArrayEquals(new byte[8], rx, "nothing copied back after a failure");
            // The next one works again.
            assertEquals(8, spi.transfer(new byte[8], 0, rx, 0, 8));
            assertEquals(0x11, rx[0]);
            // A short count is a failure too.
            fake.shortBy = 1;
            assertEquals(SpiDevice.ERR_IO, spi.transfer(new byte[8], 0, rx, 0, 8));
            assertEquals(1, spi.counters().value("spi.err.short"));
        }
    }

    @Test
    void transfersLongerThanBufsizAreRefusedBeforeTheIoctl() throws IOException {
        FakeSpidev fake = new FakeSpidev();
        try (SpidevSpiDevice spi = open(fake, 12_000_000)) {
            byte[] big = new byte[5000];
            assertEquals(4096, spi.transfer(big, 0, big, 0, 4096), "4096 fits");
            assertEquals(SpiDevice.ERR_IO, spi.transfer(big, 0, big, 0, 4097));
            assertEquals(SpiDevice.ERR_IO, spi.transfer(big, 0, big, 0, -1));
            assertEquals(1, fake.messages, "no ioctl for refused lengths");
            assertEquals(2, spi.counters().value("spi.err.too_long"));
        }
    }

    @Test
    void boundsErrorsAreProgrammingErrors() throws IOException {
        FakeSpidev fake = new FakeSpidev();
        try (SpidevSpiDevice spi = open(fake, 12_000_000)) {
            assertThrows(IndexOutOfBoundsException.class, () -> spi.transfer(new byte[4], 2, null, 0, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> spi.transfer(new byte[4], 0, new byte[3], 0, 4));
            assertEquals(0, fake.messages);
        }
    }

    @Test
    void clockRulesAreEnforced() throws IOException {
        FakeSpidev fake = new FakeSpidev();
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> open(fake, 7_999_999));
        assertTrue(low.getMessage().contains("7999999") && low.getMessage().contains("errata #1")
                && low.getMessage().contains("DS80349C"), low.getMessage());
        assertFalse(low.getMessage().contains("\n"));
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> open(fake, 20_000_001));
        assertTrue(high.getMessage().contains("20000001"), high.getMessage());
        assertEquals(null, fake.openedPath, "refused before opening anything");

        try (SpidevSpiDevice spi = open(fake, SpiClock.MIN_HZ)) {
            assertEquals(8_000_000, spi.clockHz());
            assertEquals(20_000_000, spi.clockHz(20_000_000));
            assertEquals(20_000_000, fake.maxSpeedHz);
            spi.transfer(new byte[1], 0, null, 0, 1);
            assertEquals(20_000_000, fake.lastSpeedHz, "speed_hz follows the clock");
            assertThrows(IllegalArgumentException.class, () -> spi.clockHz(4_000_000));
            assertEquals(20_000_000, spi.clockHz());
            // A failing speed ioctl keeps the old clock.
            fake.failRequest = SpidevSpiDevice.SPI_IOC_WR_MAX_SPEED_HZ;
            fake.settingErrno = 22;
            assertEquals(20_000_000, spi.clockHz(10_000_000));
            assertEquals(22, spi.lastErrno());
        }
    }

    @Test
    void csHoldGoesIntoDelayUsecs() throws IOException {
        FakeSpidev fake = new FakeSpidev();
        try (SpidevSpiDevice spi = open(fake, 12_000_000)) {
            spi.csHoldMicros(1);
            spi.transfer(new byte[2], 0, new byte[2], 0, 2);
            assertEquals(1, fake.lastDelayUsecs);
            assertEquals(8, fake.lastBitsPerWord, "neighbouring fields intact");
            assertEquals(0, fake.lastCsChange);
            assertThrows(IllegalArgumentException.class, () -> spi.csHoldMicros(-1));
        }
    }

    @Test
    void missingDeviceGivesOneClearLine() {
        FakeSpidev fake = new FakeSpidev();
        fake.openErrno = 2;
        IOException e = assertThrows(IOException.class, () -> open(fake, 12_000_000));
        assertEquals("/dev/spidev0.0: No such file or directory — enable SPI with raspi-config"
                + " (dtparam=spi=on) and make sure the enc28j60 overlay is not loaded", e.getMessage());
        fake.openErrno = 13;
        e = assertThrows(IOException.class, () -> open(fake, 12_000_000));
        assertTrue(e.getMessage().startsWith("/dev/spidev0.0: Permission denied — "), e.getMessage());
        assertTrue(e.getMessage().contains("group spi"), e.getMessage());
    }

    @Test
    void failedSetupClosesTheDescriptor() {
        FakeSpidev fake = new FakeSpidev();
        fake.failRequest = SpidevSpiDevice.SPI_IOC_WR_BITS_PER_WORD;
        fake.settingErrno = 22;
        IOException e = assertThrows(IOException.class, () -> open(fake, 12_000_000));
        assertEquals("/dev/spidev0.0: SPI_IOC_WR_BITS_PER_WORD (8) failed: Invalid argument", e.getMessage());
        assertEquals(1, fake.closes);
    }

    @Test
    void modeThatDoesNotReadBackAsZeroIsRefused() {
        FakeSpidev fake = new FakeSpidev();
        fake.modeReadback = 0x08; // SPI_LSB_FIRST stuck
        IOException e = assertThrows(IOException.class, () -> open(fake, 12_000_000));
        assertTrue(e.getMessage().contains("0x8"), e.getMessage());
        assertEquals(1, fake.closes);
        // Bits outside CPHA/CPOL/CS_HIGH/LSB_FIRST that the kernel keeps are fine.
        FakeSpidev ok = new FakeSpidev();
        ok.modeReadback = 0x800;
        try (SpidevSpiDevice spi = assertDoesNotThrowOpen(ok)) {
            assertEquals(12_000_000, spi.clockHz());
        }
    }

    private static SpidevSpiDevice assertDoesNotThrowOpen(FakeSpidev fake) {
        try {
            return open(fake, 12_000_000);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void closedDeviceRefusesAndCounts() throws IOException {
        FakeSpidev fake = new FakeSpidev();
        SpidevSpiDevice spi = open(fake, 12_000_000);
        spi.close();
        spi.close();
        assertEquals(1, fake.closes, "close is idempotent");
        assertEquals(SpiDevice.ERR_IO, spi.transfer(new byte[1], 0, new byte[1], 0, 1));
        assertEquals(1, spi.counters().value("spi.err.closed"));
        assertEquals(12_000_000, spi.clockHz(16_000_000), "no clock change on a closed device");
        spi.csHoldMicros(1); // no effect, no failure
    }

    @Test
    void zeroBytesAllocatedPerTransferAfterWarmUp() throws IOException {
        final Random rnd = new Random(SEED);
        FakeSpidev fake = new FakeSpidev();
        rnd.nextBytes(fake.response);
        // A realistic mix: 2-byte register ops, 7-byte RBM headers, full frames, in place, rx-less.
        final int[] lens = new int[256];
        final int[] offs = new int[256];
        for (int i = 0; i < lens.length; i++) {
            lens[i] = switch (i % 4) {
                case 0 -> 2;
                case 1 -> 7;
                case 2 -> 1 + rnd.nextInt(1519);
                default -> 1 + rnd.nextInt(64);
            };
            offs[i] = rnd.nextInt(16);
        }
        final byte[] tx = new byte[1600];
        final byte[] rx = new byte[1600];
        rnd.nextBytes(tx);
        try (SpidevSpiDevice spi = open(fake, 12_000_000)) {
            final long[] sum = new long[1];
            // Rounds of 10,000 until three in a row allocate nothing: the steady state after the
            // JIT has compiled the path (an interpreted or freshly compiled loop may allocate a
            // little while it is being compiled, which is warm-up, not the data path).
            long[] rounds = AllocationProbe.rounds(n -> sum[0] += run(spi, tx, rx, lens, offs, n), 10_000, 200, 3);
            assertTrue(AllocationProbe.endsWithZeros(rounds, 3), "bytes allocated per round of 10,000"
                    + " transfers: " + Arrays.toString(rounds) + " (seed " + SEED + ")");
            assertEquals(rounds.length * 10_000L, spi.counters().value("spi.transfers"));
            assertTrue(sum[0] > 0);
            // The last transfer's bytes really went through.
            final int last = (10_000 - 1) & 255;
            assertEquals(lens[last], fake.lastLen);
        }
    }

    private static long run(SpidevSpiDevice spi, byte[] tx, byte[] rx, int[] lens, int[] offs, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            final int k = i & 255;
            final int r;
            if ((i & 7) == 3) {
                r = spi.transfer(tx, offs[k], null, 0, lens[k]);
            } else if ((i & 7) == 5) {
                r = spi.transfer(rx, offs[k], rx, offs[k], lens[k]);
            } else {
                r = spi.transfer(tx, offs[k], rx, offs[k], lens[k]);
            }
            sum += r;
        }
        return sum;
    }

    @Test
    void resetModeWritesModeZeroAndCloses() {
        FakeSpidev fake = new FakeSpidev();
        fake.mode = 3;
        assertTrue(SpidevSpiDevice.resetMode("/dev/spidev0.0", fake));
        assertEquals(0, fake.mode);
        assertEquals(1, fake.settings);
        assertEquals(SpidevSpiDevice.SPI_IOC_WR_MODE32, fake.settingRequests[0]);
        assertEquals(1, fake.closes);

        FakeSpidev missing = new FakeSpidev();
        missing.openErrno = 2;
        assertFalse(SpidevSpiDevice.resetMode("/dev/spidev0.0", missing));
        assertEquals(0, missing.closes);

        FakeSpidev refusing = new FakeSpidev();
        refusing.failRequest = SpidevSpiDevice.SPI_IOC_WR_MODE32;
        refusing.settingErrno = 25;
        assertFalse(SpidevSpiDevice.resetMode("/dev/spidev0.0", refusing));
        assertEquals(1, refusing.closes);
    }
}
