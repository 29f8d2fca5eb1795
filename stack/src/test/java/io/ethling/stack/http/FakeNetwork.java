package io.ethling.stack.http;

import io.ethling.stack.util.Prng;

import java.nio.charset.StandardCharsets;

/**
 * A scripted {@link HttpNetwork} on a virtual clock: a DNS table (answers, failures, silence,
 * delays), servers by address and port (accept, refuse, no ARP reply, SYN into a black hole)
 * and connections whose responses are queued by a {@link Responder} and handed to the client in
 * seeded random pieces, then followed by nothing, a FIN or an RST; an RST can also cut a
 * response at a chosen byte, and a response can drip one byte per interval (slowloris).
 *
 * <p>In "dirty" mode every {@link #receive} fills the rest of the caller's buffer with a
 * recognisable pattern or with stale bytes (RELIABILITY.md §0.2(6)), so a client that reads past
 * the count it was given sees junk.
 *
 * <p>After set-up it allocates nothing (the allocation test measures the client through it).
 */
final class FakeNetwork implements HttpNetwork {

    static final int ACCEPT = 0;
    static final int REFUSE = 1;
    static final int NO_ARP = 2;
    static final int BLACKHOLE = 3;
    static final int UNREACHABLE = 4;

    static final int END_KEEP = 0;
    static final int END_FIN = 1;
    static final int END_RST = 2;

    /** Answers one complete request on a connection by calling {@link Conn#reply}. */
    interface Responder {
        void respond(Conn c, int requestIndex);
    }

    static final class Server {
        final int ip;
        final int port;
        int mode = ACCEPT;
        long arpNs = 1_000_000;   // 1 ms to resolve the next hop
        long synNs = 2_000_000;   // 2 ms for the handshake
        long failAfterNs = -1;    // NO_ARP / UNREACHABLE: fail after this long (else never)
        Responder responder;

        Server(int ip, int port) {
            this.ip = ip;
            this.port = port;
        }
    }

    static final class Conn {
        boolean open;
        Server server;
        long openedNs;
        int state;
        int error;
        final byte[] req = new byte[16_384];
        int reqLen;
        int reqStart;
        int requests;
        int sendCalls;          // send calls for the request being received
        int maxSendCallsPerRequest;
        byte[] out;
        int outLen;
        int outPos;
        long genLength;         // generated body bytes after out
        long genPos;
        int end = END_KEEP;
        long rstAt = -1;        // RST when this many bytes of the reply went out
        int failWith = ERROR_RESET; // the error an RST (or a dead peer) reports
        long dripNs;            // > 0: one byte per interval
        long nextDripNs;
        byte[] late;            // bytes that arrive after the reply (stray), once
        boolean lateSent;

        /** Queues a reply: {@code bytes}, then {@code generated} body bytes, then {@code endAction}. */
        void reply(byte[] bytes, long generated, int endAction) {
            out = bytes;
            outLen = bytes.length;
            outPos = 0;
            genLength = generated;
            genPos = 0;
            end = endAction;
            rstAt = -1;
            failWith = ERROR_RESET;
            dripNs = 0;
            late = null;
            lateSent = false;
        }

        long replyRemaining() {
            return (outLen - outPos) + (genLength - genPos);
        }

        long replyPosition() {
            return outPos + genPos;
        }

        /** The text of request {@code index} on this connection (cold path). */
        String request(int index) {
            int start = 0;
            for (int r = 0; r <= index; r++) {
                int e = find(req, start, reqLen);
                if (r == index) {
                    return new String(req, start, e - start, StandardCharsets.ISO_8859_1);
                }
                start = e;
            }
            return "";
        }

