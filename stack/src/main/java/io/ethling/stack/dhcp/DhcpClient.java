package io.ethling.stack.dhcp;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.stack.util.Prng;

/**
 * Non-blocking DHCP client (RFC 2131, options RFC 2132), driven by {@link #poll(long)} and
 * {@link #onDatagram}. Allocation-free after construction: one TX array, one reused
 * {@link DhcpMessage} view and {@link DhcpRepr} holder, primitive lease fields.
 *
 * <h2>States (RFC 2131 §4.4, Figure 5)</h2>
 * INIT → SELECTING (DISCOVER, first valid OFFER wins, H11) → REQUESTING (REQUEST with the offer's
 * xid) → CHECKING (RFC 5227 ARP probe of the ACKed address, RFC 2131 §3.1 step 5) → BOUND →
 * RENEWING at T1 (unicast to the server) → REBINDING at T2 (broadcast) → lease expiry: the
 * address is dropped ({@link DhcpListener#onLeaseLost}) and the client starts again in INIT
 * (RFC 2131 §4.4.5). A link flap ({@link #linkDown()} / {@link #linkUp(long)}) with an unexpired
 * lease goes through INIT-REBOOT → REBOOTING (RFC 2131 §3.2, §4.4.2): an ACK confirms the lease
 * (after a new probe), a NAK or the end of the retransmissions drops it and falls back to INIT.
 *
 * <h2>Timing</h2>
 * <ul>
 * <li>DISCOVER, selecting REQUEST and INIT-REBOOT REQUEST are retransmitted after 4, 8, 16, 32 and
 *     64 s, each randomised by a uniform ±1 s (RFC 2131 §4.1). After the 64 s wait a DISCOVER
 *     exchange restarts with a new xid; REQUESTING and REBOOTING give up and return to INIT
 *     (RFC 2131 §3.1 step 5 / §4.4.1; §3.2 step 5).</li>
 * <li>T1 = 0.5 and T2 = 0.875 of the lease unless the server's T1/T2 satisfy 0 &lt; T1 &lt; T2 &lt;
 *     lease (RFC 2131 §4.4.5, H7). Times count from the moment the answered REQUEST was sent
 *     (RFC 2131 §4.4.1: the first selecting/INIT-REBOOT REQUEST; in RENEWING/REBINDING every
 *     REQUEST has its own xid, so the answered one is known exactly).</li>
 * <li>The lease is clamped to [{@code minLeaseSeconds}, {@code maxLeaseSeconds}] of
 *     {@link DhcpConfig} (default 60 s .. 1 year); 0xFFFFFFFF, "infinity" (RFC 2132 §9.2), is
 *     treated as the maximum, so even an infinite lease is renewed about twice a year. A lease of
 *     0 is refused (H7).</li>
 * <li>RENEWING/REBINDING retransmit after half the time remaining to T2 / to the lease's end, at
 *     least 60 s (RFC 2131 §4.4.5), never past T2 / the end.</li>
 * <li>After a DECLINE the client waits 10 s before restarting (RFC 2131 §3.1 step 5), 60 s after
 *     10 conflicts in a row (RFC 5227 §2.1.1 MAX_CONFLICTS / RATE_LIMIT_INTERVAL). After a NAK it
 *     restarts at once (RFC 2131 §3.1 step 5), but after 3 NAKs in a row it waits 10 s (our policy,
 *     so a broken server cannot drive a tight loop).</li>
 * </ul>
 *
 * <h2>Matching and sanity (RELIABILITY.md H5–H7, H11)</h2>
 * Every reply must come from port 67, pass {@link DhcpMessage#checkReply()} (op 2, htype 1,
 * hlen 6, magic cookie), carry our xid and chaddr, parse ({@link DhcpRepr}), carry a known message
 * type and a server identifier (RFC 2131 §4.3.1 Table 3). Offers and ACKs must pass the sanity
 * checks: yiaddr a unicast host address (not 0.0.0.0/8, 127/8, multicast, class E, broadcast, the
 * subnet's network or broadcast address, nor the router), contiguous non-zero mask (absent: the
 * classful A/B/C default of RFC 791 addressing, our fallback), router inside the subnet, lease not 0.
 * ACKs must hold a lease time. In REQUESTING and RENEWING only the selected server's ACK/NAK
 * counts; in REBINDING and REBOOTING (broadcast requests without a server id) any server's.
 * Every refusal bumps one named counter and changes nothing else.
 *
 * <h2>Threading and callbacks</h2>
 * Single-threaded. {@link #onDatagram} only parses and records; every send, probe and listener
 * call happens inside {@link #poll} (and {@link #release}), so the receive path never re-enters
 * the transport.
 */
