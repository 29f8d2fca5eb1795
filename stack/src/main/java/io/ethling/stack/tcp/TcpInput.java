package io.ethling.stack.tcp;

import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.Ipv4Packet;

import static io.ethling.stack.tcp.TcpSegment.FLAG_ACK;
import static io.ethling.stack.tcp.TcpSegment.FLAG_FIN;
import static io.ethling.stack.tcp.TcpSegment.FLAG_RST;
import static io.ethling.stack.tcp.TcpSegment.FLAG_SYN;

/**
 * Segment arrival (RFC 9293 §3.10.7, lwIP's tcp_in.c role), with RFC 5961's checks: the segment is
 * validated, matched to a connection record, a TIME-WAIT entry, a half-open backlog entry or a
 * listener, and processed in the RFC's order: sequence check, RST, SYN, ACK, URG, text, FIN.
 * The parsed fields live in this reused holder; nothing allocates.
 */
final class TcpInput {

    private final Tcp tcp;
    private final TcpConfig cfg;
    private final TcpOutput out;
    private final TcpTimers timers;
    private final TcpSegment seg = new TcpSegment();

    // the segment being processed
    private int srcIp;
    private int dstIp;
    private int srcPort;
    private int dstPort;
    private int seq;
    private int ack;
    private int flags;
    private int wnd;
    private byte[] buf;
    private int dataOff;
    private int dataLen;
    private int peerMss;

    TcpInput(Tcp tcp, TcpConfig cfg, TcpOutput out, TcpTimers timers) {
        this.tcp = tcp;
        this.cfg = cfg;
        this.out = out;
        this.timers = timers;
    }

    void onSegment(int srcIp, int dstIp, byte[] b, int off, int len, long nowNs) {
        tcp.count(TcpStat.RX_SEGMENTS);
        int status = seg.wrap(b, off, len).check(srcIp, dstIp);
        switch (status) {
            case TcpSegment.OK:
                break;
            case TcpSegment.ERR_TRUNCATED:
                tcp.count(TcpStat.DROP_TRUNCATED);
                return;
            case TcpSegment.ERR_DATA_OFFSET:
                tcp.count(TcpStat.DROP_DATA_OFFSET);
                return;
            case TcpSegment.ERR_CHECKSUM:
                tcp.count(TcpStat.DROP_CHECKSUM);
                return;
            default:
                tcp.count(TcpStat.DROP_PORT);
                return;
        }
        if (!Ipv4Packet.isValidUnicastSource(srcIp) || dstIp == -1) {
            tcp.count(TcpStat.DROP_SOURCE);                   // MUST-57, MUST-63, T29
            return;
        }
        int f = seg.flags();
        if ((f & FLAG_SYN) != 0 && (f & (FLAG_RST | FLAG_FIN)) != 0) {
            tcp.count(TcpStat.DROP_FLAGS);                    // T14: SYN+RST, SYN+FIN, "Xmas" are never valid
            return;
        }
        this.srcIp = srcIp;
        this.dstIp = dstIp;
        this.srcPort = seg.sourcePort();
        this.dstPort = seg.destinationPort();
        this.seq = seg.seq();
        this.ack = seg.ack();
        this.flags = seg.flags();
        this.wnd = seg.window();
        this.buf = b;
        this.dataOff = seg.payloadOffset();
        this.dataLen = seg.payloadLength();
        this.peerMss = TcpSegment.NO_MSS;
        if ((flags & FLAG_SYN) != 0) {
            peerMss = seg.mssOption();                         // MUST-65: only a SYN's MSS counts
            if (peerMss == TcpSegment.BAD_OPTIONS) {
                tcp.count(TcpStat.BAD_OPTIONS);               // T4–T6: the option is ignored
            }
        }

        Tcb t = tcp.find(dstIp, dstPort, srcIp, srcPort);
        if (t != null) {
            t.lastReceiveNs = nowNs;
            t.keepAliveSent = 0;
            if (t.state == TcpState.SYN_SENT) {
                synSent(t, nowNs);
            } else {
                synchronizedInput(t, nowNs);
            }
            return;
        }
        TimeWaitTable tw = tcp.timeWait();
        int w = tw.find(dstIp, dstPort, srcIp, srcPort);
        if (w >= 0) {
            timeWait(tw, w, nowNs);
            return;
        }
        SynBacklog backlog = tcp.backlog();
        int e = backlog.find(dstIp, dstPort, srcIp, srcPort);
        if (e >= 0) {
            halfOpen(backlog, e, nowNs);
            return;
        }
        int l = tcp.listenerFor(dstPort);
        if (l >= 0) {
            listen(l, nowNs);
            return;
        }
        closed(nowNs);
    }

