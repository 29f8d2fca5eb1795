package io.ethling.hal.enc28j60.emu;

import static org.junit.jupiter.api.Assertions.*;

import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.VirtualWire;
import io.ethling.hal.emulator.WireFaults;
import io.ethling.hal.enc28j60.Enc28j60Config;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SPI cost per frame, allocation per frame, and a long two-board run over a virtual wire. */
class SteadyStateTest {

    static final long MAC_A = 0x02_00_00_00_00_0AL;
    static final long MAC_B = 0x02_00_00_00_00_0BL;
    static final long MS = 1_000_000L;

    static Enc28j60Config quiet(long mac) {
        // the supervisor would add its own transactions to the measured window
        return Board.config(mac).supervisorIntervalNs(3_600_000 * MS);
    }

    /** Runs the board's loop until {@code cond} holds, at most {@code maxNs}. */
    interface Cond {
        boolean ok();
    }

    static void runUntil(Board b, Cond cond, long maxNs) {
        long end = b.clock.nanoTime() + maxNs;
        while (!cond.ok() && b.clock.nanoTime() - end < 0) {
            b.step();
            if (cond.ok()) {
                break;
            }
            long next = b.nextNs();
            long now = b.clock.nanoTime();
            b.clock.advanceTo(next - now > 0 ? (next - end < 0 ? next : end) : now + 1);
        }
        assertTrue(cond.ok(), "condition not reached seed=" + b.seed + " " + b.counters());
    }

    record Cost(long maxTransactions, long maxBytes, double avgTransactions, double avgBytes) {
    }

    static Cost rxCost(boolean pin, int len, int frames) {
        Board b = new Board(7, quiet(MAC_A), pin);
        assertEquals(EthernetDevice.OK, b.drv.init());
        b.keepReceived = false;
        Random rnd = new Random(len);
        byte[] f = EmulatorIntegrationTest.frame(rnd, len, MAC_A, MAC_B);
        long maxT = 0, maxB = 0, sumT = 0, sumB = 0;
        for (int i = 0; i < frames + 20; i++) {
            long before = b.c("rx.frames");
            b.chip.stats().reset();
            b.chip.receive(f, 0, len);
            runUntil(b, () -> b.c("rx.frames") == before + 1, 50 * MS);
            b.step(); // the loop's next pass (finds nothing more)
            long t = b.chip.stats().transactions();
            long by = b.chip.stats().bytes();
            if (i >= 20) { // warm
                maxT = Math.max(maxT, t);
                maxB = Math.max(maxB, by);
                sumT += t;
                sumB += by;
            }
        }
        assertEquals(0, b.chip.misuse().count(), b.chip.misuse().lines().toString());
        return new Cost(maxT, maxB, (double) sumT / frames, (double) sumB / frames);
    }

    static Cost txCost(boolean pin, int len, int frames) {
        Board b = new Board(8, quiet(MAC_A), pin);
        assertEquals(EthernetDevice.OK, b.drv.init());
        Random rnd = new Random(len);
        byte[] f = EmulatorIntegrationTest.frame(rnd, len, MAC_B, MAC_A);
        long maxT = 0, maxB = 0, sumT = 0, sumB = 0;
        for (int i = 0; i < frames + 20; i++) {
            long before = b.c("tx.frames");
            b.chip.stats().reset();
            assertEquals(EthernetDevice.OK, b.drv.transmit(f, 0, len));
            runUntil(b, () -> b.c("tx.frames") == before + 1, 50 * MS);
            long t = b.chip.stats().transactions();
            long by = b.chip.stats().bytes();
            if (i >= 20) {
                maxT = Math.max(maxT, t);
                maxB = Math.max(maxB, by);
                sumT += t;
                sumB += by;
            }
        }
        assertEquals(0, b.chip.misuse().count(), b.chip.misuse().lines().toString());
        return new Cost(maxT, maxB, (double) sumT / frames, (double) sumB / frames);
    }

