package io.ethling.stack.iface;

import io.ethling.stack.wire.ArpPacket;
import io.ethling.stack.wire.EthernetFrame;
import io.ethling.stack.wire.Ipv4Packet;

/**
 * The neighbour table (RFC 826, RFC 1122 §2.3.2) with RFC 5227 address-conflict detection, as
 * parallel primitive arrays of a fixed size.
 *
 * <p>Policy (RELIABILITY.md §2.8): entries are created only for addresses we resolve or for the
 * sender of a request that targets us (RFC 826's merge rule); an unsolicited reply or a
 * gratuitous ARP never creates an entry; a pinned entry (the gateway) changes its MAC only
 * through a reply to our own request, and every change is counted; senders with a broadcast,
 * multicast or zero MAC, or an unusable IP, are never cached. At most one request per second per
 * address (RFC 1122 §2.3.2.1), a few tries, then "unreachable" for whoever waits; one pending
 * packet per unresolved address, the latest (RFC 1122 §2.3.2.2). Entries age out; an entry in
 * use is refreshed with a unicast request before it expires.
 */
public final class ArpCache {

    /** {@link #status(int, long)} results. */
    public static final int RESOLVED = 0;
    public static final int PENDING = 1;
    public static final int UNREACHABLE = 2;
    public static final int UNKNOWN = 3;

    /** RFC 5227 probe outcomes. */
    public static final int PROBE_IDLE = 0;
    public static final int PROBE_PROBING = 1;
    public static final int PROBE_FREE = 2;
    public static final int PROBE_CONFLICT = 3;

    private static final byte FREE = 0;
    private static final byte INCOMPLETE = 1;
    private static final byte REACHABLE = 2;
    private static final byte FAILED = 3;

    // RFC 5227 §1.1 constants
    private static final long PROBE_WAIT_NS = 1_000_000_000L;
    private static final int PROBE_NUM = 3;
    private static final long PROBE_MIN_NS = 1_000_000_000L;
    private static final long PROBE_MAX_NS = 2_000_000_000L;
    private static final long ANNOUNCE_WAIT_NS = 2_000_000_000L;
    private static final int ANNOUNCE_NUM = 2;
    private static final long ANNOUNCE_INTERVAL_NS = 2_000_000_000L;
    private static final long DEFEND_INTERVAL_NS = 10_000_000_000L;

    private final NetStack stack;
    private final StackConfig config;
    private final int size;
    private final int[] ips;
    private final long[] macs;
    private final byte[] states;
    private final boolean[] pinned;
    private final long[] expiresNs;      // REACHABLE: end of life; FAILED: end of the "unreachable" hold
    private final long[] nextRequestNs;  // INCOMPLETE: next (re)transmission; REACHABLE: next refresh allowed
    private final int[] tries;
    private final long[] lastUsedNs;
    private final long[] confirmedNs;    // when the MAC was last confirmed (resolved or refreshed)
    private final boolean[] refreshing;  // a unicast refresh request is outstanding
    private final byte[][] pendingFrames;
    private final int[] pendingLengths;

    private int probeIp;
    private int probeState = PROBE_IDLE;
    private int probesSent;
    private long probeNextNs;
    private int announceIp;
    private int announcementsLeft;
    private long announceNextNs;
    private long lastDefendNs;
    private boolean defendedOnce;

    ArpCache(NetStack stack, StackConfig config) {
        this.stack = stack;
        this.config = config;
        this.size = config.arpEntries;
        ips = new int[size];
        macs = new long[size];
        states = new byte[size];
        pinned = new boolean[size];
        expiresNs = new long[size];
        nextRequestNs = new long[size];
        tries = new int[size];
        lastUsedNs = new long[size];
        confirmedNs = new long[size];
        refreshing = new boolean[size];
        pendingFrames = new byte[size][TxRing.SLOT_SIZE];
        pendingLengths = new int[size];
    }

    private int find(int ip) {
        for (int i = 0; i < size; i++) {
            if (states[i] != FREE && ips[i] == ip) {
                return i;
            }
        }
        return -1;
    }

    /** A slot for a new entry: a free one, else the least recently used unpinned one (counted). */
    private int allocate(long nowNs) {
        int victim = -1;
        for (int i = 0; i < size; i++) {
            if (states[i] == FREE) {
                return i;
            }
            if (!pinned[i] && (victim < 0 || lastUsedNs[i] - lastUsedNs[victim] < 0)) {
                victim = i;
            }
        }
        if (victim < 0) {
            return -1;
        }
        stack.count(Stat.ARP_EVICTED);
        states[victim] = FREE;
        return victim;
    }

