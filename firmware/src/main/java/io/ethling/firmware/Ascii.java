package io.ethling.firmware;

/**
 * Writing text into a fixed byte buffer without allocating: every method takes the buffer, the
 * position and the end (exclusive) and returns the new position, clipped at the end, so a page or
 * an LCD row can be composed in place on the loop's thread.
 */
public final class Ascii {

    private Ascii() {
    }

    /** Appends the chars of {@code s} (read in place, no copy); chars above 0x7E become '?'. */
    public static int text(byte[] dst, int pos, int end, CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n && pos < end; i++) {
            char c = s.charAt(i);
            dst[pos++] = c >= 0x20 && c <= 0x7E || c == '\n' || c == '\r' || c == '\t' ? (byte) c : (byte) '?';
        }
        return pos;
    }

    /** Appends {@code src[off, off + len)}. */
    public static int bytes(byte[] dst, int pos, int end, byte[] src, int off, int len) {
        int n = Math.min(len, end - pos);
        if (n <= 0) {
            return pos;
        }
        System.arraycopy(src, off, dst, pos, n);
        return pos + n;
    }

    public static int ch(byte[] dst, int pos, int end, char c) {
        if (pos < end) {
            dst[pos++] = (byte) c;
        }
        return pos;
    }

    /** Appends a decimal number (Long.MIN_VALUE included). */
    public static int number(byte[] dst, int pos, int end, long v) {
        if (v < 0) {
            pos = ch(dst, pos, end, '-');
            if (v == Long.MIN_VALUE) {
                return text(dst, pos, end, "9223372036854775808");
            }
            v = -v;
        }
        long div = 1;
        while (v / div >= 10) {
            div *= 10;
        }
        for (; div > 0 && pos < end; div /= 10) {
            dst[pos++] = (byte) ('0' + (v / div) % 10);
        }
        return pos;
    }

    /** Appends an IPv4 address held in an int (network order: the first octet in the top byte). */
    public static int ipv4(byte[] dst, int pos, int end, int ip) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            pos = number(dst, pos, end, (ip >>> shift) & 0xFF);
            if (shift > 0) {
                pos = ch(dst, pos, end, '.');
            }
        }
        return pos;
    }

    /** Appends a MAC held in the low 48 bits as xx:xx:xx:xx:xx:xx. */
    public static int mac(byte[] dst, int pos, int end, long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xFF;
            pos = ch(dst, pos, end, Character.forDigit(b >>> 4, 16));
            pos = ch(dst, pos, end, Character.forDigit(b & 15, 16));
            if (shift > 0) {
                pos = ch(dst, pos, end, ':');
            }
        }
        return pos;
    }

    /** Appends a duration in whole seconds as "1d 2h 3m 4s" (the largest non-zero units). */
    public static int duration(byte[] dst, int pos, int end, long seconds) {
        if (seconds < 0) {
            seconds = 0;
        }
        long d = seconds / 86_400;
        long h = seconds / 3600 % 24;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        if (d > 0) {
            pos = number(dst, pos, end, d);
            pos = text(dst, pos, end, "d ");
        }
        if (d > 0 || h > 0) {
            pos = number(dst, pos, end, h);
            pos = text(dst, pos, end, "h ");
        }
        if (d > 0 || h > 0 || m > 0) {
            pos = number(dst, pos, end, m);
            pos = text(dst, pos, end, "m ");
        }
        pos = number(dst, pos, end, s);
        return ch(dst, pos, end, 's');
    }

    /** Appends {@code s} with HTML's special characters escaped (for names in the status page). */
    public static int html(byte[] dst, int pos, int end, CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n && pos < end; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> pos = text(dst, pos, end, "&lt;");
                case '>' -> pos = text(dst, pos, end, "&gt;");
                case '&' -> pos = text(dst, pos, end, "&amp;");
                default -> pos = ch(dst, pos, end, c >= 0x20 && c <= 0x7E ? c : '?');
            }
        }
        return pos;
    }
}
