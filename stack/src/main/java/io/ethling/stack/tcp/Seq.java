package io.ethling.stack.tcp;

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4: "all arithmetic dealing with sequence
 * numbers must be performed modulo 2**32"). Sequence numbers are plain {@code int}s and are
 * compared only through these helpers, by the sign of their 32-bit difference, so a transfer
 * that wraps through 2^32 orders correctly as long as the two values are less than 2^31 apart.
 */
public final class Seq {

    private Seq() {
    }

    /** a < b in sequence space. */
    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** a <= b in sequence space. */
    public static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** a > b in sequence space. */
    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    /** a >= b in sequence space. */
    public static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    /** lo <= x < hi in sequence space (an empty range when lo == hi). */
    public static boolean inRange(int x, int lo, int hi) {
        return x - lo >= 0 && x - hi < 0;
    }

    /** The larger of a and b in sequence space. */
    public static int max(int a, int b) {
        return a - b >= 0 ? a : b;
    }

    /** The smaller of a and b in sequence space. */
    public static int min(int a, int b) {
        return a - b <= 0 ? a : b;
    }
}
