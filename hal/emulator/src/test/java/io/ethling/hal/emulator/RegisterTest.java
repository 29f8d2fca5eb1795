package io.ethling.hal.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ethling.hal.DigitalInput;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Register semantics, ENC28J60.md §1.2, §2, §3, §11. */
class RegisterTest {

    /** A chip past its oscillator start-up and reset settling. */
    static Chip ready(EmulatorConfig config) {
        Chip c = new Chip(config);
        c.clock.advanceNanos(2_000_000);
        return c;
    }

    @Test
    void resetValues() {
        Chip c = ready(new EmulatorConfig().strict(true));
        assertEquals(0x05FA, c.rcr16(0, 0x00), "ERDPT");
        assertEquals(0x0000, c.rcr16(0, 0x02), "EWRPT");
        assertEquals(0x05FA, c.rcr16(0, 0x08), "ERXST");
        assertEquals(0x1FFF, c.rcr16(0, 0x0A), "ERXND");
        assertEquals(0x05FA, c.rcr16(0, 0x0C), "ERXRDPT");
        assertEquals(0xA1, c.rcr(1, 0x18), "ERXFCON");
        assertEquals(0x00, c.rcr(1, 0x19), "EPKTCNT");
        assertEquals(0x80, c.rcr(0, 0x1E), "ECON2 AUTOINC");
        assertEquals(0x00, c.rcr(0, 0x1B), "EIE");
        assertEquals(0x0F, c.rcrMac(2, 0x08), "MACLCON1");
        assertEquals(0x37, c.rcrMac(2, 0x09), "MACLCON2");
        assertEquals(0x00, c.rcrMac(2, 0x0A), "MAMXFLL");
        assertEquals(0x06, c.rcrMac(2, 0x0B), "MAMXFLH");
        assertEquals(0x06, c.rcr(3, 0x12), "EREVID B7");
        assertEquals(0x04, c.rcr(3, 0x15), "ECOCON");
        assertEquals(0x0083, c.phyRead(0x02), "PHID1");
        assertEquals(0x1400, c.phyRead(0x03) & 0xFC00, "PHID2 OUI bits");
        assertEquals(0x3422, c.phyRead(0x14), "PHLCON");
        assertEquals(0, c.emu.misuse().count(), c.emu.misuse().lines().toString());
    }

    @Test
    void revisionFromConfig() {
        Chip c = ready(new EmulatorConfig().revision(0x05));
        assertEquals(0x05, c.rcr(3, 0x12));
    }

    @Test
    void clkrdyAfterOscillatorStartUp() {
        Chip c = new Chip(new EmulatorConfig().advanceClockOnSpi(false));
        assertEquals(0, c.rcr(0, 0x1D) & 0x01, "CLKRDY 0 right after power-on");
        assertEquals(300_000L, c.emu.nextEventNs());
        c.clock.advanceNanos(300_000);
        assertEquals(1, c.rcr(0, 0x1D) & 0x01, "CLKRDY after OST");
    }

    @Test
    void banksSelectDifferentRegistersAndCommonOnesAreEverywhere() {
        Chip c = ready(new EmulatorConfig().strict(true));
        c.wcr(0, 0x00, 0x11); // ERDPTL
        c.wcr(1, 0x00, 0x22); // EHT0
        c.wcr(2, 0x04, 0x33); // MABBIPG
        c.wcr(3, 0x00, 0x44); // MAADR5
        assertEquals(0x11, c.rcr(0, 0x00));
        assertEquals(0x22, c.rcr(1, 0x00));
        assertEquals(0x33, c.rcrMac(2, 0x04));
        assertEquals(0x44, c.rcrMac(3, 0x00));
        c.wcr(0, 0x1B, 0x40); // EIE
        for (int b = 0; b < 4; b++) {
            c.bank(b);
            assertEquals(b, c.rcr(b, 0x1F) & 0x03, "BSEL");
            assertEquals(0x40, c.rcr(b, 0x1B), "EIE in bank " + b);
            assertEquals(0x40, c.emu.register(b, 0x1B));
        }
        assertEquals(0x22, c.emu.register(1, 0x00));
    }