public final class DhcpClient {

    /** {@link #pollAtNs} when nothing is scheduled. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    static final long SECOND_NS = 1_000_000_000L;
    /** First retransmission delay, doubled up to 64 s (RFC 2131 §4.1). */
    static final long BACKOFF_BASE_NS = 4 * SECOND_NS;
    static final long BACKOFF_JITTER_NS = SECOND_NS;
    /** Transmissions of one DISCOVER/REQUEST before giving up: waits of 4, 8, 16, 32, 64 s. */
    static final int MAX_TRANSMISSIONS = 5;
    /** RFC 2131 §4.4.5: renewing/rebinding retransmissions no closer than 60 s. */
    static final long RENEW_RETRY_MIN_NS = 60 * SECOND_NS;
    /** RFC 2131 §3.1 step 5: wait at least 10 s after a DECLINE. */
    static final long DECLINE_WAIT_NS = 10 * SECOND_NS;
    /** RFC 5227 §2.1.1: MAX_CONFLICTS and RATE_LIMIT_INTERVAL. */
    static final int MAX_CONFLICTS = 10;
    static final long RATE_LIMIT_NS = 60 * SECOND_NS;
    static final int MAX_NAKS_BEFORE_WAIT = 3;
    static final long NAK_WAIT_NS = 10 * SECOND_NS;
    /** How often CHECKING asks the prober, and when it stops waiting for a verdict. */
    static final long CHECK_POLL_NS = 200_000_000L;
    static final long CHECK_TIMEOUT_NS = 15 * SECOND_NS;
    /** Bound on timer steps per poll (state changes chain at most a few times). */
    private static final int MAX_STEPS_PER_POLL = 8;

    // ---- counters -------------------------------------------------------------------------
    public static final int C_RX = 0;
    public static final int C_OFFERS = 1;
    public static final int C_ACKS = 2;
    public static final int C_NAKS = 3;
    public static final int C_DECLINES = 4;
    public static final int C_RELEASES = 5;
    public static final int C_BOUND = 6;
    public static final int C_RENEWALS = 7;
    public static final int C_REBINDS = 8;
    public static final int C_REBINDING_STARTED = 9;
    public static final int C_EXPIRIES = 10;
    public static final int C_LEASE_LOST = 11;
    public static final int C_RETRANSMITS = 12;
    public static final int C_DISCOVER_RESTARTS = 13;
    public static final int C_REBOOT_FAILED = 14;
    public static final int C_TX_DISCOVER = 15;
    public static final int C_TX_REQUEST = 16;
    public static final int C_TX_DECLINE = 17;
    public static final int C_TX_RELEASE = 18;
    public static final int C_TX_ERROR = 19;
    public static final int C_DROP_PORT = 20;
    public static final int C_DROP_MALFORMED = 21;
    public static final int C_DROP_STATE = 22;
    public static final int C_DROP_XID = 23;
    public static final int C_DROP_CHADDR = 24;
    public static final int C_DROP_OPTIONS = 25;
    public static final int C_DROP_TYPE = 26;
    public static final int C_DROP_SERVER = 27;
    public static final int C_DROP_SANITY = 28;
    public static final int C_PROBE_CONFLICT = 29;
    public static final int C_PROBE_TIMEOUT = 30;
    public static final int C_LEASE_CLAMPED = 31;
    public static final int C_TIMES_SANITISED = 32;

    private static final String[] COUNTER_NAMES = {
        "rx", "offers", "acks", "naks", "declines", "releases", "bound", "renewals", "rebinds",
        "rebinding.started", "expiries", "lease.lost", "retransmits", "discover.restarts", "reboot.failed",
        "tx.discover", "tx.request", "tx.decline", "tx.release", "tx.error",
        "drop.port", "drop.malformed", "drop.state", "drop.xid", "drop.chaddr", "drop.options", "drop.type",
        "drop.server", "drop.sanity", "probe.conflict", "probe.timeout", "lease.clamped", "times.sanitised"};

    // ---- collaborators and configuration ---------------------------------------------------
    private final long mac;
    private final byte[] hostname;
    private final boolean broadcastFlag;
    private final long initialDelayMaxNs;
    private final long minLeaseSeconds;
    private final long maxLeaseSeconds;
    private final Prng prng;
    private final DhcpTransport transport;
    private final AddressProber prober;
    private final DhcpListener listener;
    private final CounterSet counters = new CounterSet(COUNTER_NAMES);

