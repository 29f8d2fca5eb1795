package io.ethling.stack.http;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;

/**
 * The HTTP/1.1 client: one fetch at a time, poll-driven, allocation-free after construction.
 *
 * <p><b>Use.</b> Parse the URL once ({@link HttpUrl#of}); {@link #start(HttpUrl, long)} begins a
 * fetch; call {@link #poll(long)} after every stack poll and at {@link #pollAtNs(long)}; the
 * response goes to the long-lived {@link BodySink}; {@link #state()} becomes {@link #STATE_DONE}
 * (a 2xx page, or a page served from the cache) or {@link #STATE_FAILED} with
 * {@link #failure()} and {@link #failureLine} ("DNS: no reply", "TCP: refused", "HTTP 404").
 *
 * <p><b>Steps</b> (DESIGN.md's story): name to address through {@link HttpNetwork#resolve}
 * (skipped for an IPv4 literal) — connect (ARP, then the handshake) or reuse an idle kept-alive
 * connection to the same address and port — the request in one send — the response through
 * {@link HttpResponseParser}. Each phase has its deadline ({@link Config}): DNS, ARP and connect
 * from their start, first byte from the request, the body as an idle deadline (reset by every
 * byte that arrives, RELIABILITY P8), and an overall deadline over all of it.
 *
 * <p><b>Redirects</b> (RFC 9110 §15.4): 301, 302, 303, 307 and 308 with a Location are followed,
 * at most {@code maxRedirects} (5) times (RELIABILITY P13); a Location is resolved against the
 * current URL (RFC 3986 §5.2); a URL seen before in the chain stops the fetch as a loop. The
 * method stays GET (or HEAD, which 303 also keeps, RFC 9110 §15.4.4). The redirect's own body is
 * read and dropped when it is framed, so the connection can carry the next request.
 *
 * <p><b>Keep-alive</b> (RFC 9112 §9.3): the request says {@code Connection: keep-alive}; after a
 * response the server allowed to persist, complete, self-delimited and with no stray bytes after
 * it (P7, P14), the connection is kept idle, at most one per address and port and at most
 * {@code idleConnections} in all, for {@code keepAliveIdleNs}. Before reuse a kept connection
 * that has data waiting or was closed by the server is dropped. If a reused connection fails
 * before any byte of the response, the request is sent once more on a new connection (RFC 9112
 * §9.3.1: GET and HEAD are idempotent).
 *
 * <p><b>Conditional GET and the cache</b> (RFC 9110 §13.1, RFC 9111 §4.3): a 200 answer to a GET
 * with an ETag or Last-Modified, whose body fits {@code cacheBodyBytes}, is kept (validators and
 * body) in one of {@code cacheEntries} slots (least recently used replaced; keyed by a 64-bit
 * hash of the URL). The next GET of that URL carries If-None-Match / If-Modified-Since; a 304
 * then replays the kept body to the sink as a 200 ({@link #notModified()} tells it was so), so a
 * repeated press costs one short exchange. Pages too big for a slot, and responses marked
 * {@code Cache-Control: no-store} (RFC 9111 §5.2.2.5), are fetched in full each time. A 304 whose
 * ETag does not match the kept one (weak comparison) does not revive it (RFC 9111 §4.3.4): the
 * page is asked for once more without validators.
 *
 * <p><b>Memory</b>: the body streams through one receive buffer to the sink, so a page of any
 * size fetches in fixed memory.
 */
public final class HttpClient {

    public static final long NO_DEADLINE = Long.MAX_VALUE;

    public static final int STATE_IDLE = 0;
    public static final int STATE_BUSY = 1;
    public static final int STATE_DONE = 2;
    public static final int STATE_FAILED = 3;

    public static final int PHASE_NONE = 0;
    public static final int PHASE_DNS = 1;
    public static final int PHASE_ARP = 2;
    public static final int PHASE_CONNECT = 3;
    public static final int PHASE_FIRST_BYTE = 4;
    public static final int PHASE_BODY = 5;
    public static final String[] PHASE_NAMES = {"none", "dns", "arp", "connect", "first-byte", "body"};

    /** {@link #start} results. */
    public static final int OK = 0;
    public static final int ERR_BUSY = -1;
    public static final int ERR_URL = -2;

    // steps
    private static final int S_IDLE = 0;
    private static final int S_RESOLVE = 1;
    private static final int S_CONNECT = 2;
    private static final int S_SEND = 3;
    private static final int S_RECEIVE = 4;
    private static final int S_DONE = 5;
    private static final int S_FAILED = 6;

    // counters
    public static final int C_FETCHES = 0;
    public static final int C_OK = 1;
    public static final int C_FAILED = 2;
    public static final int C_CONNECTS = 3;
    public static final int C_REUSED = 4;
    public static final int C_REUSE_STALE = 5;
    public static final int C_RETRIED = 6;
    public static final int C_REDIRECTS = 7;
    public static final int C_INTERIM = 8;
    public static final int C_CACHE_STORED = 9;
    public static final int C_CACHE_HITS = 10;
    public static final int C_CONDITIONAL = 11;
    public static final int C_STRAY_BYTES = 12;
    public static final int C_IDLE_EXPIRED = 13;
    public static final int C_IDLE_CLOSED_BY_PEER = 14;
    public static final int C_BYTES_RX = 15;
    public static final int C_BODY_BYTES = 16;
    public static final int C_SEND_PARTIAL = 17;
    private static final int C_FAIL_BASE = 18;

