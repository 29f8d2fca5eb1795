package io.ethling.stack.dns;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.stack.util.Prng;

/**
 * The stub resolver for IPv4 addresses (type A, class IN): the hosts table first, then the TTL
 * cache, then the configured servers over UDP, poll-driven and allocation-free after
 * construction.
 *
 * <p><b>Use.</b> {@link #resolve(CharSequence, long)} returns a handle (or a negative status);
 * {@link #poll(long)} sends and retransmits; {@link #onDatagram} takes every datagram that
 * arrives on a port the resolver bound; {@link #pollAtNs(long)} says when the next timer is due.
 * The handle's {@link #state}, {@link #address}, {@link #source}, {@link #error}, {@link #tries},
 * {@link #dnsId}, {@link #answerServerIp} tell the result and where it came from (the first step
 * of the request's story); {@link #release} frees it.
 *
 * <p><b>Matching</b> (RFC 5452 §9.1): a reply is used only if it comes from the server queried,
 * from port 53, to the random port of the current try, with the current ID, QR set, opcode 0,
 * exactly one question equal to ours (name case-insensitively, type, class). Anything else is
 * dropped and counted, and the query keeps waiting for the genuine reply.
 *
 * <p><b>Randomness</b> (RFC 5452 §9.2): every try, including retransmissions, gets a fresh ID
 * over the whole 16-bit space and a fresh source port uniform in {@code [portMin, portMax]}
 * (16384..65535 by default), from the stack's {@link Prng}.
 *
 * <p><b>No duplicate queries</b> (RFC 5452 §5): a second {@code resolve} of a name that is pending
 * joins the pending query (same handle, reference counted); a query that would duplicate one in
 * flight (a CNAME target) waits for it and then takes its answer from the cache.
 *
 * <p><b>Retries and failover.</b> Each try goes to the next healthy server in list order; the
 * timeout starts at {@code initialTimeoutNs} and doubles with every round over the servers, up to
 * {@code maxTimeoutNs}; a query gives up after {@code triesPerServer × servers} tries. A server
 * that times out is marked down for {@code serverHoldDownNs} and skipped while another is
 * healthy; any matching reply from it restores it. SERVFAIL, REFUSED and other error codes send
 * the query on to a server that has not answered so yet.
 *
 * <p><b>Answers.</b> Only records owned by the question name or a CNAME target reached from it
 * are used (RFC 5452 §6); the chain is followed inside one answer and, when the answer stops at a
 * CNAME, by a new query for the target, at most {@code maxCnameChain} links in all (RFC 1034
 * §3.6.2). Authority and additional records are never cached; an SOA there only gives the
 * negative TTL (RFC 2308 §5). A reply with TC set fails the query as TRUNCATED (no TCP here).
 * When every server fails, an expired cache entry at most one day old is served, marked
 * {@link #SOURCE_STALE}, with the failure still reported by {@link #error} (RFC 8767).
 */
public final class DnsResolver {

    public static final int DNS_PORT = 53;
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    // resolve() statuses beyond DnsName's ERR_* (which report a bad name)
    public static final int ERR_NO_SLOT = -30;

    // states of a handle
    public static final int STATE_INVALID = -1;
    public static final int STATE_FREE = 0;
    public static final int STATE_PENDING = 1;
    public static final int STATE_DONE = 2;
    public static final int STATE_FAILED = 3;

    // where an answer came from
    public static final int SOURCE_NONE = 0;
    public static final int SOURCE_HOSTS = 1;
    public static final int SOURCE_CACHE = 2;
    public static final int SOURCE_SERVER = 3;
    public static final int SOURCE_STALE = 4;
    /** The name was an IPv4 address literal ("203.0.113.5"); no lookup was needed. */
    public static final int SOURCE_LITERAL = 5;
    public static final String[] SOURCE_NAMES = {"none", "hosts", "cache", "server", "stale", "literal"};

    // why a query failed (or, with SOURCE_STALE, why the stale answer was served)
    public static final int ERROR_NONE = 0;
    public static final int ERROR_NXDOMAIN = 1;
    public static final int ERROR_NO_DATA = 2;
    public static final int ERROR_TIMEOUT = 3;
    public static final int ERROR_SERVFAIL = 4;
    public static final int ERROR_REFUSED = 5;
    public static final int ERROR_SERVER = 6;
    public static final int ERROR_CNAME_LOOP = 7;
    public static final int ERROR_TRUNCATED = 8;
    public static final int ERROR_NO_SERVERS = 9;
    public static final int ERROR_NO_PORT = 10;
    public static final String[] ERROR_NAMES = {"none", "nxdomain", "no data", "no answer (timeout)",
        "servfail", "refused", "server error", "cname loop or chain too long", "truncated", "no servers",
        "no free port"};

    // counters
    public static final int C_RESOLVE = 0;
    public static final int C_RESOLVE_JOINED = 1;
    public static final int C_RESOLVE_BAD_NAME = 2;
    public static final int C_RESOLVE_NO_SLOT = 3;
    public static final int C_HOSTS_HIT = 4;
    public static final int C_CACHE_HIT = 5;
    public static final int C_CACHE_NEGATIVE_HIT = 6;
    public static final int C_CACHE_MISS = 7;
    public static final int C_CACHE_STALE_SERVED = 8;
    public static final int C_QUERIES_SENT = 9;
    public static final int C_RETRIES = 10;
    public static final int C_FAILOVERS = 11;
    public static final int C_TIMEOUTS = 12;
    public static final int C_SEND_ERROR = 13;
    public static final int C_PORT_BUSY = 14;
    public static final int C_QUERY_WAITED = 15;
    public static final int C_REPLY_ACCEPTED = 16;
    public static final int C_DROP_PORT = 17;
    public static final int C_DROP_SOURCE = 18;
    public static final int C_DROP_ID = 19;
    public static final int C_DROP_HEADER = 20;
    public static final int C_DROP_QUESTION = 21;
    public static final int C_DROP_MALFORMED = 22;
    public static final int C_DROP_OVERSIZE = 23;
    public static final int C_REPLY_TRUNCATED = 24;
    public static final int C_REPLY_NXDOMAIN = 25;
    public static final int C_REPLY_NODATA = 26;
    public static final int C_REPLY_SERVFAIL = 27;
    public static final int C_REPLY_REFUSED = 28;
    public static final int C_REPLY_RCODE_OTHER = 29;
    public static final int C_RECORD_SKIPPED = 30;
    public static final int C_CNAME_FOLLOWED = 31;
    public static final int C_CNAME_LOOP = 32;
    public static final int C_QUERY_DONE = 33;
    public static final int C_QUERY_FAILED = 34;
    public static final int C_SERVER_DOWN = 35;
    public static final int C_SERVER_RESTORED = 36;
    public static final int C_SERVERS_TRUNCATED = 37;
    public static final int C_CACHE_STORED = 38;
    public static final int C_EDNS_FALLBACK = 39;