    @Test
    void macMiiReadsNeedTheDummyByte() {
        Chip c = ready(new EmulatorConfig().strict(true).seed(42));
        c.wcr(2, 0x02, 0x32); // MACON3
        c.bank(2);
        c.tx[0] = 0x02;
        c.emu.transfer(c.tx, 0, c.rx, 0, 3);
        assertEquals(0x32, c.rx[2] & 0xFF, "data comes in the third byte");
        // an ETH register in bank 3 (EREVID) has no dummy byte
        c.bank(3);
        c.tx[0] = 0x12;
        c.emu.transfer(c.tx, 0, c.rx, 0, 2);
        assertEquals(0x06, c.rx[1] & 0xFF);
        // the dummy byte is not the data: over many reads it differs at least once
        boolean differs = false;
        for (int i = 0; i < 16; i++) {
            c.bank(2);
            c.tx[0] = 0x02;
            c.emu.transfer(c.tx, 0, c.rx, 0, 3);
            differs |= (c.rx[1] & 0xFF) != 0x32;
        }
        assertTrue(differs);
    }

    @Test
    void twoByteRcrOfMacRegisterIsMisuse() {
        Chip c = ready(new EmulatorConfig());
        c.bank(2);
        c.tx[0] = 0x02;
        c.emu.transfer(c.tx, 0, c.rx, 0, 2);
        assertTrue(c.emu.misuse().contains("without the dummy byte"), c.emu.misuse().lines().toString());
    }

    @Test
    void pointerHighBytesHoldFiveBits() {
        Chip c = ready(new EmulatorConfig().strict(true));
        int[] highs = {0x01, 0x03, 0x05, 0x07, 0x09, 0x0B, 0x0D, 0x11, 0x13, 0x15};
        for (int h : highs) {
            if (h == 0x0D) {
                c.wcr(0, 0x0C, 0x01);
            }
            c.wcr(0, h, 0xFF);
            assertEquals(0x1F, c.rcr(0, h), "high byte 0x" + Integer.toHexString(h));
        }
        c.wcr(0, 0x17, 0xFF); // EDMACSH holds all 8 bits
        assertEquals(0xFF, c.rcr(0, 0x17));
        c.wcr(1, 0x15, 0xFF); // EPMOH 13-bit
        assertEquals(0x1F, c.rcr(1, 0x15));
    }

    @Test
    void readOnlyRegistersIgnoreWritesAndFlagThem() {
        Chip c = ready(new EmulatorConfig());
        c.wcr(1, 0x19, 7); // EPKTCNT
        assertEquals(0, c.rcr(1, 0x19));
        c.wcr(3, 0x12, 0x01); // EREVID
        assertEquals(0x06, c.rcr(3, 0x12));
        c.wcr(0, 0x0E, 0x55); // ERXWRPTL
        assertEquals(0x00, c.rcr(0, 0x0E));
        assertEquals(3, c.emu.misuse().count(), c.emu.misuse().lines().toString());
        assertTrue(c.emu.misuse().contains("read-only register EREVID"));
    }

    @Test
    void erxstWriteLoadsWritePointer() {
        Chip c = ready(new EmulatorConfig().strict(true));
        assertEquals(0, c.rcr16(0, 0x0E));
        c.wcr16(0, 0x08, 0x0000);
        assertEquals(0x0000, c.rcr16(0, 0x0E));
    }

    @Test
    void errata5RingNotAtZeroIsFlaggedWhenRxIsEnabled() {
        Chip c = ready(new EmulatorConfig());
        c.wcr16(0, 0x08, 0x0400);
        assertEquals(0x0000, c.rcr16(0, 0x0E), "errata #5 model: write pointer loaded with 0");
        c.bfs(0x1F, 0x04);
        assertTrue(c.emu.misuse().contains("errata #5"), c.emu.misuse().lines().toString());
    }