    private int segLen() {
        return dataLen + ((flags & FLAG_SYN) != 0 ? 1 : 0) + ((flags & FLAG_FIN) != 0 ? 1 : 0);
    }

    /** RFC 9293 §3.10.7.1: CLOSED — a reset for anything but a reset (T29). */
    private void closed(long nowNs) {
        if ((flags & FLAG_RST) != 0) {
            tcp.count(TcpStat.DROP_LISTEN);
            return;
        }
        if ((flags & FLAG_ACK) != 0) {
            out.sendBare(dstIp, srcIp, dstPort, srcPort, ack, 0, FLAG_RST, 0, -1, 0);
        } else {
            out.sendBare(dstIp, srcIp, dstPort, srcPort, 0, seq + segLen(), FLAG_RST | FLAG_ACK, 0, -1, 0);
        }
    }

    /** RFC 9293 §3.10.7.2: LISTEN. */
    private void listen(int listener, long nowNs) {
        if ((flags & FLAG_RST) != 0) {
            tcp.count(TcpStat.DROP_LISTEN);                   // T14: SYN+RST, RST
            return;
        }
        if ((flags & FLAG_ACK) != 0) {
            out.sendBare(dstIp, srcIp, dstPort, srcPort, ack, 0, FLAG_RST, 0, -1, nowNs);
            return;
        }
        if ((flags & FLAG_SYN) == 0 || (flags & FLAG_FIN) != 0) {
            tcp.count(TcpStat.DROP_FLAGS);                    // T14: null, FIN alone, SYN+FIN
            return;
        }
        int iss = tcp.isn(dstIp, dstPort, srcIp, srcPort, nowNs);
        if (tcp.holdsSyns(listener)) {
            holdSyn(listener, iss, nowNs);
            return;
        }
        SynBacklog backlog = tcp.backlog();
        int e = backlog.add(listener, dstIp, dstPort, srcIp, srcPort, seq, iss, clampMss(peerMss), nowNs);
        tcp.trace(-1, TcpState.LISTEN, TcpState.SYN_RECEIVED, 0, 1, 1, nowNs);
        backlog.sendSynAck(e, nowNs);                         // data on the SYN is not queued: the peer resends it
    }

    /**
     * A SYN for {@link Tcp#listenAll}: a connection record in SYN-RECEIVED, offered to accept()
     * at once, with the SYN-ACK held back until the application calls acceptSyn (then it leaves
     * as in RFC 9293 §3.10.7.2) or refuse (an RST, ACK as a closed port would send, §3.10.7.1).
     * No table to spare here: with every record in use the SYN is dropped and the peer retries.
     */
    private void holdSyn(int listener, int iss, long nowNs) {
        Tcb t = tcp.hold(listener, dstIp, dstPort, srcIp, srcPort, seq, iss, clampMss(peerMss), nowNs);
        if (t == null) {
            tcp.count(TcpStat.DROP_BACKLOG_FULL);
            return;
        }
        t.lastReceiveNs = nowNs;
        t.sndWnd = wnd;
        t.sndWl1 = seq;
        t.maxSndWnd = wnd;
        tcp.count(TcpStat.SYN_HELD);
    }

    /** T7, MUST-15/16: the peer's MSS (536 without the option) clamped to [minPeerMss, our MSS]. */
    int clampMss(int mss) {
        if (mss < 0) {
            mss = 536;
        }
        return Math.max(cfg.minPeerMss, Math.min(mss, cfg.mss));
    }

    private static boolean acceptable(int seq, int segLen, int rcvNxt, int rcvWnd) {
        // RFC 9293 §3.10.7.4, the four cases
        if (segLen == 0) {
            return rcvWnd == 0 ? seq == rcvNxt : Seq.inRange(seq, rcvNxt, rcvNxt + rcvWnd);
        }
        if (rcvWnd == 0) {
            return false;
        }
        return Seq.inRange(seq, rcvNxt, rcvNxt + rcvWnd) || Seq.inRange(seq + segLen - 1, rcvNxt, rcvNxt + rcvWnd);
    }

