package io.ethling.stack.http;

/**
 * Read this first: every byte of a response is untrusted (RELIABILITY.md §1.3 P1–P15, §2.10).
 *
 * <p>A byte-at-a-time HTTP/1.1 response parser (RFC 9112) with fixed limits and no allocation.
 * {@link #feed} consumes bytes and stops at three points: when the header section of a final
 * response is complete ({@link #STATE_HEADERS}: the caller looks at the status and headers, then
 * calls {@link #startBody}), when the message is complete ({@link #STATE_COMPLETE}; bytes after
 * it are left unconsumed, never delivered as body) and on an error ({@link #STATE_ERROR},
 * {@link #error()} is an {@link HttpFailure} code). Body bytes go to the {@link BodySink} in place
 * (offset and length into the caller's buffer, no copy). {@link #finish} tells the parser the
 * connection ended (FIN).
 *
 * <p>Rules, each with its source:
 * <ul>
 * <li>status-line = HTTP-version SP 3DIGIT SP reason (RFC 9112 §4); version HTTP/1.x only; code
 *     100..599 (RFC 9110 §15); the SP before an empty reason may be missing (common in practice).
 * <li>Lines end in CRLF; a bare CR or bare LF is an error (RFC 9112 §2.2); NUL and other controls
 *     in a field value are an error (RFC 9110 §5.5); obs-fold is refused (RFC 9112 §5.2);
 *     whitespace between name and colon is refused (RFC 9112 §5.1).
 * <li>Limits: each line (status, header, chunk-size, trailer) {@code maxLineBytes}; at most
 *     {@code maxHeaders} header lines and {@code maxTrailers} trailer lines (RELIABILITY P5, P6);
 *     chunk size at most 15 hex digits; at most {@code maxInterim} 1xx responses (P10).
 * <li>Content-Length: 1*DIGIT only, with at most one space or tab before it and nothing after it
 *     (stricter than RFC 9110 §5.5 on purpose: P1), overflow checked (P2); a second one that
 *     disagrees is an error (RFC 9112 §6.3 item 5, P3).
 * <li>Transfer-Encoding: only "chunked", once, as the final coding (RFC 9112 §6.1); anything else
 *     is refused (we cannot decode it). With Content-Length too, chunked wins and the connection
 *     is not reused (RFC 9112 §6.3 item 3, P4).
 * <li>Body length (RFC 9112 §6.3): none after HEAD, 1xx, 204 and 304; else chunked; else
 *     Content-Length; else until the connection closes (then never reused).
 * <li>1xx responses are skipped (RFC 9110 §15.2); 101 is an error (we never ask to upgrade).
 * </ul>
 */
public final class HttpResponseParser {

    public static final int STATE_PARSING = 0;
    public static final int STATE_HEADERS = 1;
    public static final int STATE_BODY = 2;
    public static final int STATE_COMPLETE = 3;
    public static final int STATE_ERROR = 4;

    public static final int BODY_NONE = 0;
    public static final int BODY_LENGTH = 1;
    public static final int BODY_CHUNKED = 2;
    public static final int BODY_CLOSE = 3;

    // internal states
    private static final int S_VERSION = 0;
    private static final int S_CODE = 1;
    private static final int S_AFTER_CODE = 2;
    private static final int S_REASON = 3;
    private static final int S_STATUS_LF = 4;
    private static final int S_LINE_START = 5;
    private static final int S_NAME = 6;
    private static final int S_VALUE = 7;
    private static final int S_VALUE_LF = 8;
    private static final int S_HEADERS_END_LF = 9;
    private static final int S_HEADERS_DONE = 10;
    private static final int S_BODY_LENGTH = 11;
    private static final int S_BODY_CLOSE = 12;
    private static final int S_CHUNK_SIZE = 13;
    private static final int S_CHUNK_EXT = 14;
    private static final int S_CHUNK_SIZE_LF = 15;
    private static final int S_CHUNK_DATA = 16;
    private static final int S_CHUNK_DATA_CR = 17;
    private static final int S_CHUNK_DATA_LF = 18;
    private static final int S_TRAILER_START = 19;
    private static final int S_TRAILER_LINE = 20;
    private static final int S_TRAILER_LF = 21;
    private static final int S_TRAILER_END_LF = 22;
    private static final int S_COMPLETE = 23;
    private static final int S_ERROR = 24;

