package io.ethling.hal.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transmit: ENC28J60.md §4.2, §6, errata #12, #13, #15. */
class TxTest {

    static final int TXST = 0x1A00;

    final List<byte[]> sent = new ArrayList<>();

    Chip chip(EmulatorConfig config) {
        Chip c = RxTest.initialised(config);
        c.emu.connect((buf, off, len) -> sent.add(Arrays.copyOfRange(buf, off, off + len)));
        return c;
    }

    /** Linux-style: EWRPT = ETXST, control byte, frame, ETXND, clear TXIF, TXRTS. */
    static void send(Chip c, int control, byte[] frame) {
        c.wcr16(0, 0x04, TXST);
        c.wcr16(0, 0x02, TXST);
        byte[] all = new byte[frame.length + 1];
        all[0] = (byte) control;
        System.arraycopy(frame, 0, all, 1, frame.length);
        c.wbm(all);
        c.wcr16(0, 0x06, TXST + frame.length);
        c.bfc(0x1C, 0x0A);
        c.bfs(0x1F, 0x08);
    }

    static long tsv(Chip c, int frameLen) {
        long v = 0;
        for (int i = 0; i < 7; i++) {
            v |= (long) c.emu.memory(TXST + frameLen + 1 + i) << (8 * i);
        }
        return v;
    }

    @Test
    void shortFramePaddedCompletesAfterWireTime() {
        Chip c = chip(new EmulatorConfig().strict(true).advanceClockOnSpi(false));
        byte[] f = Chip.frame(0xFFFFFFFFFFFFL, RxTest.MAC, 0x0806, 28, 1); // 42 bytes
        send(c, 0x00, f);
        long t0 = c.clock.nanoTime();
        assertEquals(0x08, c.rcr(0, 0x1F) & 0x08, "TXRTS set while sending");
        assertEquals(t0 + (8 + 64 + 12) * 800L, c.emu.nextEventNs(), "67.2 us on the wire");
        c.clock.advanceNanos(67_199);
        c.emu.tick();
        assertTrue(sent.isEmpty());
        c.clock.advanceNanos(1);
        c.emu.tick();
        assertEquals(1, sent.size());
        byte[] padded = Arrays.copyOf(f, 60);
        assertArrayEquals(padded, sent.get(0), "MACON3 PADCFG=001: zero-padded to 60, no FCS to the sink");
        assertEquals(0, c.rcr(0, 0x1F) & 0x08, "TXRTS cleared");
        assertEquals(0x08, c.rcr(0, 0x1C) & 0x0A, "TXIF, no TXERIF");
        long tsv = tsv(c, f.length);
        assertEquals(64, tsv & 0xFFFF, "byte count incl. padding and CRC");
        assertTrue((tsv & (1L << 23)) != 0, "done");
        assertTrue((tsv & (1L << 25)) != 0, "broadcast");
        assertEquals(64, (tsv >>> 32) & 0xFFFF, "total bytes on the wire");
        assertEquals(1, c.emu.counters().value("tx.frames"));
    }

    @Test
    void txInterruptOnCompletion() {
        Chip c = chip(new EmulatorConfig().strict(true));
        int[] falls = {0};
        c.emu.interruptPin().onEdge(io.ethling.hal.DigitalInput.Edge.FALLING, () -> falls[0]++);
        byte[] f = Chip.frame(RxTest.PEER, RxTest.MAC, 0x0800, 1500, 1);
        send(c, 0x00, f);
        assertTrue(c.emu.interruptPin().isHigh());
        c.clock.advanceTo(c.emu.nextEventNs());
        c.emu.tick();
        assertEquals(1, falls[0]);
        assertEquals(1514, sent.get(0).length, "full frame, no padding");
    }