        private static int find(byte[] b, int from, int to) {
            for (int i = from; i + 3 < to; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                    return i + 4;
                }
            }
            return to;
        }
    }

    /** Byte {@code i} of a generated body. */
    static byte gen(long i) {
        return (byte) (i * 131 + (i >>> 9) + 7);
    }

    long nowNs;
    final Prng rnd;
    boolean dirty;
    int maxPiece = 1500;
    int sendLimit = Integer.MAX_VALUE; // bytes a send call accepts (a small TCP send ring)

    // DNS
    private final byte[][] names = new byte[16][];
    private final int[] nameIp = new int[16];
    private final int[] nameResult = new int[16];
    private final long[] nameDelayNs = new long[16];
    private int nameCount;
    private final int[] rsName = new int[8];
    private final long[] rsReadyNs = new long[8];
    private final boolean[] rsUsed = new boolean[8];
    int resolves;

    final Server[] servers = new Server[16];
    int serverCount;
    final Conn[] conns = new Conn[8];
    int connects;
    int closes;
    int aborts;
    long delivered;
    private final byte[] stale = new byte[2048];

    FakeNetwork(long seed) {
        rnd = new Prng(seed);
        for (int i = 0; i < conns.length; i++) {
            conns[i] = new Conn();
        }
        for (int i = 0; i < stale.length; i++) {
            stale[i] = (byte) (i % 3 == 0 ? '\n' : i % 3 == 1 ? '\r' : 'Z');
        }
    }

    // ---- scripting ----

    void name(String host, int ip, long delayNs) {
        names[nameCount] = host.getBytes(StandardCharsets.US_ASCII);
        nameIp[nameCount] = ip;
        nameResult[nameCount] = RESOLVE_DONE;
        nameDelayNs[nameCount] = delayNs;
        nameCount++;
    }

    void nameFails(String host, int result, long delayNs) {
        name(host, 0, delayNs);
        nameResult[nameCount - 1] = result;
    }

    Server server(int ip, int port, Responder responder) {
        Server s = new Server(ip, port);
        s.responder = responder;
        servers[serverCount++] = s;
        return s;
    }

    int openHandles() {
        int n = 0;
        for (Conn c : conns) {
            if (c.open) {
                n++;
            }
        }
        return n;
    }

    int openResolves() {
        int n = 0;
        for (boolean u : rsUsed) {
            if (u) {
                n++;
            }
        }
        return n;
    }

    /** The most recently opened connection. */
    Conn lastConn;

    /** Earliest future time something changes on its own (a handshake step, DNS, a drip). */
    long nextEventNs() {
        long at = Long.MAX_VALUE;
        for (int i = 0; i < rsUsed.length; i++) {
            if (rsUsed[i] && rsReadyNs[i] - nowNs > 0) {
                at = Math.min(at, rsReadyNs[i]);
            }
        }
        for (Conn c : conns) {
            if (!c.open) {
                continue;
            }
            Server s = c.server;
            long[] marks = MARKS;
            marks[0] = c.openedNs + s.arpNs;
            marks[1] = c.openedNs + s.arpNs + s.synNs;
            marks[2] = s.failAfterNs >= 0 ? c.openedNs + s.failAfterNs : Long.MAX_VALUE;
            marks[3] = c.dripNs > 0 && c.replyRemaining() > 0 ? c.nextDripNs : Long.MAX_VALUE;
            for (long m : marks) {
                if (m - nowNs > 0) {
                    at = Math.min(at, m);
                }
            }
        }
        return at;
    }

    private static final long[] MARKS = new long[4];

    // ---- HttpNetwork ----

    @Override
    public int resolve(byte[] host, int off, int len, long now) {
        resolves++;
        int n = -1;
        for (int i = 0; i < nameCount; i++) {
            if (java.util.Arrays.equals(names[i], 0, names[i].length, host, off, off + len)) {
                n = i;
                break;
            }
        }
        for (int s = 0; s < rsUsed.length; s++) {
            if (!rsUsed[s]) {
                rsUsed[s] = true;
                rsName[s] = n;
                // an unknown name never gets an answer (the resolver's own timeout is elsewhere)
                rsReadyNs[s] = n < 0 ? Long.MAX_VALUE : now + nameDelayNs[n];
                return s;
            }
        }
        return RESOLVE_ERR_BUSY;
    }

    @Override
    public int resolveState(int h) {
        if (!rsUsed[h]) {
            throw new IllegalStateException("resolve handle " + h + " used after release");
        }
        if (rsReadyNs[h] == Long.MAX_VALUE || nowNs - rsReadyNs[h] < 0) {
            return RESOLVE_PENDING;
        }
        return nameResult[rsName[h]];
    }

    @Override
    public int resolvedAddress(int h) {
        return rsName[h] < 0 ? 0 : nameIp[rsName[h]];
    }

    @Override
    public void releaseResolve(int h) {
        if (!rsUsed[h]) {
            throw new IllegalStateException("resolve handle " + h + " released twice");
        }
        rsUsed[h] = false;
    }

    @Override
    public int connect(int ip, int port, long now) {
        connects++;
        Server s = null;
        for (int i = 0; i < serverCount; i++) {
            if (servers[i].ip == ip && servers[i].port == port) {
                s = servers[i];
            }
        }
        for (int h = 0; h < conns.length; h++) {
            Conn c = conns[h];
            if (!c.open) {
                c.open = true;
                c.server = s != null ? s : NOBODY;
                c.openedNs = now;
                c.state = SOCKET_ARP;
                c.error = ERROR_NONE;
                c.reqLen = 0;
                c.reqStart = 0;
                c.requests = 0;
                c.sendCalls = 0;
                c.maxSendCallsPerRequest = 0;
                c.reply(EMPTY, 0, END_KEEP);
                lastConn = c;
                advance(c);
                return h;
            }
        }
        return -1;
    }

    private static final byte[] EMPTY = new byte[0];
    private static final Server NOBODY = new Server(0, 0);

    static {
        NOBODY.mode = REFUSE;
    }

    private void advance(Conn c) {
        if (c.state != SOCKET_ARP && c.state != SOCKET_CONNECTING) {
            if (c.state == SOCKET_ESTABLISHED && c.end == END_FIN && c.replyRemaining() == 0 && c.requests > 0
                && (c.late == null || c.lateSent)) {
                c.state = SOCKET_PEER_CLOSED;
            }
            return;
        }
        Server s = c.server;
        long t = nowNs - c.openedNs;
        if (s.mode == NO_ARP) {
            if (s.failAfterNs >= 0 && t >= s.failAfterNs) {
                c.state = SOCKET_FAILED;
                c.error = ERROR_NO_ARP;
            }
            return;
        }
        if (t < s.arpNs) {
            return;
        }
        c.state = SOCKET_CONNECTING;
        if (s.mode == BLACKHOLE) {
            return;
        }
        if (s.mode == UNREACHABLE) {
            if (s.failAfterNs >= 0 && t >= s.failAfterNs) {
                c.state = SOCKET_FAILED;
                c.error = ERROR_UNREACHABLE;
            }
            return;
        }
        if (t < s.arpNs + s.synNs) {
            return;
        }
        if (s.mode == REFUSE) {
            c.state = SOCKET_FAILED;
            c.error = ERROR_REFUSED;
        } else {
            c.state = SOCKET_ESTABLISHED;
        }
    }

    private Conn conn(int h) {
        Conn c = conns[h];
        if (!c.open) {
            throw new IllegalStateException("socket " + h + " used after close/abort");
        }
        advance(c);
        return c;
    }

    @Override
    public int socketState(int h) {
        return conn(h).state;
    }

    @Override
    public int socketError(int h) {
        return conn(h).error;
    }

    @Override
    public int send(int h, byte[] src, int off, int len, long now) {
        Conn c = conn(h);
        if (c.state == SOCKET_FAILED) {
            return FAILED;
        }
        if (c.state != SOCKET_ESTABLISHED && c.state != SOCKET_PEER_CLOSED) {
            throw new IllegalStateException("send on a socket in state " + c.state);
        }
        len = Math.min(len, sendLimit);
        if (c.reqLen + len > c.req.length) {
            throw new IllegalStateException("request log full");
        }
        System.arraycopy(src, off, c.req, c.reqLen, len);
        c.reqLen += len;
        c.sendCalls++;
        // a complete request: the blank line that ends its header section
        for (int i = Math.max(c.reqStart, c.reqLen - len - 3); i + 3 < c.reqLen; i++) {
            if (c.req[i] == '\r' && c.req[i + 1] == '\n' && c.req[i + 2] == '\r' && c.req[i + 3] == '\n') {
                c.reqStart = i + 4;
                c.maxSendCallsPerRequest = Math.max(c.maxSendCallsPerRequest, c.sendCalls);
                c.sendCalls = 0;
                int index = c.requests++;
                if (c.state == SOCKET_ESTABLISHED && c.server.responder != null) {
                    c.server.responder.respond(c, index);
                }
                break;
            }
        }
        return len;
    }

    @Override
    public int receive(int h, byte[] dst, int off, int cap, long now) {
        Conn c = conn(h);
        if (c.state == SOCKET_FAILED) {
            return FAILED;
        }
        if (c.state != SOCKET_ESTABLISHED && c.state != SOCKET_PEER_CLOSED) {
            return 0;
        }
        long remaining = c.replyRemaining();
        if (remaining == 0) {
            if (c.late != null && !c.lateSent && c.requests > 0) {
                c.lateSent = true;
                int n = Math.min(cap, c.late.length);
                System.arraycopy(c.late, 0, dst, off, n);
                dirty(dst, off + n, cap - n);
                return n;
            }
            if (c.rstAt >= 0 && c.replyPosition() >= c.rstAt) {
                return reset(c);
            }
            if (c.end == END_FIN && c.requests > 0) {
                c.state = SOCKET_PEER_CLOSED;
                return EOF;
            }
            if (c.end == END_RST && c.requests > 0) {
                return reset(c);
            }
            return 0;
        }
        long piece;
        if (c.dripNs > 0) {
            if (nowNs - c.nextDripNs < 0) {
                return 0;
            }
            piece = 1;
            c.nextDripNs = nowNs + c.dripNs;
        } else {
            piece = 1 + rnd.nextInt(maxPiece);
        }
        piece = Math.min(piece, Math.min(cap, remaining));
        if (c.rstAt >= 0) {
            long left = c.rstAt - c.replyPosition();
            if (left <= 0) {
                return reset(c);
            }
            piece = Math.min(piece, left);
        }
        int n = (int) piece;
        int p = off;
        int fromOut = Math.min(n, c.outLen - c.outPos);
        System.arraycopy(c.out, c.outPos, dst, p, fromOut);
        c.outPos += fromOut;
        p += fromOut;
        for (int i = fromOut; i < n; i++) {
            dst[p++] = gen(c.genPos++);
        }
        delivered += n;
        dirty(dst, off + n, cap - n);
        return n;
    }

    private int reset(Conn c) {
        c.state = SOCKET_FAILED;
        c.error = c.failWith;
        return FAILED;
    }

    /** Fills the unused tail: half the time a marker, half the time stale CR/LF-laden bytes. */
    private void dirty(byte[] dst, int off, int len) {
        if (!dirty || len <= 0) {
            return;
        }
        if ((rnd.nextInt() & 1) == 0) {
            java.util.Arrays.fill(dst, off, off + len, (byte) 0xA5);
        } else {
            for (int i = 0; i < len; i++) {
                dst[off + i] = stale[i % stale.length];
            }
        }
    }

    @Override
    public void close(int h, long now) {
        conn(h).open = false;
        closes++;
    }

    @Override
    public void abort(int h, long now) {
        conn(h).open = false;
        aborts++;
    }
}
