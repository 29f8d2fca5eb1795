package io.ethling.hal.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualWireTest {

    static byte[] numbered(int n, int len) {
        byte[] f = new byte[len];
        f[0] = (byte) (n >>> 8);
        f[1] = (byte) n;
        for (int i = 2; i < len; i++) {
            f[i] = (byte) (i + n);
        }
        return f;
    }

    @Test
    void deliversAfterTheDelayInBothDirections() {
        VirtualClock clock = new VirtualClock();
        VirtualWire w = new VirtualWire(clock, WireFaults.none().delayNanos(50_000), 1);
        List<byte[]> atA = new ArrayList<>();
        List<byte[]> atB = new ArrayList<>();
        w.attachA((b, o, l) -> atA.add(Arrays.copyOfRange(b, o, o + l)));
        w.attachB((b, o, l) -> atB.add(Arrays.copyOfRange(b, o, o + l)));
        byte[] f1 = numbered(1, 60);
        byte[] f2 = numbered(2, 1514);
        w.portA().frame(f1, 0, f1.length);
        w.portB().frame(f2, 0, f2.length);
        assertEquals(50_000, w.nextDeliveryNs());
        clock.advanceNanos(49_999);
        assertEquals(0, w.deliver());
        clock.advanceNanos(1);
        assertEquals(2, w.deliver());
        assertArrayEquals(f1, atB.get(0));
        assertArrayEquals(f2, atA.get(0));
        assertEquals(Long.MAX_VALUE, w.nextDeliveryNs());
    }

    @Test
    void serialisationQueuesFramesBehindEachOther() {
        VirtualClock clock = new VirtualClock();
        VirtualWire w = new VirtualWire(clock, WireFaults.none().serialisation(true), 1);
        List<Long> times = new ArrayList<>();
        w.attachB((b, o, l) -> times.add(clock.nanoTime()));
        byte[] f = numbered(1, 1514);
        w.portA().frame(f, 0, f.length);
        w.portA().frame(f, 0, f.length);
        while (w.nextDeliveryNs() != Long.MAX_VALUE) {
            clock.advanceTo(w.nextDeliveryNs());
            w.deliver();
        }
        assertEquals(List.of(1_230_400L, 2_460_800L), times, "1538 byte times each at 0.8 us");
    }

    @Test
    void faultStatisticsMatchPercentages() {
        long seed = 12345;
        VirtualClock clock = new VirtualClock();
        WireFaults faults = WireFaults.none().drop(10).corrupt(5).duplicate(3).reorder(2).delayNanos(10_000);
        VirtualWire w = new VirtualWire(clock, faults, seed);
        int[] got = {0};
        int[] outOfOrder = {0};
        int[] last = {-1};
        int[] damaged = {0};
        w.attachB((b, o, l) -> {
            got[0]++;
            int n = (b[o] & 0xFF) << 8 | (b[o + 1] & 0xFF);
            if (n < last[0]) {
                outOfOrder[0]++;
            }
            last[0] = Math.max(last[0], n);
            byte[] want = numbered(n, l);
            if (!Arrays.equals(want, 0, l, b, o, o + l)) {
                damaged[0]++;
            }
        });
        int frames = 10_000;
        for (int i = 0; i < frames; i++) {
            byte[] f = numbered(i % 60000, 100);
            w.portA().frame(f, 0, f.length);
            clock.advanceNanos(100_000);
            w.deliver();
        }
        clock.advanceNanos(10_000_000);
        w.deliver();
        var k = w.counters();
        String msg = "seed " + seed + ": " + CounterSetText.of(k);
        assertEquals(frames, k.value("sent"), msg);
        assertNear(1000, k.value("dropped"), 150, msg);
        assertNear(450, k.value("corrupted"), 90, msg);
        assertNear(270, k.value("duplicated"), 70, msg);
        assertNear(180, k.value("reordered"), 60, msg);
        assertEquals(frames - k.value("dropped") + k.value("duplicated"), k.value("delivered"), msg);
        assertEquals(k.value("delivered"), got[0]);
        assertTrue(outOfOrder[0] > 100, "reordered frames arrive after later ones: " + outOfOrder[0] + " " + msg);
        assertTrue(damaged[0] >= k.value("corrupted"), msg);
    }

    static void assertNear(long expected, long actual, long tolerance, String msg) {
        assertTrue(Math.abs(expected - actual) <= tolerance, "expected ~" + expected + " got " + actual + " " + msg);
    }

    @Test
    void poolOverflowIsCounted() {
        VirtualClock clock = new VirtualClock();
        VirtualWire w = new VirtualWire(clock, WireFaults.none().delayNanos(1), 1);
        byte[] f = numbered(1, 64);
        for (int i = 0; i < VirtualWire.SLOTS + 10; i++) {
            w.portA().frame(f, 0, f.length);
        }
        assertEquals(10, w.counters().value("overflow"));
        byte[] big = new byte[VirtualWire.MAX_FRAME + 1];
        w.portB().frame(big, 0, big.length);
        assertEquals(1, w.counters().value("oversize"));
    }

    @Test
    void zeroAllocationPerFrameAfterWarmUp() {
        VirtualClock clock = new VirtualClock();
        VirtualWire w = new VirtualWire(clock, WireFaults.none().drop(5).corrupt(5).duplicate(5).reorder(5)
            .delayNanos(20_000), 3);
        long[] sink = {0};
        FrameSink counter = (b, o, l) -> sink[0] += l;
        w.attachA(counter);
        w.attachB(counter);
        byte[] f = numbered(7, 1514);
        FrameSink a = w.portA();
        FrameSink b = w.portB();
        Runnable round = () -> {
            for (int i = 0; i < 1000; i++) {
                a.frame(f, 0, f.length);
                b.frame(f, 0, 60);
                clock.advanceNanos(50_000);
                w.deliver();
            }
        };
        for (int i = 0; i < 5; i++) {
            round.run();
        }
        long best = AllocationTest.minAllocated(round, 3);
        System.out.println("VirtualWire: " + best + " bytes allocated for 2000 frames");
        assertEquals(0, best, "bytes allocated for 2000 frames (best of 3 runs; JIT may allocate in one)");
        assertTrue(sink[0] > 0);
    }
}
