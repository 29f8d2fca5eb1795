package io.ethling.stack.wire;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * big-endian words, an odd trailing byte padded with zero (RFC 1071 §1). Partial sums are carried
 * in a {@code long} and folded at the end, so sums over many pieces (pseudo-header, header,
 * payload) can be chained.
 */
public final class Checksum {

    private Checksum() {
    }

    /** Adds the 16-bit words of {@code b[off..off+len)} to {@code sum}. */
    public static long add(long sum, byte[] b, int off, int len) {
        int end = off + (len & ~1);
        int i = off;
        for (; i < end; i += 2) {
            sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            sum += (b[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** Adds the IPv4 pseudo-header of RFC 768 / RFC 9293 §3.1: addresses, protocol, length. */
    public static long addPseudoHeader(long sum, int srcIp, int dstIp, int protocol, int length) {
        return sum + (srcIp >>> 16) + (srcIp & 0xFFFF) + (dstIp >>> 16) + (dstIp & 0xFFFF) + protocol + length;
    }

    /** Folds the carries and complements: the value to put in a checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** The checksum of {@code b[off..off+len)}; 0 when the range already holds a correct checksum. */
    public static int compute(byte[] b, int off, int len) {
        return finish(add(0, b, off, len));
    }
}
