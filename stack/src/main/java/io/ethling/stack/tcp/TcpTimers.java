package io.ethling.stack.tcp;

/**
 * The per-connection timers (RFC 9293 §3.8, RFC 6298 §5): retransmission with backoff and the
 * R1/R2 thresholds, persist (zero-window probe and SWS override), delayed ACK, keep-alive and the
 * FIN-WAIT-2 timeout. TIME-WAIT and the SYN backlog have their own tables.
 */
final class TcpTimers {

    private static final long THREE_SECONDS_NS = 3_000_000_000L;

    private final Tcp tcp;
    private final TcpConfig cfg;
    private final TcpOutput out;

    TcpTimers(Tcp tcp, TcpConfig cfg, TcpOutput out) {
        this.tcp = tcp;
        this.cfg = cfg;
        this.out = out;
    }

    /** Runs whatever is due on {@code t}; returns the work done. */
    int run(Tcb t, long nowNs) {
        int work = 0;
        if (t.rtoArmed && nowNs - t.rtoDeadlineNs >= 0) {
            work++;
            if (!retransmissionTimeout(t, nowNs)) {
                return work;                              // the connection was closed
            }
        }
        if (t.persistArmed && nowNs - t.persistDeadlineNs >= 0) {
            work++;
            persist(t, nowNs);
        }
        if (t.delAckArmed && nowNs - t.delAckDeadlineNs >= 0) {
            work++;
            t.delAckArmed = false;
            t.ackNow = true;
            tcp.count(TcpStat.DELAYED_ACKS);
            out.output(t, nowNs);
        }
        if (t.keepAlive && (t.state == TcpState.ESTABLISHED || t.state == TcpState.CLOSE_WAIT)
                && t.sndMax == t.sndUna && nowNs - keepAliveDeadline(t) >= 0) {
            work++;
            if (t.keepAliveSent >= cfg.keepAliveProbes) {
                tcp.abortConnection(t, Tcp.ERROR_TIMEOUT, true, nowNs);   // MUST-29: only after many probes
                return work;
            }
            t.keepAliveSent++;
            tcp.count(TcpStat.KEEPALIVE_PROBES);
            out.sendProbe(t, nowNs);
        }
        if (t.finWait2Armed && t.state == TcpState.FIN_WAIT_2 && nowNs - t.finWait2DeadlineNs >= 0) {
            work++;
            tcp.closeConnection(t, 0, nowNs);
            return work;
        }
        if (t.passive && cfg.serverIdleTimeoutNs > 0 && nowNs - (t.lastReceiveNs + cfg.serverIdleTimeoutNs) >= 0) {
            work++;
            tcp.count(TcpStat.TIMEOUTS);                       // T33: an idle server connection gives its slot back
            tcp.abortConnection(t, Tcp.ERROR_TIMEOUT, true, nowNs);
        }
        return work;
    }

    private long keepAliveDeadline(Tcb t) {
        return t.lastReceiveNs + cfg.keepAliveIdleNs + t.keepAliveSent * cfg.keepAliveIntervalNs;
    }

    /** RFC 6298 §5.4–5.7 with RFC 5681 §3.1 and RFC 6582; false when R2 closed the connection. */
    private boolean retransmissionTimeout(Tcb t, long nowNs) {
        t.rtoArmed = false;
        if (t.sndUna == t.sndMax) {
            return true;                                  // nothing outstanding any more
        }
        tcp.count(TcpStat.RETRANSMIT_TIMEOUTS);
        if (t.sndWnd == 0 && t.state.isSynchronized() && nowNs - t.lastReceiveNs < cfg.r2Ns) {
            // the peer shrank its window to zero under data in flight (MUST-34): probe it like a
            // persist timer and never give up while it keeps answering (MUST-37)
            tcp.count(TcpStat.ZERO_WINDOW_PROBES);
            t.timing = false;
            long rto = t.rtoNs << 1;
            t.rtoNs = rto > cfg.maxRtoNs || rto <= 0 ? cfg.maxRtoNs : rto;
            out.sendProbe(t, nowNs);
            out.armRto(t, nowNs);
            return true;
        }
        if (t.retransmits == 0) {
            t.firstRetransmitNs = nowNs;
        }
        boolean syn = !t.state.isSynchronized();
        long r2 = syn ? cfg.synR2Ns : cfg.r2Ns;
        if (t.retransmits > 0 && nowNs - t.firstRetransmitNs >= r2) {
            tcp.count(TcpStat.TIMEOUTS);                  // R2 (SHLD-11, MUST-20; MUST-23 for a SYN)
            tcp.abortConnection(t, Tcp.ERROR_TIMEOUT, t.state.isSynchronized(), nowNs);
            return false;
        }
        t.retransmits++;
        if (t.retransmits == cfg.r1Retransmissions && !t.r1Warned) {
            t.r1Warned = true;                            // R1 (SHLD-10): the application is told
            tcp.count(TcpStat.R1_WARNINGS);
        }
        if (syn) {
            t.synRetransmitted = true;
        } else {
            int flight = t.sndMax - t.sndUna;
            t.ssthresh = Math.max(flight / 2, 2 * t.mss);    // RFC 5681 §3.1 eq. (4)
            t.cwnd = t.mss;                                    // the loss window
            t.inRecovery = false;
            t.dupAcks = 0;
            t.recover = t.sndMax;                              // RFC 6582 §3.2 step 4 (after a timeout)
        }
        t.timing = false;                                      // Karn (MUST-18)
        long rto = t.rtoNs << 1;                               // RFC 6298 §5.5: back off
        t.rtoNs = rto > cfg.maxRtoNs || rto <= 0 ? cfg.maxRtoNs : rto;
        t.sndNxt = t.sndUna;                                   // §5.4: the earliest unacknowledged segment
        t.ackNow = false;
        out.output(t, nowNs);
        if (!t.rtoArmed) {
            out.armRto(t, nowNs);                              // §5.6 (the window may hold the data back)
        }
        return true;
    }

