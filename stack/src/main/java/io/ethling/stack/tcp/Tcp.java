package io.ethling.stack.tcp;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.stack.iface.IpHandler;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;

/**
 * TCP (RFC 9293) for a small client and server: the socket API by {@code int} handle, the tables
 * (connection records, listeners, the SYN backlog, TIME-WAIT) and the glue between
 * {@link TcpInput} (segment arrival), {@link TcpOutput} (what to send) and {@link TcpTimers}.
 * Everything is allocated here, once, from a validated {@link TcpConfig}; after that nothing on the
 * data path allocates. Single-threaded: call everything from the loop thread.
 *
 * <p>Wiring: {@code net.tcpHandler(tcp)} delivers segments ({@link #onDatagram}); segments leave
 * through the {@link TcpTransport} ({@link NetStackTransport} for a NetStack); the loop runs
 * {@link #poll} and {@link #pollAtNs} beside the interface's.
 *
 * <p>Handle life: {@link #connect} or {@link #accept} hands out a handle; it stays valid (state,
 * error and data readable) until {@link #close} or {@link #abort} has been called <em>and</em> the
 * connection has reached CLOSED or TIME-WAIT; then the slot is free for reuse.
 */
public final class Tcp implements IpHandler {

    // results of the API (negative)
    public static final int ERR_NO_SOCKET = -1;
    public static final int ERR_BAD_HANDLE = -2;
    public static final int ERR_NO_ADDRESS = -3;
    public static final int ERR_BAD_ADDRESS = -4;
    public static final int ERR_NO_PORT = -5;
    public static final int ERR_CLOSED = -6;
    public static final int ERR_IN_USE = -7;
    public static final int ERR_WOULD_BLOCK = -8;
    /** {@link #receive}: the peer closed its direction and every byte has been read. */
    public static final int END_OF_STREAM = -9;
    /** {@link #receive}/{@link #send}: the connection failed; {@link #error} says why. */
    public static final int ERR_CONNECTION = -10;

    // reasons reported by error(handle)
    public static final int ERROR_NONE = 0;
    public static final int ERROR_RESET = 1;         // the peer reset an open connection
    public static final int ERROR_REFUSED = 2;       // the peer reset our SYN
    public static final int ERROR_TIMEOUT = 3;       // R2 (or keep-alive) gave up
    public static final int ERROR_UNREACHABLE = 4;   // ICMP or ARP said the peer cannot be reached
    public static final int ERROR_ABORTED = 5;       // abort() here

    private static final String[] ERROR_NAMES = {"none", "reset", "refused", "timeout", "unreachable", "aborted"};

    private final TcpConfig cfg;
    private final TcpTransport transport;
    private final CounterSet counters = new CounterSet(TcpStat.names());
    private final Tcb[] tcbs;
    private final boolean[] listenerUsed;
    private final int[] listenerPort;
    private final TcpOutput out;
    private final TcpTimers timers;
    private final TcpInput in;
    private final TimeWaitTable timeWait;
    private final SynBacklog backlog;
    private final SipHash isnHash;
    private final SipHash portHash;
    private long portCounter;
    private long acceptCounter;
    private TcpTrace trace;

    public Tcp(TcpConfig config, TcpTransport transport, Prng random) {
        this.cfg = config.validate();
        this.transport = transport;
        this.tcbs = new Tcb[cfg.sockets];
        for (int i = 0; i < tcbs.length; i++) {
            tcbs[i] = new Tcb(i, cfg.sendBufferBytes, cfg.receiveBufferBytes, cfg.oooRanges);
        }
        this.listenerUsed = new boolean[cfg.listeners];
        this.listenerPort = new int[cfg.listeners];
        this.out = new TcpOutput(this, cfg, transport);
        this.timers = new TcpTimers(this, cfg, out);
        this.in = new TcpInput(this, cfg, out, timers);
        this.timeWait = new TimeWaitTable(this, out, cfg);
        this.backlog = new SynBacklog(this, out, cfg);
        // RFC 6528 §3 / RFC 6056 §3.3.3: secret keys (SecureRandom-seeded Prng in the firmware, fixed seed in tests)
        this.isnHash = new SipHash(random.nextLong(), random.nextLong());
        this.portHash = new SipHash(random.nextLong(), random.nextLong());
        this.portCounter = random.nextLong();
    }

