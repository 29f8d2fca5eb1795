package io.ethling.hal.emulator;

/**
 * A small seeded generator (SplitMix64) that never allocates. Every random choice the emulator
 * and the virtual wire make comes from one of these, seeded from the configuration, so a run is
 * reproducible from its seed.
 */
final class Rng {

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound), bound > 0. */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** True with probability {@code p} (p <= 0: never, p >= 1: always). */
    boolean chance(double p) {
        if (p <= 0) {
            return false;
        }
        if (p >= 1) {
            return true;
        }
        return nextDouble() < p;
    }
}
