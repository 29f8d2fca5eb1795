package io.ethling.hal.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The RX FIFO: ENC28J60.md §4.1, §5, §11. */
class RxTest {

    static final long MAC = 0x020000000001L;
    static final long PEER = 0x02AAAAAAAAAAL;
    static final int RX_END = 0x19FF;

    static Chip initialised(EmulatorConfig config) {
        Chip c = new Chip(config);
        c.init(RX_END, MAC);
        return c;
    }

    /** Reads one packet like a driver: header, frame; frees it (odd ERXRDPT) and PKTDEC. */
    static final class Packet {
        int next;
        int count;
        int status;
        byte[] data;
    }

    static Packet readPacket(Chip c, int at, int ringEnd) {
        c.wcr16(0, 0x00, at);
        byte[] h = c.rbm(6);
        Packet p = new Packet();
        p.next = (h[0] & 0xFF) | (h[1] & 0xFF) << 8;
        p.count = (h[2] & 0xFF) | (h[3] & 0xFF) << 8;
        p.status = (h[4] & 0xFF) | (h[5] & 0xFF) << 8;
        p.data = c.rbm(p.count);
        int rd = p.next == 0 ? ringEnd : p.next - 1;
        c.wcr16(0, 0x0C, rd);
        c.bfs(0x1E, 0x40);
        return p;
    }

    static byte[] fcs(byte[] f, int len) {
        CRC32 crc = new CRC32();
        crc.update(f, 0, len);
        long v = crc.getValue();
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    @Test
    void frameStoredWithHeaderCrcAndEvenNextPointer() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(MAC, PEER, 0x0800, 87, 3); // 101 bytes: odd
        c.emu.receive(f, 0, f.length);
        assertEquals(1, c.emu.pendingPackets());
        Packet p = readPacket(c, 0, RX_END);
        assertEquals(105, p.count, "byte count includes the FCS");
        int expectedNext = 6 + 105 + 1; // padded to even
        assertEquals(expectedNext, p.next);
        assertEquals(0, p.next & 1);
        assertEquals(expectedNext, c.emu.register(0, 0x0E) | c.emu.register(0, 0x0F) << 8, "ERXWRPT");
        assertTrue((p.status & 0x80) != 0, "bit 23 received OK");
        assertEquals(0, p.status & 0x0300 >>> 0 & 0x300, "not multicast/broadcast");
        assertTrue((p.status & 0x40) != 0, "bit 22: type field > 1500");
        assertArrayEquals(f, Arrays.copyOf(p.data, f.length));
        assertArrayEquals(fcs(f, f.length), Arrays.copyOfRange(p.data, f.length, f.length + 4), "FCS LSB first");
        assertEquals(0, c.emu.pendingPackets());
        assertEquals(0, c.emu.misuse().count(), c.emu.misuse().lines().toString());
    }

