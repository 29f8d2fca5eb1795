package io.ethling.hal.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ethling.hal.DigitalInput;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** transfer() and receive() allocate nothing after warm-up (DESIGN.md, "Allocation-free"). */
class AllocationTest {

    private final byte[] tx = new byte[2048];
    private final byte[] rx = new byte[2048];
    private Enc28j60Emulator emu;
    private VirtualClock clock;
    private int next;
    private long delivered;
    private int wakeups;

    private void op(int b0, int b1) {
        tx[0] = (byte) b0;
        tx[1] = (byte) b1;
        emu.transfer(tx, 0, rx, 0, 2);
    }

    private int rcr(int addr) {
        tx[0] = (byte) addr;
        emu.transfer(tx, 0, rx, 0, 2);
        return rx[1] & 0xFF;
    }

    /** One RX frame and one TX frame, driver-style, all in bank 0 except EPKTCNT. */
    private void cycle(byte[] frame) {
        emu.receive(frame, 0, frame.length);
        rcr(0x1C); // EIR
        op(0x80 | 0x1F, 0x01); // bank 1
        int pending = rcr(0x19);
        op(0xA0 | 0x1F, 0x01); // bank 0
        for (int k = 0; k < pending; k++) {
            op(0x40 | 0x00, next & 0xFF);
            op(0x40 | 0x01, next >>> 8);
            tx[0] = 0x3A;
            emu.transfer(tx, 0, rx, 0, 7);
            int nx = (rx[1] & 0xFF) | (rx[2] & 0xFF) << 8;
            int count = (rx[3] & 0xFF) | (rx[4] & 0xFF) << 8;
            emu.transfer(tx, 0, rx, 0, 1 + count);
            next = nx;
            int rd = next == 0 ? 0x19FF : next - 1;
            op(0x40 | 0x0C, rd & 0xFF);
            op(0x40 | 0x0D, rd >>> 8);
            op(0x80 | 0x1E, 0x40); // PKTDEC
        }
        // TX
        op(0x40 | 0x02, 0x00);
        op(0x40 | 0x03, 0x1A);
        tx[0] = 0x7A;
        tx[1] = 0;
        System.arraycopy(frame, 0, tx, 2, frame.length);
        emu.transfer(tx, 0, null, 0, frame.length + 2);
        int end = 0x1A00 + frame.length;
        op(0x40 | 0x06, end & 0xFF);
        op(0x40 | 0x07, end >>> 8);
        op(0xA0 | 0x1C, 0x0A);
        op(0x80 | 0x1F, 0x08);
        clock.advanceTo(emu.nextEventNs());
        emu.tick();
    }

    @Test
    void steadyStateRxAndTxAllocateNothing() {
        Chip c = new Chip(new EmulatorConfig().strict(true));
        c.init(0x19FF, RxTest.MAC);
        c.wcr16(0, 0x04, 0x1A00);
        c.bank(0);
        emu = c.emu;
        clock = c.clock;
        FrameSink sink = (b, o, l) -> delivered += l;
        emu.connect(sink);
        Runnable wake = () -> wakeups++;
        emu.interruptPin().onEdge(DigitalInput.Edge.FALLING, wake);
        byte[] frame = Chip.frame(RxTest.MAC, RxTest.PEER, 0x0800, 1000, 1);
        for (int i = 0; i < 2000; i++) {
            cycle(frame);
        }
        long txBefore = emu.stats().transactions();
        int[] runs = {0};
        long best = minAllocated(() -> {
            runs[0]++;
            for (int i = 0; i < 1000; i++) {
                cycle(frame);
            }
        }, 3);
        long transactions = (emu.stats().transactions() - txBefore) / runs[0];
        System.out.println("Enc28j60Emulator: " + best + " bytes allocated for 1000 RX+TX cycles, "
            + transactions + " transfers");
        assertEquals(0, best, "bytes allocated in steady state (best of 3 runs)");
        assertEquals(2000 + 1000 * runs[0], emu.counters().value("rx.frames"));
        assertEquals(2000 + 1000 * runs[0], emu.counters().value("tx.frames"));
        assertEquals(18, transactions / 1000, "transfers per RX+TX cycle");
        assertEquals(0, emu.misuse().count(), emu.misuse().lines().toString());
        assertTrue(delivered > 0 && wakeups > 0);
    }

    /**
     * The fewest bytes the current thread allocated over up to {@code runs} runs of {@code work}
     * (stops at the first run with 0: a run may catch the JIT still compiling).
     */
    static long minAllocated(Runnable work, int runs) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            work.run();
            best = Math.min(best, mx.getCurrentThreadAllocatedBytes() - before);
            if (best == 0) {
                break; // structural allocation never reaches 0; JIT warm-up noise does
            }
        }
        return best;
    }
}