    private int create(int ip, long nowNs) {
        int i = allocate(nowNs);
        if (i >= 0) {
            ips[i] = ip;
            macs[i] = 0;
            pinned[i] = ip != 0 && ip == stack.gateway();
            tries[i] = 0;
            refreshing[i] = false;
            pendingLengths[i] = 0;
            lastUsedNs[i] = nowNs;
        }
        return i;
    }

    /** The MAC for {@code ip} if known and fresh, else -1. Marks the entry used. */
    long lookup(int ip, long nowNs) {
        int i = find(ip);
        if (i < 0 || states[i] != REACHABLE) {
            return -1;
        }
        lastUsedNs[i] = nowNs;
        return macs[i];
    }

    /** Where resolution of {@code ip} stands. */
    public int status(int ip, long nowNs) {
        int i = find(ip);
        if (i < 0) {
            return UNKNOWN;
        }
        switch (states[i]) {
            case REACHABLE:
                return RESOLVED;
            case INCOMPLETE:
                return PENDING;
            default:
                return UNREACHABLE;
        }
    }

    /** The MAC known for {@code ip}, or -1 (for status pages and tests). */
    public long macOf(int ip) {
        int i = find(ip);
        return i >= 0 && states[i] == REACHABLE ? macs[i] : -1;
    }

