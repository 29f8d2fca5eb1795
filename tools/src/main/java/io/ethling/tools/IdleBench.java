package io.ethling.tools;

import io.ethling.tools.net.NetworkOptions;
import io.ethling.tools.net.Session;

import java.io.IOException;
import java.lang.management.ManagementFactory;

/**
 * The idle cost of the board's loop: the emulated board (real driver, emulated ENC28J60, the
 * stack) on the user-mode network, address by DHCP, then left alone for a while in real time.
 * The loop is {@link Session#step(long)} with no cap on the wait, so it wakes only when something
 * is due: the driver's supervisor, the stack's timers, the chip's and the wire's events (DESIGN.md,
 * "The loop": no busy loop). Measured with the JVM's per-thread CPU time of the loop thread, the
 * process's CPU time (JIT, GC and the user-mode network's DNS worker included), and the loop
 * thread's allocated bytes.
 */
final class IdleBench {

    /** What one idle period cost. */
    record Result(double seconds, long loopCpuNs, long processCpuNs, long wakeups, long allocatedBytes, long dhcpNs) {
        /** Loop-thread CPU as a percentage of one core. */
        double loopPercent() {
            return loopCpuNs / (seconds * 1e9) * 100.0;
        }

        /** Whole-process CPU as a percentage of one core. */
        double processPercent() {
            return processCpuNs / (seconds * 1e9) * 100.0;
        }

        double wakeupsPerSecond() {
            return wakeups / seconds;
        }

        double allocatedBytesPerSecond() {
            return allocatedBytes / seconds;
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private IdleBench() {
    }

    /**
     * Brings the board up (DHCP), lets it settle for {@code settleSeconds}, then measures
     * {@code seconds} of idling.
     *
     * @throws IOException if the emulated board does not come up or gets no lease in 30 s
     */
    static Result measure(double seconds, double settleSeconds, long seed) throws IOException {
        NetworkOptions options = new NetworkOptions();
        NetworkOptions.Resolved o = options.resolve();
        WireOptions w = options.wire();
        w.seed = seed;
        try (Session s = new Session(o, w)) {
            long t0 = s.nowNs();
            if (!s.runUntil(() -> s.host.net().address() != 0, 30_000_000_000L)) {
                throw new IOException("dhcp: no lease after 30 s (" + s.host.dhcp().state() + ")");
            }
            long dhcpNs = s.nowNs() - t0;
            idle(s, (long) (settleSeconds * 1e9));       // the lease's ARP probe/announce, JIT
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long proc0 = OS.getProcessCpuTime();
            long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
            long start = s.nowNs();
            long wakeups = idle(s, (long) (seconds * 1e9));
            long wall = s.nowNs() - start;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            long proc = OS.getProcessCpuTime() - proc0;
            long alloc = THREADS.getCurrentThreadAllocatedBytes() - alloc0;
            if (s.host.net().address() == 0) {
                throw new IOException("dhcp: the board lost its address while idle");
            }
            return new Result(wall / 1e9, cpu, proc, wakeups, alloc, dhcpNs);
        }
    }

    /** Runs the loop for {@code ns}, sleeping until whatever is due next. @return passes */
    private static long idle(Session s, long ns) {
        long end = s.nowNs() + ns;
        long passes = 0;
        long left;
        while ((left = end - s.nowNs()) > 0) {
            s.step(left);
            passes++;
        }
        return passes;
    }
}
