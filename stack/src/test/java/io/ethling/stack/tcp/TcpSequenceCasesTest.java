package io.ethling.stack.tcp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;

import static io.ethling.stack.tcp.TcpScript.MS;
import static io.ethling.stack.tcp.TcpScript.S;
import static io.ethling.stack.tcp.TcpSegment.FLAG_ACK;
import static io.ethling.stack.tcp.TcpSegment.FLAG_FIN;
import static io.ethling.stack.tcp.TcpSegment.FLAG_PSH;
import static io.ethling.stack.tcp.TcpSegment.FLAG_RST;
import static io.ethling.stack.tcp.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RELIABILITY.md T15–T29 and T32–T39 (state and sequence handling), clean and dirty. */
class TcpSequenceCasesTest {

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t15InWindowRstGetsOneChallengeAck(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.in(s.seg(FLAG_RST, 2, 0));
        s.out(FLAG_ACK, 1, 1);
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t16OutOfWindowRstDroppedSilently(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.in(s.seg(FLAG_RST, 1 + 70000, 0));
        s.in(s.seg(FLAG_RST, -5, 0));
        s.none();
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        assertEquals(2, s.counter("tcp.drop.outofwindow"));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t17ExactRstResets(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.in(s.seg(FLAG_RST, 1, 0));
        s.none();
        assertEquals(TcpState.CLOSED, s.tcp.state(h));
        assertEquals(Tcp.ERROR_RESET, s.tcp.error(h));
        assertEquals(Tcp.ERR_CONNECTION, s.tcp.receive(h, new byte[4], 0, 4, s.now));
        s.tcp.close(h, s.now);
        assertEquals(0, s.tcp.socketsInUse());
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t18SynInEstablishedGetsChallengeAck(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.in(s.seg(FLAG_SYN, 5, 0));
        s.out(FLAG_ACK, 1, 1);
        s.now += 2 * S;
        s.in(s.seg(FLAG_SYN, 1_000_000, 0));
        s.out(FLAG_ACK, 1, 1);
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        assertEquals(0, s.counter("tcp.rst.sent"));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t19AckBeyondWhatWeSent(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.in(s.seg(FLAG_ACK | FLAG_PSH, 1, 1 + 1000).data(20));
        s.out(FLAG_ACK, 1, 1);                   // an ACK, and the data dropped
        assertEquals(0, s.tcp.available(h));
        assertEquals(1, s.counter("tcp.drop.ack.invalid"));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t20AckTooFarBack(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established(1460, 1000);
        s.in(s.seg(FLAG_ACK | FLAG_PSH, 1, 1 - 2000).data(20));
        s.out(FLAG_ACK, 1, 1);
        assertEquals(0, s.tcp.available(h));
        s.now += 2 * S;
        // an old ACK within MAX.SND.WND is fine
        s.in(s.seg(FLAG_ACK | FLAG_PSH, 1, 1 - 500).data(20));
        assertEquals(20, s.tcp.available(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t21ChallengeAcksRateLimitedPerConnection(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        int acks = 0;
        for (int sec = 0; sec < 10; sec++) {
            for (int i = 0; i < 1000; i++) {
                s.in(s.seg(FLAG_RST, 2 + i, 0));
                while (s.pending() > 0) {
                    s.out(FLAG_ACK, 1, 1);
                    acks++;
                }
                s.now += 1 * MS;
            }
        }
        assertEquals(10, acks, "1 challenge ACK per second over 10 s");
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t22OverlapTrimmedAndWrapAround(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        s.peerIsn = 0xFFFF_FF00;                   // the peer's sequence numbers wrap after 255 bytes
        int h = s.synSent();
        s.tcp.rebaseIss(h, 0xFFFF_FFF0);          // and ours after 15
        s.ourIsn = 0xFFFF_FFF0;
        s.in(s.seg(FLAG_SYN | FLAG_ACK, 0, 1).mss(1460));
        s.out(FLAG_ACK, 1, 1);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] stream = TcpScript.pattern(3000, 9);
        s.in(s.seg(FLAG_ACK, 1, 1).data(java.util.Arrays.copyOfRange(stream, 0, 1000)));
        // retransmission overlapping 500 old bytes and 500 new ones
        s.in(s.seg(FLAG_ACK, 501, 1).data(java.util.Arrays.copyOfRange(stream, 500, 1500)));
        s.in(s.seg(FLAG_ACK, 1501, 1).data(java.util.Arrays.copyOfRange(stream, 1500, 3000)));
        all.writeBytes(s.receiveAll(h));
        assertArrayEquals(stream, all.toByteArray());
        // and our side across the wrap
        byte[] out = TcpScript.pattern(100, 4);
        s.drain();
        s.send(h, out);
        TcpScript.Sent d = s.out(FLAG_ACK | FLAG_PSH, 1, 3001);
        assertArrayEquals(out, d.data);
        s.in(s.seg(FLAG_ACK, 3001, 101));
        assertEquals(0, s.tcp.unacknowledged(h));
        assertEquals(Long.MAX_VALUE, s.tcp.pollAtNs(s.now) == Long.MAX_VALUE ? Long.MAX_VALUE : 0L);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t23RightEdgeOfWindow(boolean dirty) {
        TcpScript s = new TcpScript(new TcpConfig().receiveBufferBytes(2048), dirty, 7);
        int h = s.established();
        s.in(s.seg(FLAG_ACK, 1 + 2048, 1).data(10));
        s.out(FLAG_ACK, 1, 1);
        s.in(s.seg(FLAG_ACK, 1 + 2049, 1).data(10));
        s.out(FLAG_ACK, 1, 1);
        assertEquals(0, s.tcp.available(h));
        assertEquals(2, s.counter("tcp.drop.outofwindow"));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t24ZeroWindowForTenMinutes(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established(1460, 0);
        s.send(h, TcpScript.pattern(500, 2));
        s.none();
        long last = s.now;
        long prevGap = 0;
        int probes = 0;
        long end = s.now + 600 * S;
        while (s.now - end < 0) {
            s.next();
            TcpScript.Sent p = s.out();
            assertEquals(0, p.data.length);
            assertEquals(0, p.seq - s.ourIsn, "probe at SND.UNA − 1");
            long gap = s.now - last;
            assertTrue(gap >= prevGap && gap <= 60 * S, "backoff " + gap);
            prevGap = gap;
            last = s.now;
            probes++;
            s.in(s.seg(FLAG_ACK, 1, 1).win(0));      // the peer answers every probe
            s.none();
        }
        assertTrue(probes >= 10 && probes < 40, "probes " + probes);
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        s.in(s.seg(FLAG_ACK, 1, 1).win(4000));       // the window opens
        TcpScript.Sent d = s.out(FLAG_ACK | FLAG_PSH, 1, 1);
        assertEquals(500, d.data.length);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t25WindowShrinksWithDataInFlight(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established(1000, 4000);
        s.tcp.noDelay(h, true);
        s.send(h, TcpScript.pattern(3000, 5));
        s.out(FLAG_ACK, 1, 1);
        s.out(FLAG_ACK, 1001, 1);
        s.out(FLAG_ACK | FLAG_PSH, 2001, 1);
        s.in(s.seg(FLAG_ACK, 1, 1001).win(1000)); // shrinks: the window's right edge moves left
        s.none();
        s.next();                                  // RTO: the first unacknowledged segment again, within the window
        TcpScript.Sent r = s.out(FLAG_ACK, 1001, 1);
        assertEquals(1000, r.data.length);
        s.in(s.seg(FLAG_ACK, 1, 3001).win(4000));
        assertEquals(0, s.tcp.unacknowledged(h));
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t26OutOfOrderBeyondAssemblerCapacity(boolean dirty) {
        TcpScript s = new TcpScript(new TcpConfig().receiveBufferBytes(65536).oooRanges(4), dirty, 7);
        int h = s.established();
        byte[] stream = TcpScript.pattern(100 * 51, 3);
        // 50 segments of 100 bytes with a one-segment hole before each: only 4 holes can be held
        for (int i = 1; i <= 50; i++) {
            int off = i * 200;
            if (off + 100 > stream.length) {
                break;
            }
            s.in(s.seg(FLAG_ACK, 1 + off, 1).data(java.util.Arrays.copyOfRange(stream, off, off + 100)));
            s.out(FLAG_ACK, 1, 1);                 // an immediate duplicate ACK each time
        }
        assertTrue(s.counter("tcp.drop.ooo.full") > 0);
        // the sender fills everything in order: the transfer completes
        for (int off = 0; off < stream.length; off += 100) {
            s.in(s.seg(FLAG_ACK, 1 + off, 1).data(java.util.Arrays.copyOfRange(stream, off, off + 100)));
        }
        assertArrayEquals(stream, s.receiveAll(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t27FinCases(boolean dirty) {
        // FIN carrying data
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.in(s.seg(FLAG_ACK | FLAG_FIN, 1, 1).data(10));
        s.out(FLAG_ACK, 1, 12);
        assertEquals(TcpState.CLOSE_WAIT, s.tcp.state(h));
        assertEquals(10, s.receiveAll(h).length);
        assertEquals(Tcp.END_OF_STREAM, s.tcp.receive(h, new byte[1], 0, 1, s.now));
        // FIN retransmitted: acknowledged again, no second close
        s.in(s.seg(FLAG_ACK | FLAG_FIN, 1, 1).data(10));
        s.out(FLAG_ACK, 1, 12);
        assertEquals(TcpState.CLOSE_WAIT, s.tcp.state(h));
        // data after FIN: ignored
        s.in(s.seg(FLAG_ACK, 12, 1).data(5));
        assertEquals(Tcp.END_OF_STREAM, s.tcp.receive(h, new byte[8], 0, 8, s.now));
        assertTrue(s.counter("tcp.drop.afterfin") >= 1);

        // FIN before missing data
        TcpScript u = new TcpScript(dirty);
        int g = u.established();
        u.in(u.seg(FLAG_ACK | FLAG_FIN, 11, 1).data(10));
        u.out(FLAG_ACK, 1, 1);
        assertEquals(TcpState.ESTABLISHED, u.tcp.state(g));
        u.in(u.seg(FLAG_ACK, 1, 1).data(10));
        u.out(FLAG_ACK, 1, 22);
        assertEquals(TcpState.CLOSE_WAIT, u.tcp.state(g));
        assertEquals(20, u.receiveAll(g).length);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t28SynSentBadSynAckAndBadRst(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.synSent();
        s.in(s.seg(FLAG_SYN | FLAG_ACK, 0, 5));     // acknowledges the wrong number
        TcpScript.Sent r = s.out();
        assertEquals("R", TcpScript.flagString(r.flags));
        assertEquals(s.ourIsn + 5, r.seq);
        assertEquals(TcpState.SYN_SENT, s.tcp.state(h));
        s.in(s.seg(FLAG_RST | FLAG_ACK, 0, 7));     // an RST whose ACK is not acceptable
        s.none();
        assertEquals(TcpState.SYN_SENT, s.tcp.state(h));
        s.in(s.seg(FLAG_RST, 0, 0));                // an RST without ACK (RFC 5961 §3)
        s.none();
        assertEquals(TcpState.SYN_SENT, s.tcp.state(h));
        s.in(s.seg(FLAG_RST | FLAG_ACK, 0, 1));     // acceptable: refused
        assertEquals(TcpState.CLOSED, s.tcp.state(h));
        assertEquals(Tcp.ERROR_REFUSED, s.tcp.error(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t29SynToClosedPortAndFromBroadcast(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        s.localPort = 4444;
        s.in(s.seg().flags(FLAG_SYN).seq(77));
        TcpScript.Sent r = s.out();
        assertEquals("R.", TcpScript.flagString(r.flags));
        assertEquals(78, r.ack);
        s.tcp.listen(4444);
        for (int src : new int[] {-1, io.ethling.stack.wire.Ipv4Packet.parse("224.0.0.1"), 0}) {
            s.in(s.seg().flags(FLAG_SYN).seq(77).from(src, 1234));
            s.none();
        }
        assertEquals(0, s.tcp.halfOpenEntries());
        assertEquals(3, s.counter("tcp.drop.source"));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t32SynFloodKeepsClientsAndListenerAlive(boolean dirty) {
        TcpScript s = new TcpScript(new TcpConfig().synBacklog(8).sockets(4).serverConnections(2), dirty, 7);
        int l = s.tcp.listen(8080);
        s.localPort = 8080;
        io.ethling.stack.util.Prng r = new io.ethling.stack.util.Prng(99);
        for (int i = 0; i < 5000; i++) {
            int src = 0x0A000000 | (r.nextInt() & 0x00FFFFFF);
            if (!io.ethling.stack.wire.Ipv4Packet.isValidUnicastSource(src)) {
                continue;
            }
            s.in(s.seg().flags(FLAG_SYN).seq(r.nextInt()).from(src, 1024 + r.nextInt(60000)));
            s.now += 67_000;                        // 14,880 frames/s
        }
        s.drain();
        assertEquals(8, s.tcp.halfOpenEntries(), "bounded backlog");
        assertTrue(s.counter("tcp.backlog.recycled") > 4900);
        assertEquals(0, s.tcp.socketsInUse(), "no connection record taken by the flood");
        // a client connection still works
        int h = s.established();
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        // and a legitimate client reaches the listener
        s.localPort = 8080;
        s.peerPort = 33333;
        s.in(s.seg().flags(FLAG_SYN).seq(s.peerIsn).mss(1460));
        TcpScript.Sent sa = s.out();
        s.ourIsn = sa.seq;
        s.in(s.seg(FLAG_ACK, 1, 1));
        assertTrue(s.tcp.accept(l) >= 0);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t33ServerTableFullRefusesCleanly(boolean dirty) {
        TcpScript s = new TcpScript(new TcpConfig().sockets(4).serverConnections(2)
                .serverIdleTimeoutNs(120 * S), dirty, 7);
        int l = s.tcp.listen(8080);
        for (int i = 0; i < 3; i++) {
            s.localPort = 8080;
            s.peerPort = 30000 + i;
            s.in(s.seg().flags(FLAG_SYN).seq(s.peerIsn).mss(1460));
            TcpScript.Sent sa = s.out();
            s.ourIsn = sa.seq;
            s.in(s.seg(FLAG_ACK, 1, 1));
            if (i < 2) {
                assertTrue(s.tcp.accept(l) >= 0);
                s.none();
            } else {
                TcpScript.Sent rst = s.out();
                assertEquals("R", TcpScript.flagString(rst.flags));   // refused cleanly
            }
        }
        assertEquals(2, s.tcp.socketsInUse());
        int c = s.tcp.connect(TcpScript.PEER, 80, s.now);  // client connections unaffected
        assertTrue(c >= 0);
        s.tcp.abort(c, s.now);
        s.drain();
        s.advance(121 * S);                               // the idle timeout reclaims both slots
        assertEquals(TcpState.CLOSED, s.tcp.state(0x100));
        assertEquals(2, s.counter("tcp.timeouts"));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t34RstInTimeWaitIgnored(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.tcp.close(h, s.now);
        s.out(FLAG_FIN | FLAG_ACK, 1, 1);
        s.in(s.seg(FLAG_FIN | FLAG_ACK, 1, 2));
        s.out(FLAG_ACK, 2, 2);
        assertEquals(1, s.tcp.timeWaitEntries());
        s.in(s.seg(FLAG_RST, 2, 0));
        s.none();
        assertEquals(1, s.tcp.timeWaitEntries());
        assertEquals(1, s.counter("tcp.rst.ignored.timewait"));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t35SynRetransmissions(boolean dirty) {
        // drop the first 1, 3 and all SYNs
        for (int dropped : new int[] {1, 3, 1000}) {
            TcpScript s = new TcpScript(dirty);
            long t0 = s.now;
            int h = s.synSent();
            long expectGap = 1 * S;
            long last = s.now;
            int n = 0;
            while (n < dropped && s.tcp.state(h) == TcpState.SYN_SENT) {
                s.next();
                if (s.tcp.state(h) != TcpState.SYN_SENT) {
                    break;
                }
                s.out(FLAG_SYN, 0, 0);
                assertEquals(expectGap, s.now - last, "retransmission " + (n + 1));
                expectGap = Math.min(expectGap * 2, 60 * S);
                last = s.now;
                n++;
            }
            if (dropped < 1000) {
                s.in(s.seg(FLAG_SYN | FLAG_ACK, 0, 1).mss(1460));
                s.out(FLAG_ACK, 1, 1);
                assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
                assertTrue(s.tcp.rtoNs(h) >= 3 * S, "RFC 6298 §5.7: 3 s after a retransmitted SYN");
            } else {
                assertEquals(TcpState.CLOSED, s.tcp.state(h));
                assertEquals(Tcp.ERROR_TIMEOUT, s.tcp.error(h));
                assertTrue(s.now - t0 >= 180 * S, "the attempt lasts at least 3 min: " + (s.now - t0) / S);
            }
        }
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t36PeerStopsAcknowledging(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.send(h, TcpScript.pattern(100, 1));
        s.out(FLAG_ACK | FLAG_PSH, 1, 1);
        long t0 = s.now;
        long last = s.now;
        long gap = 1 * S;
        int retransmissions = 0;
        while (s.tcp.state(h) == TcpState.ESTABLISHED) {
            s.next();
            if (s.tcp.state(h) != TcpState.ESTABLISHED) {
                break;
            }
            s.out(FLAG_ACK | FLAG_PSH, 1, 1);
            retransmissions++;
            assertEquals(gap, s.now - last);
            gap = Math.min(gap * 2, 60 * S);
            last = s.now;
            assertEquals(retransmissions >= 3, s.tcp.retransmitWarning(h), "R1 after 3 retransmissions");
        }
        TcpScript.Sent rst = s.out();
        assertEquals("R", TcpScript.flagString(rst.flags));
        assertEquals(Tcp.ERROR_TIMEOUT, s.tcp.error(h));
        assertTrue(s.now - t0 >= 100 * S, "R2 at least 100 s");
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t37KarnNoSampleFromRetransmission(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        Tcb t = s.tcp.byHandle(h);
        long srtt = t.srttNs;
        s.send(h, TcpScript.pattern(100, 1));
        s.out();
        s.next();
        s.out();
        s.now += 50 * MS;
        s.in(s.seg(FLAG_ACK, 1, 101));
        assertEquals(srtt, t.srttNs, "no sample from the retransmitted segment");
        assertEquals(2 * S, s.tcp.rtoNs(h), "the backed-off RTO stays until a valid sample");
        s.send(h, TcpScript.pattern(100, 2));
        s.out();
        s.now += 80 * MS;
        s.in(s.seg(FLAG_ACK, 1, 201));
        assertTrue(t.srttNs != srtt, "a fresh segment is sampled");
        assertEquals(1 * S, s.tcp.rtoNs(h), "RTO collapses to the 1 s minimum");
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t38DelayedAckBounds(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.in(s.seg(FLAG_ACK, 1, 1).data(1460));
        s.none();
        long t0 = s.now;
        s.next();
        s.out(FLAG_ACK, 1, 1461);
        assertTrue(s.now - t0 <= 500 * MS);
        // every second full-size segment is acknowledged at once
        s.in(s.seg(FLAG_ACK, 1461, 1).data(1460));
        s.none();
        s.in(s.seg(FLAG_ACK, 2921, 1).data(1460));
        s.out(FLAG_ACK, 1, 4381);
        assertEquals(3 * 1460, s.receiveAll(h).length);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t39SillyWindowAvoidance(boolean dirty) {
        // receiver: the application reads 1 byte at a time; no tiny window updates
        TcpScript s = new TcpScript(new TcpConfig().receiveBufferBytes(4096), dirty, 7);
        int h = s.established();
        s.in(s.seg(FLAG_ACK, 1, 1).data(1460));
        s.in(s.seg(FLAG_ACK, 1461, 1).data(1460));
        s.in(s.seg(FLAG_ACK, 2921, 1).data(1176));
        s.drain();
        byte[] one = new byte[1];
        for (int i = 0; i < 1400; i++) {
            assertEquals(1, s.tcp.receive(h, one, 0, 1, s.now));
        }
        s.none();                                 // 1400 bytes free: less than min(4096/2, MSS)
        for (int i = 0; i < 700; i++) {
            s.tcp.receive(h, one, 0, 1, s.now);
        }
        TcpScript.Sent upd = s.out();             // now the window opens by a useful amount
        assertTrue(upd.window >= 1460, "window update " + upd.window);

        // sender: the peer advertises 1-byte windows; we do not send 1-byte segments
        TcpScript u = new TcpScript(dirty);
        int g = u.established(1460, 10000);
        u.send(g, TcpScript.pattern(5000, 1));
        int sentBytes = 0;
        while (u.pending() > 0) {
            sentBytes += u.out().data.length;
        }
        u.in(u.seg(FLAG_ACK, 1, 1 + sentBytes).win(1));
        u.none();
        u.in(u.seg(FLAG_ACK, 1, 1 + sentBytes).win(2));
        u.none();
        assertFalse(u.counter("tcp.tx.segments") > 100);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void fastRetransmitFourPacketsThirdLost(boolean dirty) {
        // packetdrill fr-4pkt: 4 segments, the third lost, 3 duplicate ACKs → fast retransmit
        TcpScript s = new TcpScript(new TcpConfig(), dirty, 7);
        int h = s.established(1000, 60000);
        s.tcp.byHandle(h).cwnd = 4000;
        s.send(h, TcpScript.pattern(4000, 1));
        for (int i = 0; i < 4; i++) {
            s.out();
        }
        s.now += 100 * MS;
        s.in(s.seg(FLAG_ACK, 1, 1001));
        s.in(s.seg(FLAG_ACK, 1, 2001));
        s.drain();
        s.in(s.seg(FLAG_ACK, 1, 2001));            // duplicate ACKs (the 4th segment arrived)
        s.in(s.seg(FLAG_ACK, 1, 2001));
        s.none();
        s.in(s.seg(FLAG_ACK, 1, 2001));
        TcpScript.Sent r = s.out(FLAG_ACK, 2001, 1);
        assertEquals(1000, r.data.length);
        assertEquals(1, s.counter("tcp.fast.retransmits"));
        assertTrue(s.now - r.atNs < 1 * MS, "at once, not after an RTO");
        s.in(s.seg(FLAG_ACK, 1, 4001));
        assertEquals(0, s.tcp.unacknowledged(h));
    }
}
