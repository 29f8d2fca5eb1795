package io.ethling.firmware;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.stack.tcp.Tcp;

/**
 * The board's web server: HTTP/1.0 (RFC 1945) on the board's {@link Tcp}, one connection at a
 * time, allocation-free after construction. {@code GET /} (and {@code HEAD /}) answers 200 with
 * the page its {@link Content} writes into a fixed buffer; any other path 404; a request line that
 * is not {@code METHOD SP PATH SP HTTP/x.y} 400; another method 501 (RFC 1945 §9.5). The request
 * head is bounded ({@code requestBytes}, 431-free: a head that does not fit is answered 400 and
 * closed); a client that sends nothing for {@code requestTimeoutNs} is reset. Every response says
 * {@code Connection: close} and the connection is closed after it (RFC 1945 §1.3: one request per
 * connection).
 *
 * <p>Loop use: {@link #start()} once, then {@link #poll} after each stack poll and at
 * {@link #pollAtNs}. Outcomes are counted in {@link #counters()}, never thrown.
 */
public final class StatusPage {

    /** Writes the page body into {@code dst[off, end)}; returns the end of what it wrote. */
    public interface Content {
        int render(byte[] dst, int off, int end, long nowNs);
    }

    public static final int C_CONNECTIONS = 0;
    public static final int C_OK = 1;
    public static final int C_NOT_FOUND = 2;
    public static final int C_BAD_REQUEST = 3;
    public static final int C_NOT_IMPLEMENTED = 4;
    public static final int C_TIMEOUTS = 5;
    public static final int C_RESETS = 6;
    public static final int C_SEND_ERRORS = 7;

    private static final int S_IDLE = 0;
    private static final int S_READING = 1;
    private static final int S_SENDING = 2;

    private final Tcp tcp;
    private final int port;
    private final Content content;
    private final long requestTimeoutNs;
    private final CounterSet counters = new CounterSet("http.connections", "http.200", "http.404", "http.400",
            "http.501", "http.timeouts", "http.resets", "http.send.errors");
    private final byte[] request;
    private final byte[] head = new byte[160];
    private final byte[] body;
    private int listener = -1;
    private int state = S_IDLE;
    private int socket = -1;
    private int requestLength;
    private int headLength;
    private int headSent;
    private int bodyLength;
    private int bodySent;
    private long deadlineNs;