    private static final String[] COUNTER_NAMES = {
        "resolve", "resolve.joined", "resolve.bad.name", "resolve.no.slot",
        "hosts.hit", "cache.hit", "cache.negative.hit", "cache.miss", "cache.stale.served",
        "queries.sent", "retries", "failovers", "timeouts", "send.error", "port.busy", "query.waited",
        "reply.accepted", "reply.drop.port", "reply.drop.source", "reply.drop.id", "reply.drop.header",
        "reply.drop.question", "reply.drop.malformed", "reply.drop.oversize", "reply.truncated",
        "reply.nxdomain", "reply.nodata", "reply.servfail", "reply.refused", "reply.rcode.other",
        "reply.record.skipped", "cname.followed", "cname.loop", "query.done", "query.failed",
        "server.down", "server.restored", "servers.truncated", "cache.stored", "edns.fallback",
    };

    /**
     * The steps of each query as they happen, for the request's story (the journey trace). Called
     * on the loop thread; implementations must not allocate or call back into the resolver.
     */
    public interface Listener {
        /** A try went out (or failed to: {@code sendStatus < 0}); {@code tryNumber} counts from 1. */
        default void querySent(int handle, byte[] name, int nameOff, int serverIp, int localPort, int dnsId,
                               int tryNumber, int sendStatus, long nowNs) {
        }

        /** No reply from {@code serverIp} to query {@code dnsId} in time. */
        default void timedOut(int handle, int serverIp, int dnsId, long nowNs) {
        }

        /** A datagram was dropped; {@code counter} is the {@code C_DROP_*} index; handle -1 if no query matched its port. */
        default void replyDropped(int handle, int counter, long nowNs) {
        }

        /** The handle reached {@link #STATE_DONE} or {@link #STATE_FAILED}. */
        default void finished(int handle, long nowNs) {
        }
    }

    private static final Listener NO_LISTENER = new Listener() {
    };

    /** Sizes and timers, validated once by the constructor. */
    public static final class Config {
        public int querySlots = 8;
        public int maxServers = 4;
        public int triesPerServer = 3;
        public long initialTimeoutNs = 1_000_000_000L;
        public long maxTimeoutNs = 8_000_000_000L;
        public long serverHoldDownNs = 30_000_000_000L;
        /** EDNS(0) UDP payload size to advertise (RFC 6891 §6.2.5), 0 for no OPT record. */
        public int ednsUdpSize = DnsMessage.EDNS_UDP_SIZE;
        public int maxCnameChain = 8;
        public int portMin = 16_384;
        public int portMax = 65_535;

        void validate() {
            require(querySlots >= 1 && querySlots <= 256, "querySlots must be 1..256");
            require(maxServers >= 1 && maxServers <= 16, "maxServers must be 1..16");
            require(triesPerServer >= 1 && triesPerServer <= 16, "triesPerServer must be 1..16");
            require(initialTimeoutNs > 0 && maxTimeoutNs >= initialTimeoutNs && maxTimeoutNs <= 3_600_000_000_000L,
                "timeouts must be 0 < initial <= max <= 1 h");
            require(serverHoldDownNs >= 0, "serverHoldDownNs must be >= 0");
            require(ednsUdpSize == 0 || (ednsUdpSize >= DnsMessage.MAX_UDP_LENGTH && ednsUdpSize <= 4096),
                "ednsUdpSize must be 0 or 512..4096");
            require(maxCnameChain >= 0 && maxCnameChain <= 16, "maxCnameChain must be 0..16");
            require(portMin >= 1024 && portMax <= 65_535 && portMax - portMin >= 1023, "ports must span >= 1024 values in 1024..65535");
        }

        private static void require(boolean ok, String what) {
            if (!ok) {
                throw new IllegalArgumentException(what);
            }
        }
    }

    private static final int STRIDE = DnsName.MAX_NAME_LENGTH;
    private static final int NS_PER_S = 1_000_000_000;

    private final DnsTransport transport;
    private final Prng prng;
    private final HostsTable hosts;
    private final DnsCache cache;
    private final CounterSet counters = new CounterSet(COUNTER_NAMES);
    private Listener listener = NO_LISTENER;

    private final int slots;
    private final int maxTriesPerServer;
    private final long initialTimeoutNs;
    private final long maxTimeoutNs;
    private final long holdDownNs;
    private final int ednsUdpSize;
    private final int maxReplyLength;
    private final int maxCnameChain;
    private final int portMin;
    private final int portMax;

    // query slots, parallel arrays
    private final int[] gen;
    private final int[] state;
    private final int[] refs;
    private final byte[] askedNames;
    private final byte[] currentNames;
    private final boolean[] inFlight;
    private final long[] deadlineNs;
    private final int[] queryId;
    private final int[] localPort;
    private final int[] serverIndex;
    private final int[] serverIp;
    private final int[] tries;
    private final int[] totalTries;
    private final int[] errorMask;
    private final boolean[] withoutEdns;
    private final boolean[] sameServerNext;
    private final int[] lastError;
    private final int[] cnames;
    private final long[] ttlSeconds;
    private final int[] resultAddress;
    private final int[] resultSource;
    private final int[] resultError;
    private final int[] answerId;
    private final int[] answerServerIp;
    private final int[] answerServerIndex;
    private final long[] startedAtNs;
    private final long[] finishedAtNs;

