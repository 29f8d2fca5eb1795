package io.ethling.stack.journey;

/**
 * The request's journey (DESIGN.md "the story every fetch tells"): a fixed-size ring of events,
 * each with its kind, time, direction, the other end's IPv4 address, four numbers and a short
 * text slot (a DNS name, an HTTP request or status line), recorded on the loop thread without
 * allocating and read later, off the hot path, by a renderer.
 *
 * <p><b>Storage.</b> Parallel primitive arrays sized once by the constructor; a record overwrites
 * the oldest event when the ring is full. Every event gets a sequence number (0, 1, 2, ... over
 * the life of the ring, never reused, not reset by {@link #clear()}); readers address events by
 * sequence number from {@link #firstSequence()} (inclusive) to {@link #nextSequence()}
 * (exclusive), and {@link #overwritten()} tells how many events of the current journey the ring
 * lost because it wrapped.
 *
 * <p><b>Threads.</b> One thread records (the loop). Read it on that thread between polls, or
 * after the loop stopped; the ring has no locks.
 *
 * <p><b>Arguments by kind</b> (a, b, c, d; unsigned 32-bit values such as sequence numbers and
 * addresses are stored zero-extended):
 * <pre>
 * kind                 dir      peer          a            b           c                 d                text
 * FETCH_START          LOCAL    -             -            -           -                 -                URL
 * FETCH_END            LOCAL    -             result       body bytes  -                 -                outcome line
 * DNS_QUERY_SENT       LOCAL    server        DNS id       try (1..)   local port        send status      name
 * DNS_TIMEOUT          LOCAL    server        DNS id       -           -                 -                -
 * DNS_REPLY_DROPPED    LOCAL    -             counter      handle      -                 -                counter name
 * DNS_RESULT           LOCAL    answer server source       address     error|tries&lt;&lt;8|cnames&lt;&lt;16|ttl&lt;&lt;32  DNS id  name
 * DNS_QUERY            OUT/IN   server        DNS id       qtype       client port       -                name
 * DNS_ANSWER           IN/OUT   server        DNS id       rcode       first A address   answers|ttl&lt;&lt;16  name [CNAME target]
 * DHCP                 OUT/IN   server id     msg type     xid         your address      lease seconds    -
 * ARP_REQUEST          OUT/IN   target ip     target ip    sender ip   sender MAC        -                -
 * ARP_REPLY            OUT/IN   sender ip     sender ip    sender MAC  target ip         -                -
 * ARP_CACHE_HIT        LOCAL    ip            ip           MAC         -                 -                -
 * ICMP                 OUT/IN   peer          type         code        id&lt;&lt;16|seq      data length      -
 * TCP_SEGMENT          OUT/IN   peer          seq          ack         flags|len&lt;&lt;16|win&lt;&lt;32  localPort&lt;&lt;16|remotePort  -
 * TCP_RETRANSMISSION   as TCP_SEGMENT (a segment whose sequence range was already seen in that direction)
 * HTTP_REQUEST         OUT/IN   peer          -            -           -                 -                request line
 * HTTP_STATUS          IN/OUT   peer          status code  -           -                 -                status line
 * TCP_STATE            LOCAL    peer          from state   to state    seq               ack              -   (handle in {@link #handle})
 * TCP_TIMEOUT          LOCAL    peer          seq          length      RTO ns            -                -
 * HTTP_PHASE           LOCAL    -             phase        value       -                 -                optional text
 * UDP                  OUT/IN   peer          src port     dst port    data length       -                -
 * FRAME_OTHER          OUT/IN   -             EtherType    length      -                 -                -
 * FRAME_UNREADABLE     OUT/IN   -             reason       length      -                 -                -
 * </pre>
 */
public final class Journey {