    // fields we capture
    private static final int F_OTHER = 0;
    private static final int F_CONTENT_LENGTH = 1;
    private static final int F_TRANSFER_ENCODING = 2;
    private static final int F_CONNECTION = 3;
    private static final int F_LOCATION = 4;
    private static final int F_ETAG = 5;
    private static final int F_LAST_MODIFIED = 6;
    private static final int F_CONTENT_TYPE = 7;
    private static final int F_CACHE_CONTROL = 8;

    private static final byte[][] FIELD_NAMES = {
        null,
        ascii("content-length"),
        ascii("transfer-encoding"),
        ascii("connection"),
        ascii("location"),
        ascii("etag"),
        ascii("last-modified"),
        ascii("content-type"),
        ascii("cache-control"),
    };
    private static final int MAX_NAME = 17; // longest name above
    private static final byte[] VERSION_PREFIX = ascii("HTTP/1.");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    private static final byte[] NO_STORE = ascii("no-store");
    private static final int MAX_CHUNK_DIGITS = 15; // 2^60 - 1: no overflow of a long (P5)
    private static final long CL_LIMIT = Long.MAX_VALUE / 10;

    /** RFC 9110 §5.6.2 tchar */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    // limits
    private final int maxLineBytes;
    private final int maxHeaders;
    private final int maxTrailers;
    private final int maxInterim;

    // captured values (fixed buffers)
    private final byte[] location;
    private final byte[] etag;
    private final byte[] lastModified;
    private final byte[] contentType;
    private int locationLength;
    private int etagLength;
    private int lastModifiedLength;
    private int contentTypeLength;
    private boolean locationOverflow;
    private boolean etagOverflow;
    private boolean lastModifiedOverflow;

    private BodySink sink;
    private boolean head;

    private int st;
    private int error;
    private int pos;          // position within the version prefix / code digits
    private int lineBytes;
    private int minor;
    private int status;
    private int headerCount;
    private int trailerCount;
    private int trailerBytes;
    private int interimCount;
    private final byte[] name = new byte[MAX_NAME];
    private int nameLength;
    private int field;
    private boolean valueStarted;
    private int valueLeadingWs;
    private int valueLength;     // captured bytes, including trailing whitespace
    private int valueTrimmed;    // captured bytes up to the last non-whitespace byte
    private boolean valueOverflow;
    // Content-Length
    private boolean clSeen;
    private long contentLength;
    private long clValue;
    private int clDigits;
    // token lists (Transfer-Encoding, Connection)
    private final byte[] token = new byte[16];
    private int tokenLength;
    private int tokenState;      // 0 before, 1 in, 2 after (whitespace)
    private boolean tokenOverflow;
    private boolean teSeen;
    private boolean teChunked;   // "chunked" seen (must be the last coding)
    private boolean connClose;
    private boolean connKeepAlive;
    private boolean noStore;
    // body
    private int bodyMode;
    private long remaining;
    private int chunkDigits;
    private long bodyBytes;