    /** Number of entries in use. */
    public int entries() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (states[i] != FREE) {
                n++;
            }
        }
        return n;
    }

    /**
     * Holds a frame for {@code nextHop} until its MAC is known and starts resolving it.
     *
     * @return {@link #PENDING}, or {@link #UNREACHABLE} when the address failed to answer
     *     recently or no slot could be had
     */
    int hold(int nextHop, byte[] frame, int length, long nowNs) {
        int i = find(nextHop);
        if (i >= 0 && states[i] == FAILED) {
            return UNREACHABLE;
        }
        if (i < 0 || states[i] == REACHABLE) {
            // REACHABLE here means the caller found it stale; start over as a new resolution
            if (i < 0) {
                i = create(nextHop, nowNs);
                if (i < 0) {
                    return UNREACHABLE;
                }
            }
            states[i] = INCOMPLETE;
            tries[i] = 0;
            nextRequestNs[i] = nowNs;
        }
        if (pendingLengths[i] > 0) {
            stack.count(Stat.ARP_PENDING_REPLACED);   // A7: keep only the latest
        }
        System.arraycopy(frame, 0, pendingFrames[i], 0, length);
        pendingLengths[i] = length;
        lastUsedNs[i] = nowNs;
        if (nextRequestNs[i] - nowNs <= 0) {
            request(i, nowNs);
        }
        return PENDING;
    }

    private void request(int i, long nowNs) {
        if (tries[i] >= config.arpMaxTries) {
            fail(i, nowNs);
            return;
        }
        tries[i]++;
        nextRequestNs[i] = nowNs + config.arpRetryNs;
        stack.sendArp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, stack.address(), 0L, ips[i], nowNs);
        stack.count(Stat.ARP_REQUESTS_SENT);
    }

    private void fail(int i, long nowNs) {
        states[i] = FAILED;
        pendingLengths[i] = 0;
        expiresNs[i] = nowNs + config.arpFailHoldNs;
        stack.count(Stat.ARP_UNREACHABLE);
        stack.onUnreachable(ips[i], nowNs);
    }

    /** Pins an address (the gateway) so floods never evict it; its MAC changes only through our own request. */
    void pin(int ip, long nowNs) {
        for (int i = 0; i < size; i++) {
            pinned[i] = states[i] != FREE && ips[i] == ip;
        }
    }

    /** Forgets every entry (address change, link loss). */
    void clear() {
        for (int i = 0; i < size; i++) {
            states[i] = FREE;
            pendingLengths[i] = 0;
            pinned[i] = false;
        }
    }

    /** Timers: retransmissions, give-ups, aging, refresh, probes and announcements. */
    int poll(long nowNs) {
        int work = 0;
        for (int i = 0; i < size; i++) {
            switch (states[i]) {
                case INCOMPLETE:
                    if (nextRequestNs[i] - nowNs <= 0) {
                        request(i, nowNs);
                        work++;
                    }
                    break;
                case REACHABLE:
                    if (expiresNs[i] - nowNs <= 0) {
                        // RFC 1122 §2.3.2.1: entries time out. A refresh that went unanswered ends here.
                        states[i] = FREE;
                        stack.count(Stat.ARP_EXPIRED);
                        work++;
                    } else if (expiresNs[i] - nowNs <= config.arpRefreshBeforeNs
                            && lastUsedNs[i] - confirmedNs[i] > 0
                            && nextRequestNs[i] - nowNs <= 0) {
                        // In use and about to expire: ask the known MAC directly (unicast), once per retry interval.
                        refreshing[i] = true;
                        nextRequestNs[i] = nowNs + config.arpRetryNs;
                        stack.sendArp(ArpPacket.OP_REQUEST, macs[i], stack.address(), 0L, ips[i], nowNs);
                        stack.count(Stat.ARP_REQUESTS_SENT);
                        work++;
                    }
                    break;
                case FAILED:
                    if (expiresNs[i] - nowNs <= 0) {
                        states[i] = FREE;
                    }
                    break;
                default:
                    break;
            }
        }
        work += pollProbe(nowNs);
        return work;
    }

    long pollAtNs(long nowNs) {
        long at = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            switch (states[i]) {
                case INCOMPLETE:
                    at = earlier(at, nextRequestNs[i], nowNs);
                    break;
                case REACHABLE:
                    at = earlier(at, expiresNs[i], nowNs);
                    if (lastUsedNs[i] - confirmedNs[i] > 0) {      // used since last confirmed: refresh it
                        long refreshAt = expiresNs[i] - config.arpRefreshBeforeNs;
                        at = earlier(at, refreshAt - nextRequestNs[i] < 0 ? nextRequestNs[i] : refreshAt, nowNs);
                    }
                    break;
                case FAILED:
                    at = earlier(at, expiresNs[i], nowNs);
                    break;
                default:
                    break;
            }
        }
        if (probeState == PROBE_PROBING) {
            at = earlier(at, probeNextNs, nowNs);
        }
        if (announcementsLeft > 0) {
            at = earlier(at, announceNextNs, nowNs);
        }
        return at;
    }

    private static long earlier(long at, long candidate, long nowNs) {
        if (at == Long.MAX_VALUE || candidate - at < 0) {
            return candidate;
        }
        return at;
    }

    /** Handles one ARP packet that passed {@link ArpPacket#check()}; {@code ethSource} is the frame's source MAC. */
    void input(ArpPacket arp, long ethSource, long nowNs) {
        final long senderMac = arp.senderMac();
        final int senderIp = arp.senderIp();
        final int targetIp = arp.targetIp();
        final int op = arp.operation();
        final int ourIp = stack.address();
        final long ourMac = stack.macAddress();

        if (senderMac == ourMac) {
            stack.count(Stat.ARP_DROP_OWN);
            return;
        }
        if (senderMac == 0 || EthernetFrame.isMulticast(senderMac)) {
            stack.count(Stat.ARP_DROP_SENDER);         // A5
            return;
        }
        // RFC 5227 §2.1.1: while probing, any ARP from the candidate, or another host's probe for it, is a conflict.
        if (probeState == PROBE_PROBING && probeIp != 0
                && (senderIp == probeIp || (senderIp == 0 && targetIp == probeIp && op == ArpPacket.OP_REQUEST))) {
            probeState = PROBE_CONFLICT;
            stack.count(Stat.ARP_CONFLICT);
            return;
        }
        if (senderIp == 0) {
            return;                                    // a probe from someone else: checked above, never cached
        }
        if (!Ipv4Packet.isValidUnicastSource(senderIp) || senderIp == stack.subnetBroadcast()) {
            stack.count(Stat.ARP_DROP_SENDER);         // A5
            return;
        }
        if (ourIp != 0 && senderIp == ourIp) {
            // A4, RFC 5227 §2.4: someone else claims our address. Never cache it; defend at most once per 10 s.
            stack.count(Stat.ARP_CONFLICT);
            if (!defendedOnce || nowNs - lastDefendNs >= DEFEND_INTERVAL_NS) {
                defendedOnce = true;
                lastDefendNs = nowNs;
                stack.sendArp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, ourIp, 0L, ourIp, nowNs);
                stack.count(Stat.ARP_DEFEND);
            }
            return;
        }
        final boolean targetsUs = ourIp != 0 && targetIp == ourIp;
        int i = find(senderIp);
        // Solicited: an answer to our own broadcast resolution, or the trusted MAC answering our refresh.
        final boolean solicited = i >= 0 && targetsUs
                && (states[i] == INCOMPLETE || (refreshing[i] && macs[i] == senderMac));

        if (i >= 0 && (states[i] == REACHABLE || states[i] == INCOMPLETE)) {
            if (states[i] == REACHABLE && macs[i] != senderMac) {
                // RFC 826 merge for ordinary entries; a pinned entry (the gateway) never changes from an
                // unsolicited packet — it re-confirms and, if the trusted MAC is gone, resolves afresh.
                boolean mayChange = targetsUs && op == ArpPacket.OP_REQUEST && !pinned[i];
                if (!mayChange) {
                    stack.count(Stat.ARP_MAC_CHANGE_REFUSED);   // A3
                    if (pinned[i] && nextRequestNs[i] - nowNs <= 0) {
                        // Re-confirm with the MAC we trust (unicast). If it stays silent the entry expires
                        // and a broadcast resolution — a reply to our own request — settles it.
                        refreshing[i] = true;
                        nextRequestNs[i] = nowNs + config.arpRetryNs;
                        long reconfirmBy = nowNs + config.arpRetryNs * config.arpMaxTries;
                        if (expiresNs[i] - reconfirmBy > 0) {
                            expiresNs[i] = reconfirmBy;
                        }
                        stack.sendArp(ArpPacket.OP_REQUEST, macs[i], ourIp, 0L, ips[i], nowNs);
                        stack.count(Stat.ARP_REQUESTS_SENT);
                    }
                    if (op == ArpPacket.OP_REQUEST && targetsUs) {
                        stack.sendArp(ArpPacket.OP_REPLY, senderMac, ourIp, senderMac, senderIp, nowNs);
                        stack.count(Stat.ARP_REPLIES_SENT);
                    }
                    return;
                }
                if (pinned[i]) {
                    stack.count(Stat.ARP_GATEWAY_MAC_CHANGES);
                }
            }
            if (targetsUs) {
                boolean wasIncomplete = states[i] == INCOMPLETE;
                macs[i] = senderMac;
                states[i] = REACHABLE;
                refreshing[i] = false;
                tries[i] = 0;
                expiresNs[i] = nowNs + config.arpLifetimeNs;
                confirmedNs[i] = nowNs;
                nextRequestNs[i] = nowNs;
                stack.count(wasIncomplete ? Stat.ARP_RESOLVED : Stat.ARP_REFRESHED);
                if (wasIncomplete && pendingLengths[i] > 0) {
                    stack.sendHeld(pendingFrames[i], pendingLengths[i], senderMac, nowNs);
                    pendingLengths[i] = 0;
                }
            } else {
                stack.count(Stat.ARP_DROP_UNSOLICITED);     // gratuitous / third-party: not merged
            }
        } else if (targetsUs && op == ArpPacket.OP_REQUEST) {
            // RFC 826 merge: the requester will talk to us; remember it.
            int j = i >= 0 ? i : create(senderIp, nowNs);
            if (j >= 0) {
                macs[j] = senderMac;
                states[j] = REACHABLE;
                expiresNs[j] = nowNs + config.arpLifetimeNs;
                confirmedNs[j] = nowNs;
                nextRequestNs[j] = nowNs;
                refreshing[j] = false;
                tries[j] = 0;
            }
        } else {
            stack.count(Stat.ARP_DROP_UNSOLICITED);    // A3: never learned
        }
        if (op == ArpPacket.OP_REQUEST && targetsUs) {
            stack.sendArp(ArpPacket.OP_REPLY, senderMac, ourIp, senderMac, senderIp, nowNs);
            stack.count(Stat.ARP_REPLIES_SENT);
        }
    }

    // ---- RFC 5227 probing and announcing ---------------------------------------------------

    /** Starts probing {@code ip} (RFC 5227 §2.1.1): wait 0–1 s, then 3 probes 1–2 s apart. */
    public void startProbe(int ip, long nowNs) {
        probeIp = ip;
        probeState = PROBE_PROBING;
        probesSent = 0;
        probeNextNs = nowNs + stack.random().nextLong(PROBE_WAIT_NS);
    }

    /** {@link #PROBE_PROBING}, {@link #PROBE_FREE} or {@link #PROBE_CONFLICT} for the address being probed. */
    public int probeResult(int ip) {
        return ip == probeIp ? probeState : PROBE_IDLE;
    }

    /** Announces {@code ip} (RFC 5227 §2.3): two gratuitous requests 2 s apart, the first now. */
    public void announce(int ip, long nowNs) {
        announceIp = ip;
        announcementsLeft = ANNOUNCE_NUM;
        announceNextNs = nowNs;
        pollProbe(nowNs);
    }

    private int pollProbe(long nowNs) {
        int work = 0;
        if (probeState == PROBE_PROBING && probeNextNs - nowNs <= 0) {
            if (probesSent < PROBE_NUM) {
                stack.sendArp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, 0, 0L, probeIp, nowNs);
                stack.count(Stat.ARP_PROBES_SENT);
                probesSent++;
                probeNextNs = nowNs + (probesSent < PROBE_NUM
                        ? PROBE_MIN_NS + stack.random().nextLong(PROBE_MAX_NS - PROBE_MIN_NS)
                        : ANNOUNCE_WAIT_NS);
            } else {
                probeState = PROBE_FREE;
            }
            work++;
        }
        if (announcementsLeft > 0 && announceNextNs - nowNs <= 0) {
            stack.sendArp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, announceIp, 0L, announceIp, nowNs);
            stack.count(Stat.ARP_ANNOUNCEMENTS_SENT);
            announcementsLeft--;
            announceNextNs = nowNs + ANNOUNCE_INTERVAL_NS;
            work++;
        }
        return work;
    }
}
