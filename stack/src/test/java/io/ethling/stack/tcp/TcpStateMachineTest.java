package io.ethling.stack.tcp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ethling.stack.tcp.TcpScript.MS;
import static io.ethling.stack.tcp.TcpScript.S;
import static io.ethling.stack.tcp.TcpSegment.FLAG_ACK;
import static io.ethling.stack.tcp.TcpSegment.FLAG_FIN;
import static io.ethling.stack.tcp.TcpSegment.FLAG_PSH;
import static io.ethling.stack.tcp.TcpSegment.FLAG_RST;
import static io.ethling.stack.tcp.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RFC 9293 state machine: handshakes, data, the closes, TIME-WAIT (DESIGN.md story 3 and 5). */
class TcpStateMachineTest {

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void threeWayHandshakeAsClient(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        TcpTransitionLog log = new TcpTransitionLog(4096, -1);
        s.tcp.trace(log);
        int h = s.synSent();
        assertEquals(TcpState.SYN_SENT, s.tcp.state(h));
        s.now += 30 * MS;
        s.in(s.seg(FLAG_SYN | FLAG_ACK, 0, 1).mss(1200));
        s.out(FLAG_ACK, 1, 1);
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        assertEquals(1200, s.tcp.mss(h));
        assertTrue(log.lines().toString().contains("SYN_SENT -> ESTABLISHED snd.una=1 snd.nxt=1 rcv.nxt=1"), log.lines().toString());
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void fourWayCloseActiveSideWithTimeWait(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        TcpTransitionLog log = new TcpTransitionLog(4096, -1);
        s.tcp.trace(log);
        int h = s.established();
        s.tcp.close(h, s.now);
        assertEquals(TcpState.FIN_WAIT_1, s.tcp.state(h));
        s.out(FLAG_FIN | FLAG_ACK, 1, 1);
        s.in(s.seg(FLAG_ACK, 1, 2));
        assertEquals(TcpState.FIN_WAIT_2, s.tcp.state(h));
        s.none();
        s.in(s.seg(FLAG_FIN | FLAG_ACK, 1, 2));
        s.out(FLAG_ACK, 2, 2);
        assertEquals(1, s.tcp.timeWaitEntries());
        assertEquals(0, s.tcp.socketsInUse(), "the socket is reusable at once");
        // a retransmitted FIN in TIME-WAIT is acknowledged again
        s.now += 1 * S;
        s.in(s.seg(FLAG_FIN | FLAG_ACK, 1, 2));
        s.out(FLAG_ACK, 2, 2);
        s.advance(59 * S);
        assertEquals(1, s.tcp.timeWaitEntries());
        s.advance(2 * S);
        assertEquals(0, s.tcp.timeWaitEntries());
        s.none();
        String story = log.lines().toString();
        String[] expected = {"CLOSED -> SYN_SENT", "SYN_SENT -> ESTABLISHED", "ESTABLISHED -> FIN_WAIT_1 snd.una=1 snd.nxt=1",
            "FIN_WAIT_1 -> FIN_WAIT_2 snd.una=2 snd.nxt=2 rcv.nxt=1", "FIN_WAIT_2 -> TIME_WAIT snd.una=2 snd.nxt=2 rcv.nxt=2",
            "#" + h + " TIME_WAIT -> CLOSED snd.una=2 snd.nxt=2 rcv.nxt=2"};
        int at = 0;
        for (String e : expected) {
            int i = story.indexOf(e, at);
            assertTrue(i >= 0, "missing '" + e + "' in order in\n" + story);
            at = i;
        }
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void passiveCloseCloseWaitLastAck(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.in(s.seg(FLAG_FIN | FLAG_ACK, 0 + 1, 1));
        s.out(FLAG_ACK, 1, 2);
        assertEquals(TcpState.CLOSE_WAIT, s.tcp.state(h));
        assertEquals(Tcp.END_OF_STREAM, s.tcp.receive(h, new byte[10], 0, 10, s.now));
        // half-close: we still send
        assertEquals(5, s.send(h, new byte[] {1, 2, 3, 4, 5}));
        TcpScript.Sent d = s.out(FLAG_ACK | FLAG_PSH, 1, 2);
        assertEquals(5, d.data.length);
        s.in(s.seg(FLAG_ACK, 2, 6));
        s.tcp.close(h, s.now);
        assertEquals(TcpState.LAST_ACK, s.tcp.state(h));
        s.out(FLAG_FIN | FLAG_ACK, 6, 2);
        s.in(s.seg(FLAG_ACK, 2, 7));
        assertEquals(TcpState.CLOSED, s.tcp.state(h));
        assertEquals(0, s.tcp.socketsInUse());
        assertEquals(0, s.tcp.timeWaitEntries());
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void simultaneousOpen(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.synSent();
        s.in(s.seg().flags(FLAG_SYN).seq(TcpScript.PEER_ISN).mss(1000));
        assertEquals(TcpState.SYN_RECEIVED, s.tcp.state(h));
        s.out(FLAG_SYN | FLAG_ACK, 0, 1);
        s.in(s.seg(FLAG_SYN | FLAG_ACK, 0, 1));  // the peer's SYN-ACK: its SYN again, acknowledging ours
        s.drain();
        s.in(s.seg(FLAG_ACK, 1, 1));
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        assertEquals(1000, s.tcp.mss(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void simultaneousClose(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.tcp.close(h, s.now);
        s.out(FLAG_FIN | FLAG_ACK, 1, 1);
        s.in(s.seg(FLAG_FIN | FLAG_ACK, 1, 1));       // the peer's FIN crosses ours
        assertEquals(TcpState.CLOSING, s.tcp.state(h));
        s.out(FLAG_ACK, 2, 2);
        s.in(s.seg(FLAG_ACK, 2, 2));
        assertEquals(1, s.tcp.timeWaitEntries());
        assertEquals(TcpState.CLOSED, s.tcp.state(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void passiveOpenThroughBacklog(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.accepted();
        s.in(s.seg(FLAG_ACK | FLAG_PSH, 1, 1).data(100));
        byte[] got = s.receiveAll(h);
        assertArrayEquals(TcpScript.pattern(100, TcpScript.PEER_ISN + 1), got);
        assertEquals(0, s.tcp.halfOpenEntries());
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void dataBothWaysWithDelayedAck(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        byte[] req = TcpScript.pattern(300, 1);
        assertEquals(300, s.send(h, req));
        TcpScript.Sent d = s.out(FLAG_ACK | FLAG_PSH, 1, 1);
        assertArrayEquals(req, d.data);
        s.in(s.seg(FLAG_ACK, 1, 301).data(1000));
        s.none();                                  // one segment: the ACK is delayed
        long t0 = s.now;
        s.next();
        assertEquals(200 * MS, s.now - t0);
        s.out(FLAG_ACK, 301, 1001);
        assertArrayEquals(TcpScript.pattern(1000, TcpScript.PEER_ISN + 1), s.receiveAll(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void rstOnClosedPort(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        s.localPort = 9999;
        s.in(s.seg().flags(FLAG_SYN).seq(5000));
        TcpScript.Sent r = s.out();
        assertEquals("R.", TcpScript.flagString(r.flags));
        assertEquals(5001, r.ack);
        s.in(s.seg().flags(FLAG_ACK).seq(5000).ack(777));
        r = s.out();
        assertEquals("R", TcpScript.flagString(r.flags));
        assertEquals(777, r.seq);
        s.in(s.seg().flags(FLAG_RST).seq(5000));
        s.none();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void retransmissionAndKarn(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.send(h, TcpScript.pattern(100, 3));
        s.out(FLAG_ACK | FLAG_PSH, 1, 1);
        assertEquals(1 * S, s.next());             // initial RTO 1 s (RFC 6298 §2.1)
        s.out(FLAG_ACK | FLAG_PSH, 1, 1);
        assertEquals(2 * S, s.next());             // backoff
        s.out(FLAG_ACK | FLAG_PSH, 1, 1);
        s.in(s.seg(FLAG_ACK, 1, 101));
        assertEquals(4 * S, s.tcp.rtoNs(h), "Karn: no sample from a retransmitted segment");
        assertEquals(Long.MAX_VALUE, s.tcp.pollAtNs(s.now));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void halfOpenResetReturnsToListen(boolean dirty) {
        // MUST-11: a passive SYN-RECEIVED goes back to LISTEN on a reset; RFC 5961 for an inexact one
        TcpScript s = new TcpScript(dirty);
        int l = s.tcp.listen(8080);
        s.localPort = 8080;
        s.in(s.seg().flags(FLAG_SYN).seq(TcpScript.PEER_ISN).mss(1460));
        TcpScript.Sent sa = s.out();
        s.ourIsn = sa.seq;
        s.in(s.seg(FLAG_RST, 5, 0));                  // in window, not exact: an ACK, the entry stays
        s.out(FLAG_ACK, 1, 1);
        assertEquals(1, s.tcp.halfOpenEntries());
        s.in(s.seg(FLAG_RST, 1, 0));                  // exact
        s.none();
        assertEquals(0, s.tcp.halfOpenEntries());
        s.in(s.seg().flags(FLAG_SYN).seq(TcpScript.PEER_ISN + 1000).mss(1460));   // the listener still answers
        assertEquals("S.", TcpScript.flagString(s.out().flags));
        assertEquals(Tcp.ERR_WOULD_BLOCK, s.tcp.accept(l));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void weCloseFirstWhileThePeerStillSends(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.tcp.close(h, s.now);
        s.out(FLAG_FIN | FLAG_ACK, 1, 1);
        s.in(s.seg(FLAG_ACK, 1, 2));
        assertEquals(TcpState.FIN_WAIT_2, s.tcp.state(h));
        s.in(s.seg(FLAG_ACK | FLAG_PSH, 1, 2).data(500));   // the peer's direction is still open
        assertEquals(500, s.receiveAll(h).length);
        s.next();
        s.out(FLAG_ACK, 2, 501);
        s.in(s.seg(FLAG_ACK | FLAG_FIN, 501, 2));
        s.out(FLAG_ACK, 2, 502);
        assertEquals(1, s.tcp.timeWaitEntries());
        assertEquals(0, s.tcp.socketsInUse());
    }
}