    // servers and their health
    private final int[] servers;
    private final boolean[] serverDown;
    private final long[] serverDownUntilNs;
    private final int[] serverTimeouts;
    private int serverCount;

    // scratch, allocated once
    private final DnsMessage msg = new DnsMessage();
    private final DnsRecord rec = new DnsRecord();
    private final byte[] nameScratch = new byte[STRIDE];
    private final byte[] chainName = new byte[STRIDE];
    private final byte[] nextName = new byte[STRIDE];
    private final byte[] tx = new byte[DnsMessage.MAX_QUERY_LENGTH];

    public DnsResolver(DnsTransport transport, Prng prng, HostsTable hosts, DnsCache cache, Config config) {
        config.validate();
        if (transport == null || prng == null || hosts == null || cache == null) {
            throw new IllegalArgumentException("transport, prng, hosts and cache are required");
        }
        this.transport = transport;
        this.prng = prng;
        this.hosts = hosts;
        this.cache = cache;
        slots = config.querySlots;
        maxTriesPerServer = config.triesPerServer;
        initialTimeoutNs = config.initialTimeoutNs;
        maxTimeoutNs = config.maxTimeoutNs;
        holdDownNs = config.serverHoldDownNs;
        ednsUdpSize = config.ednsUdpSize;
        maxReplyLength = ednsUdpSize > 0 ? ednsUdpSize : DnsMessage.MAX_UDP_LENGTH;
        maxCnameChain = config.maxCnameChain;
        portMin = config.portMin;
        portMax = config.portMax;
        gen = new int[slots];
        state = new int[slots];
        refs = new int[slots];
        askedNames = new byte[slots * STRIDE];
        currentNames = new byte[slots * STRIDE];
        inFlight = new boolean[slots];
        deadlineNs = new long[slots];
        queryId = new int[slots];
        localPort = new int[slots];
        serverIndex = new int[slots];
        serverIp = new int[slots];
        tries = new int[slots];
        totalTries = new int[slots];
        errorMask = new int[slots];
        withoutEdns = new boolean[slots];
        sameServerNext = new boolean[slots];
        lastError = new int[slots];
        cnames = new int[slots];
        ttlSeconds = new long[slots];
        resultAddress = new int[slots];
        resultSource = new int[slots];
        resultError = new int[slots];
        answerId = new int[slots];
        answerServerIp = new int[slots];
        answerServerIndex = new int[slots];
        startedAtNs = new long[slots];
        finishedAtNs = new long[slots];
        servers = new int[config.maxServers];
        serverDown = new boolean[config.maxServers];
        serverDownUntilNs = new long[config.maxServers];
        serverTimeouts = new int[config.maxServers];
    }

    public DnsResolver(DnsTransport transport, Prng prng, HostsTable hosts, DnsCache cache) {
        this(transport, prng, hosts, cache, new Config());
    }

    /** Sets the listener for the journey (setup time), or null for none. */
    public void setListener(Listener listener) {
        this.listener = listener == null ? NO_LISTENER : listener;
    }

    public Counters counters() {
        return counters;
    }

    public DnsCache cache() {
        return cache;
    }

    public HostsTable hosts() {
        return hosts;
    }

    // ------------------------------------------------------------------ servers

    /**
     * Sets the servers (from DHCP option 6 or configuration), in order of preference. A server
     * that stays at the same index keeps its health; extra servers beyond {@code maxServers} are
     * ignored and counted. Queries in flight keep waiting for the server they asked.
     */
    public void setServers(int[] ips, int count) {
        int n = Math.min(Math.min(Math.max(count, 0), ips.length), servers.length);
        if (n < count) {
            counters.inc(C_SERVERS_TRUNCATED);
        }
        for (int i = 0; i < n; i++) {
            if (i >= serverCount || servers[i] != ips[i]) {
                servers[i] = ips[i];
                serverDown[i] = false;
                serverTimeouts[i] = 0;
            }
        }
        serverCount = n;
    }

    public int serverCount() {
        return serverCount;
    }

    public int server(int index) {
        return servers[index];
    }

    /** True if the server timed out recently and is skipped while another one is healthy. */
    public boolean isServerDown(int index, long nowNs) {
        return serverDown[index] && serverDownUntilNs[index] - nowNs > 0;
    }

    /** Timeouts of this server since it last answered. */
    public int serverTimeouts(int index) {
        return serverTimeouts[index];
    }

    // ------------------------------------------------------------------ resolve

    /**
     * Starts resolving a dotted name. Hosts-table and fresh cache answers complete at once.
     *
     * @return a handle (>= 0), or a negative status: a {@code DnsName.ERR_*} for a bad name
     *     ({@link DnsName#describe} says why) or {@link #ERR_NO_SLOT}
     */
    public int resolve(CharSequence name, long nowNs) {
        long literal = parseDottedQuad(name);
        int n = DnsName.encode(name, nameScratch, 0);
        if (n < 0) {
            counters.inc(C_RESOLVE);
            counters.inc(C_RESOLVE_BAD_NAME);
            return n;
        }
        if (literal >= 0) {
            // RFC 1123 §2.1: a host name never has the dotted-decimal form, so this is an address
            return startLiteral((int) literal, nowNs);
        }
        return start(nowNs);
    }