    // ---- wiring ---------------------------------------------------------------------------------

    public Counters counters() {
        return counters;
    }

    /** Installs the transition hook (the journey); null removes it. */
    public void trace(TcpTrace trace) {
        this.trace = trace;
    }

    public static String errorName(int error) {
        return error >= 0 && error < ERROR_NAMES.length ? ERROR_NAMES[error] : "unknown";
    }

    @Override
    public void onDatagram(int srcIp, int dstIp, byte[] buf, int off, int len, long nowNs) {
        in.onSegment(srcIp, dstIp, buf, off, len, nowNs);
    }

    @Override
    public void onUnreachable(int code, byte[] quote, int off, int len, long nowNs) {
        in.onUnreachable(code, quote, off, len, nowNs);
    }

    /** ARP gave up on {@code ip}: connection attempts to it fail at once (RFC 1122 §2.3.2.1). */
    @Override
    public void onNeighbourUnreachable(int ip, long nowNs) {
        for (Tcb t : tcbs) {
            if (t.state == TcpState.SYN_SENT && t.remoteIp == ip) {
                count(TcpStat.ICMP_ABORTS);
                abortConnection(t, ERROR_UNREACHABLE, false, nowNs);
            }
        }
    }

    /** Runs due timers of every connection, the SYN backlog and TIME-WAIT. @return work done */
    public int poll(long nowNs) {
        int work = 0;
        for (Tcb t : tcbs) {
            if (t.state != TcpState.CLOSED) {
                work += timers.run(t, nowNs);
            }
        }
        work += backlog.poll(nowNs);
        work += timeWait.poll(nowNs);
        return work;
    }

    /** The next instant {@link #poll} has timed work, or {@link Long#MAX_VALUE}. */
    public long pollAtNs(long nowNs) {
        long at = Long.MAX_VALUE;
        for (Tcb t : tcbs) {
            if (t.state != TcpState.CLOSED) {
                long d = timers.nextDeadline(t, nowNs);
                if (d != Long.MAX_VALUE) {
                    at = TcpTimers.earliest(at, d, nowNs);
                }
            }
        }
        long b = backlog.nextDeadline(nowNs);
        if (b != Long.MAX_VALUE) {
            at = TcpTimers.earliest(at, b, nowNs);
        }
        long w = timeWait.nextDeadline(nowNs);
        if (w != Long.MAX_VALUE) {
            at = TcpTimers.earliest(at, w, nowNs);
        }
        return at;
    }

    // ---- the socket API --------------------------------------------------------------------------

    /**
     * Active open (RFC 9293 §3.10.1): sends the SYN at once. @return a handle, or ERR_NO_ADDRESS,
     * ERR_BAD_ADDRESS (broadcast, multicast or zero: MUST-46), ERR_NO_SOCKET, ERR_NO_PORT
     */
    public int connect(int remoteIp, int remotePort, long nowNs) {
        if (remotePort <= 0 || remotePort > 65535 || !Ipv4Packet.isValidUnicastSource(remoteIp)) {
            return ERR_BAD_ADDRESS;
        }
        int localIp = transport.localAddress();
        if (localIp == 0) {
            return ERR_NO_ADDRESS;
        }
        if (remoteIp == localIp) {
            return ERR_BAD_ADDRESS;
        }
        Tcb t = allocate(false);
        if (t == null) {
            return ERR_NO_SOCKET;
        }
        int port = ephemeralPort(remoteIp, remotePort);
        if (port < 0) {
            t.used = false;
            return ERR_NO_PORT;
        }
        t.localIp = localIp;
        t.localPort = port;
        t.remoteIp = remoteIp;
        t.remotePort = remotePort;
        t.iss = isn(localIp, port, remoteIp, remotePort, nowNs);
        initSendSide(t);
        t.lastReceiveNs = nowNs;
        count(TcpStat.CONNECTS);
        setState(t, TcpState.SYN_SENT, nowNs);
        out.output(t, nowNs);
        return t.handle();
    }

