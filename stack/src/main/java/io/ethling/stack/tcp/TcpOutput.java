package io.ethling.stack.tcp;

/**
 * What to send now (lwIP's tcp_out.c role): SYN and SYN-ACK with the MSS option, data within
 * min(SND.WND, cwnd) with sender silly-window avoidance and Nagle, our FIN, bare and challenge
 * ACKs, resets, probes. Every segment is built in one scratch array and handed to the transport,
 * which copies it.
 */
final class TcpOutput {

    private final Tcp tcp;
    private final TcpConfig cfg;
    private final TcpTransport transport;
    private final byte[] tx;
    private final TcpSegment seg = new TcpSegment();

    TcpOutput(Tcp tcp, TcpConfig cfg, TcpTransport transport) {
        this.tcp = tcp;
        this.cfg = cfg;
        this.transport = transport;
        this.tx = new byte[TcpSegment.HEADER_LENGTH + TcpSegment.MSS_OPTION_LENGTH + cfg.mss];
    }

    /** The initial window we offer (no window scaling: at most 65,535, RFC 9293 §3.1). */
    int initialWindow() {
        return Math.min(cfg.receiveBufferBytes, 65535);
    }

    /**
     * The window to advertise now. The right edge never moves left (RFC 9293 §3.8.6.2.2 "shrinking
     * the window is strongly discouraged"), and moves right only by at least
     * min(RCV.BUFF / 2, MSS) (receiver SWS avoidance, MUST-39).
     */
    int advertiseWindow(Tcb t) {
        int free = t.rcvBuf.length - t.rcvLen;
        int current = t.rcvAdv - t.rcvNxt;
        if (current < 0) {
            current = 0;
        }
        if (free - current >= Math.min(t.rcvBuf.length / 2, cfg.mss)) {
            t.rcvAdv = t.rcvNxt + Math.min(free, 65535);
            current = t.rcvAdv - t.rcvNxt;
        }
        return Math.min(current, 65535);
    }

    /** True when reading made the window grow enough to be worth a window update (MUST-39). */
    boolean windowUpdateDue(Tcb t) {
        int free = t.rcvBuf.length - t.rcvLen;
        int current = t.rcvAdv - t.rcvNxt;
        return free - current >= Math.min(t.rcvBuf.length / 2, cfg.mss);
    }

    /** Sends whatever the connection may send now; returns the number of segments sent. */
    int output(Tcb t, long nowNs) {
        switch (t.state) {
            case CLOSED:
            case LISTEN:
                return 0;
            case TIME_WAIT:
                if (t.ackNow) {
                    sendControl(t, t.sndNxt, TcpSegment.FLAG_ACK, nowNs);
                    return 1;
                }
                return 0;
            case SYN_SENT:
            case SYN_RECEIVED:
                return outputSyn(t, nowNs);
            default:
                return outputData(t, nowNs);
        }
    }

    private int outputSyn(Tcb t, long nowNs) {
        if (t.synHeld) {
            t.ackNow = false;                             // Tcp.listenAll: no SYN-ACK until the application says yes
            return 0;
        }
        if (t.sndNxt != t.iss) {
            if (t.ackNow && t.state == TcpState.SYN_RECEIVED) {
                t.sndNxt = t.iss;                        // our SYN-ACK again: the peer's ACK was not acceptable
            } else {
                t.ackNow = false;
                return 0;
            }
        }
        int flags = t.state == TcpState.SYN_SENT ? TcpSegment.FLAG_SYN : TcpSegment.FLAG_SYN | TcpSegment.FLAG_ACK;
        boolean fresh = Seq.ge(t.iss, t.sndMax) && !t.synRetransmitted;
        send(t, t.iss, flags, 0, 0, cfg.mss, nowNs);    // MUST-14 / SHLD-5: MSS on every SYN
        t.sndNxt = t.iss + 1;
        t.sndMax = Seq.max(t.sndMax, t.sndNxt);
        if (fresh && !t.timing) {
            t.timing = true;                              // RFC 6298 §3: time the SYN unless retransmitted
            t.rttSeq = t.iss + 1;
            t.rttStartNs = nowNs;
        }
        armRto(t, nowNs);
        return 1;
    }