    // ---- event kinds ---------------------------------------------------------------------------
    public static final int FETCH_START = 0;
    public static final int FETCH_END = 1;
    public static final int DNS_QUERY_SENT = 2;
    public static final int DNS_TIMEOUT = 3;
    public static final int DNS_REPLY_DROPPED = 4;
    public static final int DNS_RESULT = 5;
    public static final int DNS_QUERY = 6;
    public static final int DNS_ANSWER = 7;
    public static final int DHCP = 8;
    public static final int ARP_REQUEST = 9;
    public static final int ARP_REPLY = 10;
    public static final int ARP_CACHE_HIT = 11;
    public static final int ICMP = 12;
    public static final int TCP_SEGMENT = 13;
    public static final int TCP_RETRANSMISSION = 14;
    public static final int HTTP_REQUEST = 15;
    public static final int HTTP_STATUS = 16;
    public static final int TCP_STATE = 17;
    public static final int TCP_TIMEOUT = 18;
    public static final int HTTP_PHASE = 19;
    public static final int UDP = 20;
    public static final int FRAME_OTHER = 21;
    public static final int FRAME_UNREADABLE = 22;

    public static final String[] KIND_NAMES = {"fetch.start", "fetch.end", "dns.query.sent", "dns.timeout",
        "dns.reply.dropped", "dns.result", "dns.query", "dns.answer", "dhcp", "arp.request", "arp.reply",
        "arp.cache.hit", "icmp", "tcp.segment", "tcp.retransmission", "http.request", "http.status", "tcp.state",
        "tcp.timeout", "http.phase", "udp", "frame.other", "frame.unreadable"};

    // ---- directions ----------------------------------------------------------------------------
    /** Something the board did or learned, no frame. */
    public static final int LOCAL = 0;
    /** A frame the board sent. */
    public static final int OUT = 1;
    /** A frame the board received. */
    public static final int IN = 2;

    // ---- TCP states (RFC 9293 §3.3.2), the numbering of {@link #stateChange} ------------------
    public static final int TCP_CLOSED = 0;
    public static final int TCP_LISTEN = 1;
    public static final int TCP_SYN_SENT = 2;
    public static final int TCP_SYN_RECEIVED = 3;
    public static final int TCP_ESTABLISHED = 4;
    public static final int TCP_FIN_WAIT_1 = 5;
    public static final int TCP_FIN_WAIT_2 = 6;
    public static final int TCP_CLOSE_WAIT = 7;
    public static final int TCP_CLOSING = 8;
    public static final int TCP_LAST_ACK = 9;
    public static final int TCP_TIME_WAIT = 10;
    public static final String[] TCP_STATE_NAMES = {"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
        "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT"};

    // ---- HTTP phases, the numbering of {@link #httpPhase} -------------------------------------
    /** The request was queued for sending; value = request bytes. */
    public static final int HTTP_REQUEST_SENT = 0;
    /** The status line was parsed; value = status code. */
    public static final int HTTP_STATUS_RECEIVED = 1;
    /** The header block ended; value = Content-Length, or -1 for chunked or close-delimited. */
    public static final int HTTP_HEADERS_DONE = 2;
    /** The first body byte arrived; value = bytes in that segment. */
    public static final int HTTP_FIRST_BYTE = 3;
    /** The body is complete; value = body bytes. */
    public static final int HTTP_BODY_DONE = 4;
    /** A redirect is followed; value = status code, text = Location. */
    public static final int HTTP_REDIRECT = 5;
    /** The fetch failed in this phase; value = the client's error code, text = the one-line reason. */
    public static final int HTTP_FAILED = 6;
    /** The connection was kept for reuse (keep-alive). */
    public static final int HTTP_KEPT_ALIVE = 7;
    /** An idle kept-alive connection was reused. */
    public static final int HTTP_REUSED = 8;
    public static final String[] HTTP_PHASE_NAMES = {"request sent", "status", "headers done", "first byte",
        "body done", "redirect", "failed", "kept alive", "reused connection"};

    /** TCP flag bits as in the header (RFC 9293 §3.1). */
    public static final int FLAG_FIN = 0x01;
    public static final int FLAG_SYN = 0x02;
    public static final int FLAG_RST = 0x04;
    public static final int FLAG_PSH = 0x08;
    public static final int FLAG_ACK = 0x10;
    public static final int FLAG_URG = 0x20;

    /** Bytes of text each event can hold; longer text is cut. */
    public static final int TEXT_LENGTH = 80;
    public static final int MIN_CAPACITY = 16;
    public static final int MAX_CAPACITY = 1 << 20;