    private final byte[] txBuffer = new byte[DhcpMessage.MAX_SEND_LENGTH];
    private final DhcpMessage tx = new DhcpMessage();
    private final DhcpMessage rx = new DhcpMessage();
    private final DhcpRepr repr;

    // ---- exchange state ---------------------------------------------------------------------
    private DhcpState state = DhcpState.STOPPED;
    private boolean armed;
    private long deadlineNs;
    private int xid;
    private int transmissions;
    private long exchangeStartNs;
    private long firstRequestNs;
    private long lastSendNs;
    private int offeredIp;
    private int selectedServer;
    private boolean probeStarted;
    private long probeStartNs;
    private int conflictsInRow;
    private int naksInRow;
    /** Address to ask for in DISCOVER (option 50): the last lease, forgotten after NAK/DECLINE. */
    private int lastIp;

    // ---- candidate from the last accepted ACK ------------------------------------------------
    private int candIp;
    private int candMask;
    private int candRouter;
    private int candServer;
    private final int[] candDns;
    private int candDnsCount;
    private long candLeaseNs;
    private long candT1Ns;
    private long candT2Ns;
    private final byte[] candDomain = new byte[DhcpRepr.NAME_CAPACITY];
    private int candDomainLength;

    // ---- the lease in force -------------------------------------------------------------------
    private boolean hasLease;
    private int ip;
    private int subnetMask;
    private int router;
    private int serverId;
    private final int[] dnsServers;
    private int dnsCount;
    private long leaseSeconds;
    private long leaseStartNs;
    private long leaseEndNs;
    private long t1Ns;
    private long t2Ns;
    private final byte[] domainName = new byte[DhcpRepr.NAME_CAPACITY];
    private int domainNameLength;

    // ---- notifications to deliver from poll --------------------------------------------------
    private boolean notifyBound;
    private boolean announcePending;
    private int notifyLostIp;
    private boolean notifyLost;

    public DhcpClient(DhcpConfig config, Prng prng, DhcpTransport transport, AddressProber prober,
                      DhcpListener listener) {
        if (config == null || prng == null || transport == null || prober == null || listener == null) {
            throw new IllegalArgumentException("DhcpClient needs a config, a PRNG, a transport, a prober and a listener");
        }
        this.mac = config.mac;
        this.hostname = config.hostname;
        this.broadcastFlag = config.broadcastFlag;
        this.initialDelayMaxNs = config.initialDelayMaxNs;
        this.minLeaseSeconds = config.minLeaseSeconds;
        this.maxLeaseSeconds = config.maxLeaseSeconds;
        this.prng = prng;
        this.transport = transport;
        this.prober = prober;
        this.listener = listener;
        this.repr = new DhcpRepr(config.maxDnsServers);
        this.candDns = new int[config.maxDnsServers];
        this.dnsServers = new int[config.maxDnsServers];
        tx.wrap(txBuffer, 0, txBuffer.length);
    }

    // =========================================================================================
    // Control
    // =========================================================================================

    /** Starts address acquisition (from STOPPED): INIT after a random 0..initialDelayMax (RFC 2131 §4.4.1). */
    public void start(long nowNs) {
        if (state != DhcpState.STOPPED) {
            return;
        }
        long delay = initialDelayMaxNs > 0 ? prng.nextLong(initialDelayMaxNs + 1) : 0;
        enterInit(nowNs + delay);
    }

    /** The link went down: keep a held lease (it still expires), stop all exchanges. */
    public void linkDown() {
        if (state == DhcpState.STOPPED || state == DhcpState.LINK_DOWN) {
            return;
        }
        state = DhcpState.LINK_DOWN;
        probeStarted = false;
        if (hasLease) {
            arm(leaseEndNs);
        } else {
            armed = false;
        }
    }

    /**
     * The link is back: with an unexpired lease go to INIT-REBOOT and confirm it (RFC 2131 §3.2,
     * §4.4.2; a new link may be a new network), else INIT.
     */
    public void linkUp(long nowNs) {
        if (state != DhcpState.LINK_DOWN) {
            return;
        }
        if (hasLease && leaseEndNs - nowNs > 0) {
            state = DhcpState.INIT_REBOOT;
            arm(nowNs);
        } else {
            enterInit(nowNs);
        }
    }

