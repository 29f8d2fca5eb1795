package io.ethling.stack.tcp;

/**
 * One connection record (RFC 9293 §3.3.1 "Transmission Control Block"), allocated once with its
 * rings and reused for every connection its slot carries. Fields are package-private: TcpInput,
 * TcpOutput and TcpTimers work on them directly, as lwIP's tcp_in.c/tcp_out.c do on a tcp_pcb.
 *
 * <p>Send ring: the bytes from {@link #dataBase} (the sequence number of its first byte) onward,
 * acknowledged bytes removed at once. Our SYN is at ISS, our FIN at dataBase + sndLen.
 * Receive ring: {@link #rcvLen} readable bytes from rcvHead, then the window; out-of-order bytes
 * are written at their place in the window and tracked by {@link #ooo}.
 */
final class Tcb {

    final int index;
    int generation;
    boolean used;             // held by the application (or waiting in a listener's accept queue)
    boolean appClosed;        // close() or abort() called: the slot frees itself when CLOSED
    boolean passive;          // came from a listener
    int listener = -1;
    boolean acceptPending;
    long acceptOrder;
    boolean synHeld;          // Tcp.listenAll: a peer's SYN waits in SYN-RECEIVED for acceptSyn or refuse

    TcpState state = TcpState.CLOSED;
    int error;
    boolean r1Warned;
    boolean noDelay;
    boolean keepAlive;

    int localIp;
    int localPort;
    int remoteIp;
    int remotePort;

    // send sequence space (RFC 9293 §3.3.1)
    int iss;
    int sndUna;
    int sndNxt;
    int sndMax;               // highest sequence number sent + 1 (sndNxt falls back on a timeout)
    int sndWnd;
    int sndWl1;
    int sndWl2;
    int maxSndWnd;            // RFC 5961 §5 MAX.SND.WND, SWS sender (RFC 9293 §3.8.6.2.1)
    int mss;                  // effective send MSS (MUST-16)
    final byte[] sndBuf;
    final int sndMask;
    int sndHead;
    int sndLen;
    int dataBase;
    boolean finQueued;

    // receive sequence space
    int irs;
    int rcvNxt;
    int rcvAdv;               // right edge of the window we advertised (never moves left)
    final byte[] rcvBuf;
    final int rcvMask;
    int rcvHead;
    int rcvLen;
    boolean finReceived;      // the peer's FIN is in sequence and acknowledged
    boolean finPending;       // an out-of-order FIN waits at finSeq
    int finSeq;
    final Assembler ooo;

    // RFC 6298
    boolean hasRtt;
    long srttNs;
    long rttvarNs;
    long rtoNs;
    boolean timing;
    int rttSeq;
    long rttStartNs;
    boolean rtoArmed;
    long rtoDeadlineNs;
    int retransmits;          // consecutive timeouts of the same data (R1, R2)
    long firstRetransmitNs;
    boolean synRetransmitted;

    // zero-window probe / SWS override
    boolean persistArmed;
    long persistDeadlineNs;
    int persistBackoff;

    // delayed ACK (RFC 9293 §3.8.6.3, RFC 5681 §4.2)
    boolean ackNow;
    boolean delAckArmed;
    long delAckDeadlineNs;
    int unackedBytes;         // in-order bytes received since our last ACK
    int rcvMss;               // largest segment seen from the peer ("full-sized", RFC 5681 §4.2)

    // RFC 5681 / RFC 6582
    int cwnd;
    int ssthresh;
    int dupAcks;
    boolean inRecovery;
    int recover;
    long lastSendNs;

    // RFC 5961 §7
    long challengeWindowNs;
    int challengeCount;

    // keep-alive and FIN-WAIT-2
    long lastReceiveNs;
    int keepAliveSent;
    boolean finWait2Armed;
    long finWait2DeadlineNs;

    Tcb(int index, int sendBytes, int receiveBytes, int oooRanges) {
        this.index = index;
        this.sndBuf = new byte[sendBytes];
        this.sndMask = sendBytes - 1;
        this.rcvBuf = new byte[receiveBytes];
        this.rcvMask = receiveBytes - 1;
        this.ooo = new Assembler(oooRanges);
    }

    int handle() {
        return (generation << 8) | index;
    }

    /** Clears everything but the slot's identity and buffers (generation advances on allocation). */
    void reset() {
        used = false;
        appClosed = false;
        passive = false;
        listener = -1;
        acceptPending = false;
        acceptOrder = 0;
        synHeld = false;
        state = TcpState.CLOSED;
        error = 0;
        r1Warned = false;
        noDelay = false;
        keepAlive = false;
        localIp = 0;
        localPort = 0;
        remoteIp = 0;
        remotePort = 0;
        iss = sndUna = sndNxt = sndMax = sndWnd = sndWl1 = sndWl2 = maxSndWnd = mss = 0;
        sndHead = sndLen = dataBase = 0;
        finQueued = false;
        irs = rcvNxt = rcvAdv = 0;
        rcvHead = rcvLen = 0;
        finReceived = finPending = false;
        finSeq = 0;
        ooo.clear();
        hasRtt = false;
        srttNs = rttvarNs = rtoNs = 0;
        timing = false;
        rttSeq = 0;
        rttStartNs = 0;
        rtoArmed = false;
        rtoDeadlineNs = 0;
        retransmits = 0;
        firstRetransmitNs = 0;
        synRetransmitted = false;
        persistArmed = false;
        persistDeadlineNs = 0;
        persistBackoff = 0;
        ackNow = false;
        delAckArmed = false;
        delAckDeadlineNs = 0;
        unackedBytes = 0;
        rcvMss = 0;
        cwnd = ssthresh = dupAcks = 0;
        inRecovery = false;
        recover = 0;
        lastSendNs = 0;
        challengeWindowNs = 0;
        challengeCount = 0;
        lastReceiveNs = 0;
        keepAliveSent = 0;
        finWait2Armed = false;
        finWait2DeadlineNs = 0;
    }

    /** Bytes queued but not yet sent (FIN excluded). */
    int unsentBytes() {
        int sent = sndNxt - dataBase;
        if (sent < 0) {
            sent = 0;
        }
        return sent >= sndLen ? 0 : sndLen - sent;
    }

    /** The sequence number of our FIN (valid when finQueued). */
    int finSeqOut() {
        return dataBase + sndLen;
    }

    int flightSize() {
        return sndMax - sndUna;
    }
}
