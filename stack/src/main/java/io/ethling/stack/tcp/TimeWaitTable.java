package io.ethling.stack.tcp;

/**
 * Connections in TIME-WAIT (RFC 9293 §3.3.2, MUST-13: 2·MSL), kept in a small table of parallel
 * arrays apart from the connection records, so a socket is reusable as soon as its connection
 * gets here. When the table is full the oldest entry is recycled.
 */
final class TimeWaitTable {

    private final Tcp tcp;
    private final TcpOutput out;
    private final long durationNs;
    private final boolean[] used;
    private final int[] localIp;
    private final int[] localPort;
    private final int[] remoteIp;
    private final int[] remotePort;
    private final int[] sndNxt;
    private final int[] rcvNxt;
    private final long[] expiresNs;
    private final int[] handle;          // for the transition log only
    private final int[] relSnd;
    private final int[] relRcv;
    private final int window;
    private int count;

    TimeWaitTable(Tcp tcp, TcpOutput out, TcpConfig cfg) {
        this.tcp = tcp;
        this.out = out;
        this.durationNs = 2 * cfg.mslNs;
        int n = cfg.timeWaitEntries;
        used = new boolean[n];
        localIp = new int[n];
        localPort = new int[n];
        remoteIp = new int[n];
        remotePort = new int[n];
        sndNxt = new int[n];
        rcvNxt = new int[n];
        expiresNs = new long[n];
        handle = new int[n];
        relSnd = new int[n];
        relRcv = new int[n];
        window = out.initialWindow();
    }

    int count() {
        return count;
    }

    void add(Tcb t, long nowNs) {
        int slot = -1;
        int oldest = -1;
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                slot = i;
                break;
            }
            if (oldest < 0 || expiresNs[i] - expiresNs[oldest] < 0) {
                oldest = i;
            }
        }
        if (slot < 0) {
            slot = oldest;
            count--;
            tcp.count(TcpStat.TIME_WAIT_RECYCLED);
        }
        used[slot] = true;
        count++;
        localIp[slot] = t.localIp;
        localPort[slot] = t.localPort;
        remoteIp[slot] = t.remoteIp;
        remotePort[slot] = t.remotePort;
        sndNxt[slot] = t.sndNxt;
        rcvNxt[slot] = t.rcvNxt;
        expiresNs[slot] = nowNs + durationNs;
        handle[slot] = t.handle();
        relSnd[slot] = t.sndNxt - t.iss;
        relRcv[slot] = t.rcvNxt - t.irs;
        tcp.count(TcpStat.TIME_WAIT_ENTERED);
    }

    /** The entry of this 4-tuple (RFC 9293 §3.2: both sockets, our address too), or -1. */
    int find(int lip, int lport, int rip, int rport) {
        for (int i = 0; i < used.length; i++) {
            if (used[i] && localIp[i] == lip && localPort[i] == lport && remoteIp[i] == rip && remotePort[i] == rport) {
                return i;
            }
        }
        return -1;
    }

    /** Whether any entry holds this local port toward this remote socket (ephemeral port choice). */
    boolean usesLocalPort(int lport, int rip, int rport) {
        for (int i = 0; i < used.length; i++) {
            if (used[i] && localPort[i] == lport && remoteIp[i] == rip && remotePort[i] == rport) {
                return true;
            }
        }
        return false;
    }

    int rcvNxt(int i) {
        return rcvNxt[i];
    }

    void remove(int i) {
        if (used[i]) {
            used[i] = false;
            count--;
        }
    }

    void restart(int i, long nowNs) {
        expiresNs[i] = nowNs + durationNs;
    }

    void sendAck(int i, long nowNs) {
        out.sendBare(localIp[i], remoteIp[i], localPort[i], remotePort[i], sndNxt[i], rcvNxt[i],
                TcpSegment.FLAG_ACK, window, -1, nowNs);
    }

    int poll(long nowNs) {
        int work = 0;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && nowNs - expiresNs[i] >= 0) {
                used[i] = false;
                count--;
                work++;
                tcp.count(TcpStat.TIME_WAIT_EXPIRED);
                tcp.trace(handle[i], TcpState.TIME_WAIT, TcpState.CLOSED, relSnd[i], relSnd[i], relRcv[i], nowNs);
            }
        }
        return work;
    }

    long nextDeadline(long nowNs) {
        long at = Long.MAX_VALUE;
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                at = TcpTimers.earliest(at, expiresNs[i], nowNs);
            }
        }
        return at;
    }
}