    /**
     * Gives the lease back (RFC 2131 §4.4.6: DHCPRELEASE unicast to the server) and stops.
     * Calls {@link DhcpListener#onLeaseLost} at once. Returns true if there was a lease.
     */
    public boolean release(long nowNs) {
        deliverNotifications(nowNs);                       // keep the listener's order of events
        boolean had = hasLease;
        if (had) {
            int len = tx.emitRelease(prng.nextInt(), mac, ip, serverId);
            send(ip, serverId, len, nowNs, C_TX_RELEASE);
            counters.inc(C_RELEASES);
            int old = ip;
            dropLease();
            counters.inc(C_LEASE_LOST);
            listener.onLeaseLost(old);
        }
        state = DhcpState.STOPPED;
        armed = false;
        notifyBound = false;
        announcePending = false;
        return had;
    }

    // =========================================================================================
    // The poll loop
    // =========================================================================================

    /** The next time {@link #poll} has work, or {@link #NO_DEADLINE}. */
    public long pollAtNs(long nowNs) {
        if (notifyLost || notifyBound) {
            return nowNs;
        }
        return armed ? deadlineNs : NO_DEADLINE;
    }

    /** Delivers pending notifications and runs due timers; returns the number of actions taken. */
    public int poll(long nowNs) {
        int work = 0;
        work += deliverNotifications(nowNs);
        for (int i = 0; i < MAX_STEPS_PER_POLL && armed && deadlineNs - nowNs <= 0; i++) {
            armed = false;
            fire(nowNs);
            work++;
            work += deliverNotifications(nowNs);
        }
        return work;
    }

    private int deliverNotifications(long nowNs) {
        int work = 0;
        if (notifyLost) {
            notifyLost = false;
            listener.onLeaseLost(notifyLostIp);
            work++;
        }
        if (notifyBound) {
            notifyBound = false;
            listener.onBound(ip, subnetMask, router, dnsServers, dnsCount, leaseEndNs);
            if (announcePending) {
                announcePending = false;
                prober.announce(ip, nowNs);                // RFC 5227 §2.3, once the address is applied
            }
            work++;
        }
        return work;
    }

    private void fire(long nowNs) {
        switch (state) {
            case INIT -> {
                // RFC 2131 §4.4.1: a new exchange with a new random xid
                xid = prng.nextInt();
                transmissions = 0;
                state = DhcpState.SELECTING;
                sendDiscover(nowNs);
            }
            case SELECTING -> {
                if (transmissions >= MAX_TRANSMISSIONS) {
                    xid = prng.nextInt();                  // after the 64 s wait: start over
                    transmissions = 0;
                    counters.inc(C_DISCOVER_RESTARTS);
                }
                sendDiscover(nowNs);
            }
            case REQUESTING -> {
                if (transmissions >= MAX_TRANSMISSIONS) {
                    enterInit(nowNs);                      // RFC 2131 §4.4.1: no ACK/NAK -> INIT
                    return;
                }
                if (transmissions == 0) {
                    firstRequestNs = nowNs;
                }
                sendRequest(DhcpMessage.REQUEST_SELECTING, 0, DhcpTransport.BROADCAST, offeredIp, nowNs);
                armBackoff(nowNs, Long.MAX_VALUE);
            }
            case CHECKING -> check(nowNs);
            case BOUND -> {
                // T1: RENEWING (RFC 2131 §4.4.5)
                state = DhcpState.RENEWING;
                exchangeStartNs = nowNs;
                transmissions = 0;
                renewOrRebind(nowNs);
            }
            case RENEWING, REBINDING -> renewOrRebind(nowNs);
            case INIT_REBOOT -> {
                xid = prng.nextInt();
                transmissions = 0;
                exchangeStartNs = nowNs;
                state = DhcpState.REBOOTING;
                reboot(nowNs);
            }
            case REBOOTING -> reboot(nowNs);
            case LINK_DOWN -> {
                if (hasLease && leaseEndNs - nowNs <= 0) {
                    expire(nowNs);                              // stays down, without a lease
                }
            }
            case STOPPED -> {
            }
        }
    }

    private void sendDiscover(long nowNs) {
        if (transmissions > 0) {
            counters.inc(C_RETRANSMITS);
        }
        int len = tx.emitDiscover(xid, secs(nowNs), broadcastFlag, mac, lastIp, hostname, hostname.length);
        send(0, DhcpTransport.BROADCAST, len, nowNs, C_TX_DISCOVER);
        armBackoff(nowNs, Long.MAX_VALUE);
    }