    /** A half-open connection of a listener (SYN-RECEIVED, passive): RFC 9293 §3.10.7.4. */
    private void halfOpen(SynBacklog b, int e, long nowNs) {
        int rcvNxt = b.irs(e) + 1;
        int iss = b.iss(e);
        if (!acceptable(seq, segLen(), rcvNxt, out.initialWindow())) {
            if ((flags & FLAG_RST) != 0) {
                tcp.count(TcpStat.DROP_OUT_OF_WINDOW);
            } else if ((flags & FLAG_SYN) != 0 && seq == b.irs(e)) {
                b.sendSynAck(e, nowNs);                      // the peer's SYN again: our SYN-ACK was lost
            } else {
                out.sendBare(dstIp, srcIp, dstPort, srcPort, iss + 1, rcvNxt, FLAG_ACK, out.initialWindow(), -1, nowNs);
            }
            return;
        }
        if ((flags & FLAG_RST) != 0) {
            if (seq == rcvNxt) {
                tcp.count(TcpStat.RST_RECEIVED);
                b.remove(e);                                  // MUST-11: back to LISTEN
            } else {
                tcp.count(TcpStat.CHALLENGE_ACKS);
                out.sendBare(dstIp, srcIp, dstPort, srcPort, iss + 1, rcvNxt, FLAG_ACK, out.initialWindow(), -1, nowNs);
            }
            return;
        }
        if ((flags & FLAG_SYN) != 0) {
            tcp.count(TcpStat.CHALLENGE_ACKS);                // RFC 5961 §4
            out.sendBare(dstIp, srcIp, dstPort, srcPort, iss + 1, rcvNxt, FLAG_ACK, out.initialWindow(), -1, nowNs);
            return;
        }
        if ((flags & FLAG_ACK) == 0) {
            tcp.count(TcpStat.DROP_NO_ACK);
            return;
        }
        if (ack != iss + 1) {
            out.sendBare(dstIp, srcIp, dstPort, srcPort, ack, 0, FLAG_RST, 0, -1, nowNs);
            return;
        }
        Tcb t = tcp.promote(b, e, nowNs);
        if (t == null) {
            tcp.count(TcpStat.SERVER_FULL);                   // T33: refused cleanly
            out.sendBare(dstIp, srcIp, dstPort, srcPort, ack, 0, FLAG_RST, 0, -1, nowNs);
            b.remove(e);
            return;
        }
        b.remove(e);
        t.lastReceiveNs = nowNs;
        t.sndWnd = wnd;
        t.sndWl1 = seq;
        t.sndWl2 = ack;
        t.maxSndWnd = Math.max(t.maxSndWnd, wnd);
        processText(t, seq, dataOff, dataLen, (flags & FLAG_FIN) != 0, nowNs);
        finishInput(t, nowNs);
    }

    /** RFC 9293 §3.10.7.3: SYN-SENT. */
    private void synSent(Tcb t, long nowNs) {
        boolean hasAck = (flags & FLAG_ACK) != 0;
        if (hasAck && (Seq.le(ack, t.iss) || Seq.gt(ack, t.sndMax))) {
            if ((flags & FLAG_RST) == 0) {
                out.sendBare(t.localIp, t.remoteIp, t.localPort, t.remotePort, ack, 0, FLAG_RST, 0, -1, nowNs); // T28
            } else {
                tcp.count(TcpStat.DROP_ACK_INVALID);          // T28: the bad RST is ignored
            }
            return;
        }
        if ((flags & FLAG_RST) != 0) {
            if (hasAck) {
                tcp.count(TcpStat.RST_RECEIVED);
                tcp.closeConnection(t, Tcp.ERROR_REFUSED, nowNs);
            } else {
                tcp.count(TcpStat.DROP_NO_ACK);               // RFC 5961 §3: only an RST acknowledging our SYN
            }
            return;
        }
        if ((flags & FLAG_SYN) == 0) {
            tcp.count(TcpStat.DROP_FLAGS);
            return;
        }
        t.irs = seq;
        t.rcvNxt = seq + 1;
        t.rcvAdv = t.rcvNxt + out.initialWindow();
        t.mss = clampMss(peerMss);
        t.sndWnd = wnd;
        t.sndWl1 = seq;
        t.maxSndWnd = wnd;
        if (hasAck) {
            t.sndWl2 = ack;
            if (t.timing && Seq.ge(ack, t.rttSeq)) {
                timers.sample(t, nowNs - t.rttStartNs);
            }
            t.timing = false;
            t.sndUna = ack;
            t.rtoArmed = false;
            t.retransmits = 0;
            timers.afterHandshake(t);
            t.cwnd = t.synRetransmitted ? t.mss : TcpOutput.initialCwnd(t.mss);  // RFC 5681 §3.1
            tcp.setState(t, TcpState.ESTABLISHED, nowNs);
            tcp.count(TcpStat.ESTABLISHED);
            t.ackNow = true;
            if (t.finQueued) {
                tcp.setState(t, TcpState.FIN_WAIT_1, nowNs);
            }
            processText(t, seq + 1, dataOff, dataLen, (flags & FLAG_FIN) != 0, nowNs);
            finishInput(t, nowNs);
        } else {
            // simultaneous open (MUST-10): SYN-RECEIVED, our SYN again with an ACK
            tcp.setState(t, TcpState.SYN_RECEIVED, nowNs);
            t.sndNxt = t.iss;
            t.timing = false;
            t.rtoArmed = false;
            out.output(t, nowNs);
        }
    }