    private final int capacity;
    private final int[] kind;
    private final long[] timeNs;
    private final byte[] direction;
    private final int[] peer;
    private final int[] handle;
    private final long[] a;
    private final long[] b;
    private final long[] c;
    private final long[] d;
    private final byte[] text;
    private final byte[] textLength;

    private long next;
    private long start;

    /** @param capacity events kept, {@value #MIN_CAPACITY}..{@value #MAX_CAPACITY} */
    public Journey(int capacity) {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("journey capacity must be " + MIN_CAPACITY + ".." + MAX_CAPACITY
                    + " events, not " + capacity);
        }
        this.capacity = capacity;
        kind = new int[capacity];
        timeNs = new long[capacity];
        direction = new byte[capacity];
        peer = new int[capacity];
        handle = new int[capacity];
        a = new long[capacity];
        b = new long[capacity];
        c = new long[capacity];
        d = new long[capacity];
        text = new byte[capacity * TEXT_LENGTH];
        textLength = new byte[capacity];
    }

    public int capacity() {
        return capacity;
    }

    /** Starts a new journey: events recorded before are no longer readable. */
    public void clear() {
        start = next;
    }

    // ---- reading (by sequence number) ----------------------------------------------------------

    /** The oldest readable event. */
    public long firstSequence() {
        return Math.max(start, next - capacity);
    }

    /** One past the newest event. */
    public long nextSequence() {
        return next;
    }

    /** Events readable now. */
    public int size() {
        return (int) (next - firstSequence());
    }

    /** Events of the current journey lost because the ring wrapped. */
    public long overwritten() {
        return firstSequence() - start;
    }

    /** Whether {@code seq} is readable. */
    public boolean contains(long seq) {
        return seq >= firstSequence() && seq < next;
    }

    private int slot(long seq) {
        if (!contains(seq)) {
            throw new IllegalArgumentException("journey event " + seq + " is not in the ring ["
                    + firstSequence() + ", " + next + ")");
        }
        return (int) (seq % capacity);
    }

    public int kind(long seq) {
        return kind[slot(seq)];
    }

    public long timeNs(long seq) {
        return timeNs[slot(seq)];
    }

    /** {@link #LOCAL}, {@link #OUT} or {@link #IN}. */
    public int direction(long seq) {
        return direction[slot(seq)];
    }

    /** The other end's IPv4 address, 0 if none. */
    public int peer(long seq) {
        return peer[slot(seq)];
    }

    /** The connection or query handle the event belongs to, -1 if none. */
    public int handle(long seq) {
        return handle[slot(seq)];
    }

    public long a(long seq) {
        return a[slot(seq)];
    }

    public long b(long seq) {
        return b[slot(seq)];
    }

    public long c(long seq) {
        return c[slot(seq)];
    }

    public long d(long seq) {
        return d[slot(seq)];
    }

    public int textLength(long seq) {
        return textLength[slot(seq)];
    }

    /** Copies the event's text into {@code dst} at {@code off}; returns its length. */
    public int copyText(long seq, byte[] dst, int off) {
        int s = slot(seq);
        int n = textLength[s];
        System.arraycopy(text, s * TEXT_LENGTH, dst, off, n);
        return n;
    }

    // ---- recording (allocation-free) -----------------------------------------------------------

    /**
     * Records one event and returns its sequence number; text is added with {@link #appendText}
     * or {@link #appendName} on that number right after.
     */
    public long record(int kind, int direction, int peerIp, int handle, long a, long b, long c, long d, long nowNs) {
        long seq = next++;
        int s = (int) (seq % capacity);
        this.kind[s] = kind;
        this.timeNs[s] = nowNs;
        this.direction[s] = (byte) direction;
        this.peer[s] = peerIp;
        this.handle[s] = handle;
        this.a[s] = a;
        this.b[s] = b;
        this.c[s] = c;
        this.d[s] = d;
        this.textLength[s] = 0;
        return seq;
    }

    /** Appends printable ASCII from {@code src[off..off+len)} to the newest event's text (others become '?'); cut at {@link #TEXT_LENGTH}. */
    public void appendText(byte[] src, int off, int len) {
        if (next == 0 || len <= 0) {
            return;
        }
        int s = (int) ((next - 1) % capacity);
        int n = textLength[s];
        int base = s * TEXT_LENGTH;
        for (int i = 0; i < len && n < TEXT_LENGTH; i++) {
            int ch = src[off + i] & 0xFF;
            text[base + n++] = (byte) (ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        textLength[s] = (byte) n;
    }

    /** Appends one ASCII character to the newest event's text. */
    public void appendChar(char ch) {
        if (next == 0) {
            return;
        }
        int s = (int) ((next - 1) % capacity);
        int n = textLength[s];
        if (n < TEXT_LENGTH) {
            text[s * TEXT_LENGTH + n] = (byte) (ch >= 0x20 && ch < 0x7F ? ch : '?');
            textLength[s] = (byte) (n + 1);
        }
    }

    /**
     * Appends an uncompressed wire-form DNS name (length-prefixed labels, RFC 1035 §3.1) as dotted
     * text; stops at the 0 label, at {@code limit} or at a malformed label. The root is ".".
     */
    public void appendName(byte[] name, int off, int limit) {
        if (next == 0) {
            return;
        }
        int p = off;
        boolean first = true;
        while (p < limit) {
            int len = name[p] & 0xFF;
            if (len == 0) {
                if (first) {
                    appendChar('.');
                }
                return;
            }
            if (len > 63 || p + 1 + len > limit) {
                return;
            }
            if (!first) {
                appendChar('.');
            }
            appendText(name, p + 1, len);
            first = false;
            p += 1 + len;
        }
    }

    // ---- the API the TCP state machine, the HTTP client and the ARP layer call ----------------

    /** A TCP connection changed state (RFC 9293 §3.3.2); states are the {@code TCP_*} numbers above. */
    public void stateChange(int handle, int peerIp, int from, int to, int seq, int ack, long nowNs) {
        record(TCP_STATE, LOCAL, peerIp, handle, from, to, seq & 0xFFFF_FFFFL, ack & 0xFFFF_FFFFL, nowNs);
    }

    /** As {@link #stateChange(int, int, int, int, int, int, long)} without the peer's address. */
    public void stateChange(int handle, int from, int to, int seq, int ack, long nowNs) {
        stateChange(handle, 0, from, to, seq, ack, nowNs);
    }

    /** A retransmission timer fired (RFC 6298 §5.4): the segment at {@code seq} goes again after {@code rtoNs}. */
    public void retransmissionTimeout(int handle, int peerIp, int seq, int length, long rtoNs, long nowNs) {
        record(TCP_TIMEOUT, LOCAL, peerIp, handle, seq & 0xFFFF_FFFFL, length, rtoNs, 0, nowNs);
    }

    /** The HTTP client reached {@code phase} (an {@code HTTP_*} phase above) with {@code value}. */
    public void httpPhase(int handle, int phase, long value, long nowNs) {
        record(HTTP_PHASE, LOCAL, 0, handle, phase, value, 0, 0, nowNs);
    }

    /** As {@link #httpPhase(int, int, long, long)} with a line of text (a Location, a reason). */
    public void httpPhase(int handle, int phase, long value, byte[] text, int off, int len, long nowNs) {
        record(HTTP_PHASE, LOCAL, 0, handle, phase, value, 0, 0, nowNs);
        appendText(text, off, len);
    }

    /** An ARP lookup found the next hop in the cache (no request needed). */
    public void arpCacheHit(int ip, long mac, long nowNs) {
        record(ARP_CACHE_HIT, LOCAL, ip, -1, ip & 0xFFFF_FFFFL, mac, 0, 0, nowNs);
    }

    /** A fetch starts; {@code url} is ASCII. */
    public void fetchStart(byte[] url, int off, int len, long nowNs) {
        record(FETCH_START, LOCAL, 0, -1, 0, 0, 0, 0, nowNs);
        appendText(url, off, len);
    }

    /** A fetch ended with {@code result} (0 for success, else the client's code) and {@code bodyBytes}; {@code line} says how. */
    public void fetchEnd(int result, long bodyBytes, byte[] line, int off, int len, long nowNs) {
        record(FETCH_END, LOCAL, 0, -1, result, bodyBytes, 0, 0, nowNs);
        appendText(line, off, len);
    }
}