    @Test
    void broadcastAndMulticastBits() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        c.wcr(1, 0x18, 0xA3); // + MCEN
        byte[] bc = Chip.frame(0xFFFFFFFFFFFFL, PEER, 0x0806, 46, 1);
        byte[] mc = Chip.frame(0x01005E000001L, PEER, 0x0800, 46, 2);
        c.emu.receive(bc, 0, bc.length);
        c.emu.receive(mc, 0, mc.length);
        Packet a = readPacket(c, 0, RX_END);
        Packet b = readPacket(c, a.next, RX_END);
        assertEquals(0x0200, a.status & 0x0300, "bit 25 broadcast");
        assertEquals(0x0100, b.status & 0x0300, "bit 24 multicast");
    }

    @Test
    void shortFramesArePaddedTo60() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        byte[] arp = Chip.frame(0xFFFFFFFFFFFFL, PEER, 0x0806, 28, 1); // 42 bytes, as from a TAP
        c.emu.receive(arp, 0, arp.length);
        Packet p = readPacket(c, 0, RX_END);
        assertEquals(64, p.count);
        byte[] padded = Arrays.copyOf(arp, 60);
        assertArrayEquals(padded, Arrays.copyOf(p.data, 60));
        assertArrayEquals(fcs(padded, 60), Arrays.copyOfRange(p.data, 60, 64));
    }

    @Test
    void wrapAroundAcrossErxnd() {
        int end = 0x03FF; // small ring: 1 KB
        Chip c = new Chip(new EmulatorConfig().strict(true));
        c.init(end, MAC);
        int next = 0;
        for (int i = 0; i < 40; i++) {
            byte[] f = Chip.frame(MAC, PEER, 0x0800, 100 + i * 7, i);
            c.emu.receive(f, 0, f.length);
            assertEquals(1, c.emu.pendingPackets(), "frame " + i);
            Packet p = readPacket(c, next, end);
            assertEquals(f.length + 4, p.count);
            assertArrayEquals(f, Arrays.copyOf(p.data, f.length), "frame " + i);
            assertArrayEquals(fcs(f, f.length), Arrays.copyOfRange(p.data, f.length, f.length + 4));
            assertTrue(p.next >= 0 && p.next <= end && (p.next & 1) == 0);
            next = p.next;
        }
        assertEquals(0, c.emu.misuse().count(), c.emu.misuse().lines().toString());
    }

    @Test
    void unicastToOthersIsFilteredAndPromiscuousAcceptsIt() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        byte[] other = Chip.frame(0x02BBBBBBBBBBL, PEER, 0x0800, 46, 1);
        byte[] mc = Chip.frame(0x333300000001L, PEER, 0x86DD, 46, 1);
        c.emu.receive(other, 0, other.length);
        c.emu.receive(mc, 0, mc.length);
        assertEquals(0, c.emu.pendingPackets());
        assertEquals(2, c.emu.counters().value("rx.filtered"));
        c.bfc(0x1F, 0x04);
        c.wcr(1, 0x18, 0x00);
        c.bfs(0x1F, 0x04);
        c.emu.receive(other, 0, other.length);
        assertEquals(1, c.emu.pendingPackets());
    }

    @Test
    void andModeRequiresAllFilters() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        c.bfc(0x1F, 0x04);
        c.wcr(1, 0x18, 0x40 | 0x80 | 0x01); // ANDOR, UCEN, BCEN: nothing can be both
        c.bfs(0x1F, 0x04);
        byte[] bc = Chip.frame(0xFFFFFFFFFFFFL, PEER, 0x0806, 46, 1);
        byte[] uc = Chip.frame(MAC, PEER, 0x0800, 46, 1);
        c.emu.receive(bc, 0, bc.length);
        c.emu.receive(uc, 0, uc.length);
        assertEquals(0, c.emu.pendingPackets());
        c.bfc(0x1F, 0x04);
        c.wcr(1, 0x18, 0x40 | 0x02 | 0x01); // AND: multicast and broadcast -> broadcast passes
        c.bfs(0x1F, 0x04);
        c.emu.receive(bc, 0, bc.length);
        c.emu.receive(uc, 0, uc.length);
        assertEquals(1, c.emu.pendingPackets());
    }

    @Test
    void patternMatchFilterEtherCardArpPattern() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        c.bfc(0x1F, 0x04);
        // EtherCard: EPMM0 = 0x3F, EPMM1 = 0x30 (bytes 0-5 and 12-13), EPMCS = 0xF7F9
        c.wcr(1, 0x08, 0x3F);
        c.wcr(1, 0x09, 0x30);
        c.wcr(1, 0x10, 0xF9);
        c.wcr(1, 0x11, 0xF7);
        c.wcr(1, 0x18, 0x80 | 0x20 | 0x10); // UCEN | CRCEN | PMEN
        c.bfs(0x1F, 0x04);
        byte[] arp = Chip.frame(0xFFFFFFFFFFFFL, PEER, 0x0806, 46, 1);
        byte[] ip = Chip.frame(0xFFFFFFFFFFFFL, PEER, 0x0800, 46, 1);
        c.emu.receive(arp, 0, arp.length);
        c.emu.receive(ip, 0, ip.length);
        assertEquals(1, c.emu.pendingPackets());
    }

    @Test
    void crcErrorsDroppedWithCrcenStoredWithout() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(MAC, PEER, 0x0800, 46, 1);
        c.emu.receive(f, 0, f.length, false);
        assertEquals(0, c.emu.pendingPackets());
        assertEquals(1, c.emu.counters().value("rx.crc"));
        c.bfc(0x1F, 0x04);
        c.wcr(1, 0x18, 0x81);
        c.bfs(0x1F, 0x04);
        c.emu.receive(f, 0, f.length, false);
        Packet p = readPacket(c, 0, RX_END);
        assertEquals(0x10, p.status & 0x90, "bit 20 set, bit 23 clear");
        assertFalse(Arrays.equals(fcs(f, 60), Arrays.copyOfRange(p.data, 60, 64)));
    }

    @Test
    void giantsDroppedUnlessHfrmen() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        byte[] big = Chip.frame(MAC, PEER, 0x0800, 1501, 1); // 1515 + 4 > 1518
        c.emu.receive(big, 0, big.length);
        assertEquals(0, c.emu.pendingPackets());
        assertEquals(1, c.emu.counters().value("rx.giant"));
        byte[] max = Chip.frame(MAC, PEER, 0x0800, 1500, 1);
        c.emu.receive(max, 0, max.length);
        assertEquals(1, c.emu.pendingPackets());
        c.wcr(2, 0x02, 0x32 | 0x04); // HFRMEN
        c.emu.receive(big, 0, big.length);
        assertEquals(2, c.emu.pendingPackets());
    }

    @Test
    void needsRxenAndMarxen() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(MAC, PEER, 0x0800, 46, 1);
        c.wcr(2, 0x00, 0x0C); // MARXEN off
        c.emu.receive(f, 0, f.length);
        c.wcr(2, 0x00, 0x0D);
        c.bfc(0x1F, 0x04);
        c.emu.receive(f, 0, f.length);
        assertEquals(0, c.emu.pendingPackets());
        assertEquals(2, c.emu.counters().value("rx.disabled"));
        c.emu.setLink(false);
        c.bfs(0x1F, 0x04);
        c.emu.receive(f, 0, f.length);
        assertEquals(0, c.emu.pendingPackets());
        assertEquals(1, c.emu.counters().value("rx.linkdown"));
    }

    @Test
    void overflowWhenHostDoesNotFreeSpace() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(MAC, PEER, 0x0800, 1000, 1); // 1014 + 4 + 6 = 1024 per packet
        int stored = 0;
        for (int i = 0; i < 10; i++) {
            c.emu.receive(f, 0, f.length);
        }
        stored = c.emu.pendingPackets();
        assertEquals(6, stored, "6 x 1024 fit in 6656 - 1 bytes, the 7th does not");
        assertEquals(4, c.emu.counters().value("rx.overflow"));
        assertEquals(0x01, c.rcr(0, 0x1C) & 0x01, "RXERIF");
        // the stored packets are intact
        int next = 0;
        for (int i = 0; i < 6; i++) {
            Packet p = readPacket(c, next, RX_END);
            assertArrayEquals(f, Arrays.copyOf(p.data, f.length));
            if (i == 0) {
                assertEquals(0, p.status & 0x01, "no drop before the first packet");
            }
            next = p.next;
        }
        c.bfc(0x1C, 0x01);
        c.emu.receive(f, 0, f.length);
        Packet p = readPacket(c, next, RX_END);
        assertEquals(0x01, p.status & 0x01, "RSV bit 16: a packet was dropped since the last one");
        assertArrayEquals(f, Arrays.copyOf(p.data, f.length));
    }

    @Test
    void neverWritesIntoTheErxrdptByte() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        // ERXRDPT stays at ERXND (0x19FF). Fill exactly: ring = 0x1A00 bytes, usable 0x19FF.
        byte[] f = Chip.frame(MAC, PEER, 0x0800, 1000, 1);
        for (int i = 0; i < 10; i++) {
            c.emu.receive(f, 0, f.length);
        }
        int wr = c.emu.register(0, 0x0E) | c.emu.register(0, 0x0F) << 8;
        int free = RX_END - wr; // bytes wr..0x19FE
        int need = free & ~1; // packets are padded to even
        byte[] exact = Chip.frame(MAC, PEER, 0x0800, need - 6 - 4 - 14, 2);
        byte before = (byte) c.emu.memory(RX_END);
        c.emu.receive(exact, 0, exact.length);
        assertEquals(7, c.emu.pendingPackets(), "a packet ending right before ERXRDPT fits");
        assertEquals(before & 0xFF, c.emu.memory(RX_END), "the ERXRDPT byte is untouched");
        byte[] one = Chip.frame(MAC, PEER, 0x0800, 46, 3);
        c.emu.receive(one, 0, one.length);
        assertEquals(7, c.emu.pendingPackets());
    }

    @Test
    void epktcntSaturatesAt255() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(MAC, PEER, 0x0800, 0, 1); // 60 + 4 + 6 = 70 bytes; 255 * 70 > 6656
        // free space as we go so only the counter limits
        int next = 0;
        for (int i = 0; i < 255; i++) {
            c.emu.receive(f, 0, f.length);
            c.wcr16(0, 0x00, next);
            byte[] h = c.rbm(2);
            next = (h[0] & 0xFF) | (h[1] & 0xFF) << 8;
            c.wcr16(0, 0x0C, next == 0 ? RX_END : next - 1);
        }
        assertEquals(255, c.rcr(1, 0x19));
        assertEquals(0, c.rcr(0, 0x1C) & 0x01);
        c.emu.receive(f, 0, f.length);
        assertEquals(255, c.rcr(1, 0x19));
        assertEquals(0x01, c.rcr(0, 0x1C) & 0x01, "RXERIF at 255");
        assertEquals(1, c.emu.counters().value("rx.overflow.pktcnt"));
    }

    @Test
    void injectedOverflowLeavesRingUntouched() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(MAC, PEER, 0x0800, 46, 1);
        c.emu.faults().rxOverflow(2);
        for (int i = 0; i < 3; i++) {
            c.emu.receive(f, 0, f.length);
        }
        assertEquals(1, c.emu.pendingPackets());
        assertEquals(2, c.emu.counters().value("rx.overflow"));
        assertEquals(1, c.rcr(0, 0x1C) & 0x01);
    }

    @Test
    void fillRingThenRealOverflow() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        int n = c.emu.faults().fillRing();
        assertEquals(n, c.emu.pendingPackets());
        assertTrue(n > 90, "6.5 KB ring holds ~95 minimal packets: " + n);
        byte[] f = Chip.frame(MAC, PEER, 0x0800, 46, 1);
        c.emu.receive(f, 0, f.length);
        assertEquals(n, c.emu.pendingPackets());
        assertEquals(1, c.rcr(0, 0x1C) & 0x01);
    }

    @Test
    void headerFaults() {
        for (Faults.RxHeaderFault kind : Faults.RxHeaderFault.values()) {
            Chip c = initialised(new EmulatorConfig().strict(true));
            byte[] f = Chip.frame(MAC, PEER, 0x0800, 100, 1);
            c.emu.faults().corruptNextRxHeader(kind);
            c.emu.receive(f, 0, f.length);
            c.emu.receive(f, 0, f.length);
            c.wcr16(0, 0x00, 0);
            byte[] h = c.rbm(6);
            int next = (h[0] & 0xFF) | (h[1] & 0xFF) << 8;
            int count = (h[2] & 0xFF) | (h[3] & 0xFF) << 8;
            int status = (h[4] & 0xFF) | (h[5] & 0xFF) << 8;
            switch (kind) {
                case NEXT_POINTER_ODD -> assertEquals(1, next & 1);
                case NEXT_POINTER_OUTSIDE_RING -> assertTrue(next > RX_END, Integer.toHexString(next));
                case BYTE_COUNT_ZERO -> assertEquals(0, count);
                case BYTE_COUNT_3 -> assertEquals(3, count);
                case BYTE_COUNT_1600 -> assertEquals(1600, count);
                case RECEIVED_OK_CLEAR -> assertEquals(0, status & 0x80);
                case CRC_ERROR_SET -> assertEquals(0x10, status & 0x90);
            }
            // the second packet is unharmed and where the real pointer says
            c.wcr16(0, 0x00, 124); // 6 + 114 + 4
            byte[] h2 = c.rbm(6);
            assertEquals(118, (h2[2] & 0xFF) | (h2[3] & 0xFF) << 8, kind.name());
            assertEquals(0x80, h2[4] & 0x80, kind.name());
        }
    }

    @Test
    void phantomPacketsAndReadingPastTheWritePointerIsMisuse() {
        Chip c = initialised(new EmulatorConfig());
        c.emu.faults().phantomPackets(2);
        assertEquals(2, c.rcr(1, 0x19));
        assertFalse(c.emu.interruptPin().isHigh());
        c.wcr16(0, 0x00, 0);
        c.rbm(6);
        assertTrue(c.emu.misuse().contains("RBM read past ERXWRPT"), c.emu.misuse().lines().toString());
    }

    @Test
    void spuriousInterruptFallsOnceWithNothingPending() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        int[] falls = {0};
        c.emu.interruptPin().onEdge(io.ethling.hal.DigitalInput.Edge.FALLING, () -> falls[0]++);
        c.emu.faults().spuriousInterrupt();
        assertFalse(c.emu.interruptPin().isHigh());
        assertEquals(1, falls[0]);
        assertEquals(0, c.rcr(1, 0x19));
        assertTrue(c.emu.interruptPin().isHigh(), "released after the next transaction");
        assertEquals(0, c.rcr(0, 0x1C) & 0x7B);
    }

    @Test
    void randomHeaderFaultsAreSeededAndCounted() {
        Chip c = initialised(new EmulatorConfig().seed(5));
        c.emu.faults().rxHeaderFaultProbability(0.5);
        byte[] f = Chip.frame(MAC, PEER, 0x0800, 46, 1);
        for (int i = 0; i < 40; i++) {
            c.emu.receive(f, 0, f.length);
        }
        long n = c.emu.counters().value("rx.header.faults");
        assertTrue(n > 8 && n < 32, "seed 5: " + n);
    }

    @Test
    void evenErxrdptCanCorruptTheRing() {
        // Errata #14: with an even ERXRDPT a packet can end exactly at it; ERXWRPT == ERXRDPT
        // then reads as an empty ring and the next frame overwrites unread packets.
        Chip c = initialised(new EmulatorConfig());
        byte[] f = Chip.frame(MAC, PEER, 0x0800, 1000, 1); // 1024 per packet
        c.wcr16(0, 0x0C, 2048); // even: room for exactly two packets
        c.emu.receive(f, 0, f.length);
        c.emu.receive(f, 0, f.length);
        assertEquals(2, c.emu.pendingPackets());
        assertEquals(2048, c.rcr16(0, 0x0E), "ERXWRPT == ERXRDPT");
        byte[] g = Chip.frame(MAC, PEER, 0x0800, 1000, 2);
        c.emu.receive(g, 0, g.length);
        c.emu.receive(g, 0, g.length);
        c.emu.receive(g, 0, g.length);
        c.emu.receive(g, 0, g.length);
        c.emu.receive(g, 0, g.length);
        c.emu.receive(g, 0, g.length);
        c.wcr16(0, 0x00, 0);
        c.rbm(6);
        byte[] first = c.rbm(f.length);
        assertFalse(Arrays.equals(f, first), "the unread first packet was overwritten");
        assertTrue(c.emu.misuse().contains("errata #14"));
    }

    @Test
    void hashTableFilter() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        c.bfc(0x1F, 0x04);
        c.wcr(1, 0x18, 0x20 | 0x04); // CRCEN | HTEN
        c.bfs(0x1F, 0x04);
        byte[] mc = Chip.frame(0x01005E0000FBL, PEER, 0x0800, 46, 1);
        c.emu.receive(mc, 0, mc.length);
        assertEquals(0, c.emu.pendingPackets(), "empty hash table rejects");
        c.bfc(0x1F, 0x04);
        for (int i = 0; i < 8; i++) {
            c.wcr(1, i, 0xFF);
        }
        c.bfs(0x1F, 0x04);
        c.emu.receive(mc, 0, mc.length);
        assertEquals(1, c.emu.pendingPackets(), "full hash table accepts");
        // exactly one of the 64 bits selects this address
        int hits = 0;
        for (int bit = 0; bit < 64; bit++) {
            Chip d = initialised(new EmulatorConfig().strict(true));
            d.bfc(0x1F, 0x04);
            d.wcr(1, 0x18, 0x04);
            d.wcr(1, bit >>> 3, 1 << (bit & 7));
            d.bfs(0x1F, 0x04);
            d.emu.receive(mc, 0, mc.length);
            hits += d.emu.pendingPackets();
        }
        assertEquals(1, hits);
    }

    @Test
    void magicPacketFilter() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        c.bfc(0x1F, 0x04);
        c.wcr(1, 0x18, 0x08); // MPEN
        c.bfs(0x1F, 0x04);
        byte[] plain = Chip.frame(0xFFFFFFFFFFFFL, PEER, 0x0842, 102, 1);
        c.emu.receive(plain, 0, plain.length);
        assertEquals(0, c.emu.pendingPackets());
        byte[] magic = plain.clone();
        for (int i = 0; i < 6; i++) {
            magic[14 + i] = (byte) 0xFF;
        }
        for (int r = 0; r < 16; r++) {
            for (int i = 0; i < 6; i++) {
                magic[20 + r * 6 + i] = (byte) (MAC >>> (40 - 8 * i));
            }
        }
        c.emu.receive(magic, 0, magic.length);
        assertEquals(1, c.emu.pendingPackets());
    }

    @Test
    void powerSaveStopsReceptionAndClkrdy() {
        Chip c = initialised(new EmulatorConfig().strict(true).advanceClockOnSpi(false));
        c.bfc(0x1F, 0x04);
        c.bfs(0x1E, 0x20); // PWRSV
        assertEquals(0, c.rcr(0, 0x1D) & 0x01, "CLKRDY off in power save");
        c.bfs(0x1F, 0x04);
        byte[] f = Chip.frame(MAC, PEER, 0x0800, 46, 1);
        c.emu.receive(f, 0, f.length);
        assertEquals(0, c.emu.pendingPackets());
        c.bfc(0x1E, 0x20);
        c.clock.advanceNanos(300_000);
        assertEquals(1, c.rcr(0, 0x1D) & 0x01, "CLKRDY back after wake-up");
        c.emu.receive(f, 0, f.length);
        assertEquals(1, c.emu.pendingPackets());
    }

    @Test
    void rxrstClearsPendingAndBlocksReception() {
        Chip c = initialised(new EmulatorConfig().strict(true));
        byte[] f = Chip.frame(MAC, PEER, 0x0800, 46, 1);
        c.emu.receive(f, 0, f.length);
        c.bfc(0x1F, 0x04);
        c.bfs(0x1F, 0x40); // RXRST
        assertEquals(0, c.rcr(1, 0x19));
        c.bfs(0x1F, 0x04);
        c.emu.receive(f, 0, f.length);
        assertEquals(0, c.emu.pendingPackets(), "held in reset");
        c.bfc(0x1F, 0x44);
        c.wcr16(0, 0x08, 0x0000);
        c.wcr16(0, 0x0C, RX_END);
        c.bfs(0x1F, 0x04);
        c.emu.receive(f, 0, f.length);
        Packet p = readPacket(c, 0, RX_END);
        assertEquals(64, p.count);
    }
}