    @Test
    void spiCostPerFrameWithinBudget() {
        StringBuilder report = new StringBuilder();
        for (boolean pin : new boolean[] {true, false}) {
            for (int len : new int[] {60, 1514}) {
                Cost rx = rxCost(pin, len, 100);
                Cost tx = txCost(pin, len, 100);
                int rsvLen = len + 4; // the budget's len is the RSV byte count, incl. FCS (ENC28J60.md §9)
                report.append(String.format("%s rx.%d: max %d transactions, %d bytes (len+%d); tx.%d: max %d transactions, %d bytes (len+%d)%n",
                        pin ? "int-pin" : "polling", len, rx.maxTransactions(), rx.maxBytes(), rx.maxBytes() - rsvLen,
                        len, tx.maxTransactions(), tx.maxBytes(), tx.maxBytes() - len));
                if (pin) {
                    assertTrue(rx.maxTransactions() <= 6, "rx." + len + " transactions " + rx);
                    assertTrue(rx.maxBytes() <= rsvLen + 16, "rx." + len + " bytes " + rx);
                    assertTrue(tx.maxTransactions() <= 9, "tx." + len + " transactions " + tx);
                }
            }
        }
        System.out.print(report);
    }

    @Test
    void txCostWithAlternatingSizesStaysWithinBudget() {
        Board b = new Board(9, quiet(MAC_A), true);
        assertEquals(EthernetDevice.OK, b.drv.init());
        Random rnd = new Random(9);
        long maxT = 0;
        for (int i = 0; i < 200; i++) {
            int len = 60 + rnd.nextInt(1455);
            byte[] f = EmulatorIntegrationTest.frame(rnd, len, MAC_B, MAC_A);
            long before = b.c("tx.frames");
            b.chip.stats().reset();
            assertEquals(EthernetDevice.OK, b.drv.transmit(f, 0, len));
            runUntil(b, () -> b.c("tx.frames") == before + 1, 50 * MS);
            if (i > 5) {
                maxT = Math.max(maxT, b.chip.stats().transactions());
            }
        }
        assertTrue(maxT <= 9, "max transactions per TX frame " + maxT);
    }