    /** Limits and deadlines; defaults suit the board. Checked once by the constructor. */
    public static final class Config {
        public String userAgent = "ethling/0.1";
        public String accept = "text/html,text/plain;q=0.9,*/*;q=0.5";
        /** bytes read from TCP per receive call; the parser works in place in this buffer */
        public int receiveBufferBytes = 1460;
        public int requestBufferBytes = 2048;
        public int maxLineBytes = 8192;
        public int maxHeaders = 100;
        public int maxTrailers = 16;
        public int maxInterim = 10;
        public int maxLocationBytes = HttpUrl.MAX_PATH_LENGTH + HttpUrl.MAX_HOST_LENGTH + 16;
        public int maxValidatorBytes = 128;
        public int maxRedirects = 5;
        /** a framed redirect body up to this size is read and dropped to keep the connection */
        public int maxRedirectBodyBytes = 65_536;
        public boolean keepAlive = true;
        public int idleConnections = 2;
        public long keepAliveIdleNs = 15_000_000_000L;
        public int cacheEntries = 4;
        public int cacheBodyBytes = 4096;
        public long dnsTimeoutNs = 10_000_000_000L;
        public long arpTimeoutNs = 3_000_000_000L;
        public long connectTimeoutNs = 10_000_000_000L;
        public long firstByteTimeoutNs = 10_000_000_000L;
        public long bodyIdleTimeoutNs = 10_000_000_000L;
        public long totalTimeoutNs = 120_000_000_000L;
        /** most step transitions (and receive calls) per poll: bounded work */
        public int maxStepsPerPoll = 16;
    }

    /**
     * The steps of a fetch as they happen, for the request's journey (DESIGN.md's story) and
     * {@code fetch --stats}. A long-lived object; every method has an empty default, and none may
     * start or cancel a fetch.
     */
    public interface Listener {
        /** A phase began ({@code PHASE_*}). */
        default void onPhase(int phase, long nowNs) {
        }

        /** The name was resolved to {@code ip}. */
        default void onResolved(int ip, long nowNs) {
        }

        /** A connection was opened ({@code reused} false) or taken from the idle ones. */
        default void onConnection(int socket, int ip, int port, boolean reused, long nowNs) {
        }

        /** The whole request, as handed to TCP in one send; {@code b} is valid during the call. */
        default void onRequest(byte[] b, int off, int len, long nowNs) {
        }

        /** The head of a final or redirect response arrived. */
        default void onResponse(int status, long nowNs) {
        }

        /** A redirect is being followed to {@code to} (valid during the call). */
        default void onRedirect(HttpUrl to, long nowNs) {
        }

        /** The fetch ended: {@code failure} is an {@link HttpFailure} code, NONE on success. */
        default void onEnd(int failure, int status, long bodyBytes, long nowNs) {
        }
    }

    private static final Listener NO_LISTENER = new Listener() {
    };

    private final HttpNetwork net;
    private Listener listener = NO_LISTENER;
    private BodySink sink;
    private final Config config;
    private final CounterSet counters;
    private final HttpResponseParser parser;
    private final HttpRequestWriter writer;
    private final Router router = new Router();

    private HttpUrl url = new HttpUrl();
    private HttpUrl next = new HttpUrl();
    private final byte[] request;
    private final byte[] rx;
    private int rxOff;
    private int rxLen;

    // the fetch
    private int step = S_IDLE;
    private int phase = PHASE_NONE;
    private int failure = HttpFailure.NONE;
    private int method;
    private int status;
    private int redirects;
    private final long[] visited;
    private int resolveHandle = -1;
    private int socket = -1;
    private int ip;
    private boolean reused;
    private boolean retried;
    private boolean draining;
    private boolean notModified;
    private boolean refetch;
    private boolean refetched;
    private int requestLength;
    private int requestSent;
    private boolean conditional;
    private int conditionalSlot = -1;
    private long responseBytes;
    private long bytesReceived;
    private long bodyBytesDelivered;
    private long phaseDeadlineNs = NO_DEADLINE;
    private long totalDeadlineNs = NO_DEADLINE;
    // timings
    private long startNs;
    private long endNs;
    private long phaseStartNs;
    private long dnsNs;
    private long connectNs;
    private long requestSentNs;
    private long ttfbNs = -1;
    private long connectStartNs;

    // idle connections (RFC 9112 §9.3)
    private final int[] idleSocket;
    private final int[] idleIp;
    private final int[] idlePort;
    private final long[] idleSinceNs;

    // response cache (RFC 9111, conditional requests RFC 9110 §13.1)
    private final long[] cacheKey;
    private final boolean[] cacheValid;
    private final long[] cacheUsedNs;
    private final byte[] cacheEtag;
    private final int[] cacheEtagLength;
    private final byte[] cacheLastModified;
    private final int[] cacheLastModifiedLength;
    private final byte[] cacheBody;
    private final int[] cacheBodyLength;
    private int teeSlot = -1;

