package io.ethling.hal.pi4j;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/** Measures bytes allocated by the current thread, for the zero-allocation tests. */
final class AllocationProbe {

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One measured batch of work. */
    interface Batch {
        void run(int n);
    }

    private AllocationProbe() {
    }

    static long allocatedBytes() {
        return MX.getCurrentThreadAllocatedBytes();
    }

    /**
     * Runs {@code batch} of {@code n} operations up to {@code maxRounds} times and returns the bytes
     * each round allocated, stopping after {@code zeroRounds} consecutive rounds allocated nothing.
     * Some JDK code (the FFM errno-capturing downcall) allocates until C2 compiles it and escape
     * analysis removes the allocation; "steady state" means the rounds after that.
     */
    static long[] rounds(Batch batch, int n, int maxRounds, int zeroRounds) {
        final long[] bytes = new long[maxRounds];
        int zeros = 0;
        for (int r = 0; r < maxRounds; r++) {
            final long before = MX.getCurrentThreadAllocatedBytes();
            batch.run(n);
            final long after = MX.getCurrentThreadAllocatedBytes();
            bytes[r] = after - before;
            zeros = bytes[r] == 0 ? zeros + 1 : 0;
            if (zeros == zeroRounds) {
                return Arrays.copyOf(bytes, r + 1);
            }
        }
        return bytes;
    }

    /** Whether the last {@code zeroRounds} entries are all zero. */
    static boolean endsWithZeros(long[] rounds, int zeroRounds) {
        if (rounds.length < zeroRounds) {
            return false;
        }
        for (int i = rounds.length - zeroRounds; i < rounds.length; i++) {
            if (rounds[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
