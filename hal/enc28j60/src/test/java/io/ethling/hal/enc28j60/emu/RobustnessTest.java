package io.ethling.hal.enc28j60.emu;

import static org.junit.jupiter.api.Assertions.*;

import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.VirtualWire;
import io.ethling.hal.emulator.WireFaults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RobustnessTest {

    static final long MAC = 0x02_11_22_33_44_55L;
    static final long PEER = 0x02_66_77_88_99_AAL;
    static final long MS = 1_000_000L;

    /** Every delivered frame must be a sent frame, whole, in sending order (a subsequence). */
    static void assertSubsequence(List<byte[]> sent, List<byte[]> got, String ctx) {
        int j = 0;
        for (int i = 0; i < got.size(); i++) {
            while (j < sent.size() && !Arrays.equals(sent.get(j), got.get(i))) {
                j++;
            }
            assertTrue(j < sent.size(), "delivered frame " + i + " (" + got.get(i).length + " bytes) was never sent, or out of order: " + ctx);
            j++;
        }
    }

    @Test
    void randomHeaderFaultsNeverDeliverGarbage() {
        long seed = Long.getLong("ethling.seed", 424242L);
        Board b = new Board(seed, Board.config(MAC), true);
        assertEquals(EthernetDevice.OK, b.drv.init());
        b.chip.faults().rxHeaderFaultProbability(0.03);
        Random rnd = new Random(seed);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int burst = 1 + rnd.nextInt(3);
            for (int k = 0; k < burst; k++) {
                byte[] f = EmulatorIntegrationTest.frame(rnd, 60 + rnd.nextInt(1455), MAC, PEER);
                sent.add(f);
                b.chip.receive(f, 0, f.length);
            }
            b.run(4 * MS);
        }
        b.run(3_000 * MS);
        String ctx = "seed=" + seed + " " + b.counters();
        assertSubsequence(sent, b.received, ctx);
        long drops = b.c("rx.drop.length") + b.c("rx.drop.status") + b.c("rx.drop.crc") + b.c("rx.reset");
        assertTrue(drops > 50, "faults were injected and handled: " + ctx);
        assertTrue(b.received.size() > sent.size() * 8 / 10, "most frames still delivered: " + b.received.size() + "/" + sent.size() + " " + ctx);
        assertEquals(0, b.c("chip.reinit"), ctx);
        assertEquals(0, b.chip.misuse().count(), b.chip.misuse().lines().toString());
    }

    @Test
    void lossyWireBetweenTwoBoardsFullDuplexSmallRing() {
        long seed = Long.getLong("ethling.seed", 777L);
        VirtualClock clock = new VirtualClock();
        Board a = new Board(seed, clock, new EmulatorConfig().seed(seed).strict(true),
                Board.config(MAC).fullDuplex(true).rxBufferEnd(0x0FFF).multicast(true), true);
        Board b = new Board(seed + 1, clock, new EmulatorConfig().seed(seed + 1).strict(true),
                Board.config(PEER).fullDuplex(true).rxBufferEnd(0x0BFF), false);
        VirtualWire wire = new VirtualWire(clock, WireFaults.none().drop(0.05).duplicate(0.05).reorder(0.05).delayNanos(200_000), seed);
        a.chip.connect(wire.portA());
        b.chip.connect(wire.portB());
        wire.attachA(a.chip.wireInput());
        wire.attachB(b.chip.wireInput());
        assertEquals(EthernetDevice.OK, a.drv.init());
        assertEquals(EthernetDevice.OK, b.drv.init());
        assertEquals(0x0100, a.chip.phyRegister(0x00) & 0x0100, "PDPXMD full (errata #16)");
        Random rnd = new Random(seed);
        List<byte[]> aSent = new ArrayList<>();
        int busy = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] f = EmulatorIntegrationTest.frame(rnd, 60 + rnd.nextInt(1455), PEER, MAC);
            if ((i & 15) == 0) {
                f[0] = (byte) 0xFF; // broadcast now and then
                for (int k = 1; k < 6; k++) {
                    f[k] = (byte) 0xFF;
                }
            }
            int r = a.drv.transmit(f, 0, f.length);
            if (r == EthernetDevice.OK) {
                aSent.add(f);
            } else {
                assertEquals(EthernetDevice.ERR_BUSY, r);
                busy++;
            }
            for (int k = 0; k < 20; k++) {
                a.step();
                b.step();
                wire.deliver();
                long next = Math.min(Math.min(a.nextNs(), b.nextNs()), wire.nextDeliveryNs());
                long now = clock.nanoTime();
                clock.advanceTo(Math.max(now + 1, Math.min(next, now + 200_000)));
            }
        }
        for (int k = 0; k < 200; k++) {
            a.step();
            b.step();
            wire.deliver();
            clock.advanceNanos(100_000);
        }
        // duplicates and reordering are the wire's doing: check membership and integrity only
        for (byte[] got : b.received) {
            boolean found = false;
            for (byte[] s : aSent) {
                if (Arrays.equals(s, got)) {
                    found = true;
                    break;
                }
            }
            assertTrue(found, "B got a frame A never sent, seed=" + seed);
        }
        assertTrue(b.received.size() > aSent.size() * 8 / 10, b.received.size() + "/" + aSent.size() + " busy=" + busy + " " + b.counters());
        assertEquals(0, a.chip.misuse().count(), a.chip.misuse().lines().toString());
        assertEquals(0, b.chip.misuse().count(), b.chip.misuse().lines().toString());
    }

    @Test
    void dirtyBuffersAndOffsets() {
        Board b = new Board(5, Board.config(MAC), true);
        assertEquals(EthernetDevice.OK, b.drv.init());
        b.captureWire();
        Random rnd = new Random(5);
        for (int len : new int[] {60, 333, 1514}) {
            byte[] f = EmulatorIntegrationTest.frame(rnd, len, MAC, PEER);
            b.chip.receive(f, 0, len);
            b.run(3 * MS);
            // drain it ourselves, into a junk-filled array at an offset
            byte[] junk = new byte[2000];
            Arrays.fill(junk, (byte) 0xA5);
            int n = 0;
            // the Board loop already took it: replay through a fresh frame instead
            b.received.clear();
            b.chip.receive(f, 0, len);
            b.keepReceived = false;
            for (int i = 0; i < 100 && n == 0; i++) {
                b.chip.tick();
                n = b.drv.receive(junk, 123, 1514);
                if (n == 0) {
                    b.clock.advanceNanos(100_000);
                    b.drv.poll(b.clock.nanoTime());
                }
            }
            b.keepReceived = true;
            assertEquals(len, n);
            assertArrayEquals(f, Arrays.copyOfRange(junk, 123, 123 + len));
            for (int i = 0; i < 123; i++) {
                assertEquals((byte) 0xA5, junk[i], "byte before the offset touched");
            }
            for (int i = 123 + len; i < junk.length; i++) {
                assertEquals((byte) 0xA5, junk[i], "byte after the frame touched");
            }
            // transmit from an offset inside a junk-filled array
            byte[] src = new byte[2000];
            Arrays.fill(src, (byte) 0x5A);
            System.arraycopy(f, 0, src, 77, len);
            b.wire.clear();
            assertEquals(EthernetDevice.OK, b.drv.transmit(src, 77, len));
            b.run(3 * MS);
            assertEquals(1, b.wire.size());
            EmulatorIntegrationTest.assertOnWire(f, b.wire.get(0), "tx from offset");
        }
        assertEquals(0, b.chip.misuse().count(), b.chip.misuse().lines().toString());
    }
}