    private void sendRequest(int variant, int srcIp, int dstIp, int requestIp, long nowNs) {
        if (transmissions > 0) {
            counters.inc(C_RETRANSMITS);
        }
        boolean bound = variant == DhcpMessage.REQUEST_RENEWING || variant == DhcpMessage.REQUEST_REBINDING;
        int len = tx.emitRequest(variant, xid, secs(nowNs), broadcastFlag && !bound, mac, requestIp, selectedServer,
            hostname, hostname.length);
        send(srcIp, dstIp, len, nowNs, C_TX_REQUEST);
    }

    /** One transmission done: the next after 4·2^(n-1) s ± 1 s (RFC 2131 §4.1), but not after {@code limitNs}. */
    private void armBackoff(long nowNs, long limitNs) {
        transmissions++;
        long base = BACKOFF_BASE_NS << (transmissions - 1);
        long jitter = prng.nextLong(2 * BACKOFF_JITTER_NS + 1) - BACKOFF_JITTER_NS;
        long at = nowNs + base + jitter;
        if (limitNs != Long.MAX_VALUE && at - limitNs > 0) {
            at = limitNs;
        }
        arm(at);
    }

    private void reboot(long nowNs) {
        if (leaseEndNs - nowNs <= 0) {
            expire(nowNs);
            return;
        }
        if (transmissions >= MAX_TRANSMISSIONS) {
            // RFC 2131 §3.2 would allow keeping the unexpired lease; the issue asks for INIT instead
            counters.inc(C_REBOOT_FAILED);
            loseLease();
            enterInit(nowNs);
            return;
        }
        if (transmissions == 0) {
            firstRequestNs = nowNs;
        }
        sendRequest(DhcpMessage.REQUEST_INIT_REBOOT, 0, DhcpTransport.BROADCAST, ip, nowNs);
        armBackoff(nowNs, leaseEndNs);
    }

    /** RENEWING (unicast to the server) until T2, then REBINDING (broadcast) until the end (RFC 2131 §4.4.5). */
    private void renewOrRebind(long nowNs) {
        if (state == DhcpState.RENEWING && t2Ns - nowNs <= 0) {
            state = DhcpState.REBINDING;
            transmissions = 0;
            counters.inc(C_REBINDING_STARTED);
        }
        if (state == DhcpState.REBINDING && leaseEndNs - nowNs <= 0) {
            expire(nowNs);
            return;
        }
        boolean renewing = state == DhcpState.RENEWING;
        long limitNs = renewing ? t2Ns : leaseEndNs;
        xid = prng.nextInt();                              // one xid per request: the answered one is known
        lastSendNs = nowNs;
        if (renewing) {
            sendRequest(DhcpMessage.REQUEST_RENEWING, ip, serverId, ip, nowNs);
        } else {
            sendRequest(DhcpMessage.REQUEST_REBINDING, ip, DhcpTransport.BROADCAST, ip, nowNs);
        }
        transmissions++;
        // RFC 2131 §4.4.5: wait half the remaining time, at least 60 s, never past T2 / the end
        long wait = Math.max((limitNs - nowNs) / 2, RENEW_RETRY_MIN_NS);
        long at = nowNs + wait;
        arm(at - limitNs > 0 ? limitNs : at);
    }

    /** CHECKING: ask the prober (RFC 5227 §2.1) and act on its verdict. */
    private void check(long nowNs) {
        if (hasLease && leaseEndNs - nowNs <= 0) {
            expire(nowNs);
            return;
        }
        if (!probeStarted) {
            probeStarted = true;
            probeStartNs = nowNs;
            prober.startProbe(candIp, nowNs);
            arm(nowNs + CHECK_POLL_NS);
            return;
        }
        int verdict = prober.probeResult(candIp);
        if (verdict == AddressProber.PROBING) {
            if (nowNs - probeStartNs - CHECK_TIMEOUT_NS < 0) {
                arm(nowNs + CHECK_POLL_NS);
                return;
            }
            counters.inc(C_PROBE_TIMEOUT);                 // a prober that never decides: use the address
            verdict = AddressProber.FREE;
        }
        probeStarted = false;
        if (verdict == AddressProber.CONFLICT) {
            decline(nowNs);
            return;
        }
        conflictsInRow = 0;
        naksInRow = 0;
        commit(firstRequestNs);
        counters.inc(C_BOUND);
        announcePending = true;
        notifyBound = true;
        enterBound();
    }

    /** RFC 2131 §3.1 step 5: the address is in use: DECLINE, forget it, restart after ≥ 10 s. */
    private void decline(long nowNs) {
        counters.inc(C_PROBE_CONFLICT);
        int len = tx.emitDecline(xid, mac, candIp, candServer);
        send(0, DhcpTransport.BROADCAST, len, nowNs, C_TX_DECLINE);   // RFC 2131 §4.4.4: broadcast
        counters.inc(C_DECLINES);
        if (hasLease) {
            loseLease();
        }
        lastIp = 0;
        conflictsInRow++;
        enterInit(nowNs + (conflictsInRow >= MAX_CONFLICTS ? RATE_LIMIT_NS : DECLINE_WAIT_NS));
    }

