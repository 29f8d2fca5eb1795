package io.ethling.stack.http;

/**
 * An {@code http://host[:port]/path} URL held in fixed arrays: the host (lower case, or an IPv4
 * literal as an {@code int}), the port and the path with its query. Parse it once at
 * configuration time with {@link #parse(CharSequence)} (a bad URL throws one line that says why);
 * redirects resolve a {@code Location} against the current URL with {@link #resolve}, which
 * allocates nothing and returns a status instead of throwing.
 *
 * <p>Only what the board can fetch is accepted: scheme {@code http} (RFC 9110 §4.2.1), a
 * registered name or a strict dotted-quad IPv4 literal (RFC 3986 §3.2.2), a port 1..65535. User
 * info (deprecated for http, RFC 9110 §4.2.4), IPv6 literals, https and other schemes, spaces,
 * control characters and non-ASCII characters are refused; the fragment is dropped (RFC 9110
 * §7.1: it is never sent). Dot segments are removed (RFC 3986 §5.2.4).
 */
public final class HttpUrl {

    public static final int MAX_HOST_LENGTH = 253;  // RFC 1035 §2.3.4 (as text, no trailing dot)
    public static final int MAX_LABEL_LENGTH = 63;  // RFC 1035 §2.3.4
    public static final int MAX_PATH_LENGTH = 1024; // path and query; our own limit
    public static final int DEFAULT_PORT = 80;      // RFC 9110 §4.2.1

    public static final int OK = 0;
    public static final int ERR_EMPTY = -1;
    public static final int ERR_HTTPS = -2;
    public static final int ERR_SCHEME = -3;
    public static final int ERR_NO_SCHEME = -4;
    public static final int ERR_NO_AUTHORITY = -5;
    public static final int ERR_USERINFO = -6;
    public static final int ERR_IPV6 = -7;
    public static final int ERR_NO_HOST = -8;
    public static final int ERR_HOST_CHAR = -9;
    public static final int ERR_HOST_LENGTH = -10;
    public static final int ERR_LABEL = -11;
    public static final int ERR_IPV4 = -12;
    public static final int ERR_PORT_CHAR = -13;
    public static final int ERR_PORT_RANGE = -14;
    public static final int ERR_PATH_CHAR = -15;
    public static final int ERR_PERCENT = -16;
    public static final int ERR_PATH_LENGTH = -17;
    public static final int ERR_NON_ASCII = -18;

    private static final String[] REASONS = {
        "ok",
        "URL is empty",
        "https is not supported",
        "only http:// URLs are supported",
        "missing scheme (expected http://)",
        "missing // after http:",
        "user info not allowed",
        "IPv6 literals are not supported",
        "missing host",
        "host may contain only letters, digits, '-', '_' and '.'",
        "host name longer than " + MAX_HOST_LENGTH + " characters",
        "host has an empty label or one longer than " + MAX_LABEL_LENGTH + " characters",
        "bad IPv4 address (expected four decimal numbers 0-255, no leading zeros)",
        "port is not a number",
        "port out of range (1-65535)",
        "path contains a space or control character",
        "bad percent-encoding in path",
        "path longer than " + MAX_PATH_LENGTH + " bytes",
        "URL contains a non-ASCII character (percent-encode it)",
    };

    private final byte[] host = new byte[MAX_HOST_LENGTH];
    private int hostLength;
    private boolean literal;
    private int address;
    private int port = DEFAULT_PORT;
    private final byte[] path = new byte[MAX_PATH_LENGTH];
    private int pathLength;
    /** path and query merged before dot-segment removal (RFC 3986 §5.2.3) */
    private final byte[] scratch = new byte[2 * MAX_PATH_LENGTH];
    private int badPortOff;
    private int badPortLength;

    /** An empty holder ({@link #isSet()} false) to fill with {@link #parse} or {@link #resolve}. */
    public HttpUrl() {
    }

    /** A new URL parsed from text (configuration time); throws as {@link #parse(CharSequence)}. */
    public static HttpUrl of(CharSequence url) {
        HttpUrl u = new HttpUrl();
        u.parse(url);
        return u;
    }

    /** The one-line reason for a negative status of {@link #parse(byte[], int, int)}. */
    public static String reason(int status) {
        return status <= 0 && -status < REASONS.length ? REASONS[-status] : "unknown status " + status;
    }