    @Test
    void controlByteOverridesMacon3() {
        Chip c = chip(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(RxTest.PEER, RxTest.MAC, 0x0800, 10, 1); // 24 bytes
        send(c, 0x03, f); // POVERRIDE | PCRCEN, no padding
        c.clock.advanceTo(c.emu.nextEventNs());
        c.emu.tick();
        assertArrayEquals(f, sent.get(0), "not padded");
        assertEquals(28, tsv(c, f.length) & 0xFFFF);
    }

    @Test
    void hostSuppliedFcsIsCheckedWhenCrcIsOff() {
        Chip c = chip(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(RxTest.PEER, RxTest.MAC, 0x0800, 46, 1);
        byte[] withFcs = Arrays.copyOf(f, 64);
        System.arraycopy(RxTest.fcs(f, 60), 0, withFcs, 60, 4);
        send(c, 0x01, withFcs); // POVERRIDE, no CRC, no pad
        c.clock.advanceTo(c.emu.nextEventNs());
        c.emu.tick();
        assertArrayEquals(f, sent.get(0));
        withFcs[63] ^= 1;
        send(c, 0x01, withFcs);
        c.clock.advanceTo(c.emu.nextEventNs());
        c.emu.tick();
        assertEquals(1, sent.size());
        assertTrue((tsv(c, 64) & (1L << 20)) != 0, "TSV CRC error");
        assertEquals(1, c.emu.counters().value("tx.badcrc"));
    }

    @Test
    void abortThenErrata12StallUntilTxrstPulse() {
        Chip c = chip(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(RxTest.PEER, RxTest.MAC, 0x0800, 46, 1);
        c.emu.faults().abortNextTx(1);
        send(c, 0x00, f);
        c.clock.advanceTo(c.emu.nextEventNs());
        c.emu.tick();
        assertTrue(sent.isEmpty());
        assertEquals(0x0A, c.rcr(0, 0x1C) & 0x0A, "TXIF + TXERIF");
        assertEquals(0x02, c.rcr(0, 0x1D) & 0x12, "TXABRT, LATECOL not set");
        assertEquals(0, c.rcr(0, 0x1F) & 0x08);
        long tsv = tsv(c, f.length);
        assertEquals(0, tsv & (1L << 23), "not done");
        assertTrue((tsv & (1L << 28)) != 0, "excessive collisions");
        // errata #12: the next request stalls
        c.bfc(0x1D, 0x02);
        send(c, 0x00, f);
        assertEquals(Long.MAX_VALUE, c.emu.nextEventNs());
        c.clock.advanceNanos(10_000_000);
        c.emu.tick();
        assertEquals(0x08, c.rcr(0, 0x1F) & 0x08, "TXRTS stays set forever");
        assertTrue(sent.isEmpty());
        assertEquals(1, c.emu.counters().value("tx.stalled"));
        // workaround: cancel, pulse TXRST, clear TXERIF, send again
        c.bfc(0x1F, 0x08);
        c.bfs(0x1F, 0x80);
        c.bfc(0x1F, 0x80);
        c.bfc(0x1C, 0x02);
        send(c, 0x00, f);
        c.clock.advanceTo(c.emu.nextEventNs());
        c.emu.tick();
        assertEquals(1, sent.size());
    }

    @Test
    void lateCollisionReportedInTsvBit29NotLatecol() {
        Chip c = chip(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(RxTest.PEER, RxTest.MAC, 0x0800, 200, 1);
        c.emu.faults().lateCollisionNextTx(1);
        send(c, 0x00, f);
        c.clock.advanceTo(c.emu.nextEventNs());
        c.emu.tick();
        long tsv = tsv(c, f.length);
        assertTrue((tsv & (1L << 29)) != 0, "late collision");
        assertEquals(0, tsv & (1L << 23));
        assertEquals(0x0A, c.rcr(0, 0x1C) & 0x0A);
        assertEquals(0x02, c.rcr(0, 0x1D) & 0x12, "errata #15: LATECOL stays 0");
        assertEquals(1, c.emu.counters().value("tx.latecollision"));
        // Linux-style retry: TXRST pulse, TXRTS again
        c.bfs(0x1F, 0x80);
        c.bfc(0x1F, 0x80);
        c.bfc(0x1C, 0x0A);
        c.bfs(0x1F, 0x08);
        c.clock.advanceTo(c.emu.nextEventNs());
        c.emu.tick();
        assertEquals(1, sent.size());
        assertArrayEquals(f, sent.get(0));
    }

    @Test
    void giantIsAborted() {
        Chip c = chip(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(RxTest.PEER, RxTest.MAC, 0x0800, 1501, 1); // 1515 + 4 > 1518
        send(c, 0x00, f);
        c.clock.advanceTo(c.emu.nextEventNs());
        c.emu.tick();
        assertTrue(sent.isEmpty());
        assertTrue((tsv(c, f.length) & (1L << 30)) != 0);
        assertEquals(0x02, c.rcr(0, 0x1C) & 0x02);
        assertEquals(1, c.emu.counters().value("tx.giant"));
    }

    @Test
    void touchingTxWhileTxrtsIsMisuse() {
        Chip c = chip(new EmulatorConfig());
        byte[] f = Chip.frame(RxTest.PEER, RxTest.MAC, 0x0800, 46, 1);
        send(c, 0x00, f);
        c.wcr16(0, 0x06, TXST + 10);
        assertTrue(c.emu.misuse().contains("TX registers changed while TXRTS=1"), c.emu.misuse().lines().toString());
        c.emu.misuse().clear();
        c.wcr16(0, 0x02, TXST + 5);
        c.wbm((byte) 1);
        assertTrue(c.emu.misuse().contains("TX bytes written while TXRTS=1"), c.emu.misuse().lines().toString());
    }

    @Test
    void linkDownFramesAreNotSent() {
        Chip c = chip(new EmulatorConfig().strict(true));
        c.emu.setLink(false);
        byte[] f = Chip.frame(RxTest.PEER, RxTest.MAC, 0x0800, 46, 1);
        send(c, 0x00, f);
        c.clock.advanceTo(c.emu.nextEventNs());
        c.emu.tick();
        assertTrue(sent.isEmpty());
        assertEquals(0x08, c.rcr(0, 0x1C) & 0x08, "the MAC still completes");
        assertEquals(1, c.emu.counters().value("tx.linkdown"));
    }

    @Test
    void softwareClearOfTxrtsCancels() {
        Chip c = chip(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(RxTest.PEER, RxTest.MAC, 0x0800, 46, 1);
        send(c, 0x00, f);
        c.bfc(0x1F, 0x08);
        assertEquals(Long.MAX_VALUE, c.emu.nextEventNs());
        c.clock.advanceNanos(1_000_000);
        c.emu.tick();
        assertTrue(sent.isEmpty());
        assertEquals(1, c.emu.counters().value("tx.cancelled"));
    }

    @Test
    void twoChipsTalkThroughTheirWires() {
        VirtualClock clock = new VirtualClock();
        Chip a = new Chip(clock, new EmulatorConfig().strict(true));
        Chip b = new Chip(clock, new EmulatorConfig().strict(true));
        a.init(0x19FF, 0x020000000001L);
        b.init(0x19FF, 0x020000000002L);
        a.emu.connect(b.emu.wireInput());
        byte[] f = Chip.frame(0x020000000002L, 0x020000000001L, 0x0800, 300, 9);
        send(a, 0x00, f);
        clock.advanceTo(a.emu.nextEventNs());
        a.emu.tick();
        assertEquals(1, b.emu.pendingPackets());
        RxTest.Packet p = RxTest.readPacket(b, 0, 0x19FF);
        assertArrayEquals(f, Arrays.copyOf(p.data, f.length));
    }

    @Test
    void halfDuplexWithoutHdldisLoopsBroadcastsBack() {
        Chip c = chip(new EmulatorConfig().strict(true));
        c.phyWrite(0x10, 0x0000); // HDLDIS off
        byte[] bc = Chip.frame(0xFFFFFFFFFFFFL, RxTest.MAC, 0x0806, 28, 1);
        send(c, 0x00, bc);
        c.clock.advanceTo(c.emu.nextEventNs());
        c.emu.tick();
        assertEquals(1, sent.size());
        assertEquals(1, c.emu.pendingPackets(), "the chip received its own broadcast");
        assertEquals(1, c.emu.counters().value("rx.loopback"));
        c.bfs(0x1E, 0x40);
        c.wcr16(0, 0x0C, c.rcr16(0, 0x0E) - 1);
        c.phyWrite(0x10, 0x0100); // HDLDIS on (errata #9 workaround)
        send(c, 0x00, bc);
        c.clock.advanceTo(c.emu.nextEventNs());
        c.emu.tick();
        assertEquals(2, sent.size());
        assertEquals(0, c.emu.pendingPackets());
    }

    @Test
    void duplexMismatchIsMisuse() {
        Chip c = chip(new EmulatorConfig());
        c.wcr(2, 0x02, 0x33); // MACON3 FULDPX, PHY still half
        send(c, 0x00, Chip.frame(RxTest.PEER, RxTest.MAC, 0x0800, 46, 1));
        assertTrue(c.emu.misuse().contains("FULDPX != PHCON1.PDPXMD"), c.emu.misuse().lines().toString());
    }

    @Test
    void inPlaceTransfersWork() {
        Chip c = chip(new EmulatorConfig().strict(true));
        byte[] buf = {0x40 | 0x02, 0x34}; // WCR EWRPTL (0x1B34: outside the RX ring)
        c.bank(0);
        c.emu.transfer(buf, 0, buf, 0, 2);
        byte[] h = {0x40 | 0x03, 0x1B};
        c.emu.transfer(h, 0, h, 0, 2);
        assertEquals(0x1B34, c.rcr16(0, 0x02));
        byte[] w = {0x7A, 5, 6, 7};
        c.emu.transfer(w, 0, w, 0, 4);
        assertEquals(5, c.emu.memory(0x1B34));
        assertEquals(7, c.emu.memory(0x1B36));
        c.wcr16(0, 0x00, 0x1B34);
        byte[] r = {0x3A, 0, 0, 0};
        c.emu.transfer(r, 0, r, 0, 4);
        assertArrayEquals(new byte[] {5, 6, 7}, Arrays.copyOfRange(r, 1, 4));
    }
}