    /**
     * @param port the TCP port (80 for the board)
     * @param pageBytes the largest page {@code content} may write
     * @param requestBytes the largest request head accepted
     */
    public StatusPage(Tcp tcp, int port, Content content, int pageBytes, int requestBytes, long requestTimeoutNs) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("status page port must be 1..65535, not " + port);
        }
        if (pageBytes < 256 || requestBytes < 64 || requestTimeoutNs <= 0) {
            throw new IllegalArgumentException("status page: pageBytes >= 256, requestBytes >= 64 and a positive timeout needed, not "
                    + pageBytes + ", " + requestBytes + ", " + requestTimeoutNs);
        }
        this.tcp = tcp;
        this.port = port;
        this.content = content;
        this.request = new byte[requestBytes];
        this.body = new byte[pageBytes];
        this.requestTimeoutNs = requestTimeoutNs;
    }

    /** Port 80 (or {@code port}), an 8 KiB page, 1 KiB of request, 10 s to send it. */
    public StatusPage(Tcp tcp, int port, Content content) {
        this(tcp, port, content, 8192, 1024, 10_000_000_000L);
    }

    /** Listens. @return 0, or the Tcp error (ERR_IN_USE, ERR_NO_SOCKET) */
    public int start() {
        if (listener >= 0) {
            return 0;
        }
        int l = tcp.listen(port);
        if (l < 0) {
            return l;
        }
        listener = l;
        return 0;
    }

    public void stop(long nowNs) {
        if (socket >= 0) {
            tcp.abort(socket, nowNs);
            socket = -1;
        }
        if (listener >= 0) {
            tcp.unlisten(listener, nowNs);
            listener = -1;
        }
        state = S_IDLE;
    }

    public int port() {
        return port;
    }

    public Counters counters() {
        return counters;
    }

    /** The connection being served, or -1 (for the status page's own socket list). */
    public int socket() {
        return socket;
    }

    public int poll(long nowNs) {
        if (listener < 0) {
            return 0;
        }
        int work = 0;
        if (state == S_IDLE) {
            int h = tcp.accept(listener);
            if (h < 0) {
                return 0;
            }
            socket = h;
            tcp.noDelay(h, true);                    // RFC 9293 MUST-17: the head and the page go out at once,
            state = S_READING;                       // not held by Nagle behind the client's delayed ACK
            requestLength = 0;
            deadlineNs = nowNs + requestTimeoutNs;
            counters.inc(C_CONNECTIONS);
            work++;
        }
        if (state == S_READING) {
            work += read(nowNs);
        }
        if (state == S_SENDING) {
            work += send(nowNs);
        }
        return work;
    }

    public long pollAtNs(long nowNs) {
        if (state == S_IDLE) {
            return Long.MAX_VALUE;                   // a new connection arrives with a frame: the stack's poll wakes us
        }
        return deadlineNs;
    }

    private int read(long nowNs) {
        int n = tcp.receive(socket, request, requestLength, request.length - requestLength, nowNs);
        if (n == Tcp.ERR_CONNECTION || n == Tcp.ERR_BAD_HANDLE) {
            counters.inc(C_RESETS);
            drop(nowNs);
            return 1;
        }
        if (n > 0) {
            requestLength += n;
            int end = headEnd();
            if (end >= 0) {
                answer(nowNs);
            } else if (requestLength == request.length) {
                respond(400, "Bad Request", false, nowNs);   // the head does not fit: bounded (RELIABILITY)
                counters.inc(C_BAD_REQUEST);
            }
            return 1;
        }
        if (n == Tcp.END_OF_STREAM) {
            // the client closed before a whole head: answer what we have if it is a request line (HTTP/0.9-style clients)
            if (lineEnd() >= 0) {
                answer(nowNs);
            } else {
                drop(nowNs);
            }
            return 1;
        }
        if (deadlineNs - nowNs <= 0) {
            counters.inc(C_TIMEOUTS);
            tcp.abort(socket, nowNs);
            socket = -1;
            state = S_IDLE;
            return 1;
        }
        return 0;
    }

    /** The index just past the blank line ending the head (CRLF CRLF, or LF LF), or -1. */
    private int headEnd() {
        for (int i = 1; i < requestLength; i++) {
            if (request[i] == '\n' && (request[i - 1] == '\n' || (i >= 2 && request[i - 1] == '\r' && request[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return -1;
    }

    private int lineEnd() {
        for (int i = 0; i < requestLength; i++) {
            if (request[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** RFC 1945 §5.1: Request-Line = Method SP Request-URI SP HTTP-Version CRLF. */
    private void answer(long nowNs) {
        int lineEnd = lineEnd();
        if (lineEnd > 0 && request[lineEnd - 1] == '\r') {
            lineEnd--;
        }
        int sp1 = indexOf((byte) ' ', 0, lineEnd);
        int sp2 = sp1 < 0 ? -1 : indexOf((byte) ' ', sp1 + 1, lineEnd);
        if (sp1 <= 0 || sp2 <= sp1 + 1 || !startsWith(sp2 + 1, lineEnd, "HTTP/")) {
            counters.inc(C_BAD_REQUEST);
            respond(400, "Bad Request", false, nowNs);
            return;
        }
        boolean get = sp1 == 3 && startsWith(0, sp1, "GET");
        boolean headOnly = sp1 == 4 && startsWith(0, sp1, "HEAD");
        if (!get && !headOnly) {
            counters.inc(C_NOT_IMPLEMENTED);
            respond(501, "Not Implemented", false, nowNs);
            return;
        }
        int pathEnd = sp2;
        int q = indexOf((byte) '?', sp1 + 1, sp2);
        if (q >= 0) {
            pathEnd = q;
        }
        int pathLength = pathEnd - (sp1 + 1);
        boolean root = (pathLength == 1 && request[sp1 + 1] == '/')
                || (pathLength == 11 && startsWith(sp1 + 1, pathEnd, "/index.html"));
        if (!root) {
            counters.inc(C_NOT_FOUND);
            respond(404, "Not Found", headOnly, nowNs);
            return;
        }
        counters.inc(C_OK);
        bodyLength = content.render(body, 0, body.length, nowNs);
        writeHead(200, "OK", "text/html; charset=us-ascii");
        if (headOnly) {
            bodyLength = 0;
        }
        startSending(nowNs);
    }

    private void respond(int code, String reason, boolean headOnly, long nowNs) {
        int p = 0;
        int end = body.length;
        p = Ascii.text(body, p, end, "<!DOCTYPE html><html><head><title>");
        p = Ascii.number(body, p, end, code);
        p = Ascii.ch(body, p, end, ' ');
        p = Ascii.text(body, p, end, reason);
        p = Ascii.text(body, p, end, "</title></head><body><h1>");
        p = Ascii.number(body, p, end, code);
        p = Ascii.ch(body, p, end, ' ');
        p = Ascii.text(body, p, end, reason);
        p = Ascii.text(body, p, end, "</h1><p>The board serves its status at <a href=\"/\">/</a>.</p></body></html>\n");
        bodyLength = p;
        writeHead(code, reason, "text/html; charset=us-ascii");
        if (headOnly) {
            bodyLength = 0;
        }
        startSending(nowNs);
    }

    private void writeHead(int code, String reason, String type) {
        int p = 0;
        int end = head.length;
        p = Ascii.text(head, p, end, "HTTP/1.0 ");
        p = Ascii.number(head, p, end, code);
        p = Ascii.ch(head, p, end, ' ');
        p = Ascii.text(head, p, end, reason);
        p = Ascii.text(head, p, end, "\r\nContent-Type: ");
        p = Ascii.text(head, p, end, type);
        p = Ascii.text(head, p, end, "\r\nContent-Length: ");
        p = Ascii.number(head, p, end, bodyLength);
        p = Ascii.text(head, p, end, "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
        headLength = p;
    }

    private void startSending(long nowNs) {
        headSent = 0;
        bodySent = 0;
        state = S_SENDING;
        deadlineNs = nowNs + requestTimeoutNs;
    }

    private int send(long nowNs) {
        int work = 0;
        if (headSent < headLength) {
            int n = tcp.send(socket, head, headSent, headLength - headSent, nowNs);
            if (n < 0) {
                return sendFailed(nowNs);
            }
            headSent += n;
            work += n > 0 ? 1 : 0;
        }
        if (headSent == headLength && bodySent < bodyLength) {
            int n = tcp.send(socket, body, bodySent, bodyLength - bodySent, nowNs);
            if (n < 0) {
                return sendFailed(nowNs);
            }
            bodySent += n;
            work += n > 0 ? 1 : 0;
        }
        if (headSent == headLength && bodySent == bodyLength) {
            tcp.close(socket, nowNs);                // queued data still goes, then our FIN (RFC 9293 §3.10.4)
            socket = -1;
            state = S_IDLE;
            return work + 1;
        }
        if (work == 0 && deadlineNs - nowNs <= 0) {
            counters.inc(C_TIMEOUTS);          // the client stopped reading
            tcp.abort(socket, nowNs);
            socket = -1;
            state = S_IDLE;
            return 1;
        }
        if (work > 0) {
            deadlineNs = nowNs + requestTimeoutNs;
        }
        return work;
    }

    private int sendFailed(long nowNs) {
        counters.inc(C_SEND_ERRORS);
        drop(nowNs);
        return 1;
    }

    private void drop(long nowNs) {
        tcp.abort(socket, nowNs);
        socket = -1;
        state = S_IDLE;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (request[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private boolean startsWith(int from, int to, String s) {
        if (to - from < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (request[from + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