    /** Passive open on {@code port}. @return a listener id (for {@link #accept}) or ERR_IN_USE, ERR_NO_SOCKET */
    public int listen(int port) {
        if (port <= 0 || port > 65535) {
            return ERR_BAD_ADDRESS;
        }
        int free = -1;
        for (int i = 0; i < listenerUsed.length; i++) {
            if (listenerUsed[i] && listenerPort[i] == port) {
                return ERR_IN_USE;
            }
            if (!listenerUsed[i] && free < 0) {
                free = i;
            }
        }
        if (free < 0) {
            return ERR_NO_SOCKET;
        }
        listenerUsed[free] = true;
        listenerPort[free] = port;
        return free;
    }

    /**
     * Passive open on every port of every address this TCP is given segments for: with
     * {@code NetStack.gatewayMode(true)} that is any unicast destination, so one stack terminates
     * connections to the whole network (the desktop's user-mode network; a board never calls this).
     * A connection to a port nobody else listens on is taken here. Unlike {@link #listen}, the
     * peer's SYN is not answered at once: it waits as a connection in SYN-RECEIVED that
     * {@link #accept} hands out straight away; {@link #localIp(int)} and {@link #localPort(int)}
     * say where the peer wanted to go, and the application then calls {@link #acceptSyn} (the
     * SYN-ACK leaves, RFC 9293 §3.10.7.2) or {@link #refuse} (an RST, as from a closed port,
     * §3.10.7.1 — so the peer's connect fails as "refused"). Every segment of such a connection
     * is sent from the address the peer connected to.
     * @return a listener id, ERR_IN_USE (one already exists) or ERR_NO_SOCKET
     */
    public int listenAll() {
        int free = -1;
        for (int i = 0; i < listenerUsed.length; i++) {
            if (listenerUsed[i] && listenerPort[i] == 0) {
                return ERR_IN_USE;
            }
            if (!listenerUsed[i] && free < 0) {
                free = i;
            }
        }
        if (free < 0) {
            return ERR_NO_SOCKET;
        }
        listenerUsed[free] = true;
        listenerPort[free] = 0;                              // 0: every port (listen() never takes 0)
        return free;
    }

    /** {@link #listenAll}: the peer's SYN is answered now (SYN-ACK, RFC 9293 §3.10.7.2). @return 0 or ERR_BAD_HANDLE, ERR_CLOSED */
    public int acceptSyn(int handle, long nowNs) {
        Tcb t = byHandle(handle);
        if (t == null) {
            return ERR_BAD_HANDLE;
        }
        if (!t.synHeld || t.state != TcpState.SYN_RECEIVED) {
            return ERR_CLOSED;
        }
        t.synHeld = false;
        t.sndNxt = t.iss;
        out.output(t, nowNs);
        return 0;
    }

    /**
     * {@link #listenAll}: the peer's SYN is refused with &lt;SEQ=0&gt;&lt;ACK=SEG.SEQ+1&gt;&lt;CTL=RST,ACK&gt;
     * (RFC 9293 §3.10.7.1, what a closed port answers; its SYN-SENT accepts it, §3.10.7.3) and the
     * handle is freed. @return 0 or ERR_BAD_HANDLE, ERR_CLOSED (the SYN was already answered)
     */
    public int refuse(int handle, long nowNs) {
        Tcb t = byHandle(handle);
        if (t == null) {
            return ERR_BAD_HANDLE;
        }
        if (!t.synHeld || t.state != TcpState.SYN_RECEIVED) {
            return ERR_CLOSED;
        }
        t.appClosed = true;
        refuseHeld(t, nowNs);
        return 0;
    }

    private void refuseHeld(Tcb t, long nowNs) {
        count(TcpStat.SYN_REFUSED);
        out.sendBare(t.localIp, t.remoteIp, t.localPort, t.remotePort, 0, t.rcvNxt,
                TcpSegment.FLAG_RST | TcpSegment.FLAG_ACK, 0, -1, nowNs);
        closeConnection(t, ERROR_ABORTED, nowNs);
    }