    /** The lease ran out (RFC 2131 §4.4.5): stop using the address and start over in INIT. */
    private void expire(long nowNs) {
        counters.inc(C_EXPIRIES);
        loseLease();
        if (state == DhcpState.LINK_DOWN) {
            armed = false;
            return;
        }
        enterInit(nowNs);
    }

    private void enterInit(long atNs) {
        if (state != DhcpState.INIT && state != DhcpState.SELECTING) {
            exchangeStartNs = atNs;                        // 'secs' counts from the start of acquisition
        }
        state = DhcpState.INIT;
        probeStarted = false;
        transmissions = 0;
        arm(atNs);
    }

    private void enterBound() {
        state = DhcpState.BOUND;
        transmissions = 0;
        arm(t1Ns);
    }

    private void arm(long atNs) {
        armed = true;
        deadlineNs = atNs;
    }

    private void loseLease() {
        if (!hasLease) {
            return;
        }
        notifyLostIp = ip;
        notifyLost = true;
        notifyBound = false;
        announcePending = false;
        counters.inc(C_LEASE_LOST);
        dropLease();
    }

    private void dropLease() {
        hasLease = false;
        ip = 0;
        subnetMask = 0;
        router = 0;
        serverId = 0;
        dnsCount = 0;
        leaseSeconds = 0;
        domainNameLength = 0;
    }

    private void commit(long startNs) {
        hasLease = true;
        ip = candIp;
        lastIp = candIp;
        subnetMask = candMask;
        router = candRouter;
        serverId = candServer;
        selectedServer = candServer;
        dnsCount = candDnsCount;
        for (int i = 0; i < dnsServers.length; i++) {
            dnsServers[i] = i < candDnsCount ? candDns[i] : 0;
        }
        System.arraycopy(candDomain, 0, domainName, 0, candDomainLength);
        domainNameLength = candDomainLength;
        leaseSeconds = candLeaseNs / SECOND_NS;
        leaseStartNs = startNs;
        leaseEndNs = startNs + candLeaseNs;
        t1Ns = startNs + candT1Ns;
        t2Ns = startNs + candT2Ns;
    }

    private int secs(long nowNs) {
        long s = (nowNs - exchangeStartNs) / SECOND_NS;
        return s < 0 ? 0 : (int) Math.min(s, 0xFFFF);
    }

    private void send(int srcIp, int dstIp, int len, long nowNs, int counter) {
        counters.inc(counter);
        int status = transport.send(srcIp, dstIp, txBuffer, 0, len, nowNs);
        if (status < 0) {
            counters.inc(C_TX_ERROR);                      // retried at the next timer
        }
    }

    // =========================================================================================
    // Receive
    // =========================================================================================

    /**
     * A UDP datagram arrived for port 68: {@code buf[off, off+len)} is the DHCP message. Parses,
     * matches and records; sends nothing (that happens in {@link #poll}). Never throws on any
     * content.
     */
    public void onDatagram(int srcIp, int srcPort, byte[] buf, int off, int len, long nowNs) {
        counters.inc(C_RX);
        if (srcPort != DhcpTransport.SERVER_PORT) {
            counters.inc(C_DROP_PORT);
            return;
        }
        if (rx.wrap(buf, off, len).checkReply() != DhcpMessage.OK) {
            counters.inc(C_DROP_MALFORMED);                // H5: length, op, htype/hlen, cookie
            return;
        }
        DhcpState s = state;
        if (s != DhcpState.SELECTING && s != DhcpState.REQUESTING && s != DhcpState.RENEWING
            && s != DhcpState.REBINDING && s != DhcpState.REBOOTING) {
            counters.inc(C_DROP_STATE);                    // no exchange in progress
            return;
        }
        if (rx.xid() != xid) {
            counters.inc(C_DROP_XID);                      // H5, RFC 2131 §4.4.1
            return;
        }
        if (rx.chaddrMac() != mac) {
            counters.inc(C_DROP_CHADDR);                   // H5
            return;
        }
        if (repr.parse(rx) != DhcpRepr.OK) {
            counters.inc(C_DROP_OPTIONS);                  // H1, H3 and bad option lengths
            return;
        }
        if (!repr.has(DhcpRepr.HAS_MESSAGE_TYPE)) {
            counters.inc(C_DROP_TYPE);                     // H6
            return;
        }
        switch (repr.messageType) {
            case DhcpMessage.DHCPOFFER -> onOffer(nowNs);
            case DhcpMessage.DHCPACK -> onAck(nowNs);
            case DhcpMessage.DHCPNAK -> onNak(nowNs);
            default -> counters.inc(C_DROP_TYPE);          // H6: unknown, or not a server message
        }
    }