    /** SYN-RECEIVED (active side, after a simultaneous open) and every synchronized state. */
    private void synchronizedInput(Tcb t, long nowNs) {
        int rcvWnd = t.rcvAdv - t.rcvNxt;
        if (rcvWnd < 0) {
            rcvWnd = 0;
        }
        boolean rst = (flags & FLAG_RST) != 0;
        boolean syn = (flags & FLAG_SYN) != 0;
        // first: the sequence number (§3.10.7.4)
        if (!acceptable(seq, segLen(), t.rcvNxt, rcvWnd)) {
            if (rst) {
                tcp.count(TcpStat.DROP_OUT_OF_WINDOW);        // T16
            } else if (syn) {
                if (t.state == TcpState.SYN_RECEIVED && seq == t.irs) {
                    t.sndNxt = t.iss;                         // the peer's SYN again
                    out.output(t, nowNs);
                } else {
                    out.challengeAck(t, nowNs);               // T18 (out of window)
                }
            } else {
                tcp.count(Seq.lt(seq, t.rcvNxt) ? TcpStat.DUP_SEGMENTS : TcpStat.DROP_OUT_OF_WINDOW);
                t.ackNow = true;                              // T22, T23: an ACK, then drop
                out.output(t, nowNs);
            }
            return;
        }
        // second: RST (RFC 5961 §3)
        if (rst) {
            if (seq == t.rcvNxt) {
                tcp.count(TcpStat.RST_RECEIVED);              // T17
                int error = t.state == TcpState.SYN_RECEIVED ? Tcp.ERROR_REFUSED
                        : t.state == TcpState.CLOSING || t.state == TcpState.LAST_ACK ? 0 : Tcp.ERROR_RESET;
                tcp.closeConnection(t, error, nowNs);
            } else {
                out.challengeAck(t, nowNs);                   // T15, T21
            }
            return;
        }
        // fourth: SYN (RFC 5961 §4)
        if (syn) {
            out.challengeAck(t, nowNs);                       // T18
            return;
        }
        // fifth: ACK
        if ((flags & FLAG_ACK) == 0) {
            tcp.count(TcpStat.DROP_NO_ACK);                   // T14
            return;
        }
        if (t.state == TcpState.SYN_RECEIVED) {
            if (Seq.gt(ack, t.sndUna) && Seq.le(ack, t.sndMax)) {
                timers.afterHandshake(t);
                t.cwnd = t.synRetransmitted ? t.mss : TcpOutput.initialCwnd(t.mss);
                t.sndWnd = wnd;
                t.sndWl1 = seq;
                t.sndWl2 = ack;
                tcp.setState(t, t.finQueued ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED, nowNs);
                tcp.count(TcpStat.ESTABLISHED);
            } else {
                out.sendBare(t.localIp, t.remoteIp, t.localPort, t.remotePort, ack, 0, FLAG_RST, 0, -1, nowNs);
                return;
            }
        }
        // RFC 5961 §5: SND.UNA − MAX.SND.WND <= SEG.ACK <= SND.NXT (T19, T20)
        if (Seq.gt(ack, t.sndMax) || Seq.lt(ack, t.sndUna - t.maxSndWnd)) {
            tcp.count(TcpStat.DROP_ACK_INVALID);
            out.challengeAck(t, nowNs);
            return;
        }
        // RFC 5681 §2 "duplicate ACK"; answers to zero-window probes (window 0) are not loss signals
        boolean dupCandidate = ack == t.sndUna && dataLen == 0 && (flags & FLAG_FIN) == 0 && wnd == t.sndWnd
                && wnd != 0 && t.sndMax != t.sndUna;
        if (Seq.gt(ack, t.sndUna)) {
            newAck(t, nowNs);
        } else if (dupCandidate) {
            duplicateAck(t, nowNs);
        }
        // window update (SND.WL1/WL2 rule)
        if (Seq.lt(t.sndWl1, seq) || (t.sndWl1 == seq && Seq.le(t.sndWl2, ack))) {
            if (t.sndWnd == 0 && wnd > 0) {
                t.persistBackoff = 0;
            }
            t.sndWnd = wnd;                                    // MUST-34: a shrunk window is accepted as is
            t.sndWl1 = seq;
            t.sndWl2 = ack;
            if (wnd > t.maxSndWnd) {
                t.maxSndWnd = wnd;
            }
        }
        boolean ourFinAcked = t.finQueued && Seq.gt(t.sndUna, t.finSeqOut());
        switch (t.state) {
            case FIN_WAIT_1:
                if (ourFinAcked) {
                    tcp.setState(t, TcpState.FIN_WAIT_2, nowNs);
                    if (t.appClosed) {
                        t.finWait2Armed = true;
                        t.finWait2DeadlineNs = nowNs + cfg.finWait2TimeoutNs;
                    }
                }
                break;
            case CLOSING:
                if (ourFinAcked) {
                    tcp.setState(t, TcpState.TIME_WAIT, nowNs);
                    tcp.enterTimeWait(t, nowNs);
                    return;
                }
                break;
            case LAST_ACK:
                if (ourFinAcked) {
                    tcp.closeConnection(t, 0, nowNs);
                    return;
                }
                break;
            default:
                break;
        }
        // sixth: URG — treated as in-band data; the pointer is never used (T10, T11, MUST-30/31)
        // seventh and eighth: text and FIN
        processText(t, seq, dataOff, dataLen, (flags & FLAG_FIN) != 0, nowNs);
        finishInput(t, nowNs);
    }