    /** Stops listening: half-open entries are forgotten, connections not yet accepted are reset. */
    public void unlisten(int listener, long nowNs) {
        if (listener < 0 || listener >= listenerUsed.length || !listenerUsed[listener]) {
            return;
        }
        listenerUsed[listener] = false;
        backlog.removeListener(listener);
        for (Tcb t : tcbs) {
            if (t.acceptPending && t.listener == listener) {
                if (t.synHeld) {
                    refuseHeld(t, nowNs);
                } else {
                    abortConnection(t, ERROR_ABORTED, true, nowNs);
                }
            }
        }
    }

    /**
     * The oldest established connection of {@code listener} not yet accepted, or ERR_WOULD_BLOCK.
     * For the {@link #listenAll} listener: the oldest connection whose SYN waits in SYN-RECEIVED.
     */
    public int accept(int listener) {
        Tcb best = null;
        for (Tcb t : tcbs) {
            if (t.acceptPending && t.listener == listener && (best == null || t.acceptOrder < best.acceptOrder)) {
                best = t;
            }
        }
        if (best == null) {
            return ERR_WOULD_BLOCK;
        }
        best.acceptPending = false;
        count(TcpStat.ACCEPTS);
        return best.handle();
    }

    /** Copies up to {@code len} bytes into the send ring. @return bytes taken (0 when full) or a negative status */
    public int send(int handle, byte[] src, int off, int len, long nowNs) {
        Tcb t = byHandle(handle);
        if (t == null) {
            return ERR_BAD_HANDLE;
        }
        if (t.state == TcpState.CLOSED) {
            return t.error != 0 ? ERR_CONNECTION : ERR_CLOSED;
        }
        if (t.finQueued || !(t.state == TcpState.ESTABLISHED || t.state == TcpState.CLOSE_WAIT
                || t.state == TcpState.SYN_SENT || t.state == TcpState.SYN_RECEIVED)) {
            return ERR_CLOSED;
        }
        int n = Math.min(len, t.sndBuf.length - t.sndLen);
        if (n <= 0) {
            return 0;
        }
        int at = (t.sndHead + t.sndLen) & t.sndMask;
        int first = Math.min(n, t.sndBuf.length - at);
        System.arraycopy(src, off, t.sndBuf, at, first);
        if (first < n) {
            System.arraycopy(src, off + first, t.sndBuf, 0, n - first);
        }
        t.sndLen += n;
        if (t.state.isSynchronized()) {
            out.output(t, nowNs);
        }
        return n;
    }

    /** Free space in the send ring. */
    public int sendSpace(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? ERR_BAD_HANDLE : t.sndBuf.length - t.sndLen;
    }

    /** Bytes queued and not yet acknowledged by the peer. */
    public int unacknowledged(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? ERR_BAD_HANDLE : t.sndLen;
    }

    /**
     * Copies received bytes out. @return bytes copied, 0 when none is waiting, END_OF_STREAM after
     * the peer's FIN, ERR_CONNECTION when the connection failed
     */
    public int receive(int handle, byte[] dst, int off, int cap, long nowNs) {
        Tcb t = byHandle(handle);
        if (t == null) {
            return ERR_BAD_HANDLE;
        }
        if (t.rcvLen == 0) {
            return emptyStatus(t);
        }
        int n = Math.min(cap, t.rcvLen);
        int first = Math.min(n, t.rcvBuf.length - t.rcvHead);
        System.arraycopy(t.rcvBuf, t.rcvHead, dst, off, first);
        if (first < n) {
            System.arraycopy(t.rcvBuf, 0, dst, off + first, n - first);
        }
        consumed(t, n, nowNs);
        return n;
    }

    /** Bytes waiting to be read. */
    public int available(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? ERR_BAD_HANDLE : t.rcvLen;
    }

    /** Read in place: the receive ring of the connection (valid with {@link #readOffset}/{@link #readableInPlace}). */
    public byte[] receiveBuffer(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? null : t.rcvBuf;
    }

    public int readOffset(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? ERR_BAD_HANDLE : t.rcvHead;
    }

    /** Bytes readable in one piece from {@link #readOffset} (the rest wraps to index 0); same statuses as receive. */
    public int readableInPlace(int handle) {
        Tcb t = byHandle(handle);
        if (t == null) {
            return ERR_BAD_HANDLE;
        }
        if (t.rcvLen == 0) {
            return emptyStatus(t);
        }
        return Math.min(t.rcvLen, t.rcvBuf.length - t.rcvHead);
    }