    @Test
    void erxrdptLowByteIsBufferedUntilHighByte() {
        Chip c = ready(new EmulatorConfig().strict(true));
        c.wcr16(0, 0x0C, 0x0123);
        c.wcr(0, 0x0C, 0x45); // low only
        assertEquals(0x0123, c.rcr16(0, 0x0C), "reads return the live value");
        c.wcr(0, 0x0D, 0x02);
        assertEquals(0x0245, c.rcr16(0, 0x0C));
    }

    @Test
    void evenErxrdptIsErrata14Misuse() {
        Chip c = ready(new EmulatorConfig());
        c.wcr16(0, 0x0C, 0x0100);
        assertTrue(c.emu.misuse().contains("even ERXRDPT 0x0100 written (errata #14)"),
            c.emu.misuse().lines().toString());
    }

    @Test
    void rbmAutoIncrementWrapsAtErxndToErxst() {
        Chip c = ready(new EmulatorConfig().strict(true));
        c.wcr16(0, 0x08, 0x0000);
        c.wcr16(0, 0x0A, 0x00FF);
        c.wcr16(0, 0x0C, 0x00FF);
        c.wcr16(0, 0x02, 0x00FE);
        c.wbm((byte) 1, (byte) 2, (byte) 3, (byte) 4); // WBM does not RX-wrap: 0xFE..0x101
        assertEquals(0x0102, c.rcr16(0, 0x02));
        c.wcr16(0, 0x02, 0x0000);
        c.wbm((byte) 9, (byte) 8);
        c.wcr16(0, 0x00, 0x00FE);
        assertArrayEquals(new byte[] {1, 2, 9, 8}, c.rbm(4), "RBM wraps ERXND -> ERXST");
        assertEquals(0x0002, c.rcr16(0, 0x00));
        // outside the ring: 0x1FFF wraps to 0 for both
        c.wcr16(0, 0x02, 0x1FFF);
        c.wbm((byte) 7, (byte) 6);
        assertEquals(0x0001, c.rcr16(0, 0x02));
        assertEquals(7, c.emu.memory(0x1FFF));
        assertEquals(6, c.emu.memory(0x0000));
    }

    @Test
    void autoincOffKeepsPointers() {
        Chip c = ready(new EmulatorConfig().strict(true));
        c.wcr16(0, 0x02, 0x1000);
        c.wcr(0, 0x1E, 0x00); // AUTOINC = 0
        c.wbm((byte) 1, (byte) 2, (byte) 3);
        assertEquals(0x1000, c.rcr16(0, 0x02));
        assertEquals(3, c.emu.memory(0x1000));
        c.wcr16(0, 0x00, 0x1000);
        assertArrayEquals(new byte[] {3, 3}, c.rbm(2));
    }

