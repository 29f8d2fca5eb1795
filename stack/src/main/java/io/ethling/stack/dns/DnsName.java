package io.ethling.stack.dns;

/**
 * Domain names in wire form (RFC 1035 §3.1): a sequence of length-prefixed labels ending with
 * the zero-length root label. "Encoded" below always means uncompressed wire form, at most
 * {@link #MAX_NAME_LENGTH} bytes including every length byte and the terminating 0.
 *
 * <p>Three jobs, all allocation-free and static:
 * <ul>
 *   <li>{@link #encode} turns a dotted name into wire labels, validating it at the API edge
 *       (labels 1..63 bytes, whole name at most 255, no empty label), and reports one clear reason
 *       as a negative status ({@link #describe} names it).</li>
 *   <li>{@link #decode} reads a possibly compressed name out of a received message into a caller
 *       buffer, hardened as RFC 9267 asks: pointers strictly backwards and inside the message
 *       (§2), a bound on the number of jumps (§2), labels at most 63 and reserved label types
 *       0x40/0x80 rejected (§3), the decoded name at most 255 bytes (§3), a terminator before the
 *       message ends (§4). It never reads outside {@code [off, off + len)}.</li>
 *   <li>{@link #equalsIgnoreCase} compares two encoded names, folding only ASCII letters
 *       (RFC 4343 §3): a dot, NUL, space or a byte 0x80..0xFF inside a label is an opaque byte,
 *       never a separator (RELIABILITY.md D9).</li>
 * </ul>
 */
public final class DnsName {

    /** RFC 1035 §2.3.4: a name is at most 255 octets in wire form. */
    public static final int MAX_NAME_LENGTH = 255;
    /** RFC 1035 §2.3.4: a label is at most 63 octets. */
    public static final int MAX_LABEL_LENGTH = 63;
    /** How many compression pointers one name may follow (RFC 9267 §2 asks for a bound; 16 is ample). */
    public static final int MAX_JUMPS = 16;
    /** The DNS header is 12 bytes (RFC 1035 §4.1.1); no name can live inside it. */
    public static final int HEADER_LENGTH = 12;

    // Statuses: all negative, so "length or position, else error" fits one int.
    public static final int ERR_EMPTY = -1;
    public static final int ERR_EMPTY_LABEL = -2;
    public static final int ERR_LABEL_TOO_LONG = -3;
    public static final int ERR_NAME_TOO_LONG = -4;
    public static final int ERR_CHARACTER = -5;
    public static final int ERR_NO_TERMINATOR = -6;
    public static final int ERR_LABEL_OVERRUN = -7;
    public static final int ERR_LABEL_TYPE = -8;
    public static final int ERR_POINTER_OUTSIDE = -9;
    public static final int ERR_POINTER_NOT_BACKWARDS = -10;
    public static final int ERR_TOO_MANY_JUMPS = -11;
    public static final int ERR_BUFFER = -12;

    private static final String[] REASONS = {
        "ok",
        "empty name",
        "empty label (two dots in a row, or a leading dot)",
        "label longer than 63 bytes",
        "name longer than 255 bytes in wire form",
        "character outside 0x01..0xFF",
        "name runs to the end of the message without a terminator",
        "label runs past the end of the message",
        "reserved label type (0x40 or 0x80)",
        "compression pointer outside the message or into the header",
        "compression pointer not strictly backwards",
        "too many compression pointers",
        "output buffer too small",
    };

    private DnsName() {
    }

    /** The reason behind a negative status of this class (cold path; a constant string, no allocation). */
    public static String describe(int status) {
        int i = -status;
        return status <= 0 && i < REASONS.length ? REASONS[i] : "unknown status " + status;
    }

