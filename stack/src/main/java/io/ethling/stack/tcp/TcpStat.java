package io.ethling.stack.tcp;

import java.util.ArrayList;
import java.util.List;

/** TCP's named counters: every drop has its reason, every event its count. */
final class TcpStat {

    private static final List<String> NAMES = new ArrayList<>();

    private static int c(String name) {
        NAMES.add(name);
        return NAMES.size() - 1;
    }

    static final int RX_SEGMENTS = c("tcp.rx.segments");
    static final int DROP_TRUNCATED = c("tcp.drop.truncated");          // T13
    static final int DROP_DATA_OFFSET = c("tcp.drop.data.offset");      // T1–T3
    static final int DROP_CHECKSUM = c("tcp.drop.checksum");            // T12
    static final int DROP_PORT = c("tcp.drop.port");
    static final int DROP_SOURCE = c("tcp.drop.source");                // MUST-57/63, T29
    static final int BAD_OPTIONS = c("tcp.rx.options.malformed");       // T4–T6 (option ignored)
    static final int DROP_FLAGS = c("tcp.drop.flags");                  // T14
    static final int DROP_NO_ACK = c("tcp.drop.noack");                 // T14
    static final int DROP_OUT_OF_WINDOW = c("tcp.drop.outofwindow");    // T16, T23
    static final int DROP_ACK_INVALID = c("tcp.drop.ack.invalid");      // T19, T20
    static final int DROP_OOO_FULL = c("tcp.drop.ooo.full");            // T26
    static final int DROP_LISTEN = c("tcp.drop.listen");
    static final int DROP_BACKLOG_FULL = c("tcp.drop.backlog.full");
    static final int DROP_AFTER_FIN = c("tcp.drop.afterfin");           // T27
    static final int RST_IGNORED_TIME_WAIT = c("tcp.rst.ignored.timewait"); // T34
    static final int RST_RECEIVED = c("tcp.rst.received");
    static final int RST_SENT = c("tcp.rst.sent");
    static final int CHALLENGE_ACKS = c("tcp.challenge.acks");          // T15, T18
    static final int CHALLENGE_ACKS_LIMITED = c("tcp.challenge.acks.limited"); // T21
    static final int TX_SEGMENTS = c("tcp.tx.segments");
    static final int TX_FAILED = c("tcp.tx.failed");
    static final int RETRANSMIT_TIMEOUTS = c("tcp.rto.expired");
    static final int FAST_RETRANSMITS = c("tcp.fast.retransmits");
    static final int PARTIAL_ACK_RETRANSMITS = c("tcp.newreno.partial");
    static final int DUP_ACKS = c("tcp.dup.acks");
    static final int ZERO_WINDOW_PROBES = c("tcp.zero.window.probes");
    static final int KEEPALIVE_PROBES = c("tcp.keepalive.probes");
    static final int DELAYED_ACKS = c("tcp.delayed.acks");
    static final int OOO_SEGMENTS = c("tcp.ooo.segments");
    static final int DUP_SEGMENTS = c("tcp.dup.segments");
    static final int CONNECTS = c("tcp.connects");
    static final int ACCEPTS = c("tcp.accepts");
    static final int ESTABLISHED = c("tcp.established");
    static final int RESETS = c("tcp.resets");
    static final int TIMEOUTS = c("tcp.timeouts");
    static final int R1_WARNINGS = c("tcp.r1.warnings");
    static final int TIME_WAIT_ENTERED = c("tcp.timewait.entered");
    static final int TIME_WAIT_RECYCLED = c("tcp.timewait.recycled");
    static final int TIME_WAIT_EXPIRED = c("tcp.timewait.expired");
    static final int TIME_WAIT_REUSED = c("tcp.timewait.reused");      // a new SYN took the 4-tuple over
    static final int BACKLOG_RECYCLED = c("tcp.backlog.recycled");      // T32
    static final int BACKLOG_EXPIRED = c("tcp.backlog.expired");
    static final int SERVER_FULL = c("tcp.server.full");                // T33
    static final int ICMP_ABORTS = c("tcp.icmp.aborts");
    static final int ICMP_IGNORED = c("tcp.icmp.ignored");
    static final int RX_BYTES = c("tcp.rx.bytes");
    static final int TX_BYTES = c("tcp.tx.bytes");
    static final int SYN_HELD = c("tcp.syn.held");                      // Tcp.listenAll: a SYN waits for the application
    static final int SYN_REFUSED = c("tcp.syn.refused");                // ... which refused it (RST, ACK)

    static String[] names() {
        return NAMES.toArray(new String[0]);
    }

    private TcpStat() {
    }
}
