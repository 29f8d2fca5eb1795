package io.ethling.stack.tcp;

import io.ethling.stack.wire.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ethling.stack.tcp.TcpScript.MS;
import static io.ethling.stack.tcp.TcpScript.S;
import static io.ethling.stack.tcp.TcpSegment.FLAG_ACK;
import static io.ethling.stack.tcp.TcpSegment.FLAG_FIN;
import static io.ethling.stack.tcp.TcpSegment.FLAG_PSH;
import static io.ethling.stack.tcp.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keep-alive, FIN-WAIT-2 timeout, zero window under data in flight, ICMP, ARP failure, abort, API errors. */
class TcpTimersAndErrorsTest {

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void keepAliveProbesThenGivesUp(boolean dirty) {
        TcpScript s = new TcpScript(new TcpConfig().keepAlive(true).keepAliveIdleNs(7200 * S)
                .keepAliveIntervalNs(75 * S).keepAliveProbes(3), dirty, 7);
        int h = s.established();
        long t0 = s.now;
        s.next();
        assertEquals(7200 * S, s.now - t0, "first probe after 2 h idle (MUST-28)");
        TcpScript.Sent p = s.out(FLAG_ACK, 0, 1);   // SND.UNA − 1, no data
        assertEquals(0, p.data.length);
        s.in(s.seg(FLAG_ACK, 1, 1));              // answered: idle again
        s.next();
        assertEquals(7200 * S, s.now - t0 - 7200 * S);
        s.out(FLAG_ACK, 0, 1);
        for (int i = 0; i < 2; i++) {              // no answers: MUST-29 tolerates lost ACKs
            s.next();
            s.out(FLAG_ACK, 0, 1);
        }
        s.next();
        TcpScript.Sent rst = s.out();
        assertEquals("R", TcpScript.flagString(rst.flags));
        assertEquals(TcpState.CLOSED, s.tcp.state(h));
        assertEquals(Tcp.ERROR_TIMEOUT, s.tcp.error(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void keepAliveOffByDefault(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        s.established();
        assertEquals(Long.MAX_VALUE, s.tcp.pollAtNs(s.now), "no timer at all on an idle connection (MUST-25)");
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void finWait2TimesOutAfterClose(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.tcp.close(h, s.now);
        s.out(FLAG_FIN | FLAG_ACK, 1, 1);
        s.in(s.seg(FLAG_ACK, 1, 2));
        assertEquals(TcpState.FIN_WAIT_2, s.tcp.state(h));
        s.advance(61 * S);
        assertEquals(0, s.tcp.socketsInUse());
        s.none();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void zeroWindowWithDataInFlightIsProbedForever(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established(1460, 4000);
        s.tcp.noDelay(h, true);
        s.send(h, TcpScript.pattern(2000, 1));
        s.out();
        s.out();
        s.in(s.seg(FLAG_ACK, 1, 1).win(0));            // shrinks to zero, nothing acknowledged
        for (int i = 0; i < 30; i++) {                   // 30 timeouts span far more than R2 = 100 s
            s.next();
            TcpScript.Sent p = s.out();
            assertEquals(0, p.data.length, "a probe, not data beyond the window, timeout " + i + " " + p);
            s.in(s.seg(FLAG_ACK, 1, 1).win(0));
        }
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        s.in(s.seg(FLAG_ACK, 1, 1).win(4000));
        s.next();                                          // the retransmission timer sends the data again
        TcpScript.Sent d = s.out();
        assertEquals(1460, d.data.length);
    }

    private static byte[] icmpQuote(int localPort, int remoteIp, int remotePort, int seq) {
        byte[] q = new byte[28];
        q[0] = 0x45;
        Bytes.put16(q, 2, 40);
        q[9] = 6;
        Bytes.put32(q, 12, TcpScript.US);
        Bytes.put32(q, 16, remoteIp);
        Bytes.put16(q, 20, localPort);
        Bytes.put16(q, 22, remotePort);
        Bytes.put32(q, 24, seq);
        return q;
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void icmpUnreachable(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.send(h, TcpScript.pattern(100, 1));
        s.out();
        byte[] q = icmpQuote(s.localPort, TcpScript.PEER, s.peerPort, s.ourIsn + 1);
        byte[] big = dirty ? java.util.Arrays.copyOf(q, 200) : q;
        for (int code : new int[] {0, 1, 5}) {
            s.tcp.onUnreachable(code, big, 0, q.length, s.now);   // MUST-56: soft errors
            assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        }
        byte[] stale = icmpQuote(s.localPort, TcpScript.PEER, s.peerPort, s.ourIsn + 5000);
        s.tcp.onUnreachable(3, stale, 0, stale.length, s.now);     // RFC 5927: sequence not in flight
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        s.tcp.onUnreachable(3, big, 0, q.length, s.now);            // port unreachable: SHLD-26
        assertEquals(TcpState.CLOSED, s.tcp.state(h));
        assertEquals(Tcp.ERROR_UNREACHABLE, s.tcp.error(h));
        s.tcp.onUnreachable(3, big, 0, 10, s.now);                  // truncated quote: ignored
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void arpFailureFailsConnectAtOnce(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.synSent();
        s.tcp.onNeighbourUnreachable(TcpScript.PEER, s.now);
        assertEquals(TcpState.CLOSED, s.tcp.state(h));
        assertEquals(Tcp.ERROR_UNREACHABLE, s.tcp.error(h));
        s.none();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void abortSendsResetAndFreesTheHandle(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.tcp.abort(h, s.now);
        TcpScript.Sent r = s.out();
        assertEquals("R", TcpScript.flagString(r.flags));
        assertEquals(s.ourIsn + 1, r.seq);
        assertEquals(0, s.tcp.socketsInUse());
        assertEquals(Tcp.ERR_BAD_HANDLE, s.tcp.send(h, new byte[1], 0, 1, s.now), "a stale handle is refused");
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void apiErrors(boolean dirty) {
        TcpScript s = new TcpScript(new TcpConfig().sockets(2).serverConnections(0), dirty, 7);
        assertEquals(Tcp.ERR_BAD_ADDRESS, s.tcp.connect(-1, 80, s.now), "broadcast (MUST-46)");
        assertEquals(Tcp.ERR_BAD_ADDRESS, s.tcp.connect(io.ethling.stack.wire.Ipv4Packet.parse("239.1.2.3"), 80, s.now));
        assertEquals(Tcp.ERR_BAD_ADDRESS, s.tcp.connect(TcpScript.PEER, 0, s.now));
        int a = s.tcp.connect(TcpScript.PEER, 80, s.now);
        int b = s.tcp.connect(TcpScript.PEER, 80, s.now);
        assertTrue(a >= 0 && b >= 0);
        assertEquals(Tcp.ERR_NO_SOCKET, s.tcp.connect(TcpScript.PEER, 80, s.now));
        assertEquals(0, s.tcp.listen(80));
        assertEquals(Tcp.ERR_IN_USE, s.tcp.listen(80));
        assertEquals(Tcp.ERR_WOULD_BLOCK, s.tcp.accept(0));
        assertEquals(Tcp.ERR_BAD_HANDLE, s.tcp.receive(12345, new byte[1], 0, 1, s.now));
        s.tcp.close(a, s.now);
        assertEquals(1, s.tcp.socketsInUse(), "closing in SYN-SENT frees the socket");
        assertEquals(TcpState.CLOSED, s.tcp.state(a));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void readInPlaceAcrossTheRingEnd(boolean dirty) {
        TcpScript s = new TcpScript(new TcpConfig().receiveBufferBytes(4096), dirty, 7);
        int h = s.established();
        byte[] stream = TcpScript.pattern(6000, 2);
        int got = 0;
        int fed = 0;
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        while (got < stream.length) {
            int n = Math.min(1000, stream.length - fed);
            if (n > 0 && s.tcp.available(h) + n <= 4096) {
                s.in(s.seg(FLAG_ACK | FLAG_PSH, 1 + fed, 1).data(java.util.Arrays.copyOfRange(stream, fed, fed + n)));
                fed += n;
            }
            int k = s.tcp.readableInPlace(h);
            if (k > 0) {
                all.write(s.tcp.receiveBuffer(h), s.tcp.readOffset(h), Math.min(k, 700));
                s.tcp.consume(h, Math.min(k, 700), s.now);
                got += Math.min(k, 700);
            }
            s.drain();
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(stream, all.toByteArray());
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void synAckRetransmittedByBacklogThenExpires(boolean dirty) {
        TcpScript s = new TcpScript(new TcpConfig().synAckRetries(3), dirty, 7);
        s.tcp.listen(8080);
        s.localPort = 8080;
        s.in(s.seg().flags(FLAG_SYN).seq(100).mss(1460));
        s.out();
        long t0 = s.now;
        long[] expect = {1 * S, 2 * S, 4 * S};
        long last = t0;
        for (long gap : expect) {
            s.next();
            assertEquals("S.", TcpScript.flagString(s.out().flags));
            assertEquals(gap, s.now - last, "SYN-ACK backoff");
            last = s.now;
        }
        s.next();
        s.none();
        assertEquals(0, s.tcp.halfOpenEntries());
        assertEquals(1, s.counter("tcp.backlog.expired"));
    }
}