    /**
     * Parses an absolute URL (configuration time; allocates a little).
     *
     * @throws IllegalArgumentException with one line naming what is wrong
     */
    public HttpUrl parse(CharSequence url) {
        if (url == null || url.length() == 0) {
            throw new IllegalArgumentException("bad URL: " + REASONS[-ERR_EMPTY]);
        }
        byte[] b = new byte[url.length()];
        for (int i = 0; i < b.length; i++) {
            char c = url.charAt(i);
            if (c > 0x7E) {
                throw new IllegalArgumentException("bad URL " + quoted(url) + ": " + REASONS[-ERR_NON_ASCII]);
            }
            b[i] = (byte) c;
        }
        int r = parse(b, 0, b.length);
        if (r == ERR_PORT_RANGE) {
            throw new IllegalArgumentException("bad URL " + quoted(url) + ": port "
                + new String(b, badPortOff, badPortLength, java.nio.charset.StandardCharsets.US_ASCII) + " out of range (1-65535)");
        }
        if (r < 0) {
            throw new IllegalArgumentException("bad URL " + quoted(url) + ": " + REASONS[-r]);
        }
        return this;
    }

    private static String quoted(CharSequence url) {
        StringBuilder sb = new StringBuilder(url.length() + 2).append('"');
        for (int i = 0; i < url.length() && i < 200; i++) {
            char c = url.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Parses an absolute {@code http://} URL from ASCII bytes without allocating.
     *
     * @return {@link #OK} or a negative {@code ERR_*} ({@link #reason} says why); on error the
     *     holder is left unset
     */
    public int parse(byte[] src, int off, int len) {
        int r = parseInto(src, off, len);
        if (r < 0) {
            clear();
        }
        return r;
    }

    private int parseInto(byte[] src, int off, int len) {
        if (len <= 0) {
            return ERR_EMPTY;
        }
        int s = schemeLength(src, off, len);
        if (s < 0) {
            return ERR_NO_SCHEME;
        }
        int r = checkScheme(src, off, s);
        if (r < 0) {
            return r;
        }
        int p = off + s + 1;
        int end = off + len;
        if (end - p < 2 || src[p] != '/' || src[p + 1] != '/') {
            return ERR_NO_AUTHORITY;
        }
        return parseNetworkPath(src, p + 2, end);
    }

    /** Parses {@code authority [path-abempty] [?query] [#fragment]} from {@code p} to {@code end}. */
    private int parseNetworkPath(byte[] src, int p, int end) {
        int a = p;
        while (a < end && src[a] != '/' && src[a] != '?' && src[a] != '#') {
            a++;
        }
        int r = parseAuthority(src, p, a);
        if (r < 0) {
            return r;
        }
        int pathEnd = a;
        while (pathEnd < end && src[pathEnd] != '?' && src[pathEnd] != '#') {
            pathEnd++;
        }
        int queryEnd = pathEnd;
        while (queryEnd < end && src[queryEnd] != '#') {
            queryEnd++;
        }
        if (pathEnd - a > MAX_PATH_LENGTH) {
            return ERR_PATH_LENGTH;
        }
        System.arraycopy(src, a, scratch, 0, pathEnd - a);
        return finishPath(pathEnd - a, src, pathEnd, queryEnd);
    }

    private int parseAuthority(byte[] src, int p, int end) {
        for (int i = p; i < end; i++) {
            if (src[i] == '@') {
                return ERR_USERINFO; // RFC 9110 §4.2.4
            }
        }
        if (p < end && src[p] == '[') {
            return ERR_IPV6;
        }
        int colon = p;
        while (colon < end && src[colon] != ':') {
            colon++;
        }
        int hl = colon - p;
        if (hl == 0) {
            return ERR_NO_HOST;
        }
        if (hl > MAX_HOST_LENGTH) {
            return ERR_HOST_LENGTH;
        }
        boolean numeric = true;
        int label = 0;
        for (int i = 0; i < hl; i++) {
            int c = src[p + i] & 0xFF;
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return ERR_HOST_CHAR;
            }
            if (c == '.') {
                if (label == 0) {
                    return ERR_LABEL;
                }
                label = 0;
            } else {
                if (++label > MAX_LABEL_LENGTH) {
                    return ERR_LABEL;
                }
                if (c < '0' || c > '9') {
                    numeric = false;
                }
            }
            host[i] = (byte) c;
        }
        if (label == 0) {
            return ERR_LABEL; // trailing dot
        }
        hostLength = hl;
        if (numeric) {
            // RFC 3986 §3.2.2: dotted decimal; anything else that looks numeric is refused
            // rather than guessed at (inet_aton's octal, hex and short forms)
            long ip = dottedQuad(host, 0, hl);
            if (ip < 0) {
                return ERR_IPV4;
            }
            literal = true;
            address = (int) ip;
        } else {
            literal = false;
            address = 0;
        }
        port = DEFAULT_PORT;
        if (colon < end) {
            int digits = end - colon - 1;
            if (digits > 0) { // RFC 3986 §3.2.3: an empty port means the default
                long v = 0;
                for (int i = colon + 1; i < end; i++) {
                    int c = src[i];
                    if (c < '0' || c > '9') {
                        return ERR_PORT_CHAR;
                    }
                    if (v < 1_000_000_000L) {
                        v = v * 10 + (c - '0');
                    }
                }
                if (v < 1 || v > 65_535) {
                    badPortOff = colon + 1;
                    badPortLength = digits;
                    return ERR_PORT_RANGE;
                }
                port = (int) v;
            }
        }
        return OK;
    }

    /** Strict a.b.c.d, each 0..255 without leading zeros, as 0..2^32-1; else -1. */
    static long dottedQuad(byte[] b, int off, int len) {
        long ip = 0;
        int parts = 0;
        int i = off;
        int end = off + len;
        while (true) {
            int start = i;
            int v = 0;
            while (i < end && b[i] >= '0' && b[i] <= '9' && i - start < 4) {
                v = v * 10 + (b[i] - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && b[start] == '0')) {
                return -1;
            }
            ip = (ip << 8) | v;
            parts++;
            if (i == end) {
                return parts == 4 ? ip : -1;
            }
            if (b[i] != '.' || parts == 4) {
                return -1;
            }
            i++;
        }
    }

    /**
     * The path (without query) is in {@code scratch[0, pathLen)}; removes its dot segments into
     * {@link #path}, then appends {@code src[qStart, qEnd)} (the query with its '?', or nothing).
     */
    private int finishPath(int pathLen, byte[] src, int qStart, int qEnd) {
        int r = checkChars(scratch, 0, pathLen);
        if (r < 0) {
            return r;
        }
        r = checkChars(src, qStart, qEnd - qStart);
        if (r < 0) {
            return r;
        }
        int n;
        if (pathLen == 0) {
            path[0] = '/'; // RFC 9112 §3.2.1: an empty path is sent as "/"
            n = 1;
        } else {
            n = removeDotSegments(scratch, pathLen, path);
            if (n < 0) {
                return n;
            }
            if (n == 0) {
                path[0] = '/';
                n = 1;
            }
        }
        int q = qEnd - qStart;
        if (n + q > MAX_PATH_LENGTH) {
            return ERR_PATH_LENGTH;
        }
        System.arraycopy(src, qStart, path, n, q);
        pathLength = n + q;
        return OK;
    }

    /** Spaces, controls, DEL and non-ASCII are refused (request-line injection, P12); '%' needs two hex digits. */
    private static int checkChars(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            if (c <= 0x20 || c >= 0x7F) {
                return c >= 0x80 ? ERR_NON_ASCII : ERR_PATH_CHAR;
            }
            if (c == '%') { // RFC 3986 §2.1
                if (i + 2 >= off + len || hex(b[i + 1]) < 0 || hex(b[i + 2]) < 0) {
                    return ERR_PERCENT;
                }
            }
        }
        return OK;
    }

    static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /**
     * RFC 3986 §5.2.4 remove_dot_segments from {@code in[0, len)} (which it may overwrite) into
     * {@code out}; returns the output length or {@link #ERR_PATH_LENGTH}.
     */
    static int removeDotSegments(byte[] in, int len, byte[] out) {
        int i = 0;
        int o = 0;
        while (i < len) {
            int rest = len - i;
            // A: "../" or "./" prefix
            if (rest >= 3 && in[i] == '.' && in[i + 1] == '.' && in[i + 2] == '/') {
                i += 3;
            } else if (rest >= 2 && in[i] == '.' && in[i + 1] == '/') {
                i += 2;
            // B: "/./" or "/." as a complete segment -> "/"
            } else if (rest >= 3 && in[i] == '/' && in[i + 1] == '.' && in[i + 2] == '/') {
                i += 2;
            } else if (rest == 2 && in[i] == '/' && in[i + 1] == '.') {
                in[i + 1] = '/';
                i += 1;
            // C: "/../" or "/.." as a complete segment -> "/" and drop the last output segment
            } else if (rest >= 4 && in[i] == '/' && in[i + 1] == '.' && in[i + 2] == '.' && in[i + 3] == '/') {
                i += 3;
                o = dropLastSegment(out, o);
            } else if (rest == 3 && in[i] == '/' && in[i + 1] == '.' && in[i + 2] == '.') {
                in[i + 2] = '/';
                i += 2;
                o = dropLastSegment(out, o);
            // D: "." or ".." alone
            } else if ((rest == 1 && in[i] == '.') || (rest == 2 && in[i] == '.' && in[i + 1] == '.')) {
                i = len;
            // E: move the first segment (with its leading "/") to the output
            } else {
                int j = i + 1;
                while (j < len && in[j] != '/') {
                    j++;
                }
                if (o + (j - i) > out.length) {
                    return ERR_PATH_LENGTH;
                }
                System.arraycopy(in, i, out, o, j - i);
                o += j - i;
                i = j;
            }
        }
        return o;
    }

    private static int dropLastSegment(byte[] out, int o) {
        while (o > 0 && out[o - 1] != '/') {
            o--;
        }
        return o > 0 ? o - 1 : 0;
    }

    /**
     * Resolves a reference (a {@code Location} value) against {@code base} into this holder, RFC
     * 3986 §5.2.2, without allocating. {@code base} must be another, set holder.
     *
     * @return {@link #OK} or a negative {@code ERR_*}; on error this holder is left unset
     */
    public int resolve(HttpUrl base, byte[] ref, int off, int len) {
        if (base == this || !base.isSet()) {
            throw new IllegalArgumentException("base must be another, parsed URL");
        }
        int r = resolveInto(base, ref, off, len);
        if (r < 0) {
            clear();
        }
        return r;
    }

    private int resolveInto(HttpUrl base, byte[] ref, int off, int len) {
        int end = off + len;
        int s = schemeLength(ref, off, len);
        if (s >= 0) {
            int r = checkScheme(ref, off, s);
            if (r < 0) {
                return r;
            }
            return parseInto(ref, off, len);
        }
        if (len >= 2 && ref[off] == '/' && ref[off + 1] == '/') {
            return parseNetworkPath(ref, off + 2, end);
        }
        // same authority as the base
        System.arraycopy(base.host, 0, host, 0, base.hostLength);
        hostLength = base.hostLength;
        literal = base.literal;
        address = base.address;
        port = base.port;
        int pathEnd = off;
        while (pathEnd < end && ref[pathEnd] != '?' && ref[pathEnd] != '#') {
            pathEnd++;
        }
        int queryEnd = pathEnd;
        while (queryEnd < end && ref[queryEnd] != '#') {
            queryEnd++;
        }
        int refPath = pathEnd - off;
        int basePathOnly = base.pathOnlyLength();
        if (refPath == 0) {
            System.arraycopy(base.path, 0, scratch, 0, basePathOnly);
            if (queryEnd > pathEnd) {
                return finishPath(basePathOnly, ref, pathEnd, queryEnd);
            }
            return finishPath(basePathOnly, base.path, basePathOnly, base.pathLength);
        }
        if (ref[off] == '/') {
            if (refPath > MAX_PATH_LENGTH) {
                return ERR_PATH_LENGTH;
            }
            System.arraycopy(ref, off, scratch, 0, refPath);
            return finishPath(refPath, ref, pathEnd, queryEnd);
        }
        // RFC 3986 §5.2.3 merge: the base path up to its last "/", then the reference
        int keep = basePathOnly;
        while (keep > 0 && base.path[keep - 1] != '/') {
            keep--;
        }
        if (keep + refPath > scratch.length) {
            return ERR_PATH_LENGTH;
        }
        System.arraycopy(base.path, 0, scratch, 0, keep);
        System.arraycopy(ref, off, scratch, keep, refPath);
        return finishPath(keep + refPath, ref, pathEnd, queryEnd);
    }

    /** Length of a leading RFC 3986 §3.1 scheme followed by ':', or -1 if there is none. */
    private static int schemeLength(byte[] b, int off, int len) {
        if (len == 0 || !isAlpha(b[off])) {
            return -1;
        }
        for (int i = 1; i < len; i++) {
            byte c = b[off + i];
            if (c == ':') {
                return i;
            }
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isAlpha(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static int checkScheme(byte[] b, int off, int len) {
        if (len == 4 && lower(b[off]) == 'h' && lower(b[off + 1]) == 't' && lower(b[off + 2]) == 't'
            && lower(b[off + 3]) == 'p') {
            return OK;
        }
        if (len == 5 && lower(b[off]) == 'h' && lower(b[off + 1]) == 't' && lower(b[off + 2]) == 't'
            && lower(b[off + 3]) == 'p' && lower(b[off + 4]) == 's') {
            return ERR_HTTPS;
        }
        return ERR_SCHEME;
    }

    static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    private int pathOnlyLength() {
        for (int i = 0; i < pathLength; i++) {
            if (path[i] == '?') {
                return i;
            }
        }
        return pathLength;
    }

    /** Makes this holder an exact copy of {@code other}. */
    public void copyFrom(HttpUrl other) {
        System.arraycopy(other.host, 0, host, 0, other.hostLength);
        hostLength = other.hostLength;
        literal = other.literal;
        address = other.address;
        port = other.port;
        System.arraycopy(other.path, 0, path, 0, other.pathLength);
        pathLength = other.pathLength;
    }

    /** Empties the holder. */
    public void clear() {
        hostLength = 0;
        pathLength = 0;
        literal = false;
        address = 0;
        port = DEFAULT_PORT;
    }

    public boolean isSet() {
        return hostLength > 0;
    }

    /** True when both name the same resource (host, port, path and query). */
    public boolean sameAs(HttpUrl o) {
        return sameOrigin(o) && pathLength == o.pathLength && java.util.Arrays.equals(path, 0, pathLength, o.path, 0, o.pathLength);
    }

    /** True when both have the same host (name or literal), whatever the port. */
    public boolean sameHost(HttpUrl o) {
        return hostLength == o.hostLength && java.util.Arrays.equals(host, 0, hostLength, o.host, 0, o.hostLength);
    }

    /** True when both have the same host and port (RFC 6454 for http). */
    public boolean sameOrigin(HttpUrl o) {
        return port == o.port && hostLength == o.hostLength
            && java.util.Arrays.equals(host, 0, hostLength, o.host, 0, o.hostLength);
    }

    /** A 64-bit FNV-1a hash of host, port and path (the key of the response cache). */
    public long hash() {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < hostLength; i++) {
            h = (h ^ (host[i] & 0xFF)) * 0x100000001B3L;
        }
        h = (h ^ ':') * 0x100000001B3L;
        h = (h ^ (port >>> 8)) * 0x100000001B3L;
        h = (h ^ (port & 0xFF)) * 0x100000001B3L;
        for (int i = 0; i < pathLength; i++) {
            h = (h ^ (path[i] & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }

    /** The host as lower-case ASCII bytes in {@code hostBytes()[0, hostLength())}. */
    public byte[] hostBytes() {
        return host;
    }

    public int hostLength() {
        return hostLength;
    }

    /** True when the host is an IPv4 literal; {@link #address()} is then the address. */
    public boolean isLiteral() {
        return literal;
    }

    public int address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** The origin-form request target (RFC 9112 §3.2.1): path and query, in {@code pathBytes()[0, pathLength())}. */
    public byte[] pathBytes() {
        return path;
    }

    public int pathLength() {
        return pathLength;
    }

    /** Cold path: the URL as text. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(16 + hostLength + pathLength).append("http://");
        for (int i = 0; i < hostLength; i++) {
            sb.append((char) host[i]);
        }
        if (port != DEFAULT_PORT) {
            sb.append(':').append(port);
        }
        for (int i = 0; i < pathLength; i++) {
            sb.append((char) path[i]);
        }
        return sb.toString();
    }
}
