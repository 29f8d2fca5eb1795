package io.ethling.hal.enc28j60.emu;

import static org.junit.jupiter.api.Assertions.*;

import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.Faults;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** "It goes deaf after hours": an hour of virtual traffic under random faults, then it must work. */
class SoakTest {

    static final long MAC = 0x02_11_22_33_44_55L;
    static final long PEER = 0x02_66_77_88_99_AAL;
    static final long MS = 1_000_000L;

    @Test
    void anHourOfRandomFaultsAndTheDeviceStillWorks() {
        for (boolean pin : new boolean[] {true, false}) {
            long seed = Long.getLong("ethling.seed", pin ? 9001L : 9002L);
            try {
                soak(seed, pin);
            } catch (AssertionError e) {
                throw new AssertionError("seed=" + seed + " pin=" + pin + " (rerun with -Dethling.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    static void soak(long seed, boolean pin) {
        Board b = new Board(seed, Board.config(MAC), pin);
        assertEquals(EthernetDevice.OK, b.drv.init());
        b.captureWire();
        b.tail = new TailTrace(120);
        b.chip.trace(b.tail);
        Random rnd = new Random(seed);
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> got = new ArrayList<>();
        long end = b.clock.nanoTime() + 3_600_000 * MS;
        long nextFault = b.clock.nanoTime() + 2_000 * MS;
        int faults = 0;
        boolean stuck = false;
        long unstickAt = 0;
        int txOk = 0;
        while (b.clock.nanoTime() - end < 0) {
            byte[] f = EmulatorIntegrationTest.frame(rnd, 60 + rnd.nextInt(1455), MAC, PEER);
            sent.add(f);
            b.chip.receive(f, 0, f.length);
            byte[] t = EmulatorIntegrationTest.frame(rnd, 60 + rnd.nextInt(1455), PEER, MAC);
            if (b.drv.transmit(t, 0, t.length) == EthernetDevice.OK) {
                txOk++;
            }
            b.run(100 * MS);
            got.addAll(b.received);
            b.received.clear();
            b.wire.clear();
            long now = b.clock.nanoTime();
            if (stuck && now - unstickAt >= 0) {
                b.chip.faults().stuckSpi(-1);
                stuck = false;
            }
            if (now - nextFault >= 0) {
                faults++;
                nextFault = now + (1_000 + rnd.nextInt(10_000)) * MS;
                Faults fx = b.chip.faults();
                switch (rnd.nextInt(10)) {
                    case 0 -> fx.spontaneousReset();
                    case 1 -> {
                        if (!stuck) {
                            fx.stuckSpi(rnd.nextBoolean() ? 0x00 : 0xFF);
                            stuck = true;
                            unstickAt = now + (500 + rnd.nextInt(20_000)) * MS;
                        }
                    }
                    case 2 -> fx.linkFlap((10 + rnd.nextInt(3_000)) * MS);
                    case 3 -> fx.corruptNextRxHeader(Faults.RxHeaderFault.values()[rnd.nextInt(Faults.RxHeaderFault.values().length)]);
                    case 4 -> fx.phantomPackets(1 + rnd.nextInt(20));
                    case 5 -> fx.rxOverflow(1 + rnd.nextInt(5));
                    case 6 -> fx.abortNextTx(1 + rnd.nextInt(3));
                    case 7 -> fx.lateCollisionNextTx(1 + rnd.nextInt(20));
                    case 8 -> fx.spuriousInterrupt();
                    default -> { // a burst that fills most of the ring
                        for (int k = 0; k < 12; k++) {
                            byte[] x = EmulatorIntegrationTest.frame(rnd, 60 + rnd.nextInt(1455), MAC, PEER);
                            sent.add(x);
                            b.chip.receive(x, 0, x.length);
                        }
                    }
                }
            }
        }
        if (stuck) {
            b.chip.faults().stuckSpi(-1);
        }
        // quiet period with traffic: the supervisor and the back-off get everything back, and
        // faults armed for "the next n frames" are used up
        for (int i = 0; i < 150; i++) {
            byte[] f = EmulatorIntegrationTest.frame(rnd, 60 + rnd.nextInt(1455), MAC, PEER);
            sent.add(f);
            b.chip.receive(f, 0, f.length);
            byte[] t = EmulatorIntegrationTest.frame(rnd, 60 + rnd.nextInt(1455), PEER, MAC);
            b.drv.transmit(t, 0, t.length);
            b.run(100 * MS);
            got.addAll(b.received);
            b.received.clear();
        }
        b.run(1_000 * MS);
        got.addAll(b.received);
        b.received.clear();
        b.wire.clear();
        String ctx = "faults=" + faults + " txOk=" + txOk + " " + b.counters();
        // never anything stale or garbled: every delivered frame was sent, in order
        int j = 0;
        for (int i = 0; i < got.size(); i++) {
            byte[] g = got.get(i);
            while (j < sent.size() && !java.util.Arrays.equals(sent.get(j), g)) {
                j++;
            }
            assertTrue(j < sent.size(), "delivered frame " + i + " (" + g.length + " bytes) was never sent or came out of order: " + ctx);
            j++;
        }
        assertTrue(got.size() > sent.size() / 2, "most frames delivered: " + got.size() + "/" + sent.size() + " " + ctx);
        // and it still works
        assertTrue(b.drv.linkUp(), ctx);
        for (int i = 0; i < 10; i++) {
            byte[] f = EmulatorIntegrationTest.frame(rnd, 60 + rnd.nextInt(1455), MAC, PEER);
            b.chip.receive(f, 0, f.length);
            byte[] t = EmulatorIntegrationTest.frame(rnd, 60 + rnd.nextInt(1455), PEER, MAC);
            assertEquals(EthernetDevice.OK, b.drv.transmit(t, 0, t.length), ctx);
            b.run(20 * MS);
            assertEquals(1, b.received.size(), "frame " + i + " after the soak: " + ctx);
            assertArrayEquals(f, b.received.remove(0));
            assertFalse(b.wire.isEmpty(), ctx);
            EmulatorIntegrationTest.assertOnWire(t, b.wire.get(b.wire.size() - 1), "after the soak");
        }
        assertTrue(b.c("chip.reinit") >= 1, ctx);
        assertEquals(0, b.chip.misuse().count(), b.chip.misuse().lines().toString());
        System.out.println("soak pin=" + pin + " " + ctx.replace('\n', ' '));
    }

}
