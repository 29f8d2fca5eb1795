package io.ethling.stack.http;

import java.nio.charset.StandardCharsets;

/**
 * Writes a GET or HEAD request (RFC 9112 §3, RFC 9110 §7.2, §10.1.5, §12.5.1) from pre-encoded
 * ASCII templates into a caller's buffer, so the client can hand the whole request to TCP in one
 * send. Nothing variable is written unchecked: every byte that came from a URL, the
 * configuration or a server (ETag, Last-Modified) is scanned for CR, LF and NUL and the request is
 * refused if one is found (header injection, RELIABILITY P12, §2.10).
 *
 * <pre>
 * GET /path?query HTTP/1.1\r\n
 * Host: host[:port]\r\n
 * User-Agent: ethling/0.1\r\n
 * Accept: text/html,text/plain;q=0.9,*&#47;*;q=0.5\r\n
 * Accept-Encoding: identity\r\n          (we cannot decode anything else: RFC 9110 §12.5.3)
 * Connection: keep-alive | close\r\n
 * If-None-Match: "etag"\r\n              (only when the cache holds the page: RFC 9110 §13.1.2)
 * If-Modified-Since: date\r\n            (likewise, RFC 9110 §13.1.3)
 * \r\n
 * </pre>
 */
public final class HttpRequestWriter {

    public static final int METHOD_GET = 0;
    public static final int METHOD_HEAD = 1;

    /** The request does not fit the buffer. */
    public static final int ERR_TOO_LONG = -1;
    /** A variable part holds CR, LF or NUL (or a URL that is not set). */
    public static final int ERR_INJECTION = -2;

    private static final byte[] GET = ascii("GET ");
    private static final byte[] HEAD = ascii("HEAD ");
    private static final byte[] VERSION_HOST = ascii(" HTTP/1.1\r\nHost: ");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] IF_NONE_MATCH = ascii("If-None-Match: ");
    private static final byte[] IF_MODIFIED_SINCE = ascii("If-Modified-Since: ");

    private final byte[] fixedKeepAlive;
    private final byte[] fixedClose;

    /**
     * @param userAgent the User-Agent value (RFC 9110 §10.1.5), visible ASCII and spaces
     * @param accept    the Accept value (RFC 9110 §12.5.1), visible ASCII and spaces
     * @throws IllegalArgumentException naming the bad value
     */
    public HttpRequestWriter(String userAgent, String accept) {
        checkValue("userAgent", userAgent);
        checkValue("accept", accept);
        String common = "\r\nUser-Agent: " + userAgent + "\r\nAccept: " + accept + "\r\nAccept-Encoding: identity\r\n";
        fixedKeepAlive = ascii(common + "Connection: keep-alive\r\n");
        fixedClose = ascii(common + "Connection: close\r\n");
    }

    private static void checkValue(String what, String v) {
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException(what + " contains a control or non-ASCII character at index " + i
                    + " (CR, LF and NUL would inject headers)");
            }
        }
        if (v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' ') {
            throw new IllegalArgumentException(what + " must not start or end with a space");
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes the request into {@code dst[off, off + cap)}.
     *
     * @param etagLen         0 for no If-None-Match
     * @param lastModifiedLen 0 for no If-Modified-Since
     * @return the request's length, or {@link #ERR_TOO_LONG} / {@link #ERR_INJECTION}
     */
    public int write(byte[] dst, int off, int cap, int method, HttpUrl url, boolean keepAlive,
                     byte[] etag, int etagOff, int etagLen, byte[] lastModified, int lmOff, int lastModifiedLen) {
        if (!url.isSet() || !clean(url.hostBytes(), 0, url.hostLength()) || !clean(url.pathBytes(), 0, url.pathLength())
            || !clean(etag, etagOff, etagLen) || !clean(lastModified, lmOff, lastModifiedLen)) {
            return ERR_INJECTION;
        }
        byte[] m = method == METHOD_HEAD ? HEAD : GET;
        byte[] fixed = keepAlive ? fixedKeepAlive : fixedClose;
        int need = m.length + url.pathLength() + VERSION_HOST.length + url.hostLength() + 6 + fixed.length + 2;
        if (etagLen > 0) {
            need += IF_NONE_MATCH.length + etagLen + 2;
        }
        if (lastModifiedLen > 0) {
            need += IF_MODIFIED_SINCE.length + lastModifiedLen + 2;
        }
        if (need > cap) {
            return ERR_TOO_LONG;
        }
        int p = off;
        p = put(dst, p, m, 0, m.length);
        p = put(dst, p, url.pathBytes(), 0, url.pathLength()); // origin-form (RFC 9112 §3.2.1)
        p = put(dst, p, VERSION_HOST, 0, VERSION_HOST.length);
        p = put(dst, p, url.hostBytes(), 0, url.hostLength());
        if (url.port() != HttpUrl.DEFAULT_PORT) { // RFC 9110 §7.2: the port unless the default
            dst[p++] = ':';
            p = putDecimal(dst, p, url.port());
        }
        p = put(dst, p, fixed, 0, fixed.length);
        if (etagLen > 0) {
            p = put(dst, p, IF_NONE_MATCH, 0, IF_NONE_MATCH.length);
            p = put(dst, p, etag, etagOff, etagLen);
            p = put(dst, p, CRLF, 0, 2);
        }
        if (lastModifiedLen > 0) {
            p = put(dst, p, IF_MODIFIED_SINCE, 0, IF_MODIFIED_SINCE.length);
            p = put(dst, p, lastModified, lmOff, lastModifiedLen);
            p = put(dst, p, CRLF, 0, 2);
        }
        p = put(dst, p, CRLF, 0, 2);
        return p - off;
    }

    private static boolean clean(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == '\r' || c == '\n' || c == 0) {
                return false;
            }
        }
        return true;
    }

    private static int put(byte[] dst, int p, byte[] src, int off, int len) {
        System.arraycopy(src, off, dst, p, len);
        return p + len;
    }

    private static int putDecimal(byte[] dst, int p, int v) {
        int div = 10_000;
        boolean started = false;
        while (div > 0) {
            int d = v / div % 10;
            if (d != 0 || started || div == 1) {
                dst[p++] = (byte) ('0' + d);
                started = true;
            }
            div /= 10;
        }
        return p;
    }
}
