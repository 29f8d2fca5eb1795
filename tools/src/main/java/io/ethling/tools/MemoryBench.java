package io.ethling.tools;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.stack.Host;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.util.Prng;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Retained heap of one stack and one driver in their default configuration: build many, keep
 * them, and divide the growth of the live heap after full collections by the count. Everything
 * the stack will ever use is allocated at build time, so this is its whole footprint.
 */
final class MemoryBench {

    record Result(long hostBytes, long driverBytes) {
    }

    private MemoryBench() {
    }

    /** A device that does nothing, so that only the stack's own objects are measured. */
    static final class NullDevice implements EthernetDevice {
        private final CounterSet counters = new CounterSet();

        @Override
        public int receive(byte[] dst, int off, int cap) {
            return 0;
        }

        @Override
        public int transmit(byte[] src, int off, int len) {
            return OK;
        }

        @Override
        public int poll(long nowNs) {
            return 0;
        }

        @Override
        public long pollAtNs(long nowNs) {
            return Long.MAX_VALUE;
        }

        @Override
        public long macAddress() {
            return 0x02_00_00_00_00_01L;
        }

        @Override
        public boolean linkUp() {
            return true;
        }

        @Override
        public Counters counters() {
            return counters;
        }
    }

    static Result measure(int copies) {
        NullDevice device = new NullDevice();
        Object[] keep = new Object[copies];
        // warm: load every class once so class metadata is not counted
        new Host(new StackConfig().macAddress(0x02_00_00_00_00_01L), new Host.Options(), device, new Prng(1));
        new EmulatedBoard("warm", new VirtualClock(), 0x02_00_00_00_00_01L, 1, true);
        long base = liveHeap();
        for (int i = 0; i < copies; i++) {
            keep[i] = new Host(new StackConfig().macAddress(0x02_00_00_00_00_01L), new Host.Options(), device, new Prng(i));
        }
        long host = (liveHeap() - base) / copies;
        java.util.Arrays.fill(keep, null);
        base = liveHeap();
        for (int i = 0; i < copies; i++) {
            // the driver alone: measure a board, then subtract the emulated chip measured apart
            keep[i] = new io.ethling.hal.enc28j60.Enc28j60(new io.ethling.hal.emulator.Enc28j60Emulator(
                    new VirtualClock(), new io.ethling.hal.emulator.EmulatorConfig()), new VirtualClock(),
                    new io.ethling.hal.enc28j60.Enc28j60Config().macAddress(0x02_00_00_00_00_01L));
        }
        long driverAndChip = (liveHeap() - base) / copies;
        java.util.Arrays.fill(keep, null);
        base = liveHeap();
        for (int i = 0; i < copies; i++) {
            keep[i] = new io.ethling.hal.emulator.Enc28j60Emulator(new VirtualClock(),
                    new io.ethling.hal.emulator.EmulatorConfig());
        }
        long chip = (liveHeap() - base) / copies;
        if (keep[0] == null) {
            throw new AssertionError();
        }
        return new Result(host, driverAndChip - chip);
    }

    private static long liveHeap() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