    /** Releases {@code n} bytes read in place. */
    public int consume(int handle, int n, long nowNs) {
        Tcb t = byHandle(handle);
        if (t == null) {
            return ERR_BAD_HANDLE;
        }
        n = Math.min(Math.max(n, 0), t.rcvLen);
        consumed(t, n, nowNs);
        return n;
    }

    private int emptyStatus(Tcb t) {
        if (t.finReceived) {
            return END_OF_STREAM;
        }
        if (t.state == TcpState.CLOSED) {
            return t.error != 0 ? ERR_CONNECTION : END_OF_STREAM;
        }
        return 0;
    }

    private void consumed(Tcb t, int n, long nowNs) {
        t.rcvHead = (t.rcvHead + n) & t.rcvMask;
        t.rcvLen -= n;
        if (t.state.receivesData() && out.windowUpdateDue(t)) {
            t.ackNow = true;                                 // window update (RFC 9293 §3.8.6.2.2)
            out.output(t, nowNs);
        }
    }

    /**
     * Closes our direction (RFC 9293 §3.10.4): queued data is still sent, then our FIN. The handle
     * stays valid until the connection is closed or in TIME-WAIT.
     */
    public int close(int handle, long nowNs) {
        Tcb t = byHandle(handle);
        if (t == null) {
            return ERR_BAD_HANDLE;
        }
        t.appClosed = true;
        switch (t.state) {
            case CLOSED:
                free(t);
                return 0;
            case SYN_SENT:
                closeConnection(t, 0, nowNs);
                return 0;
            case FIN_WAIT_2:
                t.finWait2Armed = true;
                t.finWait2DeadlineNs = nowNs + cfg.finWait2TimeoutNs;
                return 0;
            default:
                queueFin(t, nowNs);
                return 0;
        }
    }

    /**
     * Our FIN after the queued data (RFC 9293 §3.10.4 CLOSE): held until the handshake completes in
     * SYN-RECEIVED, ESTABLISHED -> FIN-WAIT-1, CLOSE-WAIT -> LAST-ACK; nothing in other states.
     */
    private void queueFin(Tcb t, long nowNs) {
        switch (t.state) {
            case SYN_RECEIVED:
                t.finQueued = true;                          // sent once the handshake completes
                break;
            case ESTABLISHED:
                t.finQueued = true;
                setState(t, TcpState.FIN_WAIT_1, nowNs);
                out.output(t, nowNs);
                break;
            case CLOSE_WAIT:
                t.finQueued = true;
                setState(t, TcpState.LAST_ACK, nowNs);
                out.output(t, nowNs);
                break;
            default:
                break;
        }
    }

    /**
     * Half-close (RFC 9293 §3.10.4 CLOSE, our direction only): queued data is still sent, then our
     * FIN, and the handle stays the application's — every byte the peer sends until its own FIN
     * stays readable, even once the connection is CLOSED or in TIME-WAIT — until {@link #close}
     * or {@link #abort} releases it. (A relay needs this: {@link #close} gives the handle up.)
     * @return 0, ERR_BAD_HANDLE
     */
    public int shutdown(int handle, long nowNs) {
        Tcb t = byHandle(handle);
        if (t == null) {
            return ERR_BAD_HANDLE;
        }
        if (t.state == TcpState.SYN_SENT) {
            t.finQueued = true;                              // sent once the handshake completes
        } else {
            queueFin(t, nowNs);
        }
        return 0;
    }

    /**
     * Resets the connection (RFC 9293 §3.10.5) and frees the handle at once. A {@link #listenAll}
     * SYN not yet answered is forgotten without a word (the peer's own timers give up).
     */
    public void abort(int handle, long nowNs) {
        Tcb t = byHandle(handle);
        if (t == null) {
            return;
        }
        t.appClosed = true;
        if (t.state == TcpState.CLOSED) {
            free(t);
            return;
        }
        abortConnection(t, ERROR_ABORTED, true, nowNs);
    }

    /** The state of a handle; CLOSED for a handle that is no longer valid. */
    public TcpState state(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? TcpState.CLOSED : t.state;
    }

