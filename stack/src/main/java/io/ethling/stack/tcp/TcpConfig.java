package io.ethling.stack.tcp;

/**
 * Everything that sizes and tunes TCP, validated once before anything is allocated. Fluent
 * setters; {@link #validate()} names the first bad field.
 */
public final class TcpConfig {

    int sockets = 8;                           // connection records (client + server)
    int serverConnections = 4;                 // at most this many records may come from passive opens
    int listeners = 4;
    int synBacklog = 8;                        // half-open connections, kept apart from the records
    int timeWaitEntries = 8;
    int sendBufferBytes = 8192;                // power of two
    int receiveBufferBytes = 8192;             // power of two
    int oooRanges = 4;                         // holes the out-of-order assembler remembers
    int mss = 1460;                            // MTU 1500 − 40 (RFC 9293 MUST-16, MUST-67)
    int minPeerMss = 64;                       // T7: clamp of the peer's MSS
    long initialRtoNs = 1_000_000_000L;        // RFC 6298 §2.1
    long minRtoNs = 1_000_000_000L;            // RFC 6298 §2.4
    long maxRtoNs = 60_000_000_000L;           // RFC 6298 §2.5 (at least 60 s)
    long clockGranularityNs = 1_000_000L;      // RFC 6298 G
    long mslNs = 30_000_000_000L;              // TIME-WAIT = 2·MSL = 60 s by default (MUST-13)
    long delayedAckNs = 200_000_000L;          // MUST-40: < 0.5 s
    int r1Retransmissions = 3;                 // SHLD-10
    long r2Ns = 100_000_000_000L;              // SHLD-11, MUST-20, MUST-21
    long synR2Ns = 180_000_000_000L;           // MUST-23: at least 3 min
    int synAckRetries = 5;                     // passive side: SYN-ACK retransmissions before giving up
    int challengeAcksPerSecond = 1;            // RFC 5961 §7, per connection
    boolean keepAlive = false;                 // MUST-25: off by default
    long keepAliveIdleNs = 7_200_000_000_000L; // MUST-28: 2 h
    long keepAliveIntervalNs = 75_000_000_000L;
    int keepAliveProbes = 9;
    long finWait2TimeoutNs = 60_000_000_000L;  // after our close, a peer that never sends FIN
    long serverIdleTimeoutNs = 0;              // T33: reclaim idle passive connections (0 = never)
    boolean nagle = true;                      // SHLD-7, switchable per socket (MUST-17)
    int ephemeralFrom = 49152;                 // RFC 6335 dynamic range (RFC 6056 §3.2)
    int ephemeralTo = 65535;

    public TcpConfig sockets(int n) { this.sockets = n; return this; }
    public TcpConfig serverConnections(int n) { this.serverConnections = n; return this; }
    public TcpConfig listeners(int n) { this.listeners = n; return this; }
    public TcpConfig synBacklog(int n) { this.synBacklog = n; return this; }
    public TcpConfig timeWaitEntries(int n) { this.timeWaitEntries = n; return this; }
    public TcpConfig sendBufferBytes(int n) { this.sendBufferBytes = n; return this; }
    public TcpConfig receiveBufferBytes(int n) { this.receiveBufferBytes = n; return this; }
    public TcpConfig oooRanges(int n) { this.oooRanges = n; return this; }
    public TcpConfig mss(int n) { this.mss = n; return this; }
    public TcpConfig minRtoNs(long ns) { this.minRtoNs = ns; return this; }
    public TcpConfig maxRtoNs(long ns) { this.maxRtoNs = ns; return this; }
    public TcpConfig initialRtoNs(long ns) { this.initialRtoNs = ns; return this; }
    public TcpConfig mslNs(long ns) { this.mslNs = ns; return this; }
    public TcpConfig delayedAckNs(long ns) { this.delayedAckNs = ns; return this; }
    public TcpConfig r1Retransmissions(int n) { this.r1Retransmissions = n; return this; }
    public TcpConfig r2Ns(long ns) { this.r2Ns = ns; return this; }
    public TcpConfig synR2Ns(long ns) { this.synR2Ns = ns; return this; }
    public TcpConfig synAckRetries(int n) { this.synAckRetries = n; return this; }
    public TcpConfig challengeAcksPerSecond(int n) { this.challengeAcksPerSecond = n; return this; }
    public TcpConfig keepAlive(boolean on) { this.keepAlive = on; return this; }
    public TcpConfig keepAliveIdleNs(long ns) { this.keepAliveIdleNs = ns; return this; }
    public TcpConfig keepAliveIntervalNs(long ns) { this.keepAliveIntervalNs = ns; return this; }
    public TcpConfig keepAliveProbes(int n) { this.keepAliveProbes = n; return this; }
    public TcpConfig finWait2TimeoutNs(long ns) { this.finWait2TimeoutNs = ns; return this; }
    public TcpConfig serverIdleTimeoutNs(long ns) { this.serverIdleTimeoutNs = ns; return this; }
    public TcpConfig nagle(boolean on) { this.nagle = on; return this; }
    public TcpConfig ephemeralRange(int from, int to) { this.ephemeralFrom = from; this.ephemeralTo = to; return this; }

    public int mss() {
        return mss;
    }

    /** @throws IllegalArgumentException naming the first bad field (set-up time only) */
    public TcpConfig validate() {
        require(sockets >= 1 && sockets <= 255, "sockets must be 1..255");
        require(serverConnections >= 0 && serverConnections <= sockets, "serverConnections must be 0..sockets");
        require(listeners >= 0 && listeners <= 64, "listeners must be 0..64");
        require(synBacklog >= 1, "synBacklog must be >= 1");
        require(timeWaitEntries >= 1, "timeWaitEntries must be >= 1");
        require(Integer.bitCount(sendBufferBytes) == 1 && sendBufferBytes >= 64, "sendBufferBytes must be a power of two >= 64");
        require(Integer.bitCount(receiveBufferBytes) == 1 && receiveBufferBytes >= 64
                && receiveBufferBytes <= 65536, "receiveBufferBytes must be a power of two in 64..65536");
        require(oooRanges >= 1 && oooRanges <= 64, "oooRanges must be 1..64");
        require(mss >= 64 && mss <= 65495, "mss must be 64..65495");
        require(minPeerMss >= 1 && minPeerMss <= mss, "minPeerMss must be 1..mss");
        require(minRtoNs > 0 && initialRtoNs >= minRtoNs && maxRtoNs >= 60_000_000_000L && maxRtoNs >= initialRtoNs,
                "RTO bounds: 0 < minRto <= initialRto <= maxRto, maxRto >= 60 s (RFC 6298 §2.5)");
        require(mslNs > 0, "mslNs must be > 0");
        require(delayedAckNs > 0 && delayedAckNs < 500_000_000L, "delayedAckNs must be < 500 ms (MUST-40)");
        require(r1Retransmissions >= 1, "r1Retransmissions must be >= 1");
        require(r2Ns > 0 && synR2Ns > 0, "r2Ns and synR2Ns must be > 0");
        require(challengeAcksPerSecond >= 1, "challengeAcksPerSecond must be >= 1");
        require(keepAliveIdleNs > 0 && keepAliveIntervalNs > 0 && keepAliveProbes >= 1, "keep-alive timers must be > 0");
        require(serverIdleTimeoutNs >= 0, "serverIdleTimeoutNs must be >= 0");
        require(ephemeralFrom >= 1024 && ephemeralTo <= 65535 && ephemeralFrom < ephemeralTo, "ephemeral range must be within 1024..65535");
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("TcpConfig: " + message);
        }
    }
}