    private int outputData(Tcb t, long nowNs) {
        int sent = 0;
        if (t.sndNxt == t.sndUna && Seq.ge(t.sndUna, t.sndMax) && nowNs - t.lastSendNs > t.rtoNs && t.lastSendNs != 0) {
            int iw = initialCwnd(t.mss);                  // RFC 5681 §4.1: restart after an idle RTO
            if (t.cwnd > iw) {
                t.cwnd = iw;
            }
        }
        boolean closing = t.finQueued && (t.state == TcpState.FIN_WAIT_1 || t.state == TcpState.LAST_ACK
                || t.state == TcpState.CLOSING);
        int bound = t.sndBuf.length / Math.max(1, t.mss) + 2;  // each pass sends at least one byte or stops
        for (int pass = 0; pass < bound; pass++) {
            int unsent = t.unsentBytes();
            int flight = t.sndNxt - t.sndUna;
            // RFC 3042 limited transmit: the first two duplicate ACKs may each clock out one new segment
            int extra = !t.inRecovery && t.dupAcks > 0 ? Math.min(t.dupAcks, 2) * t.mss : 0;
            int wnd = Math.min(t.sndWnd, t.cwnd + extra);
            int usable = wnd - flight;
            boolean finUnsent = closing && Seq.le(t.sndNxt, t.finSeqOut());
            if (unsent > 0) {
                int n = Math.min(Math.min(unsent, t.mss), usable);
                if (n <= 0) {
                    break;
                }
                if (n < t.mss) {
                    // RFC 9293 §3.8.6.2.1 (SWS, MUST-38) with Nagle (§3.7.4, SHLD-7) unless switched off (MUST-17)
                    boolean nagleOk = t.noDelay || flight == 0;
                    boolean ok = (n == unsent && nagleOk) || (t.maxSndWnd > 0 && n >= t.maxSndWnd / 2 && nagleOk);
                    if (!ok) {
                        break;
                    }
                }
                boolean fin = finUnsent && n == unsent;
                int flags = TcpSegment.FLAG_ACK | (n == unsent ? TcpSegment.FLAG_PSH : 0) | (fin ? TcpSegment.FLAG_FIN : 0);
                sendData(t, t.sndNxt, n, flags, nowNs);
                sent++;
                continue;
            }
            if (finUnsent) {
                sendData(t, t.sndNxt, 0, TcpSegment.FLAG_ACK | TcpSegment.FLAG_FIN, nowNs);
                sent++;
            }
            break;
        }
        if (sent == 0 && t.ackNow) {
            sendControl(t, t.sndNxt, TcpSegment.FLAG_ACK, nowNs);
            sent++;
        }
        // a timer must always watch queued data: RTO while in flight, the persist timer otherwise
        if (t.sndNxt == t.sndUna && Seq.ge(t.sndUna, t.sndMax) && t.unsentBytes() > 0) {
            if (!t.persistArmed) {
                t.persistArmed = true;
                t.persistDeadlineNs = nowNs + persistInterval(t);
            }
        } else if (t.sndNxt != t.sndUna) {
            t.persistArmed = false;
        }
        return sent;
    }

    long persistInterval(Tcb t) {
        long d = t.rtoNs << Math.min(t.persistBackoff, 16);   // SHLD-29/30: one RTO, then backoff
        return d <= 0 || d > cfg.maxRtoNs ? cfg.maxRtoNs : d;
    }

    /** Sends {@code len} bytes from sequence number {@code seq} (a new transmission or not), advancing SND.NXT. */
    private void sendData(Tcb t, int seq, int len, int flags, long nowNs) {
        boolean fresh = Seq.ge(seq, t.sndMax);
        send(t, seq, flags, seq - t.dataBase, len, -1, nowNs);
        int end = seq + len + ((flags & TcpSegment.FLAG_FIN) != 0 ? 1 : 0);
        t.sndNxt = end;
        t.sndMax = Seq.max(t.sndMax, end);
        if (fresh && !t.timing && end != seq) {
            t.timing = true;                              // RFC 6298 §3 / MUST-18: only new data is timed
            t.rttSeq = end;
            t.rttStartNs = nowNs;
        }
        armRto(t, nowNs);
    }

    /**
     * Fast retransmit and NewReno partial-ACK retransmission (RFC 5681 §3.2, RFC 6582 §3.2): the
     * first unacknowledged segment again, SND.NXT untouched; Karn's rule stops the timing.
     */
    void retransmitFirst(Tcb t, long nowNs) {
        t.timing = false;
        if (t.sndUna == t.iss && !t.state.isSynchronized()) {
            t.sndNxt = t.iss;
            output(t, nowNs);
            return;
        }
        int off = t.sndUna - t.dataBase;
        int avail = t.sndLen - off;
        int n = Math.min(Math.max(avail, 0), t.mss);
        boolean fin = t.finQueued && n == avail && Seq.gt(t.sndMax, t.finSeqOut());
        if (n == 0 && !fin) {
            return;
        }
        int flags = TcpSegment.FLAG_ACK | (fin ? TcpSegment.FLAG_FIN : 0) | (n > 0 && n == avail ? TcpSegment.FLAG_PSH : 0);
        send(t, t.sndUna, flags, off, n, -1, nowNs);
        armRto(t, nowNs);
    }

    /** Zero-window probe, keep-alive and SWS override share one probe: SEG.SEQ = SND.UNA − 1, no data. */
    void sendProbe(Tcb t, long nowNs) {
        sendControl(t, t.sndUna - 1, TcpSegment.FLAG_ACK, nowNs);
    }