    private void onOffer(long nowNs) {
        if (state != DhcpState.SELECTING) {
            counters.inc(C_DROP_STATE);                    // H11: the first valid offer was taken
            return;
        }
        if (!repr.has(DhcpRepr.HAS_SERVER_ID)) {
            counters.inc(C_DROP_OPTIONS);                  // RFC 2131 Table 3: server id MUST
            return;
        }
        if (!sane(repr.yiaddr)) {
            counters.inc(C_DROP_SANITY);                   // H7
            return;
        }
        counters.inc(C_OFFERS);
        offeredIp = repr.yiaddr;
        selectedServer = repr.serverId;
        state = DhcpState.REQUESTING;
        transmissions = 0;
        arm(nowNs);                                        // the REQUEST goes out from poll
    }

    private void onAck(long nowNs) {
        DhcpState s = state;
        if (s == DhcpState.SELECTING) {
            counters.inc(C_DROP_STATE);
            return;
        }
        if (!repr.has(DhcpRepr.HAS_SERVER_ID) || !repr.has(DhcpRepr.HAS_LEASE_TIME)) {
            counters.inc(C_DROP_OPTIONS);                  // RFC 2131 Table 3: both MUST in an ACK
            return;
        }
        if ((s == DhcpState.REQUESTING || s == DhcpState.RENEWING) && repr.serverId != selectedServer) {
            counters.inc(C_DROP_SERVER);                   // H11: only the selected server
            return;
        }
        int expected = s == DhcpState.REQUESTING ? offeredIp : ip;
        if (repr.yiaddr != expected || !sane(repr.yiaddr)) {
            counters.inc(C_DROP_SANITY);
            return;
        }
        counters.inc(C_ACKS);
        takeCandidate();
        if (s == DhcpState.REQUESTING || s == DhcpState.REBOOTING) {
            state = DhcpState.CHECKING;                    // RFC 2131 §3.1 step 5 / §3.2 step 4
            probeStarted = false;
            arm(nowNs);
            return;
        }
        // RENEWING or REBINDING: the lease is extended from the time this request was sent
        counters.inc(s == DhcpState.RENEWING ? C_RENEWALS : C_REBINDS);
        commit(lastSendNs);
        naksInRow = 0;
        notifyBound = true;
        enterBound();
    }

    private void onNak(long nowNs) {
        DhcpState s = state;
        if (s == DhcpState.SELECTING) {
            counters.inc(C_DROP_STATE);
            return;
        }
        if (!repr.has(DhcpRepr.HAS_SERVER_ID)) {
            counters.inc(C_DROP_OPTIONS);                  // RFC 2131 Table 3: server id MUST in a NAK
            return;
        }
        if ((s == DhcpState.REQUESTING || s == DhcpState.RENEWING) && repr.serverId != selectedServer) {
            counters.inc(C_DROP_SERVER);                   // H11
            return;
        }
        counters.inc(C_NAKS);
        loseLease();                                       // RFC 2131 §4.4.5 / §3.2: stop using it
        lastIp = 0;
        naksInRow++;
        enterInit(naksInRow >= MAX_NAKS_BEFORE_WAIT ? nowNs + NAK_WAIT_NS : nowNs);
    }