    /** Why the connection failed (ERROR_*), ERROR_NONE while it is fine or closed cleanly. */
    public int error(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? ERROR_NONE : t.error;
    }

    /** R1 (SHLD-10): true once a segment has been retransmitted R1 times in a row (cleared by progress). */
    public boolean retransmitWarning(int handle) {
        Tcb t = byHandle(handle);
        return t != null && t.r1Warned && t.retransmits > 0;
    }

    /** Nagle off (MUST-17). */
    public void noDelay(int handle, boolean on) {
        Tcb t = byHandle(handle);
        if (t != null) {
            t.noDelay = on;
        }
    }

    public void keepAlive(int handle, boolean on) {
        Tcb t = byHandle(handle);
        if (t != null) {
            t.keepAlive = on;
        }
    }

    /** Our address on this connection: for {@link #listenAll}, the destination the peer connected to. */
    public int localIp(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? 0 : t.localIp;
    }

    public int localPort(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? ERR_BAD_HANDLE : t.localPort;
    }

    public int remoteIp(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? 0 : t.remoteIp;
    }

    public int remotePort(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? ERR_BAD_HANDLE : t.remotePort;
    }

    /** Current RTO of the connection (ns), for tests and the journey. */
    public long rtoNs(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? -1 : t.rtoNs;
    }

    /** Congestion window (bytes), for tests and benchmarks. */
    public int cwnd(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? ERR_BAD_HANDLE : t.cwnd;
    }

    /** Effective send MSS. */
    public int mss(int handle) {
        Tcb t = byHandle(handle);
        return t == null ? ERR_BAD_HANDLE : t.mss;
    }

    /** Connection records in use (any state), for leak checks. */
    public int socketsInUse() {
        int n = 0;
        for (Tcb t : tcbs) {
            if (t.used) {
                n++;
            }
        }
        return n;
    }

    public int timeWaitEntries() {
        return timeWait.count();
    }

    public int halfOpenEntries() {
        return backlog.count();
    }

    // ---- package internals ---------------------------------------------------------------------------

    void count(int index) {
        counters.inc(index);
    }

    void add(int index, long delta) {
        counters.add(index, delta);
    }

    TimeWaitTable timeWait() {
        return timeWait;
    }

    SynBacklog backlog() {
        return backlog;
    }

    Tcb byHandle(int handle) {
        if (handle < 0) {
            return null;
        }
        int index = handle & 0xFF;
        if (index >= tcbs.length) {
            return null;
        }
        Tcb t = tcbs[index];
        return t.used && t.handle() == handle ? t : null;
    }

    /** The record of a live connection on this 4-tuple (RFC 9293 §3.2: both sockets, our address too). */
    Tcb find(int localIp, int localPort, int remoteIp, int remotePort) {
        for (Tcb t : tcbs) {
            if (t.state != TcpState.CLOSED && t.localPort == localPort && t.remoteIp == remoteIp
                    && t.remotePort == remotePort && t.localIp == localIp) {
                return t;
            }
        }
        return null;
    }

    /** The listener of {@code port}, else the {@link #listenAll} listener, else -1. */
    int listenerFor(int port) {
        int all = -1;
        for (int i = 0; i < listenerUsed.length; i++) {
            if (listenerUsed[i] && listenerPort[i] == port) {
                return i;
            }
            if (listenerUsed[i] && listenerPort[i] == 0) {
                all = i;
            }
        }
        return all;
    }