    private void persist(Tcb t, long nowNs) {
        t.persistArmed = false;
        if (t.unsentBytes() == 0 || t.sndNxt != t.sndUna || !t.state.isSynchronized()) {
            t.persistBackoff = 0;
            return;
        }
        if (t.sndWnd == 0) {
            tcp.count(TcpStat.ZERO_WINDOW_PROBES);             // MUST-35/36, T24: never gives up on a zero window
            out.sendProbe(t, nowNs);
            if (t.persistBackoff < 16) {
                t.persistBackoff++;
            }
        } else {
            out.sendOverride(t, nowNs);                       // §3.8.6.2.1 override timeout
        }
        if (t.sndNxt == t.sndUna && t.unsentBytes() > 0) {
            t.persistArmed = true;
            t.persistDeadlineNs = nowNs + out.persistInterval(t);
        }
    }

    /** RFC 6298 §2.2–2.4: one round-trip sample. */
    void sample(Tcb t, long rttNs) {
        if (rttNs < 0) {
            return;
        }
        if (!t.hasRtt) {
            t.srttNs = rttNs;
            t.rttvarNs = rttNs / 2;
            t.hasRtt = true;
        } else {
            long err = t.srttNs - rttNs;
            if (err < 0) {
                err = -err;
            }
            t.rttvarNs = (3 * t.rttvarNs + err) / 4;        // β = 1/4
            t.srttNs = (7 * t.srttNs + rttNs) / 8;          // α = 1/8
        }
        long rto = t.srttNs + Math.max(cfg.clockGranularityNs, 4 * t.rttvarNs);
        t.rtoNs = Math.min(Math.max(rto, cfg.minRtoNs), cfg.maxRtoNs);
    }

    /** RFC 6298 §5.7: a connection whose SYN was retransmitted starts with an RTO of at least 3 s. */
    void afterHandshake(Tcb t) {
        if (t.synRetransmitted && !t.hasRtt) {
            t.rtoNs = Math.max(cfg.initialRtoNs, THREE_SECONDS_NS);
        } else if (!t.hasRtt) {
            t.rtoNs = cfg.initialRtoNs;
        }
    }

    /** The earliest armed deadline of {@code t}, or Long.MAX_VALUE. */
    long nextDeadline(Tcb t, long nowNs) {
        long at = Long.MAX_VALUE;
        if (t.rtoArmed) {
            at = earliest(at, t.rtoDeadlineNs, nowNs);
        }
        if (t.persistArmed) {
            at = earliest(at, t.persistDeadlineNs, nowNs);
        }
        if (t.delAckArmed) {
            at = earliest(at, t.delAckDeadlineNs, nowNs);
        }
        if (t.keepAlive && (t.state == TcpState.ESTABLISHED || t.state == TcpState.CLOSE_WAIT) && t.sndMax == t.sndUna) {
            at = earliest(at, keepAliveDeadline(t), nowNs);
        }
        if (t.finWait2Armed && t.state == TcpState.FIN_WAIT_2) {
            at = earliest(at, t.finWait2DeadlineNs, nowNs);
        }
        if (t.passive && cfg.serverIdleTimeoutNs > 0) {
            at = earliest(at, t.lastReceiveNs + cfg.serverIdleTimeoutNs, nowNs);
        }
        return at;
    }

    static long earliest(long at, long deadline, long nowNs) {
        if (at == Long.MAX_VALUE) {
            return deadline;
        }
        return deadline - at < 0 ? deadline : at;
    }
}