    private void finishInput(Tcb t, long nowNs) {
        if (t.state == TcpState.CLOSED) {
            return;
        }
        out.output(t, nowNs);
        if (t.state == TcpState.TIME_WAIT) {
            tcp.enterTimeWait(t, nowNs);
        }
    }

    /** An acknowledgment of new data (RFC 9293 §3.10.7.4 fifth; RFC 6298 §5.2–5.3; RFC 5681; RFC 6582). */
    private void newAck(Tcb t, long nowNs) {
        int acked = ack - t.sndUna;
        if (Seq.gt(ack, t.dataBase)) {
            int d = ack - t.dataBase;
            if (d > t.sndLen) {
                d = t.sndLen;                                  // the rest acknowledges our FIN
            }
            t.sndHead = (t.sndHead + d) & t.sndMask;
            t.sndLen -= d;
            t.dataBase += d;
        }
        t.sndUna = ack;
        if (Seq.lt(t.sndNxt, t.sndUna)) {
            t.sndNxt = t.sndUna;
        }
        if (t.timing && Seq.ge(ack, t.rttSeq)) {
            t.timing = false;
            timers.sample(t, nowNs - t.rttStartNs);
        }
        t.retransmits = 0;
        if (t.sndUna == t.sndMax) {
            t.rtoArmed = false;                                // RFC 6298 §5.2
        } else {
            t.rtoArmed = true;                                 // §5.3: restart
            t.rtoDeadlineNs = nowNs + t.rtoNs;
        }
        if (t.inRecovery) {
            if (Seq.ge(ack, t.recover)) {
                int flight = t.sndMax - t.sndUna;              // RFC 6582 §3.2 step 3: full ACK
                t.cwnd = Math.min(t.ssthresh, Math.max(flight, t.mss) + t.mss);
                t.inRecovery = false;
                t.dupAcks = 0;
            } else {
                tcp.count(TcpStat.PARTIAL_ACK_RETRANSMITS);    // step 3: partial ACK
                out.retransmitFirst(t, nowNs);
                t.cwnd = Math.max(t.cwnd - acked + (acked >= t.mss ? t.mss : 0), t.mss);
            }
            return;
        }
        t.dupAcks = 0;
        if (t.cwnd < t.ssthresh) {
            t.cwnd += Math.min(acked, t.mss);                  // slow start (RFC 5681 §3.1, RFC 3465 L = 1)
        } else {
            t.cwnd += Math.max(1, (int) ((long) t.mss * t.mss / t.cwnd));   // congestion avoidance
        }
        if (t.cwnd > (1 << 30)) {
            t.cwnd = 1 << 30;
        }
    }

