package io.ethling.stack.tcp;

/**
 * Half-open connections of the listeners (passive SYN-RECEIVED), in a bounded table of parallel
 * arrays kept apart from the connection records: a SYN flood fills only this table (T32, G7), and
 * when it is full the oldest entry is recycled. An entry becomes a connection record only when
 * the handshake's final ACK arrives. SYN-ACKs are retransmitted with backoff a few times.
 */
final class SynBacklog {

    private final Tcp tcp;
    private final TcpOutput out;
    private final TcpConfig cfg;
    private final boolean[] used;
    private final int[] listener;
    private final int[] localIp;
    private final int[] localPort;
    private final int[] remoteIp;
    private final int[] remotePort;
    private final int[] irs;
    private final int[] iss;
    private final int[] mss;
    private final long[] createdNs;
    private final long[] firstSentNs;
    private final int[] retries;
    private final long[] deadlineNs;
    private int count;

    SynBacklog(Tcp tcp, TcpOutput out, TcpConfig cfg) {
        this.tcp = tcp;
        this.out = out;
        this.cfg = cfg;
        int n = cfg.synBacklog;
        used = new boolean[n];
        listener = new int[n];
        localIp = new int[n];
        localPort = new int[n];
        remoteIp = new int[n];
        remotePort = new int[n];
        irs = new int[n];
        iss = new int[n];
        mss = new int[n];
        createdNs = new long[n];
        firstSentNs = new long[n];
        retries = new int[n];
        deadlineNs = new long[n];
    }

    int count() {
        return count;
    }

    int add(int l, int lip, int lport, int rip, int rport, int peerIrs, int ourIss, int peerMss, long nowNs) {
        int slot = -1;
        int oldest = -1;
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                slot = i;
                break;
            }
            if (oldest < 0 || createdNs[i] - createdNs[oldest] < 0) {
                oldest = i;
            }
        }
        if (slot < 0) {
            slot = oldest;
            count--;
            tcp.count(TcpStat.BACKLOG_RECYCLED);
        }
        used[slot] = true;
        count++;
        listener[slot] = l;
        localIp[slot] = lip;
        localPort[slot] = lport;
        remoteIp[slot] = rip;
        remotePort[slot] = rport;
        irs[slot] = peerIrs;
        iss[slot] = ourIss;
        mss[slot] = peerMss;
        createdNs[slot] = nowNs;
        firstSentNs[slot] = nowNs;
        retries[slot] = 0;
        deadlineNs[slot] = nowNs + cfg.initialRtoNs;
        return slot;
    }

    /** The entry of this 4-tuple, or -1; {@code lip} 0 matches any of our addresses (ephemeral port choice). */
    int find(int lip, int lport, int rip, int rport) {
        for (int i = 0; i < used.length; i++) {
            if (used[i] && (lip == 0 || localIp[i] == lip) && localPort[i] == lport && remoteIp[i] == rip
                    && remotePort[i] == rport) {
                return i;
            }
        }
        return -1;
    }

    void sendSynAck(int i, long nowNs) {
        out.sendBare(localIp[i], remoteIp[i], localPort[i], remotePort[i], iss[i], irs[i] + 1,
                TcpSegment.FLAG_SYN | TcpSegment.FLAG_ACK, out.initialWindow(), cfg.mss, nowNs);
    }

    void remove(int i) {
        if (used[i]) {
            used[i] = false;
            count--;
        }
    }

    void removeListener(int l) {
        for (int i = 0; i < used.length; i++) {
            if (used[i] && listener[i] == l) {
                remove(i);
            }
        }
    }

    int listener(int i) { return listener[i]; }
    int localIp(int i) { return localIp[i]; }
    int localPort(int i) { return localPort[i]; }
    int remoteIp(int i) { return remoteIp[i]; }
    int remotePort(int i) { return remotePort[i]; }
    int irs(int i) { return irs[i]; }
    int iss(int i) { return iss[i]; }
    int mss(int i) { return mss[i]; }
    int retries(int i) { return retries[i]; }
    long firstSentNs(int i) { return firstSentNs[i]; }

    int poll(long nowNs) {
        int work = 0;
        for (int i = 0; i < used.length; i++) {
            if (!used[i] || nowNs - deadlineNs[i] < 0) {
                continue;
            }
            work++;
            if (retries[i] >= cfg.synAckRetries) {
                remove(i);
                tcp.count(TcpStat.BACKLOG_EXPIRED);
                continue;
            }
            retries[i]++;
            long d = cfg.initialRtoNs << Math.min(retries[i], 16);
            deadlineNs[i] = nowNs + Math.min(d, cfg.maxRtoNs);
            tcp.count(TcpStat.RETRANSMIT_TIMEOUTS);
            sendSynAck(i, nowNs);
        }
        return work;
    }

    long nextDeadline(long nowNs) {
        long at = Long.MAX_VALUE;
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                at = TcpTimers.earliest(at, deadlineNs[i], nowNs);
            }
        }
        return at;
    }
}