    @Test
    void zeroBytesAllocatedPerFrameInTheDriver() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (boolean pin : new boolean[] {true, false}) {
            Board b = new Board(12, Board.config(MAC_A).supervisorIntervalNs(20 * MS), pin);
            assertEquals(EthernetDevice.OK, b.drv.init());
            Random rnd = new Random(12);
            byte[][] fs = new byte[8][];
            for (int i = 0; i < fs.length; i++) {
                fs[i] = EmulatorIntegrationTest.frame(rnd, 60 + rnd.nextInt(1455), MAC_A, MAC_B);
            }
            byte[] dst = new byte[1514];
            long driverBytes = 0;
            long emulatorBytes = 0;
            int delivered = 0;
            for (int round = 0; round < 2; round++) { // round 0 warms up (JIT, lazily built tables)
                driverBytes = 0;
                emulatorBytes = 0;
                delivered = 0;
                for (int i = 0; i < 3000; i++) {
                    byte[] f = fs[i & 7];
                    long e0 = mx.getCurrentThreadAllocatedBytes();
                    b.chip.receive(f, 0, f.length);
                    b.chip.tick();
                    b.clock.advanceNanos(2 * MS);
                    b.chip.tick();
                    long a = mx.getCurrentThreadAllocatedBytes();
                    emulatorBytes += a - e0;
                    long now = b.clock.nanoTime();
                    b.drv.poll(now);
                    int n = b.drv.receive(dst, 0, dst.length);
                    int r = n > 0 ? b.drv.transmit(dst, 0, n) : 0;
                    b.drv.receive(dst, 0, dst.length);
                    b.drv.poll(b.clock.nanoTime());
                    long z = mx.getCurrentThreadAllocatedBytes();
                    driverBytes += z - a;
                    if (n > 0 && r == EthernetDevice.OK) {
                        delivered++;
                    }
                }
            }
            assertTrue(delivered > 2900, "traffic flowed: " + delivered + " " + b.counters());
            assertTrue(b.c("supervisor.checks") > 100, "supervisor ran inside the measured window");
            assertEquals(0, driverBytes, "bytes allocated in driver calls (incl. the emulator's transfer) over 3000 warm RX+TX cycles, pin=" + pin
                    + "; emulator alone allocated " + emulatorBytes);
        }
    }

    @Test
    void tenThousandRandomFramesBetweenTwoBoardsByteExact() {
        long seed = Long.getLong("ethling.seed", 20261121L);
        try {
            runTwoBoards(seed, 10_000);
        } catch (AssertionError e) {
            throw new AssertionError("seed=" + seed + " (rerun with -Dethling.seed=" + seed + "): " + e.getMessage(), e);
        }
    }

    static void runTwoBoards(long seed, int total) {
        VirtualClock clock = new VirtualClock();
        Board a = new Board(seed, clock, new EmulatorConfig().seed(seed).strict(true), Board.config(MAC_A), true);
        Board b = new Board(seed + 1, clock, new EmulatorConfig().seed(seed + 1).strict(true), Board.config(MAC_B), true);
        VirtualWire wire = new VirtualWire(clock, WireFaults.none(), seed);
        a.chip.connect(wire.portA());
        b.chip.connect(wire.portB());
        wire.attachA(a.chip.wireInput());
        wire.attachB(b.chip.wireInput());
        assertEquals(EthernetDevice.OK, a.drv.init());
        assertEquals(EthernetDevice.OK, b.drv.init());
        Random rnd = new Random(seed);
        ArrayDeque<byte[]> aToB = new ArrayDeque<>();
        ArrayDeque<byte[]> bToA = new ArrayDeque<>();
        ArrayDeque<byte[]> aQueue = new ArrayDeque<>();
        ArrayDeque<byte[]> bQueue = new ArrayDeque<>();
        for (int i = 0; i < total; i++) {
            boolean fromA = rnd.nextBoolean();
            byte[] f = EmulatorIntegrationTest.frame(rnd, 60 + rnd.nextInt(1455), fromA ? MAC_B : MAC_A, fromA ? MAC_A : MAC_B);
            (fromA ? aQueue : bQueue).add(f);
        }
        int gotA = 0;
        int gotB = 0;
        int spins = 0;
        long start = clock.nanoTime();
        while (gotA + gotB < total) {
            if (!aQueue.isEmpty() && a.drv.transmit(aQueue.peek(), 0, aQueue.peek().length) == EthernetDevice.OK) {
                aToB.add(aQueue.poll());
            }
            if (!bQueue.isEmpty() && b.drv.transmit(bQueue.peek(), 0, bQueue.peek().length) == EthernetDevice.OK) {
                bToA.add(bQueue.poll());
            }
            a.step();
            b.step();
            wire.deliver();
            for (byte[] r : b.received) {
                byte[] exp = aToB.poll();
                assertNotNull(exp, "B received a frame nobody sent");
                assertArrayEquals(exp, r, "A->B frame " + gotB);
                gotB++;
            }
            b.received.clear();
            for (byte[] r : a.received) {
                byte[] exp = bToA.poll();
                assertNotNull(exp, "A received a frame nobody sent");
                assertArrayEquals(exp, r, "B->A frame " + gotA);
                gotA++;
            }
            a.received.clear();
            long now = clock.nanoTime();
            long next = Math.min(Math.min(a.nextNs(), b.nextNs()), wire.nextDeliveryNs());
            if (!aQueue.isEmpty() || !bQueue.isEmpty()) {
                next = Math.min(next, now + 50_000); // the application has more to send
            }
            if (next - now > 0) {
                clock.advanceTo(next);
                spins = 0;
            } else if (++spins > 10_000) {
                fail("loop spins at " + now + " a=" + a.counters() + " b=" + b.counters());
            }
            assertTrue(clock.nanoTime() - start < 60_000 * MS, "took too long (virtual): A " + a.counters() + " B " + b.counters());
        }
        for (Board x : new Board[] {a, b}) {
            assertEquals(0, x.chip.misuse().count(), x.chip.misuse().lines().toString());
            for (String c : new String[] {"rx.drop.status", "rx.drop.crc", "rx.drop.length", "rx.reset", "tx.abort", "tx.timeout", "chip.reinit", "rx.overflow"}) {
                assertEquals(0, x.c(c), c + " " + x.counters());
            }
        }
        System.out.printf("two boards: %d frames, %.1f virtual ms%n", total, (clock.nanoTime() - start) / 1e6);
    }

    @Test
    void burstCostsLessPerFrame() {
        Board b = new Board(13, quiet(MAC_A), true);
        assertEquals(EthernetDevice.OK, b.drv.init());
        Random rnd = new Random(13);
        StringBuilder report = new StringBuilder();
        for (int len : new int[] {60, 1514}) {
            int k = len == 60 ? 16 : 4;
            byte[][] fs = new byte[k][];
            for (int i = 0; i < k; i++) {
                fs[i] = EmulatorIntegrationTest.frame(rnd, len, MAC_A, MAC_B);
            }
            // let the frames land in the ring first, then drain them as one burst
            b.received.clear();
            for (byte[] f : fs) {
                b.chip.receive(f, 0, f.length);
            }
            for (int i = 0; i < 1000 && b.chip.nextEventNs() != Long.MAX_VALUE; i++) {
                b.clock.advanceTo(Math.max(b.clock.nanoTime() + 1, b.chip.nextEventNs()));
                b.chip.tick();
            }
            b.chip.stats().reset();
            b.step();
            assertEquals(k, b.received.size(), b.counters());
            for (int i = 0; i < k; i++) {
                assertArrayEquals(fs[i], b.received.get(i));
            }
            double perFrame = (double) b.chip.stats().transactions() / k;
            report.append(String.format("burst of %d x %d: %.2f transactions/frame, %.1f bytes/frame (len+%.1f)%n", k, len, perFrame,
                    (double) b.chip.stats().bytes() / k, (double) b.chip.stats().bytes() / k - (len + 4)));
            // one ERXWRPTL read, RBM header + RBM frame + PKTDEC per frame, ERXRDPT (2 WCRs) at the end of
            // the burst and whenever a quarter of the ring (1664 bytes) has been consumed
            int frees = len == 60 ? 1 : k / 2;
            assertEquals(1 + 3 * k + 2 * frees, b.chip.stats().transactions(), "transactions for a burst of " + k + " x " + len);
        }
        assertEquals(0, b.chip.misuse().count(), b.chip.misuse().lines().toString());
        System.out.print(report);
    }

    @Test
    void recoveryPathsAllocateNothingEither() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Board b = new Board(14, Board.config(MAC_A).supervisorIntervalNs(50 * MS), true);
        assertEquals(EthernetDevice.OK, b.drv.init());
        Random rnd = new Random(14);
        byte[][] fs = new byte[8][];
        for (int i = 0; i < fs.length; i++) {
            fs[i] = EmulatorIntegrationTest.frame(rnd, 60 + rnd.nextInt(1455), MAC_A, MAC_B);
        }
        io.ethling.hal.emulator.Faults.RxHeaderFault[] hf = io.ethling.hal.emulator.Faults.RxHeaderFault.values();
        byte[] dst = new byte[1514];
        long driverBytes = 0;
        for (int round = 0; round < 2; round++) {
            driverBytes = 0;
            for (int i = 0; i < 2000; i++) {
                switch (i % 50) { // the emulator's fault hooks run outside the measured window
                    case 0 -> b.chip.faults().spontaneousReset();
                    case 5 -> b.chip.faults().corruptNextRxHeader(hf[(i / 50) % hf.length]);
                    case 10 -> b.chip.faults().phantomPackets(3);
                    case 15 -> b.chip.faults().lateCollisionNextTx(2);
                    case 20 -> b.chip.faults().abortNextTx(1);
                    case 25 -> b.chip.faults().rxOverflow(2);
                    case 30 -> b.chip.faults().stuckSpi(0xFF);
                    case 33 -> b.chip.faults().stuckSpi(-1);
                    case 40 -> b.chip.faults().spuriousInterrupt();
                    default -> { }
                }
                byte[] f = fs[i & 7];
                b.chip.receive(f, 0, f.length);
                b.chip.tick();
                b.clock.advanceNanos(3 * MS);
                b.chip.tick();
                long a = mx.getCurrentThreadAllocatedBytes();
                b.drv.poll(b.clock.nanoTime());
                int n = b.drv.receive(dst, 0, dst.length);
                if (n > 0) {
                    b.drv.transmit(dst, 0, n);
                }
                b.drv.receive(dst, 0, dst.length);
                b.drv.poll(b.clock.nanoTime());
                driverBytes += mx.getCurrentThreadAllocatedBytes() - a;
            }
        }
        String ctx = b.counters();
        assertTrue(b.c("chip.reinit") > 20 && b.c("rx.reset") > 5 && b.c("tx.latecollision.retry") > 10, ctx);
        assertEquals(0, driverBytes, "bytes allocated by the driver while recovering: " + ctx);
    }
}