    /** RFC 5681 §3.2 with RFC 6582 §3.2 steps 1–2 and 4. */
    private void duplicateAck(Tcb t, long nowNs) {
        tcp.count(TcpStat.DUP_ACKS);
        t.dupAcks++;
        if (t.inRecovery) {
            t.cwnd += t.mss;                                   // inflate for each segment that left the network
            return;
        }
        if (t.dupAcks < 3) {
            out.output(t, nowNs);                              // RFC 3042 limited transmit
            return;
        }
        if (t.dupAcks == 3 && Seq.gt(ack, t.recover)) {
            int flight = t.sndMax - t.sndUna;
            t.ssthresh = Math.max(flight / 2, 2 * t.mss);
            t.recover = t.sndMax;
            t.inRecovery = true;
            tcp.count(TcpStat.FAST_RETRANSMITS);
            out.retransmitFirst(t, nowNs);
            t.cwnd = t.ssthresh + 3 * t.mss;
        }
    }

    /**
     * Text and FIN (RFC 9293 §3.10.7.4 seventh and eighth): duplicates trimmed at the front, the
     * window's right edge trims the tail, in-order bytes go to the ring, out-of-order bytes to
     * their place with the assembler; ACKs per RFC 5681 §4.2.
     */
    private void processText(Tcb t, int s, int off, int len, boolean fin, long nowNs) {
        if (len > t.rcvMss) {
            t.rcvMss = len;
        }
        if (!t.state.receivesData()) {
            if (len > 0) {
                tcp.count(TcpStat.DROP_AFTER_FIN);             // T27: data after the peer's FIN is ignored
            }
            if (len > 0 || fin) {
                t.ackNow = true;
            }
            return;
        }
        if (Seq.lt(s, t.rcvNxt)) {
            int cut = t.rcvNxt - s;
            if (cut > len) {
                len = 0;
                fin = false;                                   // an old FIN (cannot happen before ours)
            } else {
                off += cut;
                len -= cut;
            }
            s = t.rcvNxt;
            tcp.count(TcpStat.DUP_SEGMENTS);
            t.ackNow = true;                                   // T22: overlap trimmed, re-ACK at once
        }
        int room = t.rcvAdv - s;
        if (room < 0) {
            room = 0;
        }
        if (len > room) {
            len = room;                                        // beyond the right edge (T23)
            fin = false;
            t.ackNow = true;
        }
        int offset = s - t.rcvNxt;
        if (len > 0) {
            if (offset == 0) {
                boolean hadHoles = t.ooo.count() > 0;
                copyIn(t, t.rcvLen, buf, off, len);
                int adv = t.ooo.advance(len);
                t.rcvNxt += adv;
                t.rcvLen += adv;
                tcp.add(TcpStat.RX_BYTES, len);
                if (hadHoles) {
                    t.ackNow = true;                           // RFC 5681 §4.2: a gap filled
                } else {
                    t.unackedBytes += len;
                    if (t.unackedBytes >= 2 * Math.max(t.rcvMss, 1)) {
                        t.ackNow = true;                       // SHLD-19: every second full segment
                    } else if (!t.delAckArmed) {
                        t.delAckArmed = true;                  // MUST-40
                        t.delAckDeadlineNs = nowNs + cfg.delayedAckNs;
                    }
                }
            } else {
                if (t.ooo.add(offset, offset + len)) {
                    copyIn(t, t.rcvLen + offset, buf, off, len);
                    tcp.count(TcpStat.OOO_SEGMENTS);
                } else {
                    tcp.count(TcpStat.DROP_OOO_FULL);          // T26
                }
                t.ackNow = true;                               // RFC 5681 §4.2: immediate duplicate ACK
            }
        }
        if (fin) {
            int fs = s + len;
            if (fs == t.rcvNxt) {
                finArrives(t, nowNs);
            } else if (Seq.gt(fs, t.rcvNxt)) {
                t.finPending = true;                           // T27: FIN before missing data
                t.finSeq = fs;
                t.ackNow = true;
            }
        } else if (t.finPending && t.rcvNxt == t.finSeq) {
            finArrives(t, nowNs);
        }
    }