    /**
     * @param maxLineBytes   longest status, header, chunk-size or trailer line (e.g. 8192)
     * @param maxHeaders     most header lines (e.g. 100)
     * @param maxTrailers    most trailer lines (e.g. 16); the trailer section is also limited to
     *                       {@code maxLineBytes} bytes in all
     * @param maxInterim     most 1xx responses skipped (e.g. 10)
     * @param maxLocation    bytes kept of Location (longer: the redirect fails)
     * @param maxValidator   bytes kept of ETag, Last-Modified and Content-Type (longer: not kept)
     */
    public HttpResponseParser(int maxLineBytes, int maxHeaders, int maxTrailers, int maxInterim,
                              int maxLocation, int maxValidator) {
        if (maxLineBytes < 64) {
            throw new IllegalArgumentException("maxLineBytes must be at least 64: " + maxLineBytes);
        }
        if (maxHeaders < 1 || maxTrailers < 0 || maxInterim < 0 || maxLocation < 16 || maxValidator < 16) {
            throw new IllegalArgumentException("parser limits too small: headers " + maxHeaders + ", trailers "
                + maxTrailers + ", interim " + maxInterim + ", location " + maxLocation + ", validator " + maxValidator);
        }
        this.maxLineBytes = maxLineBytes;
        this.maxHeaders = maxHeaders;
        this.maxTrailers = maxTrailers;
        this.maxInterim = maxInterim;
        this.location = new byte[maxLocation];
        this.etag = new byte[maxValidator];
        this.lastModified = new byte[maxValidator];
        this.contentType = new byte[maxValidator];
        reset(false);
    }

    /** Where body bytes go; may change between {@link #STATE_HEADERS} and {@link #startBody}. */
    public void sink(BodySink sink) {
        this.sink = sink;
    }

    /** Expects a new response; {@code headRequest} when it answers HEAD (RFC 9112 §6.3 item 1). */
    public void reset(boolean headRequest) {
        head = headRequest;
        interimCount = 0;
        bodyBytes = 0;
        newMessage();
    }

    private void newMessage() {
        st = S_VERSION;
        error = HttpFailure.NONE;
        pos = 0;
        lineBytes = 0;
        minor = 0;
        status = 0;
        headerCount = 0;
        trailerCount = 0;
        trailerBytes = 0;
        locationLength = 0;
        etagLength = 0;
        lastModifiedLength = 0;
        contentTypeLength = 0;
        locationOverflow = false;
        etagOverflow = false;
        lastModifiedOverflow = false;
        clSeen = false;
        contentLength = -1;
        teSeen = false;
        teChunked = false;
        connClose = false;
        connKeepAlive = false;
        noStore = false;
        bodyMode = BODY_NONE;
        remaining = 0;
    }

