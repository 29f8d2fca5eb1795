package io.ethling.stack.wire;

/**
 * Network-order (big-endian) field access on {@code byte[]}. Callers check bounds first (every
 * flyweight validates its lengths before it reads a field); these helpers never allocate.
 * 16-bit fields come back as non-negative {@code int}, 32-bit fields as {@code int} (IPv4
 * addresses, sequence numbers) and MACs as {@code long} in the low 48 bits.
 */
public final class Bytes {

    private Bytes() {
    }

    public static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    public static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    public static int i32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    public static long mac(byte[] b, int off) {
        return ((long) u16(b, off) << 32) | (i32(b, off + 2) & 0xFFFF_FFFFL);
    }

    public static void put8(byte[] b, int off, int v) {
        b[off] = (byte) v;
    }

    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    public static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static void putMac(byte[] b, int off, long mac) {
        put16(b, off, (int) (mac >>> 32));
        put32(b, off + 2, (int) mac);
    }
}