    /** Forces up to one segment within the offered window regardless of SWS/Nagle (override timeout, §3.8.6.2.1). */
    void sendOverride(Tcb t, long nowNs) {
        int n = Math.min(Math.min(t.unsentBytes(), t.mss), t.sndWnd - (t.sndNxt - t.sndUna));
        if (n <= 0) {
            return;
        }
        int flags = TcpSegment.FLAG_ACK | (n == t.unsentBytes() ? TcpSegment.FLAG_PSH : 0);
        sendData(t, t.sndNxt, n, flags, nowNs);
    }

    /** A segment without data at {@code seq} (ACK, FIN-less control). */
    void sendControl(Tcb t, int seq, int flags, long nowNs) {
        send(t, seq, flags, 0, 0, -1, nowNs);
    }

    /** RFC 5961 §7: challenge ACKs limited per connection to {@code challengeAcksPerSecond}. */
    void challengeAck(Tcb t, long nowNs) {
        if (nowNs - t.challengeWindowNs >= 1_000_000_000L || t.challengeWindowNs == 0) {
            t.challengeWindowNs = nowNs == 0 ? 1 : nowNs;
            t.challengeCount = 0;
        }
        if (t.challengeCount >= cfg.challengeAcksPerSecond) {
            tcp.count(TcpStat.CHALLENGE_ACKS_LIMITED);
            return;
        }
        t.challengeCount++;
        tcp.count(TcpStat.CHALLENGE_ACKS);
        sendControl(t, t.sndNxt, TcpSegment.FLAG_ACK, nowNs);
    }

    private void send(Tcb t, int seq, int flags, int ringOffset, int len, int mssOption, long nowNs) {
        int hl = TcpSegment.HEADER_LENGTH + (mssOption >= 0 ? TcpSegment.MSS_OPTION_LENGTH : 0);
        if (len > 0) {
            int from = (t.sndHead + ringOffset) & t.sndMask;
            int first = Math.min(len, t.sndBuf.length - from);
            System.arraycopy(t.sndBuf, from, tx, hl, first);
            if (first < len) {
                System.arraycopy(t.sndBuf, 0, tx, hl + first, len - first);
            }
        }
        int ack = 0;
        int window;
        if (t.state == TcpState.SYN_SENT) {
            window = initialWindow();
        } else {
            window = advertiseWindow(t);
        }
        if ((flags & TcpSegment.FLAG_ACK) != 0) {
            ack = t.rcvNxt;
            t.ackNow = false;                             // every ACK we send covers what we owe
            t.delAckArmed = false;
            t.unackedBytes = 0;
        }
        int n = seg.wrap(tx, 0, hl + len).emit(t.localIp, t.remoteIp, t.localPort, t.remotePort, seq, ack, flags,
                window, mssOption, len);
        t.lastSendNs = nowNs;
        transmit(t.localIp, t.remoteIp, n, len, nowNs);
    }

    /** A reset (or other control segment) for a 4-tuple that has no record (RFC 9293 §3.10.7.1). */
    void sendBare(int localIp, int remoteIp, int localPort, int remotePort, int seq, int ack, int flags, int window,
                  int mssOption, long nowNs) {
        int hl = TcpSegment.HEADER_LENGTH + (mssOption >= 0 ? TcpSegment.MSS_OPTION_LENGTH : 0);
        int n = seg.wrap(tx, 0, hl).emit(localIp, remoteIp, localPort, remotePort, seq, ack, flags, window, mssOption, 0);
        if ((flags & TcpSegment.FLAG_RST) != 0) {
            tcp.count(TcpStat.RST_SENT);
        }
        transmit(localIp, remoteIp, n, 0, nowNs);
    }

    /** From the connection's own address: ours, or for a gateway the address the peer connected to. */
    private void transmit(int srcIp, int dstIp, int n, int dataBytes, long nowNs) {
        int rc = transport.sendSegment(srcIp, dstIp, tx, 0, n, nowNs);
        if (rc < 0) {
            tcp.count(TcpStat.TX_FAILED);                 // treated as loss: the timers recover
        } else {
            tcp.count(TcpStat.TX_SEGMENTS);
            tcp.add(TcpStat.TX_BYTES, dataBytes);
        }
    }

    void armRto(Tcb t, long nowNs) {
        if (!t.rtoArmed) {
            t.rtoArmed = true;                            // RFC 6298 §5.1
            t.rtoDeadlineNs = nowNs + t.rtoNs;
        }
    }

    /** RFC 5681 §3.1 initial window by SMSS. */
    static int initialCwnd(int mss) {
        if (mss > 2190) {
            return 2 * mss;
        }
        if (mss > 1095) {
            return 3 * mss;
        }
        return 4 * mss;
    }
}