    private void finArrives(Tcb t, long nowNs) {
        t.finPending = false;
        t.finReceived = true;
        t.rcvNxt++;
        t.ackNow = true;
        switch (t.state) {
            case SYN_RECEIVED:
            case ESTABLISHED:
                tcp.setState(t, TcpState.CLOSE_WAIT, nowNs);
                break;
            case FIN_WAIT_1:
                tcp.setState(t, TcpState.CLOSING, nowNs);     // simultaneous close (our FIN not yet acked)
                break;
            case FIN_WAIT_2:
                tcp.setState(t, TcpState.TIME_WAIT, nowNs);
                break;
            default:
                break;
        }
    }

    private static void copyIn(Tcb t, int ringOffset, byte[] src, int off, int len) {
        int at = (t.rcvHead + ringOffset) & t.rcvMask;
        int first = Math.min(len, t.rcvBuf.length - at);
        System.arraycopy(src, off, t.rcvBuf, at, first);
        if (first < len) {
            System.arraycopy(src, off + first, t.rcvBuf, 0, len - first);
        }
    }

    /** RFC 9293 §3.10.7.4 TIME-WAIT, with RFC 1337's rule that a reset is ignored (T34). */
    private void timeWait(TimeWaitTable tw, int w, long nowNs) {
        if ((flags & FLAG_RST) != 0) {
            tcp.count(TcpStat.RST_IGNORED_TIME_WAIT);
            return;
        }
        if ((flags & FLAG_SYN) != 0 && (flags & FLAG_ACK) == 0) {
            int l = tcp.listenerFor(dstPort);
            if (l >= 0 && Seq.gt(seq, tw.rcvNxt(w))) {
                tw.remove(w);                                  // RFC 9293 §3.10.7.4 / RFC 6191: a new incarnation
                tcp.count(TcpStat.TIME_WAIT_REUSED);
                listen(l, nowNs);
                return;
            }
            tcp.count(TcpStat.CHALLENGE_ACKS);
            tw.sendAck(w, nowNs);
            return;
        }
        if ((flags & FLAG_FIN) != 0 && seq + dataLen + 1 == tw.rcvNxt(w)) {
            tw.restart(w, nowNs);                              // the peer's FIN again: ACK, restart 2·MSL
            tw.sendAck(w, nowNs);
            return;
        }
        if (dataLen > 0 || (flags & FLAG_FIN) != 0) {
            tw.sendAck(w, nowNs);
        }
    }

    /** ICMP destination unreachable quoting one of our segments (RFC 9293 MUST-56, SHLD-26; RFC 5927). */
    void onUnreachable(int code, byte[] q, int off, int len, long nowNs) {
        if (len < 20) {
            return;
        }
        int ihl = (q[off] & 0x0F) * 4;
        if (ihl < 20 || ihl + 8 > len) {
            tcp.count(TcpStat.ICMP_IGNORED);
            return;
        }
        int localIp = Bytes.i32(q, off + 12);
        int remoteIp = Bytes.i32(q, off + 16);
        int localPort = Bytes.u16(q, off + ihl);
        int remotePort = Bytes.u16(q, off + ihl + 2);
        int qseq = Bytes.i32(q, off + ihl + 4);
        Tcb t = tcp.find(localIp, localPort, remoteIp, remotePort);
        if (t == null || !Seq.inRange(qseq, t.sndUna, t.sndMax)) {
            tcp.count(TcpStat.ICMP_IGNORED);                   // RFC 5927 §4.1: the quoted sequence number must be in flight
            return;
        }
        if (code >= 2 && code <= 4) {
            tcp.count(TcpStat.ICMP_ABORTS);                    // SHLD-26
            tcp.abortConnection(t, Tcp.ERROR_UNREACHABLE, false, nowNs);
        } else {
            tcp.count(TcpStat.ICMP_IGNORED);                   // MUST-56: codes 0, 1, 5 are soft errors
        }
    }
}