    /**
     * Encodes a dotted name ("www.example.com", an optional final dot for the root) into wire
     * labels at {@code dst[dstOff..]}. Each char must be 0x01..0xFF and is stored as one byte; no
     * escapes are interpreted. {@code dst} needs room for {@link #MAX_NAME_LENGTH} bytes.
     *
     * @return the encoded length (including the final 0 byte), or a negative {@code ERR_*} status
     */
    public static int encode(CharSequence name, byte[] dst, int dstOff) {
        int n = name.length();
        if (n > 0 && name.charAt(n - 1) == '.') {
            n--; // an absolute name: the final dot is the root label (RFC 1034 §3.1)
        }
        if (n == 0) {
            return ERR_EMPTY;
        }
        if (dst.length - dstOff < MAX_NAME_LENGTH) {
            return ERR_BUFFER;
        }
        int out = 0;
        int labelStart = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || name.charAt(i) == '.') {
                int labelLength = i - labelStart;
                if (labelLength == 0) {
                    return ERR_EMPTY_LABEL;
                }
                if (labelLength > MAX_LABEL_LENGTH) {
                    return ERR_LABEL_TOO_LONG;
                }
                if (out + 1 + labelLength + 1 > MAX_NAME_LENGTH) {
                    return ERR_NAME_TOO_LONG;
                }
                dst[dstOff + out++] = (byte) labelLength;
                for (int j = labelStart; j < i; j++) {
                    char c = name.charAt(j);
                    if (c == 0 || c > 0xFF) {
                        return ERR_CHARACTER;
                    }
                    dst[dstOff + out++] = (byte) c;
                }
                labelStart = i + 1;
            }
        }
        dst[dstOff + out++] = 0;
        return out;
    }

    /**
     * Decodes the (possibly compressed) name that starts at message position {@code pos} of the
     * message {@code msg[off..off+len)} into {@code dst[dstOff..]} as an uncompressed encoded name.
     * Positions are relative to the start of the message, as compression pointers are.
     *
     * <p>A pointer must point strictly before the start of the stretch of labels it ends (the
     * first label read, or the previous pointer's target), which rejects pointers to themselves,
     * loops and forward pointers (RFC 9267 §2) and, with {@link #MAX_JUMPS}, bounds the walk.
     *
     * @return the message position just after the name as it sits at {@code pos} (after the first
     *     pointer or the terminator), or a negative {@code ERR_*} status
     */
    public static int decode(byte[] msg, int off, int len, int pos, byte[] dst, int dstOff) {
        if (dst.length - dstOff < MAX_NAME_LENGTH) {
            return ERR_BUFFER;
        }
        int end = -1;
        int jumps = 0;
        int out = 0;
        int p = pos;
        int stretchStart = pos;
        while (true) {
            if (p < 0 || p >= len) {
                return ERR_NO_TERMINATOR; // RFC 9267 §4: the walk ends at the message end
            }
            int b = msg[off + p] & 0xFF;
            int type = b & 0xC0;
            if (type == 0xC0) {
                if (p + 1 >= len) {
                    return ERR_NO_TERMINATOR;
                }
                int target = ((b & 0x3F) << 8) | (msg[off + p + 1] & 0xFF);
                if (end < 0) {
                    end = p + 2;
                }
                if (++jumps > MAX_JUMPS) {
                    return ERR_TOO_MANY_JUMPS; // RFC 9267 §2: bound the pointer chain
                }
                if (target >= len || target < HEADER_LENGTH) {
                    return ERR_POINTER_OUTSIDE; // RFC 9267 §2: inside the message
                }
                if (target >= stretchStart) {
                    return ERR_POINTER_NOT_BACKWARDS; // RFC 9267 §2: strictly backwards
                }
                p = target;
                stretchStart = target;
                continue;
            }
            if (type != 0) {
                return ERR_LABEL_TYPE; // RFC 9267 §3, RFC 6891 §5: 0x40 and 0x80 are not labels
            }
            if (b == 0) {
                dst[dstOff + out] = 0;
                return end < 0 ? p + 1 : end;
            }
            if (p + 1 + b > len) {
                return ERR_LABEL_OVERRUN; // RFC 9267 §3: the label must lie inside the message
            }
            if (out + 1 + b + 1 > MAX_NAME_LENGTH) {
                return ERR_NAME_TOO_LONG; // RFC 9267 §3, RFC 1035 §2.3.4: 255 including the root
            }
            dst[dstOff + out] = (byte) b;
            System.arraycopy(msg, off + p + 1, dst, dstOff + out + 1, b);
            out += 1 + b;
            p += 1 + b;
        }
    }

    /** The length of a valid encoded name (up to and including its 0 byte). */
    public static int length(byte[] name, int off) {
        int p = off;
        while (true) {
            int b = name[p] & 0xFF;
            p += 1 + b;
            if (b == 0) {
                return p - off;
            }
        }
    }

    /** Label count of a valid encoded name (the root label not counted). */
    public static int labelCount(byte[] name, int off) {
        int p = off;
        int count = 0;
        while (true) {
            int b = name[p] & 0xFF;
            if (b == 0) {
                return count;
            }
            count++;
            p += 1 + b;
        }
    }

    /**
     * Compares two valid encoded names: label lengths exactly, label bytes with ASCII letters
     * folded (RFC 4343 §3); every other byte, including '.', NUL, space and 0x80..0xFF, exactly.
     */
    public static boolean equalsIgnoreCase(byte[] a, int aOff, byte[] b, int bOff) {
        int i = 0;
        while (true) {
            int la = a[aOff + i] & 0xFF;
            if (la != (b[bOff + i] & 0xFF)) {
                return false;
            }
            if (la == 0) {
                return true;
            }
            for (int k = 1; k <= la; k++) {
                if (lower(a[aOff + i + k]) != lower(b[bOff + i + k])) {
                    return false;
                }
            }
            i += 1 + la;
        }
    }

    /**
     * True if {@code name} equals {@code zone} or lies below it ("a.b.example.com" under
     * "example.com"; RFC 1034 §3.1): its last labels match the zone's, case-insensitively.
     */
    public static boolean isAtOrBelow(byte[] name, int nameOff, byte[] zone, int zoneOff) {
        int nameLabels = labelCount(name, nameOff);
        int zoneLabels = labelCount(zone, zoneOff);
        if (zoneLabels > nameLabels) {
            return false;
        }
        int p = nameOff;
        for (int skip = nameLabels - zoneLabels; skip > 0; skip--) {
            p += 1 + (name[p] & 0xFF);
        }
        return equalsIgnoreCase(name, p, zone, zoneOff);
    }

    /** Copies a valid encoded name; returns its length. */
    public static int copy(byte[] src, int srcOff, byte[] dst, int dstOff) {
        int n = length(src, srcOff);
        System.arraycopy(src, srcOff, dst, dstOff, n);
        return n;
    }

    /**
     * Appends a valid encoded name in presentation form (cold path: logs, the journey, tests):
     * labels joined by dots, a dot or backslash inside a label escaped with a backslash, bytes
     * outside 0x21..0x7E as \DDD (RFC 4343 §2.1). The root is ".".
     */
    public static StringBuilder appendTo(byte[] name, int off, StringBuilder out) {
        int p = off;
        boolean first = true;
        while (true) {
            int l = name[p] & 0xFF;
            if (l == 0) {
                if (first) {
                    out.append('.');
                }
                return out;
            }
            if (!first) {
                out.append('.');
            }
            first = false;
            for (int k = 1; k <= l; k++) {
                int c = name[p + k] & 0xFF;
                if (c == '.' || c == '\\') {
                    out.append('\\').append((char) c);
                } else if (c <= 0x20 || c >= 0x7F) {
                    out.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10)).append((char) ('0' + c % 10));
                } else {
                    out.append((char) c);
                }
            }
            p += 1 + l;
        }
    }

    /** The name in presentation form (cold path). */
    public static String toString(byte[] name, int off) {
        return appendTo(name, off, new StringBuilder()).toString();
    }

    private static int lower(byte b) {
        int c = b & 0xFF;
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