    private boolean portListened(int port) {
        for (int i = 0; i < listenerUsed.length; i++) {
            if (listenerUsed[i] && listenerPort[i] == port) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code listener} is the {@link #listenAll} one (SYNs wait for the application). */
    boolean holdsSyns(int listener) {
        return listenerPort[listener] == 0;
    }

    /** A SYN for {@link #listenAll}: a record in SYN-RECEIVED, ready for accept(), SYN-ACK held (null when full). */
    Tcb hold(int listener, int localIp, int localPort, int remoteIp, int remotePort, int irs, int iss, int mss, long nowNs) {
        Tcb t = allocate(true);
        if (t == null) {
            return null;
        }
        t.listener = listener;
        t.acceptPending = true;
        t.acceptOrder = acceptCounter++;
        t.synHeld = true;
        t.localIp = localIp;
        t.localPort = localPort;
        t.remoteIp = remoteIp;
        t.remotePort = remotePort;
        t.iss = iss;
        initSendSide(t);
        t.irs = irs;
        t.rcvNxt = irs + 1;
        t.rcvAdv = t.rcvNxt + out.initialWindow();
        t.mss = mss;
        t.state = TcpState.LISTEN;                           // the journey sees LISTEN -> SYN-RECEIVED, as for listen()
        setState(t, TcpState.SYN_RECEIVED, nowNs);
        return t;
    }

    /** RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), M a 4 µs clock. */
    int isn(int localIp, int localPort, int remoteIp, int remotePort, long nowNs) {
        long f = isnHash.hash(((long) localIp << 32) | (remoteIp & 0xFFFF_FFFFL), ((long) localPort << 16) | remotePort);
        return (int) (nowNs / 4000) + (int) (f ^ (f >>> 32));
    }

    /**
     * RFC 6056 §3.3.1 (Algorithm 1) with a keyed PRF as the random source: a uniformly spread,
     * unpredictable port, retried while the 4-tuple is in use (records, TIME-WAIT, half-open) or
     * the port is a listener's. Bounded: 64 draws, then a scan from the last draw.
     */
    private int ephemeralPort(int remoteIp, int remotePort) {
        int from = cfg.ephemeralFrom;
        int num = cfg.ephemeralTo - from + 1;
        int candidate = from;
        for (int i = 0; i < 64; i++) {
            long r = portHash.hash(portCounter++, ((long) remoteIp << 16) ^ remotePort);
            candidate = from + (int) Long.remainderUnsigned(r, num);
            if (portFree(candidate, remoteIp, remotePort)) {
                return candidate;
            }
        }
        for (int i = 0; i < num; i++) {
            int p = from + (candidate - from + i) % num;
            if (portFree(p, remoteIp, remotePort)) {
                return p;
            }
        }
        return ERR_NO_PORT;
    }

    private boolean portFree(int port, int remoteIp, int remotePort) {
        if (portListened(port) || timeWait.usesLocalPort(port, remoteIp, remotePort)
                || backlog.find(0, port, remoteIp, remotePort) >= 0) {
            return false;
        }
        for (Tcb t : tcbs) {
            if (t.used && t.localPort == port && t.remoteIp == remoteIp && t.remotePort == remotePort) {
                return false;
            }
        }
        return true;
    }

    private Tcb allocate(boolean passive) {
        if (passive) {
            int server = 0;
            for (Tcb t : tcbs) {
                if (t.used && t.passive) {
                    server++;
                }
            }
            if (server >= cfg.serverConnections) {
                return null;                                  // the rest stays for client connections
            }
        }
        for (Tcb t : tcbs) {
            if (!t.used) {
                int gen = (t.generation + 1) & 0x7F_FFFF;
                t.reset();
                t.generation = gen;
                t.used = true;
                t.passive = passive;
                t.keepAlive = cfg.keepAlive;
                t.noDelay = !cfg.nagle;
                return t;
            }
        }
        return null;
    }

    private void initSendSide(Tcb t) {
        t.sndUna = t.iss;
        t.sndNxt = t.iss;
        t.sndMax = t.iss;
        t.dataBase = t.iss + 1;
        t.recover = t.iss;
        t.rtoNs = cfg.initialRtoNs;
        t.mss = 536;                                         // MUST-15 until the peer's SYN says otherwise
        t.cwnd = TcpOutput.initialCwnd(t.mss);
        t.ssthresh = Integer.MAX_VALUE / 2;                  // RFC 5681 §3.1: arbitrarily high
    }

    /** Tests only: moves a connection in SYN-SENT to another ISS (to run sequence wrap-around on our side). */
    void rebaseIss(int handle, int iss) {
        Tcb t = byHandle(handle);
        if (t == null || t.state != TcpState.SYN_SENT) {
            throw new IllegalStateException("rebaseIss needs a connection in SYN-SENT");
        }
        t.iss = iss;
        t.sndUna = iss;
        t.sndMax = iss + 1;
        t.sndNxt = iss + 1;
        t.dataBase = iss + 1;
        t.recover = iss;
        t.rttSeq = iss + 1;
    }

    /** The final ACK of a passive handshake: a half-open entry becomes a connection record (null when full). */
    Tcb promote(SynBacklog b, int e, long nowNs) {
        Tcb t = allocate(true);
        if (t == null) {
            return null;
        }
        t.listener = b.listener(e);
        t.acceptPending = true;
        t.acceptOrder = acceptCounter++;
        t.localIp = b.localIp(e);
        t.localPort = b.localPort(e);
        t.remoteIp = b.remoteIp(e);
        t.remotePort = b.remotePort(e);
        t.iss = b.iss(e);
        initSendSide(t);
        t.sndUna = t.iss + 1;
        t.sndNxt = t.iss + 1;
        t.sndMax = t.iss + 1;
        t.irs = b.irs(e);
        t.rcvNxt = t.irs + 1;
        t.rcvAdv = t.rcvNxt + out.initialWindow();
        t.mss = b.mss(e);
        if (b.retries(e) == 0) {
            timers.sample(t, nowNs - b.firstSentNs(e));      // Karn: only an unretransmitted SYN-ACK
        } else {
            t.synRetransmitted = true;
        }
        timers.afterHandshake(t);
        t.cwnd = t.synRetransmitted ? t.mss : TcpOutput.initialCwnd(t.mss);
        t.state = TcpState.SYN_RECEIVED;
        setState(t, TcpState.ESTABLISHED, nowNs);
        count(TcpStat.ESTABLISHED);
        return t;
    }

    void setState(Tcb t, TcpState to, long nowNs) {
        TcpState from = t.state;
        t.state = to;
        if (trace != null && from != to) {
            trace.onTransition(t.handle(), from, to, t.sndUna - t.iss, t.sndNxt - t.iss,
                    t.irs == 0 && t.rcvNxt == 0 ? 0 : t.rcvNxt - t.irs, nowNs);
        }
    }

    void trace(int handle, TcpState from, TcpState to, int sndUna, int sndNxt, int rcvNxt, long nowNs) {
        if (trace != null) {
            trace.onTransition(handle, from, to, sndUna, sndNxt, rcvNxt, nowNs);
        }
    }

    /** The connection ends (RST, timeout, last ACK): CLOSED with a reason; the slot frees itself if released. */
    void closeConnection(Tcb t, int error, long nowNs) {
        if (error == ERROR_RESET || error == ERROR_REFUSED) {
            count(TcpStat.RESETS);
        }
        t.error = error;
        setState(t, TcpState.CLOSED, nowNs);
        stopTimers(t);
        if (t.appClosed || t.acceptPending) {
            free(t);
        }
    }

    /** Local abort or a fatal error: an RST if the peer knows the connection, then CLOSED. */
    void abortConnection(Tcb t, int error, boolean sendReset, long nowNs) {
        if (sendReset && !t.synHeld && (t.state.isSynchronized() || t.state == TcpState.SYN_RECEIVED) && t.state != TcpState.TIME_WAIT) {
            out.sendBare(t.localIp, t.remoteIp, t.localPort, t.remotePort, t.sndNxt, 0, TcpSegment.FLAG_RST, 0, -1, nowNs);
        }
        closeConnection(t, error, nowNs);
    }

    /** TIME-WAIT moves to its table; the record is closed (and freed once released). */
    void enterTimeWait(Tcb t, long nowNs) {
        timeWait.add(t, nowNs);
        t.error = 0;
        stopTimers(t);
        TcpState from = t.state;
        t.state = TcpState.CLOSED;                           // the table carries TIME-WAIT on; no second trace line
        if (from != TcpState.TIME_WAIT) {
            setState(t, TcpState.CLOSED, nowNs);
        }
        if (t.appClosed || t.acceptPending) {
            free(t);
        }
    }

    private static void stopTimers(Tcb t) {
        t.rtoArmed = false;
        t.persistArmed = false;
        t.delAckArmed = false;
        t.finWait2Armed = false;
        t.timing = false;
    }

    private void free(Tcb t) {
        int gen = t.generation;
        t.reset();
        t.generation = gen;
    }
}
