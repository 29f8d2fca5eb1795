package io.ethling.stack.wire;

import java.util.HexFormat;

/** Hex fixtures and the dirty-buffer variant of RELIABILITY.md §0.2(6). */
final class WireTestSupport {

    private WireTestSupport() {
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    /** {@code bytes} copied to offset 7 of a larger array whose other bytes are 0xA5 junk. */
    static byte[] dirty(byte[] bytes) {
        byte[] b = new byte[bytes.length + 64];
        java.util.Arrays.fill(b, (byte) 0xA5);
        System.arraycopy(bytes, 0, b, 7, bytes.length);
        return b;
    }

    static final int DIRTY_OFFSET = 7;
}
