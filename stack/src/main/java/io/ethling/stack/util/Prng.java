package io.ethling.stack.util;

/**
 * The stack's one source of randomness (DESIGN.md "The loop, time and randomness"): ephemeral
 * ports, DHCP transaction ids, DNS ids and source ports, ARP probe delays, retry jitter.
 * xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64, so any 64-bit seed gives a
 * well-mixed state. The firmware seeds it from {@link java.security.SecureRandom} at boot; tests
 * fix the seed and print it on failure. Allocation-free; not thread-safe (the loop is one thread).
 *
 * <p>java.util.Random and its relatives are not used in stack code (RELIABILITY.md G5).
 */
public final class Prng {

    private final long seed;
    private long s0;
    private long s1;
    private long s2;
    private long s3;

    public Prng(long seed) {
        this.seed = seed;
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = mix(x);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The seed this generator started from (print it when a test fails). */
    public long seed() {
        return seed;
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    /** Uniform in [0, bound), bound > 0 (Lemire's multiply-shift with rejection, no modulo bias). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFF_FFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFF_FFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Uniform in [from, to] inclusive. */
    public int nextInt(int from, int to) {
        return from + nextInt(to - from + 1);
    }

    /** Uniform in [0, bound) for long bounds (jitter in nanoseconds). */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long r = nextLong() >>> 1;
        long m = bound - 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) {
            // rejection: keeps the result unbiased
        }
        return r;
    }
}