    /** A strict a.b.c.d (decimal 0..255, no signs, at most 3 digits each) as 0..2^32-1, else -1. */
    static long parseDottedQuad(CharSequence text) {
        int n = text.length();
        long ip = 0;
        int parts = 0;
        int i = 0;
        while (i <= n && parts < 4) {
            int value = 0;
            int digits = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9' && digits < 4) {
                value = value * 10 + (text.charAt(i) - '0');
                digits++;
                i++;
            }
            if (digits == 0 || digits > 3 || value > 255) {
                return -1;
            }
            ip = (ip << 8) | value;
            parts++;
            if (i == n) {
                break;
            }
            if (text.charAt(i) != '.' || parts == 4) {
                return -1;
            }
            i++;
        }
        return parts == 4 && i == n ? ip : -1;
    }

    private int startLiteral(int ip, long nowNs) {
        counters.inc(C_RESOLVE);
        int s = allocate(nowNs);
        if (s < 0) {
            return ERR_NO_SLOT;
        }
        ttlSeconds[s] = 0;
        finish(s, STATE_DONE, ip, SOURCE_LITERAL, ERROR_NONE, nowNs);
        return handle(s);
    }

    /** Like {@link #resolve(CharSequence, long)} for a name already in uncompressed wire form. */
    public int resolve(byte[] encodedName, int off, long nowNs) {
        int len = Math.min(encodedName.length - off, DnsName.MAX_NAME_LENGTH);
        int r = len <= 0 ? DnsName.ERR_EMPTY : DnsName.decode(encodedName, off, len, 0, nameScratch, 0);
        if (r < 0 || nameScratch[0] == 0) {
            counters.inc(C_RESOLVE);
            counters.inc(C_RESOLVE_BAD_NAME);
            return r < 0 ? r : DnsName.ERR_EMPTY;
        }
        return start(nowNs);
    }

    private int start(long nowNs) {
        counters.inc(C_RESOLVE);
        // RFC 5452 §5: never two identical queries in flight; join the pending one.
        for (int i = 0; i < slots; i++) {
            if (state[i] == STATE_PENDING && DnsName.equalsIgnoreCase(askedNames, i * STRIDE, nameScratch, 0)) {
                refs[i]++;
                counters.inc(C_RESOLVE_JOINED);
                return handle(i);
            }
        }
        int s = allocate(nowNs);
        if (s < 0) {
            return ERR_NO_SLOT;
        }

        int h = hosts.find(nameScratch, 0);
        if (h >= 0) {
            counters.inc(C_HOSTS_HIT);
            ttlSeconds[s] = 0;
            finish(s, STATE_DONE, hosts.address(h), SOURCE_HOSTS, ERROR_NONE, nowNs);
            return handle(s);
        }
        if (!answerFromCache(s, nowNs)) {
            counters.inc(C_CACHE_MISS);
        }
        return handle(s);
    }

    /** Takes a free slot for the name in {@code nameScratch}, pending and due now; -1 if none. */
    private int allocate(long nowNs) {
        int s = -1;
        for (int i = 0; i < slots; i++) {
            if (state[i] == STATE_FREE) {
                s = i;
                break;
            }
        }
        if (s < 0) {
            counters.inc(C_RESOLVE_NO_SLOT);
            return -1;
        }
        gen[s] = (gen[s] + 1) & 0x7F_FFFF;
        if (gen[s] == 0) {
            gen[s] = 1;
        }
        refs[s] = 1;
        DnsName.copy(nameScratch, 0, askedNames, s * STRIDE);
        DnsName.copy(nameScratch, 0, currentNames, s * STRIDE);
        inFlight[s] = false;
        queryId[s] = -1;
        localPort[s] = 0;
        serverIndex[s] = -1;
        serverIp[s] = 0;
        tries[s] = 0;
        totalTries[s] = 0;
        errorMask[s] = 0;
        withoutEdns[s] = ednsUdpSize == 0;
        sameServerNext[s] = false;
        lastError[s] = ERROR_NONE;
        cnames[s] = 0;
        ttlSeconds[s] = DnsCache.MAX_TTL_SECONDS;
        resultAddress[s] = 0;
        resultSource[s] = SOURCE_NONE;
        resultError[s] = ERROR_NONE;
        answerId[s] = -1;
        answerServerIp[s] = 0;
        answerServerIndex[s] = -1;
        startedAtNs[s] = nowNs;
        finishedAtNs[s] = nowNs;
        state[s] = STATE_PENDING;
        deadlineNs[s] = nowNs;
        return s;
    }

    /** Completes slot {@code s} from a fresh cache entry for its current name, if there is one. */
    private boolean answerFromCache(int s, long nowNs) {
        int e = cache.find(currentNames, s * STRIDE);
        if (e < 0 || !cache.isFresh(e, nowNs)) {
            return false;
        }
        cache.touch(e, nowNs);
        answerServerIp[s] = cache.serverIp(e);
        ttlSeconds[s] = Math.min(ttlSeconds[s], cache.remainingTtlSeconds(e, nowNs));
        int kind = cache.kind(e);
        if (kind == DnsCache.KIND_ADDRESS) {
            counters.inc(C_CACHE_HIT);
            finish(s, STATE_DONE, cache.address(e), SOURCE_CACHE, ERROR_NONE, nowNs);
        } else {
            counters.inc(C_CACHE_NEGATIVE_HIT);
            finish(s, STATE_FAILED, 0, SOURCE_CACHE, kind == DnsCache.KIND_NXDOMAIN ? ERROR_NXDOMAIN : ERROR_NO_DATA, nowNs);
        }
        return true;
    }

    // ------------------------------------------------------------------ handles

    private int handle(int s) {
        return (gen[s] << 8) | s;
    }

    private int slotOf(int handle) {
        if (handle < 0) {
            return -1;
        }
        int s = handle & 0xFF;
        if (s >= slots || state[s] == STATE_FREE || gen[s] != (handle >>> 8)) {
            return -1;
        }
        return s;
    }

    /** {@link #STATE_PENDING}, {@link #STATE_DONE}, {@link #STATE_FAILED}, or {@link #STATE_INVALID} for a stale handle. */
    public int state(int handle) {
        int s = slotOf(handle);
        return s < 0 ? STATE_INVALID : state[s];
    }

    /** The IPv4 address when {@link #STATE_DONE}, else 0. */
    public int address(int handle) {
        int s = slotOf(handle);
        return s < 0 ? 0 : resultAddress[s];
    }

    /** Where the answer came from: a {@code SOURCE_*} constant. */
    public int source(int handle) {
        int s = slotOf(handle);
        return s < 0 ? SOURCE_NONE : resultSource[s];
    }

    /** Why it failed (or, for a {@link #SOURCE_STALE} answer, why it had to be stale): {@code ERROR_*}. */
    public int error(int handle) {
        int s = slotOf(handle);
        return s < 0 ? ERROR_NONE : resultError[s];
    }

    /** Queries sent for this handle, over all names of a CNAME chain. */
    public int tries(int handle) {
        int s = slotOf(handle);
        return s < 0 ? 0 : totalTries[s];
    }

    /** The DNS ID of the reply that decided the result, or of the last query sent; -1 if none. */
    public int dnsId(int handle) {
        int s = slotOf(handle);
        return s < 0 ? -1 : answerId[s] >= 0 ? answerId[s] : queryId[s];
    }

    /** The server that answered (or filled the cache entry used), else the one queried last; 0 if none. */
    public int answerServerIp(int handle) {
        int s = slotOf(handle);
        return s < 0 ? 0 : answerServerIp[s] != 0 ? answerServerIp[s] : serverIp[s];
    }

    /** The index in the server list of the server that answered, or -1. */
    public int answerServerIndex(int handle) {
        int s = slotOf(handle);
        return s < 0 ? -1 : answerServerIndex[s];
    }

    /** CNAME links followed. */
    public int cnameCount(int handle) {
        int s = slotOf(handle);
        return s < 0 ? 0 : cnames[s];
    }

    /** The clamped TTL of the answer in seconds (from a server), for the journey. */
    public long ttlSeconds(int handle) {
        int s = slotOf(handle);
        return s < 0 ? 0 : ttlSeconds[s];
    }

    public long startedAtNs(int handle) {
        int s = slotOf(handle);
        return s < 0 ? 0 : startedAtNs[s];
    }

    public long finishedAtNs(int handle) {
        int s = slotOf(handle);
        return s < 0 ? 0 : finishedAtNs[s];
    }

    /** Copies the asked name (encoded) into {@code dst}; returns its length, or -1 for a stale handle. */
    public int name(int handle, byte[] dst, int off) {
        int s = slotOf(handle);
        return s < 0 ? -1 : DnsName.copy(askedNames, s * STRIDE, dst, off);
    }

    /** Drops one reference to the handle; the slot is freed (and its port closed) at the last one. */
    public void release(int handle) {
        int s = slotOf(handle);
        if (s < 0) {
            return;
        }
        if (--refs[s] > 0) {
            return;
        }
        if (inFlight[s]) {
            closePort(s);
        }
        state[s] = STATE_FREE;
    }

    // ------------------------------------------------------------------ timers

    /** The earliest deadline of a pending query, or {@link #NO_DEADLINE}. */
    public long pollAtNs(long nowNs) {
        long best = NO_DEADLINE;
        boolean any = false;
        for (int i = 0; i < slots; i++) {
            if (state[i] == STATE_PENDING && (!any || deadlineNs[i] - best < 0)) {
                best = deadlineNs[i];
                any = true;
            }
        }
        return best;
    }

    /** Sends first tries, handles timeouts (retry, failover, give up); returns the work done. */
    public int poll(long nowNs) {
        int work = 0;
        for (int s = 0; s < slots; s++) {
            if (state[s] != STATE_PENDING || deadlineNs[s] - nowNs > 0) {
                continue;
            }
            work++;
            if (inFlight[s]) {
                counters.inc(C_TIMEOUTS);
                listener.timedOut(handle(s), serverIp[s], queryId[s], nowNs);
                markServerDown(s, nowNs);
                lastError[s] = ERROR_TIMEOUT;
                closePort(s);
            }
            step(s, nowNs);
        }
        return work;
    }

    private void markServerDown(int s, long nowNs) {
        int idx = serverIndex[s];
        if (idx >= 0 && idx < serverCount && servers[idx] == serverIp[s]) {
            if (!isServerDown(idx, nowNs)) {
                counters.inc(C_SERVER_DOWN);
            }
            serverDown[idx] = true;
            serverDownUntilNs[idx] = nowNs + holdDownNs;
            serverTimeouts[idx]++;
        }
    }

    private void markServerUp(int s) {
        int idx = serverIndex[s];
        if (idx >= 0 && idx < serverCount && servers[idx] == serverIp[s]) {
            if (serverDown[idx]) {
                counters.inc(C_SERVER_RESTORED);
            }
            serverDown[idx] = false;
            serverTimeouts[idx] = 0;
        }
    }

    private void closePort(int s) {
        inFlight[s] = false;
        if (localPort[s] != 0) {
            transport.unbind(localPort[s]);
            localPort[s] = 0;
        }
    }

    /** Sends the next try of slot {@code s} (not in flight), or finishes it. */
    private void step(int s, long nowNs) {
        if (tries[s] == 0 && answerFromCache(s, nowNs)) {
            return; // a CNAME target or a name another query just fetched
        }
        if (serverCount == 0) {
            fail(s, ERROR_NO_SERVERS, nowNs);
            return;
        }
        if (tries[s] >= maxTriesPerServer * serverCount) {
            fail(s, lastError[s] == ERROR_NONE ? ERROR_TIMEOUT : lastError[s], nowNs);
            return;
        }
        // RFC 5452 §5: wait rather than send a second identical query
        for (int i = 0; i < slots; i++) {
            if (i != s && state[i] == STATE_PENDING && inFlight[i]
                && DnsName.equalsIgnoreCase(currentNames, i * STRIDE, currentNames, s * STRIDE)) {
                counters.inc(C_QUERY_WAITED);
                deadlineNs[s] = deadlineNs[i];
                return;
            }
        }
        int idx = pickServer(s, nowNs);
        if (idx < 0) {
            fail(s, lastError[s], nowNs); // every server answered with an error code
            return;
        }
        if (tries[s] > 0) {
            counters.inc(C_RETRIES);
            if (idx != serverIndex[s]) {
                counters.inc(C_FAILOVERS);
            }
        }
        int port = pickPort(s);
        if (port < 0) {
            fail(s, ERROR_NO_PORT, nowNs);
            return;
        }
        int id = prng.nextInt() & 0xFFFF; // RFC 5452 §9.2: the full 16-bit space, fresh per try
        serverIndex[s] = idx;
        serverIp[s] = servers[idx];
        queryId[s] = id;
        localPort[s] = port;
        inFlight[s] = true;
        // backoff: the timeout doubles with each round over the servers, capped (RFC 1536 §1)
        long timeout = initialTimeoutNs;
        for (int round = tries[s] / serverCount; round > 0 && timeout < maxTimeoutNs; round--) {
            timeout <<= 1;
        }
        deadlineNs[s] = nowNs + Math.min(timeout, maxTimeoutNs);
        tries[s]++;
        totalTries[s]++;
        int len = DnsMessage.writeQuery(tx, 0, id, currentNames, s * STRIDE, DnsMessage.TYPE_A, withoutEdns[s] ? 0 : ednsUdpSize);
        int status = transport.send(port, serverIp[s], tx, 0, len, nowNs);
        if (status < 0) {
            counters.inc(C_SEND_ERROR); // lost, like a dropped datagram: the timeout retries
        } else {
            counters.inc(C_QUERIES_SENT);
        }
        listener.querySent(handle(s), currentNames, s * STRIDE, serverIp[s], port, id, totalTries[s], status, nowNs);
    }

    /** The next server after the last one used: healthy first, never one that answered with an error. */
    private int pickServer(int s, long nowNs) {
        int prev = serverIndex[s];
        if (sameServerNext[s]) {
            sameServerNext[s] = false;
            if (prev >= 0 && prev < serverCount && servers[prev] == serverIp[s]) {
                return prev;
            }
        }
        if (prev >= serverCount) {
            prev = -1;
        }
        int fallback = -1;
        for (int k = 1; k <= serverCount; k++) {
            int idx = (prev + k + serverCount) % serverCount;
            if ((errorMask[s] & (1 << idx)) != 0) {
                continue;
            }
            if (!isServerDown(idx, nowNs)) {
                return idx;
            }
            if (fallback < 0) {
                fallback = idx;
            }
        }
        return fallback;
    }

    /** A random port in range, not used by another query, that the transport could bind; -1 if none. */
    private int pickPort(int s) {
        for (int attempt = 0; attempt < 16; attempt++) {
            int port = prng.nextInt(portMin, portMax);
            boolean taken = false;
            for (int i = 0; i < slots; i++) {
                if (i != s && inFlight[i] && localPort[i] == port) {
                    taken = true;
                    break;
                }
            }
            if (!taken && transport.bind(port)) {
                return port;
            }
            counters.inc(C_PORT_BUSY);
        }
        return -1;
    }

    private void fail(int s, int error, long nowNs) {
        if (error == ERROR_TIMEOUT || error == ERROR_SERVFAIL || error == ERROR_REFUSED || error == ERROR_SERVER
            || error == ERROR_NO_SERVERS || error == ERROR_NO_PORT) {
            // RFC 8767 §4-§5: every server failed; an expired answer beats none, marked stale
            int e = cache.find(askedNames, s * STRIDE);
            if (e >= 0 && cache.kind(e) == DnsCache.KIND_ADDRESS && cache.isServableStale(e, nowNs)) {
                counters.inc(C_CACHE_STALE_SERVED);
                answerServerIp[s] = cache.serverIp(e);
                cache.touch(e, nowNs);
                finish(s, STATE_DONE, cache.address(e), SOURCE_STALE, error, nowNs);
                return;
            }
        }
        finish(s, STATE_FAILED, 0, SOURCE_NONE, error, nowNs);
    }

    private void finish(int s, int newState, int address, int source, int error, long nowNs) {
        if (inFlight[s]) {
            closePort(s);
        }
        state[s] = newState;
        resultAddress[s] = address;
        resultSource[s] = source;
        resultError[s] = error;
        finishedAtNs[s] = nowNs;
        counters.inc(newState == STATE_DONE ? C_QUERY_DONE : C_QUERY_FAILED);
        listener.finished(handle(s), nowNs);
        // wake queries that waited for an identical one (RFC 5452 §5); they try the cache first
        for (int i = 0; i < slots; i++) {
            if (state[i] == STATE_PENDING && !inFlight[i]) {
                deadlineNs[i] = nowNs;
            }
        }
    }

    // ------------------------------------------------------------------ replies

    /**
     * Takes a UDP datagram that arrived on a port this resolver bound. Every check of RFC 5452
     * §9.1 and RFC 9267 runs before anything changes; a datagram that fails one is dropped and
     * counted, and the query keeps waiting. Never throws for any content, never allocates.
     */
    public void onDatagram(int srcIp, int srcPort, int dstPort, byte[] buf, int off, int len, long nowNs) {
        int s = -1;
        for (int i = 0; i < slots; i++) {
            if (state[i] == STATE_PENDING && inFlight[i] && localPort[i] == dstPort) {
                s = i;
                break;
            }
        }
        if (s < 0 || srcPort != DNS_PORT) {
            drop(s, C_DROP_PORT, nowNs); // RFC 5452 §9.1: our random port, from port 53
            return;
        }
        if (srcIp != serverIp[s]) {
            drop(s, C_DROP_SOURCE, nowNs); // RFC 5452 §9.1: the address we queried
            return;
        }
        if (len > (withoutEdns[s] ? DnsMessage.MAX_UDP_LENGTH : maxReplyLength)) {
            drop(s, C_DROP_OVERSIZE, nowNs); // RFC 1035 §4.2.1 / RFC 6891 §6.2.5: what we advertised
            return;
        }
        if (off < 0 || len < 0 || off > buf.length - len || msg.wrap(buf, off, len).check() != DnsMessage.OK) {
            drop(s, C_DROP_MALFORMED, nowNs); // D21: shorter than a header
            return;
        }
        if (msg.id() != queryId[s]) {
            drop(s, C_DROP_ID, nowNs); // RFC 5452 §9.1
            return;
        }
        if (!msg.isResponse() || msg.opcode() != 0) {
            drop(s, C_DROP_HEADER, nowNs); // RFC 1035 §4.1.1: QR 1, opcode QUERY
            return;
        }
        if (msg.questionCount() != 1) {
            drop(s, C_DROP_QUESTION, nowNs); // RFC 5452 §9.1: the question must match exactly
            return;
        }
        int pos = msg.readQuestion(DnsMessage.HEADER_LENGTH, rec);
        if (pos < 0) {
            drop(s, C_DROP_MALFORMED, nowNs);
            return;
        }
        if (rec.type != DnsMessage.TYPE_A || rec.recordClass != DnsMessage.CLASS_IN
            || !DnsName.equalsIgnoreCase(rec.name, 0, currentNames, s * STRIDE)) {
            drop(s, C_DROP_QUESTION, nowNs);
            return;
        }
        int rcode = msg.rcode();
        if (msg.isTruncated()) {
            // RFC 1035 §4.1.1, RFC 7766 §5: never use a truncated answer; no TCP here, so fail
            accepted(s);
            counters.inc(C_REPLY_TRUNCATED);
            fail(s, ERROR_TRUNCATED, nowNs);
            return;
        }
        if (rcode != DnsMessage.RCODE_NOERROR && rcode != DnsMessage.RCODE_NXDOMAIN) {
            accepted(s);
            if ((rcode == DnsMessage.RCODE_FORMERR || rcode == DnsMessage.RCODE_NOTIMP) && !withoutEdns[s]) {
                // RFC 6891 §7: a server that does not understand OPT; ask it again without EDNS
                counters.inc(C_EDNS_FALLBACK);
                withoutEdns[s] = true;
                closePort(s);
                sameServerNext[s] = true;
                deadlineNs[s] = nowNs;
                return;
            }
            int error;
            if (rcode == DnsMessage.RCODE_SERVFAIL) {
                counters.inc(C_REPLY_SERVFAIL);
                error = ERROR_SERVFAIL;
            } else if (rcode == DnsMessage.RCODE_REFUSED) {
                counters.inc(C_REPLY_REFUSED);
                error = ERROR_REFUSED;
            } else {
                counters.inc(C_REPLY_RCODE_OTHER);
                error = ERROR_SERVER;
            }
            // RFC 1035 §7.2 / RFC 1123 §6.1.3.3: try another server; this one is not asked again
            errorMask[s] |= 1 << serverIndex[s];
            lastError[s] = error;
            closePort(s);
            deadlineNs[s] = nowNs;
            return;
        }
        handleAnswer(s, pos, rcode, nowNs);
    }

    private void drop(int s, int counter, long nowNs) {
        counters.inc(counter);
        listener.replyDropped(s < 0 ? -1 : handle(s), counter, nowNs);
    }

    private void accepted(int s) {
        counters.inc(C_REPLY_ACCEPTED);
        markServerUp(s);
        answerId[s] = queryId[s];
        answerServerIp[s] = serverIp[s];
        answerServerIndex[s] = serverIndex[s];
    }

    /** NOERROR or NXDOMAIN with a matching question: validate every record, then follow the chain. */
    private void handleAnswer(int s, int questionEnd, int rcode, long nowNs) {
        int len = msg.length();
        // Pass 1 (RFC 9267 §5-§6): every record present must be well-formed; counts are bounded
        // by the bytes actually there.
        int pos = questionEnd;
        int answers = 0;
        int ancount = msg.answerCount();
        while (answers < ancount && pos < len) {
            pos = msg.readRecord(pos, rec);
            if (pos < 0 || (rec.type == DnsMessage.TYPE_CNAME && !cnameDataValid())) {
                drop(s, C_DROP_MALFORMED, nowNs);
                return;
            }
            answers++;
        }
        boolean countsShort = answers < ancount;
        int soaPos = -1;
        int nscount = msg.authorityCount();
        for (int k = 0; k < nscount && pos < len; k++) {
            int recordPos = pos;
            pos = msg.readRecord(pos, rec);
            if (pos < 0) {
                drop(s, C_DROP_MALFORMED, nowNs);
                return;
            }
            if (rec.type == DnsMessage.TYPE_SOA && soaPos < 0) {
                soaPos = recordPos;
            }
        }
        int arcount = msg.additionalCount();
        for (int k = 0; k < arcount && pos < len; k++) {
            pos = msg.readRecord(pos, rec);
            if (pos < 0) {
                drop(s, C_DROP_MALFORMED, nowNs);
                return;
            }
        }

        // Pass 2: follow the chain from the question name (RFC 1034 §3.6.2), in-domain only
        // (RFC 5452 §6). Records for other owners are skipped and never cached (D19).
        DnsName.copy(currentNames, s * STRIDE, chainName, 0);
        int links = 0;
        long ttl = DnsCache.MAX_TTL_SECONDS;
        int address = 0;
        boolean found = false;
        while (true) {
            boolean followed = false;
            int p = questionEnd;
            for (int k = 0; k < answers; k++) {
                p = msg.readRecord(p, rec);
                if (rec.recordClass != DnsMessage.CLASS_IN || !DnsName.equalsIgnoreCase(rec.name, 0, chainName, 0)) {
                    continue;
                }
                if (rec.type == DnsMessage.TYPE_A) {
                    if (rec.dataLength != 4) {
                        counters.inc(C_RECORD_SKIPPED); // D13, RFC 9267 §5: A is exactly 4 bytes
                        continue;
                    }
                    address = msg.i32(rec.dataPos);
                    ttl = Math.min(ttl, DnsCache.clampTtlSeconds(rec.ttl, DnsCache.MAX_TTL_SECONDS));
                    found = true;
                    break;
                }
                if (rec.type == DnsMessage.TYPE_CNAME) {
                    msg.readNameWithin(rec.dataPos, rec.dataPos + rec.dataLength, nextName, 0);
                    ttl = Math.min(ttl, DnsCache.clampTtlSeconds(rec.ttl, DnsCache.MAX_TTL_SECONDS));
                    followed = true;
                    break;
                }
            }
            if (found || !followed) {
                break;
            }
            links++;
            if (cnames[s] + links > maxCnameChain) {
                accepted(s);
                counters.inc(C_CNAME_LOOP); // D15: a loop or an over-long chain
                cnames[s] += links;
                fail(s, ERROR_CNAME_LOOP, nowNs);
                return;
            }
            DnsName.copy(nextName, 0, chainName, 0);
        }
        if (!found && countsShort) {
            drop(s, C_DROP_MALFORMED, nowNs); // D10: counts promise records that are not there
            return;
        }
        accepted(s);
        cnames[s] += links;
        ttlSeconds[s] = Math.min(ttlSeconds[s], ttl);
        if (found) {
            storeAnswer(s, DnsCache.KIND_ADDRESS, address, ttl, nowNs);
            finish(s, STATE_DONE, address, SOURCE_SERVER, ERROR_NONE, nowNs);
            return;
        }
        if (rcode == DnsMessage.RCODE_NOERROR && links > 0 && soaPos < 0) {
            // the answer stops at a CNAME: ask for the target (RFC 1034 §5.3.3 step 3)
            counters.inc(C_CNAME_FOLLOWED);
            DnsName.copy(chainName, 0, currentNames, s * STRIDE);
            closePort(s);
            tries[s] = 0;
            errorMask[s] = 0;
            lastError[s] = ERROR_NONE;
            serverIndex[s] = -1;
            deadlineNs[s] = nowNs;
            return;
        }
        // RFC 2308 §5: cache the negative answer for min(SOA TTL, SOA MINIMUM); without an SOA
        // for an enclosing zone, do not cache it.
        long negativeTtl = soaPos < 0 ? -1 : negativeTtl(soaPos);
        int error = rcode == DnsMessage.RCODE_NXDOMAIN ? ERROR_NXDOMAIN : ERROR_NO_DATA;
        counters.inc(error == ERROR_NXDOMAIN ? C_REPLY_NXDOMAIN : C_REPLY_NODATA);
        if (negativeTtl >= 0) {
            ttlSeconds[s] = negativeTtl;
            storeAnswer(s, error == ERROR_NXDOMAIN ? DnsCache.KIND_NXDOMAIN : DnsCache.KIND_NODATA, 0, negativeTtl, nowNs);
        }
        finish(s, STATE_FAILED, 0, SOURCE_SERVER, error, nowNs);
    }

    /** The CNAME in {@code rec} holds exactly one valid name inside its RDATA (D14, RFC 9267 §5). */
    private boolean cnameDataValid() {
        int end = rec.dataPos + rec.dataLength;
        return msg.readNameWithin(rec.dataPos, end, nextName, 0) == end;
    }

    /**
     * The negative TTL from the SOA at {@code soaPos}, if its owner encloses the end of the chain
     * (in-domain, RFC 5452 §6) and its RDATA is well-formed; -1 otherwise.
     */
    private long negativeTtl(int soaPos) {
        msg.readRecord(soaPos, rec);
        if (rec.recordClass != DnsMessage.CLASS_IN || !DnsName.isAtOrBelow(chainName, 0, rec.name, 0)) {
            return -1;
        }
        int end = rec.dataPos + rec.dataLength;
        int p = msg.readNameWithin(rec.dataPos, end, nextName, 0); // MNAME
        if (p < 0) {
            return -1;
        }
        p = p < end ? msg.readNameWithin(p, end, nextName, 0) : -1; // RNAME
        if (p < 0 || end - p != 20) {
            return -1; // SERIAL REFRESH RETRY EXPIRE MINIMUM (RFC 1035 §3.3.13)
        }
        long minimum = DnsCache.clampTtlSeconds(msg.u32(p + 16), DnsCache.MAX_NEGATIVE_TTL_SECONDS);
        long soaTtl = DnsCache.clampTtlSeconds(rec.ttl, DnsCache.MAX_NEGATIVE_TTL_SECONDS);
        return Math.min(minimum, soaTtl);
    }

    /** Caches under the name this query asked and, after a CNAME hop, under the name first asked. */
    private void storeAnswer(int s, int kind, int address, long ttl, long nowNs) {
        counters.inc(C_CACHE_STORED);
        cache.put(currentNames, s * STRIDE, kind, address, ttl, serverIp[s], nowNs);
        if (!DnsName.equalsIgnoreCase(currentNames, s * STRIDE, askedNames, s * STRIDE)) {
            cache.put(askedNames, s * STRIDE, kind, address, Math.min(ttl, ttlSeconds[s]), serverIp[s], nowNs);
        }
    }

    /** A one-line summary of a handle for logs and tests (cold path: allocates). */
    public String describe(int handle) {
        return appendTo(handle, new StringBuilder(128)).toString();
    }

    /**
     * Appends the story of a handle, e.g. {@code example.com done 203.0.113.80 source=server
     * tries=2 id=4711 server=203.0.113.54}. Allocation-free when {@code out} has room (the
     * journey trace keeps one pre-sized builder).
     */
    public StringBuilder appendTo(int handle, StringBuilder out) {
        int s = slotOf(handle);
        if (s < 0) {
            return out.append("invalid handle ").append(handle);
        }
        DnsName.appendTo(askedNames, s * STRIDE, out);
        out.append(' ').append(state[s] == STATE_PENDING ? "pending" : state[s] == STATE_DONE ? "done" : "failed");
        if (state[s] == STATE_DONE) {
            appendIp(out.append(' '), resultAddress[s]);
        }
        out.append(" source=").append(SOURCE_NAMES[resultSource[s]]);
        if (resultError[s] != ERROR_NONE) {
            out.append(" error=").append(ERROR_NAMES[resultError[s]]);
        }
        out.append(" tries=").append(totalTries[s]).append(" id=").append(dnsId(handle));
        int server = answerServerIp(handle);
        if (server != 0) {
            appendIp(out.append(" server="), server);
        }
        if (cnames[s] > 0) {
            out.append(" cnames=").append(cnames[s]);
        }
        return out;
    }

    private static StringBuilder appendIp(StringBuilder out, int ip) {
        return out.append(ip >>> 24).append('.').append((ip >>> 16) & 0xFF).append('.').append((ip >>> 8) & 0xFF)
            .append('.').append(ip & 0xFF);
    }
}
