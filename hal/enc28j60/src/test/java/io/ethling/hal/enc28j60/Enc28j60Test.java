package io.ethling.hal.enc28j60;

import static org.junit.jupiter.api.Assertions.*;

import io.ethling.hal.EthernetDevice;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Enc28j60Test {

    static final long MAC = 0x02_11_22_33_44_55L;

    FakeChip chip;
    FakeChip.VClock clock;
    Enc28j60 drv;

    static Enc28j60Config config() {
        return new Enc28j60Config().macAddress(MAC).tuneSpiClock(false).supervisorIntervalNs(10_000_000_000L);
    }

    @BeforeEach
    void setUp() {
        chip = new FakeChip();
        clock = new FakeChip.VClock();
    }

    Enc28j60 start(Enc28j60Config cfg, boolean withInt) {
        drv = withInt ? new Enc28j60(chip, chip.intPin, null, clock, cfg) : new Enc28j60(chip, clock, cfg);
        assertEquals(EthernetDevice.OK, drv.init(), "init");
        assertEquals(0, chip.misuse, () -> "misuse: " + chip.misuseLines);
        chip.clearLog();
        return drv;
    }

    long c(String name) {
        return drv.counters().value(name);
    }

    static byte[] frame(int len, int seed) {
        byte[] f = new byte[len];
        new Random(seed).nextBytes(f);
        return f;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ init

    @Test
    void initProgramsMacInTheChipsOddRegisterOrder() {
        start(config(), false);
        // §2.5: 0x04 <- octet 0, 0x05 <- 1, 0x02 <- 2, 0x03 <- 3, 0x00 <- 4, 0x01 <- 5
        int[] r = chip.regs[3];
        assertEquals(0x02, r[0x04]);
        assertEquals(0x11, r[0x05]);
        assertEquals(0x22, r[0x02]);
        assertEquals(0x33, r[0x03]);
        assertEquals(0x44, r[0x00]);
        assertEquals(0x55, r[0x01]);
        assertEquals(MAC, chip.mac());
        assertEquals(MAC, drv.macAddress());
    }

    @Test
    void initRegisterValuesHalfDuplex() {
        start(config(), false);
        assertEquals(0, chip.erxst(), "ERXST = 0 (errata #5)");
        assertEquals(0x19FF, chip.erxnd());
        assertEquals(0x19FF, chip.erxrdpt(), "ERXRDPT odd = ERXND (errata #14)");
        assertEquals(0x1A00, chip.p16(0, 0x04), "ETXST");
        assertEquals(0xA1, chip.regs[1][0x18], "ERXFCON unicast|CRC|broadcast");
        assertEquals(0x01, chip.regs[2][0x00], "MACON1 MARXEN");
        assertEquals(0x32, chip.regs[2][0x02], "MACON3 PADCFG0|TXCRCEN|FRMLNEN");
        assertEquals(0x40, chip.regs[2][0x03], "MACON4 DEFER");
        assertEquals(1518, chip.p16(2, 0x0A), "MAMXFL");
        assertEquals(0x12, chip.regs[2][0x04], "MABBIPG half");
        assertEquals(0x12, chip.regs[2][0x06]);
        assertEquals(0x0C, chip.regs[2][0x07]);
        assertEquals(0x0000, chip.phy[0x00], "PHCON1 PDPXMD programmed (errata #16)");
        assertEquals(0x0100, chip.phy[0x10], "PHCON2 HDLDIS (errata #9)");
        assertEquals(0x0012, chip.phy[0x12], "PHIE");
        assertEquals(0x3000, chip.phy[0x14] & 0x3000, "PHLCON reserved bits written as 1");
        assertNotEquals(0xE, (chip.phy[0x14] >> 4) & 0xF, "no duplex+collision LED mode (errata #11)");
        assertEquals(0xDB, chip.common(0x1B), "EIE");
        assertEquals(0x04, chip.common(0x1F) & 0x04, "RXEN");
        assertEquals(0x80, chip.common(0x1E), "ECON2 AUTOINC");
        assertEquals(6, drv.revision());
        assertTrue(drv.linkUp());
    }

    @Test
    void initFullDuplexAndMulticast() {
        start(config().fullDuplex(true).multicast(true).rxBufferEnd(0x0FFF), false);
        assertEquals(0x0100, chip.phy[0x00], "PDPXMD");
        assertEquals(0x0000, chip.phy[0x10]);
        assertEquals(0x33, chip.regs[2][0x02]);
        assertEquals(0x0D, chip.regs[2][0x00]);
        assertEquals(0x15, chip.regs[2][0x04]);
        assertEquals(0x00, chip.regs[2][0x03]);
        assertEquals(0xA3, chip.regs[1][0x18]);
        assertEquals(0x0FFF, chip.erxnd());
        assertEquals(0x1000, chip.p16(0, 0x04));
    }

    @Test
    void initClearsPwrsvBeforeSoftReset() {
        chip.setCommon(0x1E, 0xA0); // PWRSV set: SRC would be ignored (errata #19)
        chip.regs[3][0x12] = 6;
        start(config(), false);
        assertEquals(0, chip.misuse);
        assertEquals(0x04, chip.common(0x1F) & 0x04);
    }

    @Test
    void initWaitsAfterSoftResetWithoutPollingClkrdy() {
        drv = new Enc28j60(chip, clock, config());
        chip.clearLog();
        assertEquals(EthernetDevice.OK, drv.init());
        int src = -1;
        for (int i = 0; i < chip.log.size(); i++) {
            if (chip.log.get(i)[0] == (byte) 0xFF) {
                src = i;
                break;
            }
        }
        assertTrue(src >= 0, "SRC sent");
        assertTrue(clock.slept >= 1_000_000L, "waited >= 1 ms after SRC (errata #2)");
    }

    @Test
    void absentChipAllZeroOrAllOnesIsErrDeviceWithoutBusyLoop() {
        for (int v : new int[] {0x00, 0xFF}) {
            chip = new FakeChip();
            clock = new FakeChip.VClock();
            chip.stuck = v;
            drv = new Enc28j60(chip, clock, config());
            assertEquals(EthernetDevice.ERR_DEVICE, drv.init(), "stuck 0x" + Integer.toHexString(v));
            assertTrue(chip.transactions < 20, "bounded SPI work, was " + chip.transactions);
            assertTrue(clock.slept < 10_000_000L, "bounded waiting, was " + clock.slept);
            assertFalse(drv.linkUp());
            assertEquals(1, c("chip.absent"));
            long retry = drv.pollAtNs(clock.now);
            long delay1 = retry - clock.now;
            assertTrue(delay1 > 0, "retry is scheduled in the future");
            assertEquals(0, drv.poll(clock.now), "no retry before the back-off");
            assertEquals(EthernetDevice.ERR_DEVICE, drv.receive(new byte[1514], 0, 1514));
            assertEquals(EthernetDevice.ERR_DEVICE, drv.transmit(new byte[60], 0, 60));
            // back-off grows
            clock.now = retry;
            drv.poll(clock.now);
            long retry2 = drv.pollAtNs(clock.now);
            long delay2 = retry2 - clock.now;
            assertTrue(delay2 >= 2 * delay1, "back-off doubles: " + delay1 + " then " + delay2);
            assertTrue(c("chip.absent") >= 2);
            // bus comes back
            chip.stuck = -1;
            clock.now = retry2;
            drv.poll(clock.now);
            assertTrue(drv.linkUp(), "recovered when the bus came back");
            assertEquals(MAC, chip.mac());
        }
    }

    // ------------------------------------------------------------------ receive

    @Test
    void receiveExactTransactionSequence() {
        start(config(), true);
        byte[] f = frame(60, 1);
        assertTrue(chip.receive(f));
        byte[] dst = new byte[1514];
        assertEquals(60, drv.receive(dst, 0, dst.length));
        assertArrayEquals(f, Arrays.copyOf(dst, 60));
        // RCR ERXWRPTL; RBM header; RBM 64 bytes; WCR ERXRDPTL; WCR ERXRDPTH; BFS ECON2 PKTDEC
        assertEquals(6, chip.log.size(), () -> chip.log.stream().map(Enc28j60Test::hex).toList().toString());
        assertEquals("0e00", hex(chip.log.get(0)));
        assertEquals(7, chip.log.get(1).length);
        assertEquals(0x3A, chip.log.get(1)[0] & 0xFF);
        assertEquals(65, chip.log.get(2).length);
        assertEquals(0x3A, chip.log.get(2)[0] & 0xFF);
        int next = 6 + 64;
        assertEquals(hex(new byte[] {0x4C, (byte) (next - 1)}), hex(chip.log.get(3)));
        assertEquals(hex(new byte[] {0x4D, 0x00}), hex(chip.log.get(4)));
        assertEquals("9e40", hex(chip.log.get(5)));
        assertEquals(next - 1, chip.erxrdpt());
        assertEquals(0, chip.epktcnt());
        assertEquals(64 + 16, chip.bytes, "len+16 bytes, len = RSV byte count 64 incl. FCS");
        assertEquals(1, c("rx.frames"));
        assertEquals(60, c("rx.bytes"));
        assertEquals(0, drv.receive(dst, 0, dst.length));
        assertEquals(0, chip.misuse);
    }

    @Test
    void withoutIntPinReceiveConfirmsEcon1BeforeTrustingTheRing() {
        start(config(), false);
        chip.receive(frame(60, 1));
        byte[] dst = new byte[1514];
        assertEquals(60, drv.receive(dst, 0, dst.length));
        assertEquals("1f00", hex(chip.log.get(0)), "RCR ECON1 first");
        assertEquals("0e00", hex(chip.log.get(1)));
        assertEquals(7, chip.log.size());
        // a reset chip: ERXWRPT = 0 and stale bytes in the ring must not become frames
        chip.receive(frame(61, 2));
        chip.softReset();
        clock.now += 2 * Enc28j60.POLL_INTERVAL_NS;
        assertEquals(0, drv.receive(dst, 0, dst.length));
        assertEquals(1, c("rx.frames"));
        assertEquals(EthernetDevice.ERR_DEVICE, drv.transmit(dst, 0, 60), "no TXRTS on a reset chip");
        assertEquals(0, chip.common(0x1F) & 0x08);
        drv.poll(clock.now + 2 * Enc28j60.POLL_INTERVAL_NS);
        assertEquals(1, c("chip.reinit"));
        assertEquals(MAC, chip.mac());
    }

    @Test
    void receiveWithIntPinIdleCostsNoSpi() {
        start(config(), true);
        byte[] dst = new byte[1514];
        assertEquals(0, drv.receive(dst, 0, dst.length));
        assertEquals(0, drv.poll(clock.now));
        assertEquals(0, chip.transactions);
        chip.receive(frame(100, 2));
        assertTrue(drv.interruptPending());
        assertEquals(clock.now, drv.pollAtNs(clock.now));
        drv.poll(clock.now);
        assertEquals(100, drv.receive(dst, 0, dst.length));
        assertEquals(0, drv.receive(dst, 0, dst.length));
        assertEquals(6, chip.transactions);
        assertFalse(drv.interruptPending());
    }

    @Test
    void oddLengthFramesAndRingWrapAround() {
        start(config(), false);
        byte[] dst = new byte[1514];
        Random rnd = new Random(42);
        long total = 0;
        for (int i = 0; i < 300; i++) {
            int len = 60 + rnd.nextInt(1455);
            byte[] f = frame(len, i);
            assertTrue(chip.receive(f), "stored " + i);
            int n = drv.receive(dst, 0, dst.length);
            assertEquals(len, n, "frame " + i);
            assertArrayEquals(f, Arrays.copyOf(dst, n), "frame " + i);
            total += 6 + len + 4 + ((len + 4) & 1);
        }
        assertTrue(total > 3 * 0x1A00, "wrapped the ring several times");
        assertEquals(0, chip.misuse, () -> chip.misuseLines.toString());
        assertEquals(0, c("rx.reset"));
    }

    @Test
    void burstOfPacketsAllDelivered() {
        start(config(), false);
        byte[][] fs = new byte[12][];
        for (int i = 0; i < fs.length; i++) {
            fs[i] = frame(60 + i * 37, 100 + i);
            assertTrue(chip.receive(fs[i]));
        }
        byte[] dst = new byte[1514];
        for (byte[] f : fs) {
            int n = drv.receive(dst, 0, dst.length);
            assertArrayEquals(f, Arrays.copyOf(dst, n));
        }
        assertEquals(0, drv.receive(dst, 0, dst.length));
        assertEquals(0, chip.epktcnt());
    }

    @Test
    void badNextPointerResetsReceiveLogicAndDeliversNothing() {
        for (int fault = 0; fault < 3; fault++) {
            setUp();
            start(config(), false);
            byte[] f1 = frame(80, 7);
            chip.receive(f1);
            switch (fault) {
                case 0 -> chip.patch(0, 0, 0x51);                          // odd
                case 1 -> { chip.patch(0, 0, 0x00); chip.patch(0, 1, 0x1B); } // 0x1B00 outside the ring
                default -> chip.patch(0, 0, 0x60);                          // even, inside, inconsistent
            }
            chip.receive(frame(90, 8));
            byte[] dst = new byte[1514];
            assertEquals(0, drv.receive(dst, 0, dst.length), "fault " + fault);
            assertEquals(1, c("rx.reset"));
            assertEquals(1, c("rx.drop.nextptr"));
            assertEquals(0, c("rx.frames"));
            assertEquals(0, chip.epktcnt(), "EPKTCNT drained");
            assertEquals(0x04, chip.common(0x1F) & 0x04, "RXEN back on");
            assertEquals(0, chip.wrpt);
            assertEquals(0x19FF, chip.erxrdpt());
            // traffic resumes
            byte[] f3 = frame(61, 9);
            chip.receive(f3);
            assertEquals(61, drv.receive(dst, 0, dst.length));
            assertArrayEquals(f3, Arrays.copyOf(dst, 61));
            assertEquals(0, chip.misuse, () -> chip.misuseLines.toString());
        }
    }

    @Test
    void badStatusOrLengthDropsButAdvances() {
        String[] names = {"rx.drop.length", "rx.drop.length", "rx.drop.length", "rx.drop.status", "rx.drop.crc"};
        for (int fault = 0; fault < 5; fault++) {
            setUp();
            start(config(), false);
            byte[] bad = frame(200, 1);
            int rsv = switch (fault) {
                case 3 -> 0x0000;          // Received OK clear
                case 4 -> 0x0090;          // CRC error + OK
                default -> 0x0080;
            };
            chip.receive(bad, rsv);
            int count = switch (fault) {
                case 0 -> 0;
                case 1 -> 3;
                case 2 -> 1600;
                default -> 204;
            };
            chip.patch(0, 2, count & 0xFF);
            chip.patch(0, 3, count >> 8);
            byte[] good = frame(333, 2);
            chip.receive(good);
            byte[] dst = new byte[1514];
            assertEquals(333, drv.receive(dst, 0, dst.length), "fault " + fault);
            assertArrayEquals(good, Arrays.copyOf(dst, 333));
            assertEquals(1, c(names[fault]), "fault " + fault);
            assertEquals(0, c("rx.reset"));
            assertEquals(0, chip.epktcnt());
            assertEquals(0, drv.receive(dst, 0, dst.length));
        }
    }

    @Test
    void tooSmallCapDropsAndAdvances() {
        start(config(), false);
        chip.receive(frame(500, 1));
        byte[] f2 = frame(70, 2);
        chip.receive(f2);
        byte[] dst = new byte[100];
        assertEquals(EthernetDevice.ERR_TOO_SMALL, drv.receive(dst, 0, 100));
        assertEquals(1, c("rx.drop.toosmall"));
        assertEquals(70, drv.receive(dst, 0, 100));
        assertArrayEquals(f2, Arrays.copyOf(dst, 70));
    }

    @Test
    void phantomPacketCountIsReconciledAndNeverReadPastWritePointer() {
        start(config(), true);
        chip.regs[1][0x19] = 5; // EPKTCNT claims 5, the ring holds none (E10)
        assertTrue(drv.interruptPending());
        byte[] dst = new byte[1514];
        for (int i = 0; i < 5 && drv.interruptPending(); i++) {
            assertEquals(0, drv.receive(dst, 0, dst.length));
            drv.poll(clock.now);
        }
        assertEquals(0, chip.epktcnt());
        assertEquals(5, c("rx.phantom"));
        assertFalse(drv.interruptPending());
        assertEquals(0, c("rx.frames"));
        // no RBM was issued
        for (byte[] t : chip.log) {
            assertNotEquals(0x3A, t[0] & 0xFF, "read buffer memory with an empty ring");
        }
    }

    @Test
    void overflowFlagIsClearedAndCounted() {
        start(config(), false);
        chip.setCommon(0x1C, chip.common(0x1C) | 0x01);
        drv.poll(clock.now);
        assertEquals(1, c("rx.overflow"));
        assertEquals(0, chip.eir() & 0x01);
    }

    // ------------------------------------------------------------------ transmit

    @Test
    void transmitExactTransactionSequenceAndCompletion() {
        start(config(), false);
        byte[] f = frame(60, 5);
        assertEquals(EthernetDevice.OK, drv.transmit(f, 0, 60));
        assertEquals(1, chip.sent.size());
        assertArrayEquals(f, chip.sent.get(0));
        // RCR ECON1; WCR EWRPTL; WCR EWRPTH; WBM ctrl+frame; WCR ETXNDL; WCR ETXNDH; BFS ECON1 TXRTS
        assertEquals("1f00", hex(chip.log.get(0)));
        assertEquals("4200", hex(chip.log.get(1)));
        assertEquals("431a", hex(chip.log.get(2)));
        assertEquals(62, chip.log.get(3).length);
        assertEquals("7a00", hex(Arrays.copyOf(chip.log.get(3), 2)));
        assertEquals("463c", hex(chip.log.get(4)));
        assertEquals("471a", hex(chip.log.get(5)));
        assertEquals("9f08", hex(chip.log.get(6)));
        assertEquals(7, chip.log.size());
        chip.clearLog();
        // second frame, same size: completion check (RCR EIR, BFC TXIF) + RCR ECON1 + EWRPTL + WBM + TXRTS
        assertEquals(EthernetDevice.OK, drv.transmit(f, 0, 60));
        assertEquals(6, chip.transactions, () -> chip.log.stream().map(Enc28j60Test::hex).toList().toString());
        assertEquals(1, c("tx.frames"));
        drv.poll(clock.now);
        assertEquals(2, c("tx.frames"));
        assertEquals(120, c("tx.bytes"));
    }

    @Test
    void transmitRejectsBadLengthAndLinkDown() {
        start(config(), false);
        assertEquals(EthernetDevice.ERR_LENGTH, drv.transmit(new byte[13], 0, 13));
        assertEquals(EthernetDevice.ERR_LENGTH, drv.transmit(new byte[1515], 0, 1515));
        assertEquals(2, c("tx.drop.length"));
        chip.setLink(false);
        drv.poll(clock.now);
        assertFalse(drv.linkUp());
        assertEquals(1, c("link.down"));
        assertEquals(EthernetDevice.ERR_LINK_DOWN, drv.transmit(new byte[60], 0, 60));
        chip.setLink(true);
        drv.poll(clock.now);
        assertTrue(drv.linkUp());
        assertEquals(2, c("link.up"));
        assertEquals(0, chip.eir() & 0x10, "LINKIF cleared by reading PHIR");
    }

    @Test
    void busyWhileOnTheWireThenTimeoutCancelsAndResets() {
        start(config().txTimeoutNs(5_000_000L), true);
        chip.holdTx = true;
        assertEquals(EthernetDevice.OK, drv.transmit(frame(60, 1), 0, 60));
        assertEquals(EthernetDevice.ERR_BUSY, drv.transmit(frame(60, 2), 0, 60));
        assertEquals(1, c("tx.busy"));
        long at = drv.pollAtNs(clock.now);
        assertTrue(at - clock.now <= 5_000_001L);
        clock.now = at + 1;
        drv.poll(clock.now);
        assertEquals(1, c("tx.timeout"));
        assertEquals(1, c("tx.reset"));
        assertEquals(0, chip.common(0x1F) & 0x08, "TXRTS cancelled");
        chip.holdTx = false;
        byte[] f = frame(70, 3);
        assertEquals(EthernetDevice.OK, drv.transmit(f, 0, 70));
        assertArrayEquals(f, chip.sent.get(chip.sent.size() - 1));
        assertEquals(0, chip.misuse);
    }

    @Test
    void lateCollisionIsRetriedWithTxResetAndBounded() {
        start(config().maxLateCollisionRetries(3), false);
        chip.lateCollisions = 2;
        chip.txStallAfterAbort = 1; // errata #12: stalled until TXRST
        byte[] f = frame(300, 4);
        assertEquals(EthernetDevice.OK, drv.transmit(f, 0, 300));
        for (int i = 0; i < 5; i++) {
            drv.poll(clock.now);
        }
        assertEquals(2, c("tx.latecollision.retry"));
        assertEquals(2, c("tx.reset"));
        assertEquals(1, chip.sent.size());
        assertArrayEquals(f, chip.sent.get(0));
        assertEquals(1, c("tx.frames"));
        assertEquals(0, chip.eir() & 0x0A);
        // more collisions than retries -> abort counted, next frame still goes out
        chip.lateCollisions = 10;
        assertEquals(EthernetDevice.OK, drv.transmit(f, 0, 300));
        for (int i = 0; i < 6; i++) {
            drv.poll(clock.now);
        }
        assertEquals(1, c("tx.abort"));
        assertEquals(5, c("tx.latecollision.retry"));
        chip.lateCollisions = 0;
        assertEquals(EthernetDevice.OK, drv.transmit(f, 0, 300));
        drv.poll(clock.now);
        assertEquals(2, c("tx.frames"));
    }

    // ------------------------------------------------------------------ supervisor and recovery

    @Test
    void spontaneousResetIsDetectedAndChipReinitialisedWithSameMac() {
        start(config().supervisorIntervalNs(1_000_000_000L), true);
        chip.softReset();
        assertEquals(0, chip.mac());
        clock.now = drv.pollAtNs(clock.now);
        drv.poll(clock.now);
        assertEquals(1, c("chip.reinit"));
        assertEquals(MAC, chip.mac());
        assertEquals(0x04, chip.common(0x1F) & 0x04);
        assertTrue(drv.linkUp());
        byte[] f = frame(99, 1);
        chip.receive(f);
        byte[] dst = new byte[1514];
        assertEquals(99, drv.receive(dst, 0, dst.length));
        assertEquals(EthernetDevice.OK, drv.transmit(f, 0, 99));
        assertEquals(0, chip.misuse, () -> chip.misuseLines.toString());
    }

    @Test
    void stuckBusReportsLinkDownBacksOffAndRecovers() {
        for (int v : new int[] {0x00, 0xFF}) {
            setUp();
            start(config().supervisorIntervalNs(1_000_000_000L), false);
            chip.stuck = v;
            byte[] dst = new byte[1514];
            long t0 = clock.now;
            int calls = 0;
            // run the loop for 30 virtual seconds, sleeping until pollAtNs each time
            while (clock.now - t0 < 30_000_000_000L) {
                drv.poll(clock.now);
                drv.receive(dst, 0, dst.length);
                long at = drv.pollAtNs(clock.now);
                clock.now = Math.max(clock.now + 1, at);
                calls++;
            }
            assertFalse(drv.linkUp(), "stuck 0x" + Integer.toHexString(v));
            assertTrue(c("link.down") >= 1);
            assertTrue(c("chip.absent") >= 3);
            assertTrue(calls < 40_000, "no busy loop (polling every 1 ms at most), calls=" + calls);
            long before = chip.transactions;
            // back-off means few attempts, not one per poll
            assertTrue(c("chip.absent") < 20, "back-off: attempts=" + c("chip.absent"));
            chip.stuck = -1;
            for (int i = 0; i < 100 && !drv.linkUp(); i++) {
                clock.now = Math.max(clock.now + 1, drv.pollAtNs(clock.now));
                drv.poll(clock.now);
            }
            assertTrue(drv.linkUp(), "recovered");
            assertTrue(chip.transactions > before);
            assertEquals(MAC, chip.mac());
            byte[] f = frame(64, 3);
            chip.receive(f);
            assertEquals(64, drv.receive(dst, 0, dst.length));
        }
    }

    @Test
    void deafReceiverIsReset() {
        start(config().supervisorIntervalNs(1_000_000_000L).deafTimeoutNs(5_000_000_000L), false);
        for (int i = 0; i < 10; i++) {
            clock.now += 1_000_000_000L;
            drv.transmit(frame(60, i), 0, 60);
            drv.poll(clock.now);
        }
        assertTrue(c("rx.deaf") >= 1, io.ethling.hal.CounterSet.appendTo(drv.counters(), new StringBuilder(), "").toString());
        assertTrue(c("rx.reset") >= 1);
    }

    // ------------------------------------------------------------------ SPI clock and allocation

    @Test
    void spiClockTuningPicksBelowTheReliableClockWithMargin() {
        chip.reliableHz = 14_000_000;
        drv = new Enc28j60(chip, clock, new Enc28j60Config().macAddress(MAC));
        assertEquals(EthernetDevice.OK, drv.init());
        assertEquals(10_000_000, drv.spiClockHz(), "12 MHz passes, one step down for margin");
        assertEquals(0, chip.misuse);
    }

    @Test
    void spiClockTuningFailsWhenNothingWorksAndRefusesSlowClocks() {
        chip.reliableHz = 7_000_000;
        drv = new Enc28j60(chip, clock, new Enc28j60Config().macAddress(MAC)
                .spiClockCandidatesHz(20_000_000, 8_000_000, 4_000_000));
        assertEquals(EthernetDevice.ERR_DEVICE, drv.init(), "4 MHz is not tried: errata #1");
        assertArrayEquals(new int[] {20_000_000, 8_000_000},
                Enc28j60.usableCandidates(new int[] {4_000_000, 20_000_000, 8_000_000}));
        assertArrayEquals(new int[] {5_000_000, 4_000_000}, Enc28j60.usableCandidates(new int[] {4_000_000, 5_000_000}));
        chip = new FakeChip();
        chip.reliableHz = 6_000_000;
        drv = new Enc28j60(chip, clock, new Enc28j60Config().macAddress(MAC).spiClockCandidatesHz(6_000_000, 4_000_000));
        assertEquals(EthernetDevice.OK, drv.init());
        assertEquals(4_000_000, drv.spiClockHz());
    }

    @Test
    void zeroAllocationPerFrame() {
        start(config(), true);
        chip.record = false;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] dst = new byte[1514];
        byte[] f = frame(1000, 1);
        byte[] small = frame(60, 2);
        long driverBytes = 0;
        for (int round = 0; round < 2; round++) {
            driverBytes = 0;
            for (int i = 0; i < 2000; i++) {
                chip.receive((i & 1) == 0 ? f : small);
                long a = mx.getCurrentThreadAllocatedBytes();
                drv.poll(clock.now);
                int n = drv.receive(dst, 0, dst.length);
                int t = drv.transmit(dst, 0, n);
                drv.poll(clock.now);
                long b = mx.getCurrentThreadAllocatedBytes();
                driverBytes += b - a;
                assertEquals(EthernetDevice.OK, t);
                chip.sent.clear();
            }
        }
        assertEquals(0, driverBytes, "bytes allocated by the driver over 2000 warm RX/TX cycles");
    }

    @Test
    void configValidation() {
        assertThrows(IllegalArgumentException.class, () -> new Enc28j60Config().validate());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Enc28j60Config().macAddress(MAC).rxBufferEnd(0x1000).validate());
        assertTrue(e.getMessage().startsWith("rxBufferEnd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Enc28j60Config().macAddress(1L << 48).validate());
        assertTrue(e.getMessage().startsWith("macAddress"));
        e = assertThrows(IllegalArgumentException.class, () -> new Enc28j60Config().macAddress(0x01_00_5E_00_00_01L).validate());
        assertTrue(e.getMessage().startsWith("macAddress"));
        e = assertThrows(IllegalArgumentException.class, () -> new Enc28j60Config().macAddress(MAC).rxBufferEnd(0x1BFF).validate());
        assertTrue(e.getMessage().startsWith("rxBufferEnd"));
        e = assertThrows(IllegalArgumentException.class, () -> new Enc28j60Config().macAddress(MAC).spiClockCandidatesHz(new int[0]).validate());
        assertTrue(e.getMessage().startsWith("spiClockCandidatesHz"));
        e = assertThrows(IllegalArgumentException.class, () -> new Enc28j60Config().macAddress(MAC).txTimeoutNs(0).validate());
        assertTrue(e.getMessage().startsWith("txTimeoutNs"));
        e = assertThrows(IllegalArgumentException.class, () -> new Enc28j60Config().macAddress(MAC).maxLateCollisionRetries(-1).validate());
        assertTrue(e.getMessage().startsWith("maxLateCollisionRetries"));
        new Enc28j60Config().macAddress(MAC).validate();
        assertFalse(new Enc28j60Config().fullDuplex());
        assertTrue(new Enc28j60Config().tuneSpiClock());
        assertEquals(16, new Enc28j60Config().maxLateCollisionRetries());
    }

    @Test
    void burstReadsTheWritePointerOnceAndFreesSpaceOnce() {
        start(config(), true);
        byte[][] fs = new byte[5][];
        int end = 0;
        for (int i = 0; i < fs.length; i++) {
            fs[i] = frame(100 + i, 40 + i);
            assertTrue(chip.receive(fs[i]));
            int count = fs[i].length + 4;
            end += 6 + count + (count & 1);
        }
        byte[] dst = new byte[1514];
        for (byte[] f : fs) {
            int n = drv.receive(dst, 0, dst.length);
            assertArrayEquals(f, Arrays.copyOf(dst, n));
        }
        // 1 RCR ERXWRPTL + 5 x (RBM header, RBM frame, PKTDEC) + 2 WCR ERXRDPT after the last one
        assertEquals(1 + 5 * 3 + 2, chip.transactions, () -> chip.log.stream().map(Enc28j60Test::hex).toList().toString());
        assertEquals(end - 1, chip.erxrdpt(), "ERXRDPT = next - 1 after the burst (errata #14)");
        assertEquals(0, chip.epktcnt());
        assertEquals(0, drv.receive(dst, 0, dst.length));
        assertEquals(0, chip.misuse, () -> chip.misuseLines.toString());
    }

    @Test
    void deferredFreeingIsBoundedToAQuarterOfTheRing() {
        start(config(), false);
        int stored = 0;
        while (chip.receive(frame(60, stored))) {
            stored++;
        }
        assertTrue(stored > 60);
        byte[] dst = new byte[1514];
        int maxHeld = 0;
        for (int i = 0; i < stored; i++) {
            assertEquals(60, drv.receive(dst, 0, dst.length));
            int freed = chip.erxrdpt() + 1;
            int held = Math.floorMod(chip.wrpt - freed, 0x1A00) ;
            int pending = Math.floorMod(chip.wrpt - (int) ((i + 1) * 70L % 0x1A00), 0x1A00);
            maxHeld = Math.max(maxHeld, held - pending);
        }
        assertTrue(maxHeld <= 0x1A00 / 4 + 70, "consumed but unfreed bytes " + maxHeld);
        assertEquals(0, chip.epktcnt());
        assertEquals(0, chip.misuse, () -> chip.misuseLines.toString());
    }

    @Test
    void randomSpiFailuresAreCountedAndSurvived() {
        long seed = 99;
        start(config().supervisorIntervalNs(100_000_000L), false);
        chip.record = false;
        chip.failRandom = new Random(seed);
        chip.failRate = 0.005;
        Random rnd = new Random(seed);
        java.util.List<byte[]> sent = new java.util.ArrayList<>();
        java.util.List<byte[]> got = new java.util.ArrayList<>();
        byte[] dst = new byte[1514];
        for (int i = 0; i < 8000; i++) {
            byte[] f = frame(60 + rnd.nextInt(1455), i);
            if (chip.receive(f)) {
                sent.add(f);
            }
            clock.now += 1_000_000L;
            drv.poll(clock.now);
            for (int k = 0; k < 4; k++) {
                int n = drv.receive(dst, 0, dst.length);
                if (n > 0) {
                    got.add(Arrays.copyOf(dst, n));
                }
            }
            drv.transmit(f, 0, Math.min(f.length, 1514));
        }
        chip.failRate = 0;
        for (int i = 0; i < 3000; i++) {
            clock.now += 1_000_000L;
            drv.poll(clock.now);
            int n = drv.receive(dst, 0, dst.length);
            if (n > 0) {
                got.add(Arrays.copyOf(dst, n));
            }
        }
        String ctx = "seed=" + seed + " failures=" + chip.failures + " " + io.ethling.hal.CounterSet.appendTo(drv.counters(), new StringBuilder(), "");
        assertTrue(chip.failures > 100, ctx);
        assertEquals(chip.failures, c("spi.errors"), ctx);
        assertTrue(c("chip.reinit") <= c("chip.fault"), ctx);
        // RBM failures are not retried byte-for-byte: whatever is delivered must be a sent frame
        int j = 0;
        for (byte[] g : got) {
            while (j < sent.size() && !Arrays.equals(sent.get(j), g)) {
                j++;
            }
            assertTrue(j < sent.size(), "delivered a frame that was not sent: " + ctx);
            j++;
        }
        assertTrue(got.size() > sent.size() / 2, got.size() + "/" + sent.size() + " " + ctx);
        assertTrue(drv.linkUp(), ctx);
        // healthy again
        byte[] f = frame(123, 1);
        chip.receive(f);
        clock.now += 1_000_000L;
        drv.poll(clock.now);
        assertEquals(123, drv.receive(dst, 0, dst.length), ctx);
        assertEquals(EthernetDevice.OK, drv.transmit(f, 0, 123));
        assertEquals(0, chip.misuse, () -> chip.misuseLines.toString());
    }


    @Test
    void unreadFramesWithIntLowDoNotMakeTheLoopSpin() {
        start(config(), true);
        chip.receive(frame(100, 1));
        assertTrue(drv.interruptPending());
        int immediate = 0;
        for (int i = 0; i < 50; i++) {
            drv.poll(clock.now);
            long at = drv.pollAtNs(clock.now);
            if (at - clock.now <= 0) {
                immediate++;
                clock.now += 1;
            } else {
                clock.now = at;
            }
        }
        assertTrue(immediate < 10, "poll asked to run again immediately " + immediate + " times");
        assertTrue(drv.interruptPending(), "the frame is still there for receive()");
        byte[] dst = new byte[1514];
        assertEquals(100, drv.receive(dst, 0, dst.length));
    }

    @Test
    void spiClockTuningJudgesTheEffectiveClock() {
        // 250 MHz / 2^n: 20 and 16 MHz -> 15.6 MHz, 12, 10 and 8 MHz -> 7.8 MHz (below errata #1)
        chip.powerOfTwoDivider = true;
        chip.reliableHz = 20_000_000;
        drv = new Enc28j60(chip, clock, new Enc28j60Config().macAddress(MAC));
        assertEquals(EthernetDevice.OK, drv.init());
        assertEquals(15_625_000, drv.spiClockHz(), "no really slower candidate at or above 8 MHz: keep 15.6 MHz");
        chip = new FakeChip();
        chip.powerOfTwoDivider = true;
        chip.reliableHz = 14_000_000;
        drv = new Enc28j60(chip, clock, new Enc28j60Config().macAddress(MAC));
        assertEquals(EthernetDevice.ERR_DEVICE, drv.init(), "15.6 MHz fails and 7.8 MHz is refused (errata #1)");
        chip = new FakeChip();
        chip.powerOfTwoDivider = true;
        chip.reliableHz = 14_000_000;
        drv = new Enc28j60(chip, clock, new Enc28j60Config().macAddress(MAC).spiClockCandidatesHz(7_000_000, 4_000_000));
        assertEquals(EthernetDevice.OK, drv.init(), "the caller only offered slow clocks");
        assertEquals(3_906_250, drv.spiClockHz(), "7 MHz rounds to 3.9 MHz and passes; 4 MHz is no slower, so no step down");
    }

    @Test
    void pollingModeOneLoopPassPerFrameCostsTen() {
        start(config(), false);
        byte[] dst = new byte[1514];
        for (int i = 0; i < 5; i++) {
            chip.receive(frame(60 + i, i));
            chip.clearLog();
            clock.now += 2 * Enc28j60.POLL_INTERVAL_NS;
            drv.poll(clock.now);                                    // RCR EIR
            assertEquals(60 + i, drv.receive(dst, 0, dst.length));  // RCR ECON1 + 6
            assertEquals(0, drv.receive(dst, 0, dst.length));       // RCR ERXWRPTL, RCR ERXWRPTH
            assertEquals(10, chip.transactions, () -> chip.log.stream().map(Enc28j60Test::hex).toList().toString());
        }
    }

    @Test
    void aLoopThatNeverCallsReceiveDoesNotSpin() {
        for (boolean pin : new boolean[] {true, false}) {
            setUp();
            start(config().supervisorIntervalNs(100_000_000L), pin);
            for (int i = 0; i < 30; i++) {
                chip.receive(frame(100, i));
            }
            long t0 = clock.now;
            int polls = 0;
            while (clock.now - t0 < 1_000_000_000L && polls < 10_000) {
                drv.poll(clock.now);
                polls++;
                clock.now = Math.max(clock.now + 1, drv.pollAtNs(clock.now));
            }
            assertTrue(polls < 5_000, "pin=" + pin + ": " + polls + " polls in one virtual second");
            byte[] dst = new byte[1514];
            assertEquals(100, drv.receive(dst, 0, dst.length), "frames still there for whoever reads");
        }
    }
}