    @Test
    void pktdecDecrementsAndReadsZero() {
        Chip c = RxTest.initialised(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(RxTest.MAC, 0x02AAAAAAAAAAL, 0x0800, 50, 1);
        c.emu.receive(f, 0, f.length);
        c.emu.receive(f, 0, f.length);
        assertEquals(2, c.rcr(1, 0x19));
        c.bfs(0x1E, 0x40);
        assertEquals(1, c.rcr(1, 0x19));
        assertEquals(0x80, c.rcr(1, 0x1E) & 0xC0, "PKTDEC reads 0");
        c.wcr(0, 0x1E, 0xC0); // WCR with PKTDEC also decrements
        assertEquals(0, c.rcr(1, 0x19));
        assertEquals(0, c.emu.register(0, 0x1C) & 0x40, "PKTIF follows EPKTCNT");
    }

    @Test
    void eirFlagsClearOnlyByBfcAndPktifIsReadOnly() {
        Chip c = RxTest.initialised(new EmulatorConfig().unreliablePktif(false));
        byte[] f = Chip.frame(RxTest.MAC, 0x02AAAAAAAAAAL, 0x0800, 50, 1);
        c.emu.receive(f, 0, f.length);
        c.emu.faults().rxOverflow(1);
        c.emu.receive(f, 0, f.length);
        assertEquals(0x41, c.rcr(0, 0x1C), "PKTIF + RXERIF");
        c.bfc(0x1C, 0x41);
        assertEquals(0x40, c.rcr(0, 0x1C), "PKTIF cannot be cleared; RXERIF can");
        c.wcr(0, 0x1C, 0xFF);
        assertEquals(0x40, c.rcr(0, 0x1C), "WCR cannot set flags");
    }

    @Test
    void errata6PktifSometimesReadsZeroButIntPinStaysCorrect() {
        Chip c = RxTest.initialised(new EmulatorConfig().seed(7));
        byte[] f = Chip.frame(RxTest.MAC, 0x02AAAAAAAAAAL, 0x0800, 50, 1);
        c.emu.receive(f, 0, f.length);
        int zeros = 0;
        for (int i = 0; i < 1000; i++) {
            if ((c.rcr(0, 0x1C) & 0x40) == 0) {
                zeros++;
            }
            assertFalse(c.emu.interruptPin().isHigh(), "INT asserted while a packet is pending");
        }
        assertTrue(zeros > 200 && zeros < 400, "seed 7: PKTIF misses " + zeros);
        Chip reliable = RxTest.initialised(new EmulatorConfig().unreliablePktif(false));
        reliable.emu.receive(f, 0, f.length);
        for (int i = 0; i < 100; i++) {
            assertEquals(0x40, reliable.rcr(0, 0x1C) & 0x40);
        }
    }

    @Test
    void intPinRuleAndEdges() {
        Chip c = RxTest.initialised(new EmulatorConfig().strict(true));
        AtomicInteger falls = new AtomicInteger();
        c.emu.interruptPin().onEdge(DigitalInput.Edge.FALLING, falls::incrementAndGet);
        assertTrue(c.emu.interruptPin().isHigh());
        byte[] f = Chip.frame(RxTest.MAC, 0x02AAAAAAAAAAL, 0x0800, 50, 1);
        c.emu.receive(f, 0, f.length);
        assertFalse(c.emu.interruptPin().isHigh());
        assertEquals(1, falls.get());
        assertEquals(0x80, c.rcr(0, 0x1D) & 0x80, "ESTAT.INT mirrors the pin");
        c.bfc(0x1B, 0x80); // INTIE off -> pin released
        assertTrue(c.emu.interruptPin().isHigh());
        assertEquals(0, c.rcr(0, 0x1D) & 0x80);
        c.bfs(0x1B, 0x80); // still pending -> a new falling edge
        assertFalse(c.emu.interruptPin().isHigh());
        assertEquals(2, falls.get());
        c.bfc(0x1B, 0x40); // PKTIE off: nothing enabled pending
        assertTrue(c.emu.interruptPin().isHigh());
        c.bfs(0x1B, 0x40);
        c.bfs(0x1E, 0x40); // PKTDEC -> EPKTCNT 0 -> released
        assertTrue(c.emu.interruptPin().isHigh());
        assertEquals(3, falls.get());
    }

    @Test
    void intPinBothEdgesAndRemoval() {
        Chip c = RxTest.initialised(new EmulatorConfig());
        AtomicInteger edges = new AtomicInteger();
        c.emu.interruptPin().onEdge(DigitalInput.Edge.BOTH, edges::incrementAndGet);
        byte[] f = Chip.frame(RxTest.MAC, 0x02AAAAAAAAAAL, 0x0800, 50, 1);
        c.emu.receive(f, 0, f.length);
        c.bfs(0x1E, 0x40);
        assertEquals(2, edges.get());
        c.emu.interruptPin().onEdge(DigitalInput.Edge.BOTH, null);
        c.emu.receive(f, 0, f.length);
        assertEquals(2, edges.get());
    }

    @Test
    void miiReadTakes1024MicrosecondsAndSetsNvalid() {
        Chip c = ready(new EmulatorConfig().strict(true).advanceClockOnSpi(false));
        c.wcr(2, 0x14, 0x02); // MIREGADR = PHID1
        c.wcr(2, 0x12, 0x01); // MIIRD
        assertEquals(0x05, c.rcrMac(3, 0x0A) & 0x05, "BUSY and NVALID");
        c.clock.advanceNanos(10_239);
        assertEquals(1, c.rcrMac(3, 0x0A) & 0x01, "still busy at 10.239 us");
        c.clock.advanceNanos(1);
        assertEquals(0, c.rcrMac(3, 0x0A) & 0x05, "done at 10.24 us");
        c.wcr(2, 0x12, 0x00);
        assertEquals(0x83, c.rcrMac(2, 0x18));
        assertEquals(0x00, c.rcrMac(2, 0x19));
    }

    @Test
    void miiWriteStartsOnMiwrhAndAppliesAfterBusy() {
        Chip c = ready(new EmulatorConfig().strict(true).advanceClockOnSpi(false));
        c.wcr(2, 0x14, 0x14); // PHLCON
        c.wcr(2, 0x16, 0x76);
        assertEquals(0, c.rcrMac(3, 0x0A) & 0x01, "MIWRL alone starts nothing");
        c.wcr(2, 0x17, 0x34);
        assertEquals(1, c.rcrMac(3, 0x0A) & 0x01);
        assertEquals(0x3422, c.emu.phyRegister(0x14), "not yet written");
        c.clock.advanceNanos(10_240);
        c.emu.tick();
        assertEquals(0x3476, c.emu.phyRegister(0x14));
        assertEquals(0, c.rcrMac(3, 0x0A) & 0x01);
    }

    @Test
    void phyAccessWhileBusyIsMisuse() {
        Chip c = ready(new EmulatorConfig().advanceClockOnSpi(false));
        c.wcr(2, 0x14, 0x02);
        c.wcr(2, 0x12, 0x01);
        c.wcr(2, 0x17, 0x00);
        assertTrue(c.emu.misuse().contains("PHY access while MISTAT.BUSY"), c.emu.misuse().lines().toString());
    }

    @Test
    void miiScanRepeats() {
        Chip c = ready(new EmulatorConfig().strict(true).advanceClockOnSpi(false));
        c.wcr(2, 0x14, 0x11); // PHSTAT2
        c.wcr(2, 0x12, 0x02); // MIISCAN
        assertEquals(0x07, c.rcrMac(3, 0x0A) & 0x07, "BUSY SCAN NVALID");
        c.clock.advanceNanos(10_240);
        assertEquals(0x03, c.rcrMac(3, 0x0A) & 0x07, "NVALID clear after the first read");
        assertEquals(0x04, c.rcrMac(2, 0x19) & 0x04, "LSTAT in MIRDH bit 2");
        c.emu.setLink(false);
        c.clock.advanceNanos(10_240);
        assertEquals(0x00, c.rcrMac(2, 0x19) & 0x04, "scan picked up the change");
        c.wcr(2, 0x12, 0x00);
        c.clock.advanceNanos(10_240);
        assertEquals(0x00, c.rcrMac(3, 0x0A) & 0x03);
    }

    @Test
    void phyLatchesAndLinkInterrupt() {
        Chip c = RxTest.initialised(new EmulatorConfig().strict(true));
        AtomicInteger falls = new AtomicInteger();
        c.emu.interruptPin().onEdge(DigitalInput.Edge.FALLING, falls::incrementAndGet);
        assertEquals(0, c.phyRead(0x13), "PHIR clear after init read");
        assertEquals(0x0004, c.phyRead(0x01) & 0x0004, "LLSTAT with link up");
        c.emu.setLink(false);
        assertFalse(c.emu.linkUp());
        assertFalse(c.emu.interruptPin().isHigh(), "LINKIF -> INT");
        assertEquals(1, falls.get());
        assertEquals(0x10, c.rcr(0, 0x1C) & 0x10, "EIR.LINKIF");
        c.emu.setLink(true);
        assertEquals(0, c.phyRead(0x01) & 0x0004, "LLSTAT latched low");
        assertEquals(0x0004, c.phyRead(0x01) & 0x0004, "re-armed by the read");
        assertEquals(0x0400, c.phyRead(0x11) & 0x0400, "PHSTAT2.LSTAT");
        assertEquals(0x14, c.phyRead(0x13) & 0x14, "PHIR PLNKIF|PGIF");
        assertEquals(0, c.phyRead(0x13), "PHIR cleared by the read");
        assertEquals(0, c.rcr(0, 0x1C) & 0x10, "LINKIF cleared");
        assertTrue(c.emu.interruptPin().isHigh());
        assertEquals(2, c.emu.counters().value("link.changes"));
    }

    @Test
    void linkChangeWithoutPhieSetsNoLinkif() {
        Chip c = ready(new EmulatorConfig().strict(true));
        c.emu.setLink(false);
        assertEquals(0, c.rcr(0, 0x1C) & 0x10);
        assertEquals(0x10, c.emu.phyRegister(0x13) & 0x14, "PLNKIF only");
    }

    @Test
    void linkFlapComesBackOnTheClock() {
        Chip c = ready(new EmulatorConfig().advanceClockOnSpi(false));
        c.emu.tick();
        c.emu.faults().linkFlap(5_000_000);
        assertFalse(c.emu.linkUp());
        assertEquals(c.clock.nanoTime() + 5_000_000, c.emu.nextEventNs());
        c.clock.advanceNanos(4_999_999);
        c.emu.tick();
        assertFalse(c.emu.linkUp());
        c.clock.advanceNanos(1);
        c.emu.tick();
        assertTrue(c.emu.linkUp());
    }

    @Test
    void softResetKeepsClkrdyAndGarblesMacWithinOneMs() {
        Chip c = ready(new EmulatorConfig().advanceClockOnSpi(false));
        c.wcr(2, 0x02, 0x32);
        c.wcr(1, 0x18, 0x00);
        c.src();
        assertEquals(0xA1, c.rcr(1, 0x18), "ETH registers back to reset values");
        assertEquals(1, c.rcr(0, 0x1D) & 0x01, "errata #2: CLKRDY stays 1");
        c.emu.misuse().clear();
        c.wcr(2, 0x02, 0x33);
        assertTrue(c.emu.misuse().contains("errata #2"), c.emu.misuse().lines().toString());
        c.clock.advanceNanos(1_000_000);
        c.emu.misuse().clear();
        assertEquals(0x00, c.rcrMac(2, 0x02), "reset value, the early write was ignored");
        assertEquals(0, c.emu.misuse().count());
        assertEquals(1, c.emu.counters().value("resets"));
    }

    @Test
    void softResetInStrictModeThrowsOnEarlyMacAccess() {
        Chip c = ready(new EmulatorConfig().strict(true).advanceClockOnSpi(false));
        c.src();
        assertThrows(IllegalStateException.class, () -> c.rcrMac(2, 0x00));
    }

    @Test
    void srcWithTrailingByteIsAccepted() {
        Chip c = ready(new EmulatorConfig().strict(true));
        c.wcr(1, 0x18, 0x00);
        c.tx[0] = (byte) 0xFF;
        c.tx[1] = (byte) 0xFF;
        c.emu.transfer(c.tx, 0, c.rx, 0, 2);
        assertEquals(0xA1, c.rcr(1, 0x18));
        assertEquals(0, c.emu.misuse().count());
    }

    @Test
    void srcIgnoredWhilePwrsv() {
        Chip c = ready(new EmulatorConfig());
        c.wcr(1, 0x18, 0x00);
        c.bfs(0x1E, 0x20);
        c.src();
        assertEquals(0x00, c.rcr(1, 0x18), "errata #19: not reset");
        assertTrue(c.emu.misuse().contains("SRC while PWRSV=1 ignored (errata #19)"));
    }

    @Test
    void resetPinHoldsAndPowerOnResets() {
        Chip c = ready(new EmulatorConfig().advanceClockOnSpi(false));
        c.wcr(1, 0x18, 0x00);
        c.emu.resetPin().set(false);
        assertEquals(0xFF, c.rcr(1, 0x18), "SPI reads 0xFF while in reset");
        c.emu.resetPin().set(true);
        assertEquals(0, c.rcr(0, 0x1D) & 0x01, "CLKRDY 0 after the power-on-like reset");
        c.clock.advanceNanos(300_000);
        assertEquals(0xA1, c.rcr(1, 0x18));
        assertEquals(1, c.rcr(0, 0x1D) & 0x01);
    }

    @Test
    void spontaneousResetClearsRxen() {
        Chip c = RxTest.initialised(new EmulatorConfig());
        assertEquals(0x04, c.rcr(0, 0x1F) & 0x04);
        c.emu.faults().spontaneousReset();
        c.clock.advanceNanos(300_000);
        assertEquals(0x00, c.rcr(0, 0x1F) & 0x04);
        assertEquals(0x05FA, c.rcr16(0, 0x08));
        byte[] f = Chip.frame(RxTest.MAC, 0x02AAAAAAAAAAL, 0x0800, 50, 1);
        c.emu.receive(f, 0, f.length);
        assertEquals(0, c.emu.pendingPackets());
    }

    @Test
    void stuckSpiReadsConstantAndIgnoresWrites() {
        Chip c = ready(new EmulatorConfig());
        c.emu.faults().stuckSpi(0x00);
        assertEquals(0x00, c.rcr(3, 0x12));
        c.wcr(1, 0x18, 0x00);
        c.emu.faults().stuckSpi(0xFF);
        assertEquals(0xFF, c.rcr(3, 0x12));
        c.emu.faults().stuckSpi(-1);
        assertEquals(0x06, c.rcr(3, 0x12));
        assertEquals(0xA1, c.rcr(1, 0x18), "writes were ignored");
    }

    @Test
    void bitErrorsOnlyAboveReliableClock() {
        long seed = 99;
        Chip c = ready(new EmulatorConfig().seed(seed).strict(true));
        c.wcr16(0, 0x02, 0x0000);
        byte[] pattern = new byte[1000];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 13);
        }
        c.wbm(pattern);
        assertEquals(20_000_000, c.emu.clockHz(20_000_000));
        c.wcr16(0, 0x00, 0x0000);
        assertArrayEquals(pattern, c.rbm(1000), "no errors at 20 MHz");
        c.emu.clockHz(25_000_000);
        c.wcr16(0, 0x00, 0x0000);
        byte[] got = c.rbm(1000);
        int bad = 0;
        for (int i = 0; i < got.length; i++) {
            int x = (got[i] ^ pattern[i]) & 0xFF;
            if (x != 0) {
                bad++;
                assertEquals(1, Integer.bitCount(x), "one flipped bit per damaged byte");
            }
        }
        assertTrue(bad > 25 && bad < 80, "seed " + seed + ": ~5% of 1000 bytes damaged, got " + bad);
        assertEquals(bad, c.emu.counters().value("spi.biterrors") - 0, "counted");
    }

    @Test
    void spiStatsCountBusTime() {
        Chip c = ready(new EmulatorConfig().strict(true));
        c.emu.clockHz(10_000_000);
        c.emu.stats().reset();
        long t0 = c.clock.nanoTime();
        c.rcr(0, 0x1D); // 2 bytes
        c.rcrMac(2, 0x00); // BFC + BFS + 3 bytes
        assertEquals(4, c.emu.stats().transactions());
        assertEquals(9, c.emu.stats().bytes());
        assertEquals(9 * 800, c.emu.stats().busNanos(), "0.8 us per byte at 10 MHz");
        assertEquals(t0 + 9 * 800, c.clock.nanoTime(), "the virtual clock advanced by the bus time");
        c.emu.clockHz(12_000_000);
        c.emu.stats().reset();
        for (int i = 0; i < 3; i++) {
            c.rcr(0, 0x1D);
        }
        assertEquals(4000, c.emu.stats().busNanos(), "fractions carried: 6 bytes at 12 MHz = 4 us");
    }

    @Test
    void traceLines() {
        Chip c = ready(new EmulatorConfig().strict(true));
        StringBuilder out = new StringBuilder();
        c.emu.trace(out);
        c.wcr(2, 0x02, 0x32);
        c.rcrMac(3, 0x0A);
        c.src();
        c.emu.trace(null);
        c.rcr(0, 0x1D);
        String t = out.toString();
        assertTrue(t.contains("BFC ECON1 03\n"), t);
        assertTrue(t.contains("BFS ECON1 02\n"), t);
        assertTrue(t.contains("WCR b2 MACON3 32\n"), t);
        assertTrue(t.contains("RCR b3 MISTAT -> 00\n"), t);
        assertTrue(t.endsWith("SRC\n"), t);
        assertFalse(t.contains("ESTAT"), t);
        Chip d = ready(new EmulatorConfig().strict(true));
        StringBuilder o2 = new StringBuilder();
        d.wcr16(0, 0x02, 0x1000);
        d.wcr16(0, 0x00, 0x1000);
        d.emu.trace(o2);
        d.wbm(new byte[] {0x0a, 0x01, 0x40, 0x00, (byte) 0x80, 0x00});
        d.rbm(6);
        byte[] big = new byte[61];
        d.wbm(big);
        assertTrue(o2.toString().contains("WBM 6 0a 01 40 00 80 00\n"), o2.toString());
        assertTrue(o2.toString().contains("RBM 6 -> 0a 01 40 00 80 00\n"), o2.toString());
        assertTrue(o2.toString().contains("WBM 61 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \u2026(61)\n"), o2.toString());
    }

    @Test
    void dmaChecksumExampleFromDataSheet() {
        Chip c = ready(new EmulatorConfig().strict(true));
        c.wcr16(0, 0x02, 0x1000);
        c.wbm((byte) 0x89, (byte) 0xAB, (byte) 0xCD);
        c.wcr16(0, 0x10, 0x1000);
        c.wcr16(0, 0x12, 0x1002);
        c.bfs(0x1F, 0x30); // CSUMEN | DMAST
        assertEquals(0, c.rcr(0, 0x1F) & 0x20, "DMAST cleared by hardware");
        assertEquals(0x20, c.rcr(0, 0x1C) & 0x20, "DMAIF");
        assertEquals(0xA953, c.rcr(0, 0x16) | c.rcr(0, 0x17) << 8);
    }

    @Test
    void dmaCopy() {
        Chip c = ready(new EmulatorConfig().strict(true));
        c.wcr16(0, 0x02, 0x1000);
        c.wbm((byte) 1, (byte) 2, (byte) 3, (byte) 4);
        c.wcr16(0, 0x10, 0x1000);
        c.wcr16(0, 0x12, 0x1003);
        c.wcr16(0, 0x14, 0x1800);
        c.bfc(0x1F, 0x10);
        c.bfs(0x1F, 0x20);
        assertEquals(4, c.emu.memory(0x1803));
        assertEquals(1, c.emu.memory(0x1800));
        assertEquals(0, c.emu.memory(0x1804));
    }

    @Test
    void reservedAndUndefined() {
        Chip c = ready(new EmulatorConfig());
        c.wcr(2, 0x05, 0x12);
        assertTrue(c.emu.misuse().contains("register 0x05 in bank 2 is reserved"), c.emu.misuse().lines().toString());
        c.emu.misuse().clear();
        c.rcr(0, 0x1A);
        assertTrue(c.emu.misuse().contains("is reserved"));
        c.emu.misuse().clear();
        c.op2(0xC0, 0);
        assertTrue(c.emu.misuse().contains("undefined opcode"));
        assertNotEquals(0, c.emu.counters().value("misuse"));
    }
}