    public HttpClient(HttpNetwork net, BodySink sink, Config config) {
        if (net == null || sink == null || config == null) {
            throw new IllegalArgumentException("network, sink and config must not be null");
        }
        check(config.receiveBufferBytes >= 64, "receiveBufferBytes must be at least 64: " + config.receiveBufferBytes);
        check(config.requestBufferBytes >= 256, "requestBufferBytes must be at least 256: " + config.requestBufferBytes);
        check(config.maxRedirects >= 0 && config.maxRedirects <= 20, "maxRedirects must be 0..20: " + config.maxRedirects);
        check(config.maxRedirectBodyBytes >= 0, "maxRedirectBodyBytes must not be negative");
        check(config.idleConnections >= 0 && config.idleConnections <= 16, "idleConnections must be 0..16: " + config.idleConnections);
        check(config.cacheEntries >= 0 && config.cacheEntries <= 64, "cacheEntries must be 0..64: " + config.cacheEntries);
        check(config.cacheBodyBytes >= 0 && (long) config.cacheBodyBytes * config.cacheEntries <= 16L << 20,
            "cacheBodyBytes × cacheEntries must be 0..16 MiB");
        check(config.keepAliveIdleNs > 0, "keepAliveIdleNs must be positive");
        check(config.dnsTimeoutNs > 0 && config.arpTimeoutNs > 0 && config.connectTimeoutNs > 0
            && config.firstByteTimeoutNs > 0 && config.bodyIdleTimeoutNs > 0 && config.totalTimeoutNs > 0,
            "every timeout must be positive");
        check(config.maxStepsPerPoll >= 4, "maxStepsPerPoll must be at least 4");
        this.net = net;
        this.sink = sink;
        this.config = config;
        this.parser = new HttpResponseParser(config.maxLineBytes, config.maxHeaders, config.maxTrailers,
            config.maxInterim, config.maxLocationBytes, config.maxValidatorBytes);
        this.writer = new HttpRequestWriter(config.userAgent, config.accept);
        this.request = new byte[config.requestBufferBytes];
        this.rx = new byte[config.receiveBufferBytes];
        this.visited = new long[config.maxRedirects + 1];
        int idle = config.idleConnections;
        idleSocket = new int[idle];
        idleIp = new int[idle];
        idlePort = new int[idle];
        idleSinceNs = new long[idle];
        java.util.Arrays.fill(idleSocket, -1);
        int ce = config.cacheEntries;
        int v = config.maxValidatorBytes;
        cacheKey = new long[ce];
        cacheValid = new boolean[ce];
        cacheUsedNs = new long[ce];
        cacheEtag = new byte[ce * v];
        cacheEtagLength = new int[ce];
        cacheLastModified = new byte[ce * v];
        cacheLastModifiedLength = new int[ce];
        cacheBody = new byte[ce * config.cacheBodyBytes];
        cacheBodyLength = new int[ce];
        String[] names = new String[C_FAIL_BASE + HttpFailure.COUNT];
        String[] fixed = {"http.fetches", "http.ok", "http.failed", "http.connects", "http.keepalive.reused",
            "http.keepalive.stale", "http.keepalive.retried", "http.redirects", "http.interim", "http.cache.stored",
            "http.cache.hits", "http.conditional.sent", "http.stray.bytes", "http.idle.expired",
            "http.idle.closedbypeer", "http.rx.bytes", "http.body.bytes", "http.send.partial"};
        System.arraycopy(fixed, 0, names, 0, C_FAIL_BASE);
        for (int i = 0; i < HttpFailure.COUNT; i++) {
            names[C_FAIL_BASE + i] = "http.fail." + HttpFailure.COUNTER_NAMES[i];
        }
        counters = new CounterSet(names);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Replaces the sink (not during a fetch). */
    public void sink(BodySink sink) {
        if (sink == null) {
            throw new IllegalArgumentException("sink must not be null");
        }
        this.sink = sink;
    }

    /** Where the steps of each fetch are reported (null: nowhere). */
    public void listener(Listener l) {
        listener = l == null ? NO_LISTENER : l;
    }

    public Counters counters() {
        return counters;
    }

    /** Starts a GET; {@link #OK}, {@link #ERR_BUSY} or {@link #ERR_URL} (an unset URL). */
    public int start(HttpUrl target, long nowNs) {
        return start(target, HttpRequestWriter.METHOD_GET, nowNs);
    }

    /** Starts a GET or HEAD ({@link HttpRequestWriter#METHOD_GET} / {@code METHOD_HEAD}). */
    public int start(HttpUrl target, int requestMethod, long nowNs) {
        if (step != S_IDLE && step != S_DONE && step != S_FAILED) {
            return ERR_BUSY;
        }
        if (target == null || !target.isSet()) {
            return ERR_URL;
        }
        counters.inc(C_FETCHES);
        url.copyFrom(target);
        method = requestMethod == HttpRequestWriter.METHOD_HEAD ? HttpRequestWriter.METHOD_HEAD
            : HttpRequestWriter.METHOD_GET;
        failure = HttpFailure.NONE;
        status = 0;
        redirects = 0;
        visited[0] = url.hash();
        phase = PHASE_NONE;
        notModified = false;
        refetched = false;
        bytesReceived = 0;
        bodyBytesDelivered = 0;
        startNs = nowNs;
        endNs = nowNs;
        dnsNs = 0;
        connectNs = 0;
        ttfbNs = -1;
        totalDeadlineNs = nowNs + config.totalTimeoutNs;
        beginHop(nowNs);
        return OK;
    }

    /** Stops the fetch in progress ("Cancelled"); its socket is aborted. */
    public void cancel(long nowNs) {
        if (step != S_IDLE && step != S_DONE && step != S_FAILED) {
            fail(HttpFailure.CANCELLED, nowNs);
        }
    }

    /** Cancels any fetch and closes every idle connection (shutdown). */
    public void closeAll(long nowNs) {
        cancel(nowNs);
        for (int i = 0; i < idleSocket.length; i++) {
            if (idleSocket[i] >= 0) {
                net.close(idleSocket[i], nowNs);
                idleSocket[i] = -1;
            }
        }
    }

    // ---- the state machine ----

    private void beginHop(long nowNs) {
        rxOff = 0;
        rxLen = 0;
        reused = false;
        retried = false;
        draining = false;
        if (url.isLiteral()) {
            beginConnect(url.address(), nowNs);
            return;
        }
        enterPhase(PHASE_DNS, config.dnsTimeoutNs, nowNs);
        int h = net.resolve(url.hostBytes(), 0, url.hostLength(), nowNs);
        if (h < 0) {
            fail(h == HttpNetwork.RESOLVE_ERR_BUSY ? HttpFailure.DNS_BUSY : HttpFailure.DNS_BAD_NAME, nowNs);
            return;
        }
        resolveHandle = h;
        step = S_RESOLVE;
        stepResolve(nowNs); // hosts-table and cache answers are there at once
    }

    private void enterPhase(int p, long timeoutNs, long nowNs) {
        phase = p;
        phaseStartNs = nowNs;
        phaseDeadlineNs = nowNs + timeoutNs;
        listener.onPhase(p, nowNs);
    }

    /** Runs the fetch as far as it can go now; returns a work count. */
    public int poll(long nowNs) {
        int work = expireIdle(nowNs);
        for (int i = 0; i < config.maxStepsPerPoll; i++) {
            int w;
            switch (step) {
                case S_RESOLVE:
                    w = stepResolve(nowNs);
                    break;
                case S_CONNECT:
                    w = stepConnect(nowNs);
                    break;
                case S_SEND:
                    w = stepSend(nowNs);
                    break;
                case S_RECEIVE:
                    w = stepReceive(nowNs);
                    break;
                default:
                    return work;
            }
            if (w == 0) {
                break;
            }
            work += w;
        }
        if (step != S_IDLE && step != S_DONE && step != S_FAILED) {
            checkDeadlines(nowNs);
        }
        return work;
    }

    private void checkDeadlines(long nowNs) {
        if (nowNs - totalDeadlineNs >= 0) {
            fail(HttpFailure.TIMEOUT, nowNs);
        } else if (nowNs - phaseDeadlineNs >= 0) {
            switch (phase) {
                case PHASE_DNS:
                    fail(HttpFailure.DNS_TIMEOUT, nowNs);
                    break;
                case PHASE_ARP:
                    fail(HttpFailure.ARP_TIMEOUT, nowNs);
                    break;
                case PHASE_CONNECT:
                    fail(HttpFailure.TCP_TIMEOUT, nowNs);
                    break;
                case PHASE_FIRST_BYTE:
                    fail(HttpFailure.HTTP_FIRST_BYTE_TIMEOUT, nowNs);
                    break;
                default:
                    fail(HttpFailure.HTTP_STALLED, nowNs);
            }
        }
    }

    private int stepResolve(long nowNs) {
        int s = net.resolveState(resolveHandle);
        if (s == HttpNetwork.RESOLVE_PENDING) {
            return 0;
        }
        int address = net.resolvedAddress(resolveHandle);
        net.releaseResolve(resolveHandle);
        resolveHandle = -1;
        dnsNs += nowNs - phaseStartNs;
        switch (s) {
            case HttpNetwork.RESOLVE_DONE:
                listener.onResolved(address, nowNs);
                beginConnect(address, nowNs);
                break;
            case HttpNetwork.RESOLVE_NO_REPLY:
                fail(HttpFailure.DNS_NO_REPLY, nowNs);
                break;
            case HttpNetwork.RESOLVE_NO_SUCH_NAME:
                fail(HttpFailure.DNS_NO_SUCH_NAME, nowNs);
                break;
            case HttpNetwork.RESOLVE_NO_ADDRESS:
                fail(HttpFailure.DNS_NO_ADDRESS, nowNs);
                break;
            default:
                fail(HttpFailure.DNS_FAILED, nowNs);
        }
        return 1;
    }

    private void beginConnect(int address, long nowNs) {
        ip = address;
        int port = url.port();
        if (!retried) {
            int kept = takeIdle(address, port, nowNs);
            if (kept >= 0) {
                counters.inc(C_REUSED);
                socket = kept;
                reused = true;
                listener.onConnection(kept, address, port, true, nowNs);
                beginSend(nowNs);
                return;
            }
        }
        counters.inc(C_CONNECTS);
        phase = PHASE_CONNECT;
        int h = net.connect(address, port, nowNs);
        if (h < 0) {
            fail(HttpFailure.TCP_NO_SOCKET, nowNs);
            return;
        }
        socket = h;
        reused = false;
        step = S_CONNECT;
        listener.onConnection(h, address, port, false, nowNs);
        if (net.socketState(h) == HttpNetwork.SOCKET_ARP) {
            enterPhase(PHASE_ARP, config.arpTimeoutNs, nowNs);
        } else {
            enterPhase(PHASE_CONNECT, config.connectTimeoutNs, nowNs);
        }
        connectStartNs = nowNs; // connect.ms counts from here, ARP included
    }

    private int stepConnect(long nowNs) {
        int s = net.socketState(socket);
        switch (s) {
            case HttpNetwork.SOCKET_ARP:
                return 0;
            case HttpNetwork.SOCKET_CONNECTING:
                if (phase == PHASE_ARP) {
                    enterPhase(PHASE_CONNECT, config.connectTimeoutNs, nowNs);
                    return 1;
                }
                return 0;
            case HttpNetwork.SOCKET_ESTABLISHED:
            case HttpNetwork.SOCKET_PEER_CLOSED:
                connectNs += nowNs - connectStartNs;
                beginSend(nowNs);
                return 1;
            default:
                failSocket(nowNs);
                return 1;
        }
    }

    /** A socket that failed or closed before the response: name the cause by phase. */
    private void failSocket(long nowNs) {
        int e = net.socketState(socket) == HttpNetwork.SOCKET_FAILED ? net.socketError(socket) : HttpNetwork.ERROR_RESET;
        int code;
        switch (e) {
            case HttpNetwork.ERROR_REFUSED:
                code = HttpFailure.TCP_REFUSED;
                break;
            case HttpNetwork.ERROR_TIMEOUT:
                code = HttpFailure.TCP_TIMEOUT;
                break;
            case HttpNetwork.ERROR_NO_ARP:
                code = HttpFailure.ARP_NO_REPLY;
                break;
            case HttpNetwork.ERROR_UNREACHABLE:
                code = phase == PHASE_ARP ? HttpFailure.ARP_NO_REPLY : HttpFailure.TCP_UNREACHABLE;
                break;
            default:
                // RST while connecting is a refusal (RFC 9293 §3.10.7.3); later it is a reset
                code = phase == PHASE_CONNECT || phase == PHASE_ARP ? HttpFailure.TCP_REFUSED : HttpFailure.TCP_RESET;
        }
        fail(code, nowNs);
    }

    private void beginSend(long nowNs) {
        conditional = false;
        conditionalSlot = -1;
        int slot = method == HttpRequestWriter.METHOD_GET ? cacheFind(url.hash()) : -1;
        int etagLen = 0;
        int lmLen = 0;
        int v = config.maxValidatorBytes;
        if (slot >= 0) {
            etagLen = cacheEtagLength[slot];
            lmLen = cacheLastModifiedLength[slot];
            conditional = etagLen > 0 || lmLen > 0;
            conditionalSlot = conditional ? slot : -1;
        }
        int n = writer.write(request, 0, request.length, method, url, config.keepAlive,
            cacheEtag, Math.max(slot, 0) * v, etagLen, cacheLastModified, Math.max(slot, 0) * v, lmLen);
        if (n < 0) {
            fail(HttpFailure.REQUEST_TOO_LONG, nowNs);
            return;
        }
        if (conditional) {
            counters.inc(C_CONDITIONAL);
        }
        requestLength = n;
        requestSent = 0;
        responseBytes = 0;
        parser.reset(method == HttpRequestWriter.METHOD_HEAD);
        parser.sink(router);
        step = S_SEND;
        enterPhase(PHASE_FIRST_BYTE, config.firstByteTimeoutNs, nowNs);
    }

    private int stepSend(long nowNs) {
        int s = net.socketState(socket);
        if (s != HttpNetwork.SOCKET_ESTABLISHED && s != HttpNetwork.SOCKET_PEER_CLOSED) {
            return retryOrFail(nowNs);
        }
        // the whole request in one send (no Nagle stall on a request in pieces)
        int n = net.send(socket, request, requestSent, requestLength - requestSent, nowNs);
        if (n < 0) {
            return retryOrFail(nowNs);
        }
        if (n == 0) {
            return 0;
        }
        if (requestSent == 0 && n < requestLength) {
            counters.inc(C_SEND_PARTIAL);
        }
        requestSent += n;
        if (requestSent < requestLength) {
            return 1;
        }
        requestSentNs = nowNs;
        step = S_RECEIVE;
        listener.onRequest(request, 0, requestLength, nowNs);
        phaseDeadlineNs = nowNs + config.firstByteTimeoutNs;
        return 1;
    }

    /**
     * The connection failed before any byte of the response: once on a reused connection, send
     * again on a new one (RFC 9112 §9.3.1); otherwise fail with the socket's cause.
     */
    private int retryOrFail(long nowNs) {
        if (reused && !retried && responseBytes == 0) {
            counters.inc(C_RETRIED);
            net.abort(socket, nowNs);
            socket = -1;
            retried = true;
            beginConnect(ip, nowNs);
            return 1;
        }
        failSocket(nowNs);
        return 1;
    }

    private int stepReceive(long nowNs) {
        if (rxLen == 0) {
            int n = net.receive(socket, rx, 0, rx.length, nowNs);
            if (n == 0) {
                return 0;
            }
            if (n > 0) {
                if (n > rx.length) {
                    n = rx.length; // never trust a count beyond what we offered
                }
                rxOff = 0;
                rxLen = n;
                bytesReceived += n;
                counters.add(C_BYTES_RX, n);
                if (responseBytes == 0) {
                    if (ttfbNs < 0) {
                        ttfbNs = nowNs - requestSentNs;
                    }
                    phase = PHASE_BODY;
                    phaseStartNs = nowNs;
                    listener.onPhase(PHASE_BODY, nowNs);
                }
                responseBytes += n;
                phaseDeadlineNs = nowNs + config.bodyIdleTimeoutNs; // idle deadline (P8)
            } else if (n == HttpNetwork.EOF) {
                if (responseBytes == 0 && reused && !retried) {
                    return retryOrFail(nowNs);
                }
                int ps = parser.finish(responseBytes > 0);
                if (ps == HttpResponseParser.STATE_COMPLETE) {
                    complete(nowNs, false);
                } else {
                    fail(parser.error(), nowNs);
                }
                return 1;
            } else {
                if (responseBytes == 0 && reused && !retried) {
                    return retryOrFail(nowNs);
                }
                // RST or a retransmission timeout in the middle (P15): a clean error naming
                // the cause, the socket given back
                failSocket(nowNs);
                return 1;
            }
        }
        int c = parser.feed(rx, rxOff, rxLen);
        rxOff += c;
        rxLen -= c;
        switch (parser.state()) {
            case HttpResponseParser.STATE_HEADERS:
                onHeaders(nowNs);
                break;
            case HttpResponseParser.STATE_COMPLETE:
                complete(nowNs, true);
                break;
            case HttpResponseParser.STATE_ERROR:
                fail(parser.error(), nowNs);
                break;
            default:
                break;
        }
        return 1;
    }

    private void onHeaders(long nowNs) {
        int code = parser.status();
        counters.add(C_INTERIM, parser.interimCount());
        listener.onResponse(code, nowNs);
        boolean redirect = code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
        if (redirect && config.maxRedirects > 0) {
            if (!parser.hasLocation()) {
                fail(HttpFailure.BAD_REDIRECT, nowNs);
                return;
            }
            int r = next.resolve(url, parser.locationBytes(), 0, parser.locationLength());
            if (r < 0) {
                fail(r == HttpUrl.ERR_HTTPS ? HttpFailure.REDIRECT_HTTPS : HttpFailure.BAD_REDIRECT, nowNs);
                return;
            }
            status = code;
            int mode = parser.bodyMode();
            if (mode == HttpResponseParser.BODY_CLOSE || !parser.keepAlive()
                || (mode == HttpResponseParser.BODY_LENGTH && parser.contentLength() > config.maxRedirectBodyBytes)) {
                // not worth reading: drop the connection and go on
                net.abort(socket, nowNs);
                socket = -1;
                followRedirect(nowNs);
                return;
            }
            draining = true;
            router.mode = Router.DISCARD;
            parser.startBody();
            if (parser.state() == HttpResponseParser.STATE_COMPLETE) {
                complete(nowNs, true);
            }
            return;
        }
        status = code;
        if (code == 304 && conditional && cacheValid[conditionalSlot] && !refetched && !sameValidator(conditionalSlot)) {
            // RFC 9111 §4.3.4: a 304 for another representation than the one kept cannot
            // revive it; forget it and ask once more without validators
            cacheValid[conditionalSlot] = false;
            refetch = true;
            router.mode = Router.DISCARD;
            parser.startBody();
            if (parser.state() == HttpResponseParser.STATE_COMPLETE) {
                complete(nowNs, true);
            }
            return;
        }
        if (code == 304 && conditional && cacheValid[conditionalSlot]) {
            // RFC 9111 §4.3.4: the kept response is fresh again; it is replayed below
            notModified = true;
            counters.inc(C_CACHE_HITS);
            cacheUsedNs[conditionalSlot] = nowNs;
            router.mode = Router.DISCARD;
            sink.onStatus(200);
        } else {
            router.mode = Router.DELIVER;
            sink.onStatus(code);
            teeSlot = -1;
            if (method == HttpRequestWriter.METHOD_GET && config.cacheEntries > 0) {
                long key = url.hash();
                int old = cacheFind(key);
                if (old >= 0) {
                    cacheValid[old] = false; // replaced or no longer valid
                }
                if (code == 200 && !parser.noStore() && (parser.etagLength() > 0 || parser.lastModifiedLength() > 0)
                    && parser.bodyMode() != HttpResponseParser.BODY_CLOSE
                    && (parser.bodyMode() != HttpResponseParser.BODY_LENGTH
                        || parser.contentLength() <= config.cacheBodyBytes)) {
                    teeSlot = old >= 0 ? old : cacheVictim();
                    cacheBegin(teeSlot, key, nowNs);
                }
            }
        }
        parser.startBody();
        if (parser.state() == HttpResponseParser.STATE_COMPLETE) {
            complete(nowNs, true);
        }
    }

    private void followRedirect(long nowNs) {
        counters.inc(C_REDIRECTS);
        redirects++;
        if (redirects > config.maxRedirects) {
            fail(HttpFailure.TOO_MANY_REDIRECTS, nowNs); // P13
            return;
        }
        long h = next.hash();
        for (int i = 0; i < redirects; i++) {
            if (visited[i] == h) { // the chain came back to a URL it had fetched
                fail(HttpFailure.REDIRECT_LOOP, nowNs);
                return;
            }
        }
        visited[redirects] = h;
        boolean sameHost = next.sameHost(url) && !url.isLiteral();
        HttpUrl t = url;
        url = next;
        next = t;
        listener.onRedirect(url, nowNs);
        if (sameHost) {
            // the same name within one fetch: the address just used, no second lookup
            rxOff = 0;
            rxLen = 0;
            reused = false;
            retried = false;
            beginConnect(ip, nowNs);
        } else {
            beginHop(nowNs);
        }
    }

    /** The response ended by its framing ({@code framed}) or by the connection's FIN. */
    private void complete(long nowNs, boolean framed) {
        if (framed) {
            if (rxLen > 0) {
                counters.inc(C_STRAY_BYTES); // P7, P14: never body, and the connection is not reused
            }
            if (config.keepAlive && parser.keepAlive() && rxLen == 0
                && net.socketState(socket) == HttpNetwork.SOCKET_ESTABLISHED) {
                keepIdle(socket, ip, url.port(), nowNs);
            } else {
                net.close(socket, nowNs);
            }
        } else {
            net.close(socket, nowNs);
        }
        socket = -1;
        rxLen = 0;
        if (draining) {
            draining = false;
            followRedirect(nowNs);
            return;
        }
        if (refetch) {
            refetch = false;
            refetched = true;
            rxOff = 0;
            rxLen = 0;
            reused = false;
            retried = false;
            beginConnect(ip, nowNs);
            return;
        }
        if (notModified) {
            int slot = conditionalSlot;
            int len = cacheBodyLength[slot];
            if (len > 0) {
                sink.onBody(cacheBody, slot * config.cacheBodyBytes, len);
            }
            bodyBytesDelivered = len;
        }
        if (teeSlot >= 0) {
            cacheValid[teeSlot] = true;
            counters.inc(C_CACHE_STORED);
            teeSlot = -1;
        }
        counters.add(C_BODY_BYTES, bodyBytesDelivered);
        endNs = nowNs;
        phase = PHASE_NONE;
        phaseDeadlineNs = NO_DEADLINE;
        if (status >= 200 && status <= 299 || notModified) {
            step = S_DONE;
            counters.inc(C_OK);
        } else {
            step = S_FAILED;
            failure = HttpFailure.HTTP_STATUS;
            counters.inc(C_FAILED);
            counters.inc(C_FAIL_BASE + failure);
        }
        listener.onEnd(failure, status(), bodyBytesDelivered, nowNs);
        sink.onEnd(true); // last: the sink may start the next fetch
    }

    private void fail(int code, long nowNs) {
        if (resolveHandle >= 0) {
            net.releaseResolve(resolveHandle);
            resolveHandle = -1;
        }
        if (socket >= 0) {
            net.abort(socket, nowNs); // P15: the socket goes back at once
            socket = -1;
        }
        if (teeSlot >= 0) {
            cacheValid[teeSlot] = false;
            teeSlot = -1;
        }
        rxLen = 0;
        draining = false;
        refetch = false;
        failure = code == HttpFailure.NONE ? HttpFailure.INCOMPLETE : code;
        step = S_FAILED;
        endNs = nowNs;
        phaseDeadlineNs = NO_DEADLINE;
        counters.inc(C_FAILED);
        counters.inc(C_FAIL_BASE + failure);
        counters.add(C_BODY_BYTES, bodyBytesDelivered);
        listener.onEnd(failure, status(), bodyBytesDelivered, nowNs);
        sink.onEnd(false); // last: the sink may start the next fetch
    }

    // ---- idle connections ----

    private void keepIdle(int handle, int address, int port, long nowNs) {
        if (idleSocket.length == 0) {
            net.close(handle, nowNs);
            return;
        }
        int slot = -1;
        int oldest = 0;
        for (int i = 0; i < idleSocket.length; i++) {
            if (idleSocket[i] >= 0 && idleIp[i] == address && idlePort[i] == port) {
                net.close(idleSocket[i], nowNs); // one idle connection per host
                idleSocket[i] = -1;
            }
            if (idleSocket[i] < 0) {
                if (slot < 0) {
                    slot = i;
                }
            } else if (idleSinceNs[i] - idleSinceNs[oldest] < 0 || idleSocket[oldest] < 0) {
                oldest = i;
            }
        }
        if (slot < 0) {
            net.close(idleSocket[oldest], nowNs);
            slot = oldest;
        }
        idleSocket[slot] = handle;
        idleIp[slot] = address;
        idlePort[slot] = port;
        idleSinceNs[slot] = nowNs;
    }

    /** An idle connection to address:port that is still good, or -1 (a bad one is dropped). */
    private int takeIdle(int address, int port, long nowNs) {
        for (int i = 0; i < idleSocket.length; i++) {
            int h = idleSocket[i];
            if (h < 0 || idleIp[i] != address || idlePort[i] != port) {
                continue;
            }
            idleSocket[i] = -1;
            if (net.socketState(h) != HttpNetwork.SOCKET_ESTABLISHED) {
                counters.inc(C_IDLE_CLOSED_BY_PEER);
                net.close(h, nowNs);
                return -1;
            }
            // bytes that arrived while idle belong to no request (P14): drop the connection
            int n = net.receive(h, rx, 0, rx.length, nowNs);
            if (n != 0) {
                counters.inc(C_REUSE_STALE);
                net.abort(h, nowNs);
                return -1;
            }
            return h;
        }
        return -1;
    }

    private int expireIdle(long nowNs) {
        int work = 0;
        for (int i = 0; i < idleSocket.length; i++) {
            int h = idleSocket[i];
            if (h < 0) {
                continue;
            }
            if (nowNs - (idleSinceNs[i] + config.keepAliveIdleNs) >= 0) {
                counters.inc(C_IDLE_EXPIRED);
                net.close(h, nowNs);
                idleSocket[i] = -1;
                work++;
            } else if (net.socketState(h) != HttpNetwork.SOCKET_ESTABLISHED) {
                counters.inc(C_IDLE_CLOSED_BY_PEER);
                net.close(h, nowNs);
                idleSocket[i] = -1;
                work++;
            }
        }
        return work;
    }

    /** How many idle kept-alive connections are held. */
    public int idleConnections() {
        int n = 0;
        for (int h : idleSocket) {
            if (h >= 0) {
                n++;
            }
        }
        return n;
    }

    // ---- cache ----

    private int cacheFind(long key) {
        for (int i = 0; i < cacheKey.length; i++) {
            if (cacheValid[i] && cacheKey[i] == key) {
                return i;
            }
        }
        return -1;
    }

    private int cacheVictim() {
        int victim = 0;
        for (int i = 0; i < cacheKey.length; i++) {
            if (!cacheValid[i]) {
                return i;
            }
            if (cacheUsedNs[i] - cacheUsedNs[victim] < 0) {
                victim = i;
            }
        }
        return victim;
    }

    private void cacheBegin(int slot, long key, long nowNs) {
        int v = config.maxValidatorBytes;
        cacheValid[slot] = false;
        cacheKey[slot] = key;
        cacheUsedNs[slot] = nowNs;
        int e = parser.etagLength();
        System.arraycopy(parser.etagBytes(), 0, cacheEtag, slot * v, e);
        cacheEtagLength[slot] = e;
        int l = parser.lastModifiedLength();
        System.arraycopy(parser.lastModifiedBytes(), 0, cacheLastModified, slot * v, l);
        cacheLastModifiedLength[slot] = l;
        cacheBodyLength[slot] = 0;
    }

    /**
     * Does the 304 name the kept representation? True when it carries no ETag, or one that
     * matches the kept one by the weak comparison (RFC 9110 §8.8.3.2: W/ ignored).
     */
    private boolean sameValidator(int slot) {
        int n = parser.etagLength();
        if (n == 0 || cacheEtagLength[slot] == 0) {
            return true;
        }
        byte[] e = parser.etagBytes();
        int a = n >= 2 && e[0] == 'W' && e[1] == '/' ? 2 : 0;
        int off = slot * config.maxValidatorBytes;
        int len = cacheEtagLength[slot];
        int b = len >= 2 && cacheEtag[off] == 'W' && cacheEtag[off + 1] == '/' ? 2 : 0;
        return java.util.Arrays.equals(e, a, n, cacheEtag, off + b, off + len);
    }

    /** Forgets every cached page. */
    public void clearCache() {
        java.util.Arrays.fill(cacheValid, false);
    }

    /** Body bytes on their way to the sink: delivered, kept in the cache slot, or dropped. */
    private final class Router implements BodySink {
        static final int DELIVER = 0;
        static final int DISCARD = 1;
        int mode;

        @Override
        public void onStatus(int code) {
        }

        @Override
        public void onBody(byte[] b, int off, int len) {
            if (mode == DISCARD) {
                return;
            }
            bodyBytesDelivered += len;
            sink.onBody(b, off, len);
            if (teeSlot >= 0) {
                int have = cacheBodyLength[teeSlot];
                if (have + len <= config.cacheBodyBytes) {
                    System.arraycopy(b, off, cacheBody, teeSlot * config.cacheBodyBytes + have, len);
                    cacheBodyLength[teeSlot] = have + len;
                } else {
                    teeSlot = -1; // too big to keep: fetched in full next time
                }
            }
        }

        @Override
        public void onEnd(boolean complete) {
        }
    }

    // ---- what the caller reads ----

    public int state() {
        switch (step) {
            case S_IDLE:
                return STATE_IDLE;
            case S_DONE:
                return STATE_DONE;
            case S_FAILED:
                return STATE_FAILED;
            default:
                return STATE_BUSY;
        }
    }

    /** The phase in progress, or the one the fetch failed in. */
    public int phase() {
        return phase;
    }

    /** The final status code (0 before one arrived); 304 when the page came from the cache. */
    public int status() {
        return notModified ? 304 : status;
    }

    /** True when the last fetch was answered 304 and its body replayed from the cache. */
    public boolean notModified() {
        return notModified;
    }

    public int failure() {
        return failure;
    }

    /** Writes the failure line into {@code dst} (at most 32 bytes); its length, 0 when none. */
    public int failureLine(byte[] dst, int off) {
        return failure == HttpFailure.NONE ? 0 : HttpFailure.line(failure, status, dst, off);
    }

    /** The failure line as text (cold path). */
    public String failureText() {
        return failure == HttpFailure.NONE ? "" : HttpFailure.text(failure, status);
    }

    /** How many redirects the last fetch followed. */
    public int redirects() {
        return redirects;
    }

    /** Body bytes handed to the sink by the last fetch. */
    public long bodyBytes() {
        return bodyBytesDelivered;
    }

    /** Bytes read from TCP by the last fetch (headers and framing included, every hop). */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** Name resolution time of the last fetch (all hops), ns. */
    public long dnsNs() {
        return dnsNs;
    }

    /** Connection set-up time (ARP and handshake, all hops; 0 on reused connections), ns. */
    public long connectNs() {
        return connectNs;
    }

    /** From the first request sent to the first response byte, ns; -1 if none arrived. */
    public long ttfbNs() {
        return ttfbNs;
    }

    /** From {@link #start} to the end (or to now while busy). */
    public long totalNs(long nowNs) {
        return state() == STATE_BUSY ? nowNs - startNs : endNs - startNs;
    }

    /**
     * The final response's Content-Type (RFC 9110 §8.3), cut to {@code maxValidatorBytes}:
     * {@code contentTypeBytes()[0, contentTypeLength())}; valid from {@link BodySink#onStatus}
     * until the next fetch. Empty for a page replayed from the cache after a 304 that has none.
     */
    public byte[] contentTypeBytes() {
        return parser.contentTypeBytes();
    }

    public int contentTypeLength() {
        return parser.contentTypeLength();
    }

    /** The URL being fetched (after redirects, the last one). */
    public HttpUrl url() {
        return url;
    }

    /** The next time {@link #poll} must run even if nothing arrives, or {@link #NO_DEADLINE}. */
    public long pollAtNs(long nowNs) {
        long at = NO_DEADLINE;
        if (state() == STATE_BUSY) {
            at = phaseDeadlineNs - totalDeadlineNs < 0 ? phaseDeadlineNs : totalDeadlineNs;
        }
        for (int i = 0; i < idleSocket.length; i++) {
            if (idleSocket[i] >= 0) {
                long e = idleSinceNs[i] + config.keepAliveIdleNs;
                if (at == NO_DEADLINE || e - at < 0) {
                    at = e;
                }
            }
        }
        return at;
    }
}
