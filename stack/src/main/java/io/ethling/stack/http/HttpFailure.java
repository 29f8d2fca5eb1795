package io.ethling.stack.http;

/**
 * Why a fetch failed, as a small code and one short line that fits a 16×2 LCD (at most 16
 * characters where possible, never more than 32), naming the phase first: "DNS: no reply",
 * "TCP: refused", "HTTP 404". The lines are constants built once; {@link #line} copies one into a
 * caller's buffer without allocating.
 */
public final class HttpFailure {

    public static final int NONE = 0;
    public static final int DNS_NO_REPLY = 1;
    public static final int DNS_NO_SUCH_NAME = 2;
    public static final int DNS_NO_ADDRESS = 3;
    public static final int DNS_FAILED = 4;
    public static final int DNS_TIMEOUT = 5;
    public static final int DNS_BAD_NAME = 6;
    public static final int DNS_BUSY = 7;
    public static final int ARP_NO_REPLY = 8;
    public static final int ARP_TIMEOUT = 9;
    public static final int TCP_REFUSED = 10;
    public static final int TCP_TIMEOUT = 11;
    public static final int TCP_UNREACHABLE = 12;
    public static final int TCP_RESET = 13;
    public static final int TCP_NO_SOCKET = 14;
    public static final int TCP_SEND = 15;
    public static final int HTTP_NO_RESPONSE = 16;
    public static final int HTTP_FIRST_BYTE_TIMEOUT = 17;
    public static final int HTTP_STALLED = 18;
    public static final int TIMEOUT = 19;
    /** The final status was not a success; the line is "HTTP " and the code. */
    public static final int HTTP_STATUS = 20;
    public static final int NOT_HTTP = 21;
    public static final int BAD_VERSION = 22;
    public static final int BAD_STATUS = 23;
    public static final int STATUS_TOO_LONG = 24;
    public static final int HEADER_TOO_LONG = 25;
    public static final int TOO_MANY_HEADERS = 26;
    public static final int BAD_HEADER = 27;
    public static final int BAD_LINE_END = 28;
    public static final int OBS_FOLD = 29;
    public static final int BAD_LENGTH = 30;
    public static final int LENGTH_CONFLICT = 31;
    public static final int BAD_CODING = 32;
    public static final int BAD_CHUNK = 33;
    public static final int CHUNK_EXT_TOO_LONG = 34;
    public static final int BAD_TRAILER = 35;
    public static final int TOO_MANY_INTERIM = 36;
    public static final int UPGRADE = 37;
    public static final int INCOMPLETE = 38;
    public static final int REDIRECT_LOOP = 39;
    public static final int TOO_MANY_REDIRECTS = 40;
    public static final int BAD_REDIRECT = 41;
    public static final int REDIRECT_HTTPS = 42;
    public static final int REQUEST_TOO_LONG = 43;
    public static final int CANCELLED = 44;
    public static final int COUNT = 45;

    private static final String[] LINES = {
        "",
        "DNS: no reply",
        "DNS: no such name",
        "DNS: no address",
        "DNS: failed",
        "DNS: timeout",
        "DNS: bad name",
        "DNS: busy",
        "ARP: no reply",
        "ARP: timeout",
        "TCP: refused",
        "TCP: timeout",
        "TCP: unreachable",
        "TCP: reset",
        "TCP: no socket",
        "TCP: send failed",
        "HTTP: no response",
        "HTTP: no answer",
        "HTTP: stalled",
        "Fetch: timeout",
        "HTTP ",
        "HTTP: not HTTP",
        "HTTP: bad version",
        "HTTP: bad status",
        "HTTP: long status",
        "HTTP: long header",
        "HTTP: many hdrs",
        "HTTP: bad header",
        "HTTP: bad CR/LF",
        "HTTP: folded hdr",
        "HTTP: bad length",
        "HTTP: 2 lengths",
        "HTTP: bad coding",
        "HTTP: bad chunk",
        "HTTP: chunk ext",
        "HTTP: bad trailer",
        "HTTP: many 1xx",
        "HTTP: upgrade",
        "HTTP: incomplete",
        "HTTP: redir loop",
        "HTTP: >5 redirs",
        "HTTP: bad redir",
        "HTTP: to https",
        "HTTP: URL long",
        "Cancelled",
    };

    /** Counter names, one per code ({@code http.fail.*}). */
    static final String[] COUNTER_NAMES = {
        "none", "dns.noreply", "dns.nosuchname", "dns.noaddress", "dns.failed", "dns.timeout", "dns.badname",
        "dns.busy", "arp.noreply", "arp.timeout", "tcp.refused", "tcp.timeout", "tcp.unreachable", "tcp.reset",
        "tcp.nosocket", "tcp.send", "http.noresponse", "http.firstbyte.timeout", "http.stalled", "timeout",
        "http.status", "http.nothttp", "http.version", "http.status.line", "http.status.toolong",
        "http.header.toolong", "http.headers.toomany", "http.header.bad", "http.lineend", "http.obsfold",
        "http.length.bad", "http.length.conflict", "http.coding", "http.chunk.bad", "http.chunk.ext",
        "http.trailer", "http.interim.toomany", "http.upgrade", "http.incomplete", "http.redirect.loop",
        "http.redirect.toomany", "http.redirect.bad", "http.redirect.https", "http.request.toolong", "cancelled",
    };

    private static final byte[][] LINE_BYTES = new byte[COUNT][];

    static {
        if (LINES.length != COUNT || COUNTER_NAMES.length != COUNT) {
            throw new AssertionError("HttpFailure tables out of step");
        }
        for (int i = 0; i < COUNT; i++) {
            LINE_BYTES[i] = LINES[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    /**
     * Writes the line for {@code code} (with {@code status} for {@link #HTTP_STATUS}) into
     * {@code dst} at {@code off}; returns its length (at most 32). Allocation-free.
     */
    public static int line(int code, int status, byte[] dst, int off) {
        if (code < 0 || code >= COUNT) {
            code = NONE;
        }
        byte[] l = LINE_BYTES[code];
        System.arraycopy(l, 0, dst, off, l.length);
        int n = l.length;
        if (code == HTTP_STATUS) {
            int s = status < 0 ? 0 : Math.min(status, 999);
            dst[off + n++] = (byte) ('0' + s / 100);
            dst[off + n++] = (byte) ('0' + s / 10 % 10);
            dst[off + n++] = (byte) ('0' + s % 10);
        }
        return n;
    }

    /** The line as text (cold path; allocates). */
    public static String text(int code, int status) {
        byte[] b = new byte[40];
        int n = line(code, status, b, 0);
        return new String(b, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private HttpFailure() {
    }
}