    /** Copies the parsed ACK into the candidate, clamping the lease and sanitising T1/T2 (H7). */
    private void takeCandidate() {
        DhcpRepr r = repr;
        candIp = r.yiaddr;
        candServer = r.serverId;
        candMask = effectiveMask(r);
        candRouter = r.has(DhcpRepr.HAS_ROUTER) ? r.router : 0;
        int n = 0;
        for (int i = 0; i < r.dnsCount; i++) {
            int d = r.dnsServers[i];
            if (isUnicast(d)) {
                candDns[n++] = d;                          // skip 0.0.0.0, broadcast, multicast, loopback
            }
        }
        candDnsCount = n;
        System.arraycopy(r.domainName, 0, candDomain, 0, r.domainNameLength);
        candDomainLength = r.domainNameLength;
        long leaseS = r.leaseSeconds;
        if (leaseS < minLeaseSeconds || leaseS > maxLeaseSeconds) {
            counters.inc(C_LEASE_CLAMPED);
            leaseS = leaseS < minLeaseSeconds ? minLeaseSeconds : maxLeaseSeconds;
        }
        long leaseNs = leaseS * SECOND_NS;
        long t1 = leaseNs / 2;                             // RFC 2131 §4.4.5 defaults
        long t2 = leaseNs - leaseNs / 8;
        if (r.has(DhcpRepr.HAS_RENEWAL_TIME) || r.has(DhcpRepr.HAS_REBINDING_TIME)) {
            long g1 = r.has(DhcpRepr.HAS_RENEWAL_TIME) ? r.renewalSeconds * SECOND_NS : t1;
            long g2 = r.has(DhcpRepr.HAS_REBINDING_TIME) ? r.rebindingSeconds * SECOND_NS : t2;
            if (g1 > 0 && g1 < g2 && g2 < leaseNs) {
                t1 = g1;
                t2 = g2;
            } else {
                counters.inc(C_TIMES_SANITISED);           // H7: T1 < T2 < lease or the defaults
            }
        }
        candLeaseNs = leaseNs;
        candT1Ns = t1;
        candT2Ns = t2;
    }

    /** H7 sanity of an offer or ACK for address {@code yiaddr} (repr holds its options). */
    private boolean sane(int yiaddr) {
        DhcpRepr r = repr;
        if (!isUnicast(yiaddr) || !isUnicast(r.serverId)) {
            return false;
        }
        if (r.has(DhcpRepr.HAS_LEASE_TIME) && r.leaseSeconds == 0) {
            return false;
        }
        int mask = effectiveMask(r);
        int inv = ~mask;
        if (mask == 0 || (inv & (inv + 1)) != 0) {
            return false;                                  // non-contiguous or /0
        }
        boolean hasHostBits = Integer.bitCount(inv) >= 2;  // /31 and /32 have no network/broadcast address
        if (hasHostBits && ((yiaddr & inv) == 0 || (yiaddr & inv) == inv)) {
            return false;                                  // the subnet's network or broadcast address
        }
        if (r.has(DhcpRepr.HAS_ROUTER)) {
            int gw = r.router;
            if (!isUnicast(gw) || gw == yiaddr || ((gw ^ yiaddr) & mask) != 0) {
                return false;                              // router off-subnet, or our own address
            }
            if (hasHostBits && ((gw & inv) == 0 || (gw & inv) == inv)) {
                return false;
            }
        }
        return true;
    }

    /** The offered mask, or, when option 1 is absent, the classful A/B/C default (RFC 791 addressing; our fallback). */
    private static int effectiveMask(DhcpRepr r) {
        if (r.has(DhcpRepr.HAS_SUBNET_MASK)) {
            return r.subnetMask;
        }
        int first = r.yiaddr >>> 24;
        return first < 128 ? 0xFF00_0000 : first < 192 ? 0xFFFF_0000 : 0xFFFF_FF00;
    }

    /** A usable unicast host address: not 0/8, 127/8, 224/4 (multicast) or 240/4 (incl. broadcast). */
    static boolean isUnicast(int a) {
        int first = a >>> 24;
        return first != 0 && first != 127 && first < 224;
    }

    // =========================================================================================
    // Status (for a status page and tests)
    // =========================================================================================

    public DhcpState state() {
        return state;
    }

    public Counters counters() {
        return counters;
    }

    public boolean hasLease() {
        return hasLease;
    }

    public int ip() {
        return ip;
    }

    public int subnetMask() {
        return subnetMask;
    }

    public int router() {
        return router;
    }

    public int serverId() {
        return serverId;
    }

    public int dnsCount() {
        return dnsCount;
    }

    public int dnsServer(int index) {
        return dnsServers[index];
    }

    public long leaseSeconds() {
        return leaseSeconds;
    }

    public long leaseStartNs() {
        return leaseStartNs;
    }

    public long leaseEndNs() {
        return leaseEndNs;
    }

    public long renewAtNs() {
        return t1Ns;
    }

    public long rebindAtNs() {
        return t2Ns;
    }

    /** The current transaction id (tests and traces). */
    public int xid() {
        return xid;
    }

    /** Copies the domain name (option 15) of the lease into {@code dst}; returns its length. */
    public int domainName(byte[] dst, int off) {
        int n = Math.min(domainNameLength, dst.length - off);
        System.arraycopy(domainName, 0, dst, off, n);
        return n;
    }
}