    /**
     * Consumes bytes of {@code b[off, off + len)}; returns how many. Stops early at the end of a
     * final response's header section, at the end of the message and on an error.
     */
    public int feed(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (st) {
                case S_HEADERS_DONE:
                case S_COMPLETE:
                case S_ERROR:
                    return i - off;
                case S_BODY_LENGTH: {
                    int n = (int) Math.min(remaining, end - i);
                    deliver(b, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        st = S_COMPLETE;
                    }
                    break;
                }
                case S_BODY_CLOSE: {
                    deliver(b, i, end - i);
                    i = end;
                    break;
                }
                case S_CHUNK_DATA: {
                    int n = (int) Math.min(remaining, end - i);
                    deliver(b, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        st = S_CHUNK_DATA_CR;
                    }
                    break;
                }
                default:
                    step(b[i] & 0xFF);
                    i++;
            }
        }
        return i - off;
    }

    private void deliver(byte[] b, int off, int n) {
        if (n > 0) {
            bodyBytes += n;
            if (sink != null) {
                sink.onBody(b, off, n);
            }
        }
    }

    private void fail(int code) {
        st = S_ERROR;
        error = code;
    }

    /** One byte of a line-oriented part (status line, headers, chunk framing, trailers). */
    private void step(int c) {
        switch (st) {
            case S_VERSION:
                if (++lineBytes > maxLineBytes) {
                    fail(HttpFailure.STATUS_TOO_LONG);
                } else if (pos < VERSION_PREFIX.length) {
                    if (c != VERSION_PREFIX[pos]) {
                        // "HTTP/2", "HTTP/1x": HTTP but not 1.x; anything else is not HTTP (P9)
                        fail(pos >= 5 ? HttpFailure.BAD_VERSION : HttpFailure.NOT_HTTP);
                    } else {
                        pos++;
                    }
                } else if (pos == VERSION_PREFIX.length) {
                    if (c < '0' || c > '9') {
                        fail(HttpFailure.BAD_VERSION);
                    } else {
                        minor = c - '0';
                        pos++;
                    }
                } else if (c != ' ') {
                    fail(HttpFailure.BAD_VERSION); // RFC 9112 §2.3: one digit each side of the dot
                } else {
                    st = S_CODE;
                    pos = 0;
                }
                break;
            case S_CODE:
                if (++lineBytes > maxLineBytes) {
                    fail(HttpFailure.STATUS_TOO_LONG);
                } else if (c < '0' || c > '9') {
                    fail(HttpFailure.BAD_STATUS);
                } else {
                    status = status * 10 + (c - '0');
                    if (++pos == 3) {
                        // RFC 9110 §15: 100..599 are the defined classes (P9: 999 refused)
                        if (status < 100 || status > 599) {
                            fail(HttpFailure.BAD_STATUS);
                        } else {
                            st = S_AFTER_CODE;
                        }
                    }
                }
                break;
            case S_AFTER_CODE:
                // line limits count the bytes before the CRLF
                if (c == '\r') {
                    st = S_STATUS_LF;
                } else if (++lineBytes > maxLineBytes) {
                    fail(HttpFailure.STATUS_TOO_LONG);
                } else if (c == ' ') {
                    st = S_REASON;
                } else {
                    fail(HttpFailure.BAD_STATUS);
                }
                break;
            case S_REASON:
                // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ) (RFC 9112 §4)
                if (c == '\r') {
                    st = S_STATUS_LF;
                } else if (++lineBytes > maxLineBytes) {
                    fail(HttpFailure.STATUS_TOO_LONG);
                } else if (!fieldChar(c)) {
                    fail(c == '\n' ? HttpFailure.BAD_LINE_END : HttpFailure.BAD_STATUS);
                }
                break;
            case S_STATUS_LF:
                if (c != '\n') {
                    fail(HttpFailure.BAD_LINE_END);
                } else {
                    st = S_LINE_START;
                    lineBytes = 0;
                }
                break;
            case S_LINE_START:
                if (c == '\r') {
                    st = S_HEADERS_END_LF;
                } else if (c == ' ' || c == '\t') {
                    fail(HttpFailure.OBS_FOLD); // RFC 9112 §5.2 (P11)
                } else if (TCHAR[c]) {
                    if (++headerCount > maxHeaders) {
                        fail(HttpFailure.TOO_MANY_HEADERS); // P6
                        break;
                    }
                    lineBytes = 1;
                    nameLength = 0;
                    addNameByte(c);
                    st = S_NAME;
                } else {
                    fail(c == '\n' ? HttpFailure.BAD_LINE_END : HttpFailure.BAD_HEADER);
                }
                break;
            case S_NAME:
                if (++lineBytes > maxLineBytes) {
                    fail(HttpFailure.HEADER_TOO_LONG);
                } else if (c == ':') {
                    startValue();
                } else if (TCHAR[c]) {
                    addNameByte(c);
                } else {
                    // whitespace before the colon (RFC 9112 §5.1), NUL, CR, LF, ...
                    fail(c == '\r' || c == '\n' ? HttpFailure.BAD_LINE_END : HttpFailure.BAD_HEADER);
                }
                break;
            case S_VALUE:
                if (c == '\r') {
                    st = S_VALUE_LF;
                } else if (++lineBytes > maxLineBytes) {
                    fail(HttpFailure.HEADER_TOO_LONG);
                } else if (c == '\n') {
                    fail(HttpFailure.BAD_LINE_END);
                } else if (!fieldChar(c)) {
                    fail(HttpFailure.BAD_HEADER); // NUL and other controls (RFC 9110 §5.5, P11)
                } else {
                    valueByte(c);
                }
                break;
            case S_VALUE_LF:
                if (c != '\n') {
                    fail(HttpFailure.BAD_LINE_END); // bare CR (P11)
                } else {
                    endValue();
                    if (st == S_VALUE_LF) {
                        st = S_LINE_START;
                        lineBytes = 0;
                    }
                }
                break;
            case S_HEADERS_END_LF:
                if (c != '\n') {
                    fail(HttpFailure.BAD_LINE_END);
                } else {
                    headersEnd();
                }
                break;
            case S_CHUNK_SIZE:
                if (++lineBytes > maxLineBytes) {
                    fail(HttpFailure.CHUNK_EXT_TOO_LONG);
                    break;
                }
                int h = HttpUrl.hex((byte) c);
                if (h >= 0) {
                    if (++chunkDigits > MAX_CHUNK_DIGITS) {
                        fail(HttpFailure.BAD_CHUNK); // P5: FFFFFFFFFFFFFFFFF
                    } else {
                        remaining = (remaining << 4) | h;
                    }
                } else if (chunkDigits == 0) {
                    fail(HttpFailure.BAD_CHUNK); // "-5", empty size
                } else if (c == ';' || c == ' ' || c == '\t') {
                    st = S_CHUNK_EXT; // RFC 9112 §7.1.1: chunk-ext = *( BWS ";" ... )
                    pos = c == ';' ? 1 : 0;
                } else if (c == '\r') {
                    st = S_CHUNK_SIZE_LF;
                } else {
                    fail(HttpFailure.BAD_CHUNK);
                }
                break;
            case S_CHUNK_EXT:
                if (++lineBytes > maxLineBytes) {
                    fail(HttpFailure.CHUNK_EXT_TOO_LONG); // P5: 100 KB extension
                } else if (c == '\r') {
                    st = pos == 1 ? S_CHUNK_SIZE_LF : S_ERROR;
                    if (st == S_ERROR) {
                        error = HttpFailure.BAD_CHUNK; // whitespace and no ';'
                    }
                } else if (pos == 0) {
                    if (c == ';') {
                        pos = 1;
                    } else if (c != ' ' && c != '\t') {
                        fail(HttpFailure.BAD_CHUNK);
                    }
                } else if (!fieldChar(c)) {
                    fail(HttpFailure.BAD_CHUNK);
                }
                break;
            case S_CHUNK_SIZE_LF:
                if (c != '\n') {
                    fail(HttpFailure.BAD_CHUNK);
                } else if (remaining == 0) {
                    st = S_TRAILER_START; // last-chunk (RFC 9112 §7.1)
                    lineBytes = 0;
                } else {
                    st = S_CHUNK_DATA;
                }
                break;
            case S_CHUNK_DATA_CR:
                if (c != '\r') {
                    fail(HttpFailure.BAD_CHUNK); // P5: no CRLF after the chunk data
                } else {
                    st = S_CHUNK_DATA_LF;
                }
                break;
            case S_CHUNK_DATA_LF:
                if (c != '\n') {
                    fail(HttpFailure.BAD_CHUNK);
                } else {
                    beginChunkSize();
                }
                break;
            case S_TRAILER_START:
                if (++trailerBytes > maxLineBytes) {
                    fail(HttpFailure.BAD_TRAILER);
                } else if (c == '\r') {
                    st = S_TRAILER_END_LF;
                } else if (TCHAR[c]) {
                    if (++trailerCount > maxTrailers) {
                        fail(HttpFailure.BAD_TRAILER); // P5: 100 KB trailer section
                    } else {
                        st = S_TRAILER_LINE;
                    }
                } else {
                    fail(HttpFailure.BAD_TRAILER);
                }
                break;
            case S_TRAILER_LINE:
                // trailer fields are read and dropped (RFC 9112 §7.1.2 lets us ignore them)
                if (++trailerBytes > maxLineBytes) {
                    fail(HttpFailure.BAD_TRAILER);
                } else if (c == '\r') {
                    st = S_TRAILER_LF;
                } else if (!fieldChar(c)) {
                    fail(HttpFailure.BAD_TRAILER);
                }
                break;
            case S_TRAILER_LF:
                if (c != '\n') {
                    fail(HttpFailure.BAD_TRAILER);
                } else {
                    st = S_TRAILER_START;
                }
                break;
            case S_TRAILER_END_LF:
                if (c != '\n') {
                    fail(HttpFailure.BAD_TRAILER);
                } else {
                    st = S_COMPLETE;
                }
                break;
            default:
                fail(HttpFailure.BAD_HEADER);
        }
    }

    /** field-vchar / SP / HTAB (RFC 9110 §5.5); obs-text allowed. */
    private static boolean fieldChar(int c) {
        return c == '\t' || (c >= 0x20 && c != 0x7F);
    }

    private void addNameByte(int c) {
        if (nameLength < MAX_NAME) {
            name[nameLength] = (byte) HttpUrl.lower(c);
        }
        nameLength++;
    }

    private void startValue() {
        field = F_OTHER;
        if (nameLength <= MAX_NAME) {
            for (int f = 1; f < FIELD_NAMES.length; f++) {
                byte[] n = FIELD_NAMES[f];
                if (n.length == nameLength && java.util.Arrays.equals(n, 0, nameLength, name, 0, nameLength)) {
                    field = f;
                    break;
                }
            }
        }
        valueStarted = false;
        valueLeadingWs = 0;
        valueLength = 0;
        valueTrimmed = 0;
        valueOverflow = false;
        clValue = 0;
        clDigits = 0;
        tokenLength = 0;
        tokenState = 0;
        tokenOverflow = false;
        if (field == F_CONTENT_LENGTH && clSeen) {
            clValue = 0;
        }
        st = S_VALUE;
    }

    private void valueByte(int c) {
        boolean ws = c == ' ' || c == '\t';
        if (!valueStarted) {
            if (ws) {
                valueLeadingWs++; // OWS (RFC 9110 §5.6.3)
                if (field == F_CONTENT_LENGTH && valueLeadingWs > 1) {
                    fail(HttpFailure.BAD_LENGTH); // P1 " 5 "
                }
                return;
            }
            valueStarted = true;
        }
        switch (field) {
            case F_CONTENT_LENGTH:
                // RFC 9110 §8.6: Content-Length = 1*DIGIT (P1: "-1", "+5", "5x", "0x10", "5 ")
                if (c < '0' || c > '9') {
                    fail(HttpFailure.BAD_LENGTH);
                } else if (clValue > CL_LIMIT || (clValue == CL_LIMIT && c > '7')) {
                    fail(HttpFailure.BAD_LENGTH); // P2: overflow
                } else {
                    clValue = clValue * 10 + (c - '0');
                    clDigits++;
                }
                break;
            case F_TRANSFER_ENCODING:
            case F_CONNECTION:
            case F_CACHE_CONTROL:
                tokenByte(c, ws);
                break;
            case F_LOCATION:
                capture(location, c, ws);
                break;
            case F_ETAG:
                capture(etag, c, ws);
                break;
            case F_LAST_MODIFIED:
                capture(lastModified, c, ws);
                break;
            case F_CONTENT_TYPE:
                capture(contentType, c, ws);
                break;
            default:
                break;
        }
    }

    private void capture(byte[] dst, int c, boolean ws) {
        if (valueLength < dst.length) {
            dst[valueLength] = (byte) c;
        } else {
            valueOverflow = true;
        }
        valueLength++;
        if (!ws) {
            valueTrimmed = valueLength;
        }
    }

    /** A #token list element by element (RFC 9110 §5.6.1), matched case-insensitively. */
    private void tokenByte(int c, boolean ws) {
        if (c == ',') {
            endToken();
            tokenState = 0;
        } else if (ws) {
            if (tokenState == 1) {
                tokenState = 2;
            }
        } else if (TCHAR[c] && tokenState != 2) {
            tokenState = 1;
            if (tokenLength < token.length) {
                token[tokenLength] = (byte) HttpUrl.lower(c);
            } else {
                tokenOverflow = true;
            }
            tokenLength++;
        } else if (field == F_TRANSFER_ENCODING) {
            fail(HttpFailure.BAD_CODING); // parameters or junk: a coding we cannot decode
        } else {
            tokenOverflow = true; // an odd Connection option or a directive's argument: ignored
        }
    }

    private void endToken() {
        if (tokenLength == 0) {
            return; // empty list element (RFC 9110 §5.6.1)
        }
        boolean chunked = !tokenOverflow && is(CHUNKED);
        if (field == F_TRANSFER_ENCODING) {
            teSeen = true;
            // RFC 9112 §6.1: chunked exactly once, and last; other codings we cannot decode
            if (!chunked || teChunked) {
                fail(HttpFailure.BAD_CODING);
            } else {
                teChunked = true;
            }
        } else if (field == F_CACHE_CONTROL) {
            if (!tokenOverflow && is(NO_STORE)) {
                noStore = true; // RFC 9111 §5.2.2.5
            }
        } else if (!tokenOverflow) {
            if (is(CLOSE)) {
                connClose = true;
            } else if (is(KEEP_ALIVE)) {
                connKeepAlive = true;
            }
        }
        tokenLength = 0;
        tokenOverflow = false;
    }

    private boolean is(byte[] word) {
        return tokenLength == word.length && java.util.Arrays.equals(word, 0, word.length, token, 0, tokenLength);
    }

    private void endValue() {
        switch (field) {
            case F_CONTENT_LENGTH:
                if (clDigits == 0) {
                    fail(HttpFailure.BAD_LENGTH);
                } else if (clSeen && clValue != contentLength) {
                    fail(HttpFailure.LENGTH_CONFLICT); // RFC 9112 §6.3 item 5 (P3)
                } else {
                    clSeen = true;
                    contentLength = clValue;
                }
                break;
            case F_TRANSFER_ENCODING:
            case F_CONNECTION:
            case F_CACHE_CONTROL:
                endToken();
                if (field == F_TRANSFER_ENCODING && !teSeen && st != S_ERROR) {
                    fail(HttpFailure.BAD_CODING); // an empty Transfer-Encoding
                }
                break;
            case F_LOCATION:
                locationLength = valueTrimmed;
                locationOverflow = valueOverflow;
                break;
            case F_ETAG:
                etagLength = valueOverflow ? 0 : valueTrimmed;
                etagOverflow = valueOverflow;
                break;
            case F_LAST_MODIFIED:
                lastModifiedLength = valueOverflow ? 0 : valueTrimmed;
                lastModifiedOverflow = valueOverflow;
                break;
            case F_CONTENT_TYPE:
                contentTypeLength = Math.min(valueTrimmed, contentType.length);
                break;
            default:
                break;
        }
    }

    private void headersEnd() {
        if (status < 200) {
            // RFC 9110 §15.2: interim responses; 101 only answers an Upgrade we never send
            if (status == 101) {
                fail(HttpFailure.UPGRADE);
            } else if (++interimCount > maxInterim) {
                fail(HttpFailure.TOO_MANY_INTERIM); // P10
            } else {
                newMessage();
            }
            return;
        }
        if (head || status == 204 || status == 304) {
            bodyMode = BODY_NONE; // RFC 9112 §6.3 item 1 (P14)
        } else if (teSeen) {
            bodyMode = BODY_CHUNKED; // RFC 9112 §6.3 item 3: wins over Content-Length (P4)
        } else if (clSeen) {
            bodyMode = BODY_LENGTH;
        } else {
            bodyMode = BODY_CLOSE; // RFC 9112 §6.3 item 8
        }
        st = S_HEADERS_DONE;
    }

    /** After {@link #STATE_HEADERS}: start reading the body (or complete at once if it has none). */
    public void startBody() {
        if (st != S_HEADERS_DONE) {
            return;
        }
        switch (bodyMode) {
            case BODY_LENGTH:
                remaining = contentLength;
                st = remaining == 0 ? S_COMPLETE : S_BODY_LENGTH;
                break;
            case BODY_CHUNKED:
                beginChunkSize();
                break;
            case BODY_CLOSE:
                st = S_BODY_CLOSE;
                break;
            default:
                st = S_COMPLETE;
        }
    }

    private void beginChunkSize() {
        st = S_CHUNK_SIZE;
        remaining = 0;
        chunkDigits = 0;
        lineBytes = 0;
    }

    /**
     * The connection delivered its FIN: a close-delimited body is complete; anything else that
     * was not complete is {@link HttpFailure#INCOMPLETE} (P7) or, before any byte, no response.
     *
     * @return the state after this
     */
    public int finish(boolean anyByteSeen) {
        if (st == S_BODY_CLOSE) {
            st = S_COMPLETE;
        } else if (st != S_COMPLETE && st != S_ERROR) {
            fail(anyByteSeen ? HttpFailure.INCOMPLETE : HttpFailure.HTTP_NO_RESPONSE);
        }
        return state();
    }

    public int state() {
        switch (st) {
            case S_HEADERS_DONE:
                return STATE_HEADERS;
            case S_COMPLETE:
                return STATE_COMPLETE;
            case S_ERROR:
                return STATE_ERROR;
            case S_BODY_LENGTH:
            case S_BODY_CLOSE:
            case S_CHUNK_SIZE:
            case S_CHUNK_EXT:
            case S_CHUNK_SIZE_LF:
            case S_CHUNK_DATA:
            case S_CHUNK_DATA_CR:
            case S_CHUNK_DATA_LF:
            case S_TRAILER_START:
            case S_TRAILER_LINE:
            case S_TRAILER_LF:
            case S_TRAILER_END_LF:
                return STATE_BODY;
            default:
                return STATE_PARSING;
        }
    }

    /** The {@link HttpFailure} code of {@link #STATE_ERROR}. */
    public int error() {
        return error;
    }

    public int status() {
        return status;
    }

    /** The minor version: 1 for HTTP/1.1, 0 for HTTP/1.0. */
    public int minorVersion() {
        return minor;
    }

    public int bodyMode() {
        return bodyMode;
    }

    /** The Content-Length, or -1 when there was none. */
    public long contentLength() {
        return contentLength;
    }

    /** Body bytes delivered for this response. */
    public long bodyBytes() {
        return bodyBytes;
    }

    public int interimCount() {
        return interimCount;
    }

    /**
     * May the connection carry another request after this response (RFC 9112 §9.3)? HTTP/1.1
     * without "close", or HTTP/1.0 with "keep-alive"; a self-delimited body; and not a response
     * with both Transfer-Encoding and Content-Length (RFC 9112 §6.3 item 3).
     */
    public boolean keepAlive() {
        boolean persistent = minor >= 1 ? !connClose : connKeepAlive && !connClose;
        return persistent && bodyMode != BODY_CLOSE && !(teSeen && clSeen);
    }

    /** Cache-Control: no-store (RFC 9111 §5.2.2.5): the response must not be kept. */
    public boolean noStore() {
        return noStore;
    }

    public boolean hasLocation() {
        return locationLength > 0 && !locationOverflow;
    }

    public byte[] locationBytes() {
        return location;
    }

    public int locationLength() {
        return locationLength;
    }

    public byte[] etagBytes() {
        return etag;
    }

    /** 0 when absent or too long to keep. */
    public int etagLength() {
        return etagLength;
    }

    public byte[] lastModifiedBytes() {
        return lastModified;
    }

    /** 0 when absent or too long to keep. */
    public int lastModifiedLength() {
        return lastModifiedLength;
    }

    public byte[] contentTypeBytes() {
        return contentType;
    }

    /** Possibly cut to the buffer's size. */
    public int contentTypeLength() {
        return contentTypeLength;
    }

    boolean validatorOverflow() {
        return etagOverflow || lastModifiedOverflow;
    }
}
