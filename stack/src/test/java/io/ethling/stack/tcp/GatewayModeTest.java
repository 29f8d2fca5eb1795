package io.ethling.stack.tcp;

import io.ethling.stack.Host;
import io.ethling.stack.iface.NetStack;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.tcp.TcpOverNetStackTest.CableEnd;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.EthernetFrame;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway mode the desktop's user-mode network uses: a board ({@link Host} at 10.0.2.15) and a
 * gateway stack at 10.0.2.2 with {@code NetStack.gatewayMode(true)} and {@link Tcp#listenAll},
 * on an in-memory cable with a virtual clock. The gateway terminates connections to any address
 * and port, holds each SYN until it says yes or no, and answers from the address the board
 * connected to (nothing here leaves the process; 198.51.100.0/24 is TEST-NET-2).
 */
class GatewayModeTest {

    static final int BOARD = Ipv4Packet.parse("10.0.2.15");
    static final int GATEWAY = Ipv4Packet.parse("10.0.2.2");
    static final int FAR = Ipv4Packet.parse("198.51.100.7");
    static final int FAR2 = Ipv4Packet.parse("198.51.100.8");
    static final long MS = 1_000_000L;

    /** A board and a gateway on one cable. */
    static final class Pair {
        final CableEnd be = new CableEnd(0x02_00_00_00_00_15L);
        final CableEnd ge = new CableEnd(0x52_55_0A_00_02_02L);
        final Host board;
        final Host gw;
        final List<int[]> gatewayTcpFrames = new ArrayList<>();   // {srcIp, dstIp} of every TCP frame the board got
        long now = 1_000 * MS;

        Pair() {
            this(new TcpConfig(), true);
        }

        Pair(TcpConfig boardTcp, boolean gatewayMode) {
            be.peer = ge;
            ge.peer = be;
            board = new Host(new StackConfig().macAddress(be.mac).address(BOARD, 24).gateway(GATEWAY),
                    new Host.Options().dhcp(false).tcp(boardTcp), be, new Prng(11));
            gw = new Host(new StackConfig().macAddress(ge.mac).address(GATEWAY, 24),
                    new Host.Options().dhcp(false).tcp(new TcpConfig().sockets(16).serverConnections(16)), ge, new Prng(12));
            gw.net().gatewayMode(gatewayMode);
            board.net().frameTap((outbound, f, off, len, t) -> {
                if (!outbound && len >= 34 && Bytes.u16(f, off + 12) == 0x0800 && (f[off + 23] & 0xFF) == 6) {
                    gatewayTcpFrames.add(new int[] {Bytes.i32(f, off + 26), Bytes.i32(f, off + 30)});
                }
            });
            board.start(now);
            gw.start(now);
        }

        /** Runs both stacks through their own deadlines until {@code done} or {@code forNs} of virtual time. */
        boolean run(BooleanSupplier done, long forNs) {
            long end = now + forNs;
            for (int step = 0; step < 100_000; step++) {
                board.poll(now);
                gw.poll(now);
                if (done.getAsBoolean()) {
                    return true;
                }
                long at = Math.min(board.pollAtNs(now), gw.pollAtNs(now));
                if (at == Long.MAX_VALUE || at - end > 0) {
                    now = end;
                    board.poll(now);
                    gw.poll(now);
                    return done.getAsBoolean();
                }
                if (at - now > 0) {
                    now = at;
                }
            }
            return done.getAsBoolean();
        }

        int acceptOne(int listener) {
            int[] h = {Tcp.ERR_WOULD_BLOCK};
            assertTrue(run(() -> (h[0] = gw.tcp().accept(listener)) >= 0, 3_000 * MS), "the gateway saw no SYN");
            return h[0];
        }
    }

    @Test
    void aConnectionToAFarAddressIsTerminatedAndAnsweredFromThatAddress() {
        Pair g = new Pair();
        int l = g.gw.tcp().listenAll();
        assertTrue(l >= 0);
        int c = g.board.tcp().connect(FAR, 80, g.now);
        assertTrue(c >= 0);
        int h = g.acceptOne(l);
        Tcp gt = g.gw.tcp();
        assertEquals(TcpState.SYN_RECEIVED, gt.state(h));
        assertEquals(FAR, gt.localIp(h), "where the board wanted to go");
        assertEquals(80, gt.localPort(h));
        assertEquals(BOARD, gt.remoteIp(h));
        assertEquals(g.board.tcp().localPort(c), gt.remotePort(h));
        // held: the board hears nothing while the gateway decides (its SYN is retransmitted after 1 s)
        g.run(() -> false, 1500 * MS);
        assertEquals(TcpState.SYN_SENT, g.board.tcp().state(c));
        assertTrue(g.gatewayTcpFrames.isEmpty(), "no SYN-ACK before acceptSyn");
        assertTrue(g.board.tcp().counters().value("tcp.rto.expired") >= 1, "the board retransmitted its SYN");
        assertEquals(1, g.gw.tcp().counters().value("tcp.syn.held"));
        assertEquals(1, gt.socketsInUse(), "the retransmitted SYN found the held connection");

        assertEquals(0, gt.acceptSyn(h, g.now));
        assertTrue(g.run(() -> g.board.tcp().state(c) == TcpState.ESTABLISHED && gt.state(h) == TcpState.ESTABLISHED, 5_000 * MS));
        assertEquals(Tcp.ERR_CLOSED, gt.acceptSyn(h, g.now), "only once");

        byte[] request = TcpScript.pattern(300, 3);
        byte[] body = TcpScript.pattern(100_000, 4);
        byte[] late = TcpScript.pattern(50, 5);
        assertEquals(request.length, g.board.tcp().send(c, request, 0, request.length, g.now));
        byte[] got = new byte[body.length];
        byte[] req = new byte[request.length + late.length];
        byte[] tmp = new byte[4096];
        int[] n = new int[4];   // request bytes at the gateway, body bytes sent, body bytes received, late sent
        boolean[] eof = new boolean[2];
        assertTrue(g.run(() -> {
            int r;
            while ((r = gt.receive(h, tmp, 0, tmp.length, g.now)) > 0) {
                System.arraycopy(tmp, 0, req, n[0], r);
                n[0] += r;
            }
            if (r == Tcp.END_OF_STREAM && !eof[1]) {
                eof[1] = true;
                assertEquals(TcpState.CLOSED, gt.state(h), "in TIME-WAIT, the handle still ours");
                assertEquals(1, gt.timeWaitEntries(), "the gateway closed first");
                gt.close(h, g.now);
            }
            if (n[0] >= request.length && n[1] < body.length) {
                n[1] += gt.send(h, body, n[1], body.length - n[1], g.now);
                if (n[1] == body.length) {
                    gt.shutdown(h, g.now);                    // the gateway's half-close: FIN after the body
                }
            }
            while ((r = g.board.tcp().receive(c, tmp, 0, tmp.length, g.now)) > 0) {
                System.arraycopy(tmp, 0, got, n[2], r);
                n[2] += r;
            }
            if (r == Tcp.END_OF_STREAM && !eof[0]) {
                eof[0] = true;                                // the board may still talk after the gateway's FIN
                n[3] = g.board.tcp().send(c, late, 0, late.length, g.now);
                g.board.tcp().close(c, g.now);
            }
            return eof[0] && eof[1] && gt.socketsInUse() == 0 && g.board.tcp().socketsInUse() == 0;
        }, 30_000 * MS), "n=" + java.util.Arrays.toString(n));
        assertArrayEquals(body, got);
        assertEquals(late.length, n[3]);
        assertArrayEquals(java.util.Arrays.copyOf(request, request.length),
                java.util.Arrays.copyOfRange(req, 0, request.length));
        assertArrayEquals(late, java.util.Arrays.copyOfRange(req, request.length, req.length), "data after our FIN");
        assertTrue(g.gatewayTcpFrames.size() > 60);
        for (int[] f : g.gatewayTcpFrames) {
            assertEquals(FAR, f[0], "every segment comes from the address the board connected to");
            assertEquals(BOARD, f[1]);
        }
        assertEquals(0, g.board.tcp().counters().value("tcp.drop.checksum"), "the pseudo-header has the far address");
    }

    @Test
    void aRefusedSynIsARefusedConnectOnTheBoard() {
        Pair g = new Pair();
        int l = g.gw.tcp().listenAll();
        int c = g.board.tcp().connect(GATEWAY, 8000, g.now);
        int h = g.acceptOne(l);
        assertEquals(GATEWAY, g.gw.tcp().localIp(h));
        assertEquals(0, g.gw.tcp().refuse(h, g.now));
        assertEquals(Tcp.ERR_BAD_HANDLE, g.gw.tcp().refuse(h, g.now), "the handle is freed");
        assertTrue(g.run(() -> g.board.tcp().state(c) == TcpState.CLOSED, 100 * MS));
        assertEquals(Tcp.ERROR_REFUSED, g.board.tcp().error(c));
        assertEquals(0, g.gw.tcp().socketsInUse());
        assertEquals(1, g.gw.tcp().counters().value("tcp.syn.refused"));
        // a later SYN to the same port is held again: nothing remembers the refusal
        int c2 = g.board.tcp().connect(GATEWAY, 8000, g.now);
        int h2 = g.acceptOne(l);
        assertNotEquals(h, h2);
        assertEquals(g.board.tcp().localPort(c2), g.gw.tcp().remotePort(h2));
    }

    @Test
    void anAbortedHeldSynIsForgottenSilently() {
        Pair g = new Pair();
        int l = g.gw.tcp().listenAll();
        int c = g.board.tcp().connect(FAR, 443, g.now);
        int h = g.acceptOne(l);
        g.gw.tcp().abort(h, g.now);
        assertEquals(0, g.gw.tcp().socketsInUse());
        g.run(() -> false, 200 * MS);
        assertTrue(g.gatewayTcpFrames.isEmpty(), "no RST: the board's own timers decide");
        assertEquals(TcpState.SYN_SENT, g.board.tcp().state(c));
        int h2 = g.acceptOne(l);                              // the board's retransmitted SYN, held anew
        assertEquals(FAR, g.gw.tcp().localIp(h2));
        assertEquals(0, g.gw.tcp().acceptSyn(h2, g.now));
        assertTrue(g.run(() -> g.board.tcp().state(c) == TcpState.ESTABLISHED, 5_000 * MS));
    }

    @Test
    void oneBoardPortToTwoDestinationsIsTwoConnections() {
        // two ephemeral ports only, so the board reuses a port toward another destination
        Pair g = new Pair(new TcpConfig().ephemeralRange(50000, 50001), true);
        int l = g.gw.tcp().listenAll();
        int a = g.board.tcp().connect(FAR, 80, g.now);
        int b = -1;
        for (int i = 0; i < 64; i++) {
            b = g.board.tcp().connect(FAR2, 80, g.now);
            if (g.board.tcp().localPort(b) == g.board.tcp().localPort(a)) {
                break;
            }
            g.board.tcp().abort(b, g.now);
        }
        assertEquals(g.board.tcp().localPort(a), g.board.tcp().localPort(b), "precondition: the same board port");
        int bb = b;
        int ha = -1;
        int hb = -1;
        for (int i = 0; i < 2; i++) {
            int h = g.acceptOne(l);
            if (g.gw.tcp().localIp(h) == FAR) {
                ha = h;
            } else {
                hb = h;
            }
        }
        assertTrue(ha >= 0 && hb >= 0);
        assertEquals(FAR2, g.gw.tcp().localIp(hb));
        g.gw.tcp().acceptSyn(ha, g.now);
        g.gw.tcp().acceptSyn(hb, g.now);
        int fa = ha;
        int fb = hb;
        assertTrue(g.run(() -> g.board.tcp().state(a) == TcpState.ESTABLISHED && g.board.tcp().state(bb) == TcpState.ESTABLISHED
                && g.gw.tcp().state(fa) == TcpState.ESTABLISHED && g.gw.tcp().state(fb) == TcpState.ESTABLISHED, 5_000 * MS));
        byte[] ma = "to a".getBytes();
        byte[] mb = "to bb".getBytes();
        g.gw.tcp().send(fa, ma, 0, ma.length, g.now);
        g.gw.tcp().send(fb, mb, 0, mb.length, g.now);
        assertTrue(g.run(() -> g.board.tcp().available(a) == ma.length && g.board.tcp().available(bb) == mb.length, 1_000 * MS));
        byte[] tmp = new byte[16];
        assertEquals("to a", new String(tmp, 0, g.board.tcp().receive(a, tmp, 0, tmp.length, g.now)));
        assertEquals("to bb", new String(tmp, 0, g.board.tcp().receive(b, tmp, 0, tmp.length, g.now)));
    }

    @Test
    void aPortListenerWinsOverTheWildcard() {
        Pair g = new Pair();
        int all = g.gw.tcp().listenAll();
        assertEquals(Tcp.ERR_IN_USE, g.gw.tcp().listenAll());
        int l80 = g.gw.tcp().listen(80);
        assertNotEquals(all, l80);
        int c = g.board.tcp().connect(GATEWAY, 80, g.now);
        assertTrue(g.run(() -> g.board.tcp().state(c) == TcpState.ESTABLISHED, 100 * MS), "SYN-ACK at once");
        assertTrue(g.acceptOne(l80) >= 0, "the final ACK makes it a connection of listen(80)");
        assertEquals(Tcp.ERR_WOULD_BLOCK, g.gw.tcp().accept(all));
        // unlisten refuses what still waits
        int c2 = g.board.tcp().connect(FAR, 25, g.now);
        assertTrue(g.run(() -> g.gw.tcp().socketsInUse() == 2, 100 * MS));
        g.gw.tcp().unlisten(all, g.now);
        assertTrue(g.run(() -> g.board.tcp().state(c2) == TcpState.CLOSED, 100 * MS));
        assertEquals(Tcp.ERROR_REFUSED, g.board.tcp().error(c2));
    }

    @Test
    void withoutGatewayModeOtherAddressesAreNotOurs() {
        Pair g = new Pair(new TcpConfig(), false);
        int l = g.gw.tcp().listenAll();
        g.board.tcp().connect(FAR, 80, g.now);
        g.run(() -> false, 500 * MS);
        assertEquals(Tcp.ERR_WOULD_BLOCK, g.gw.tcp().accept(l));
        assertTrue(g.gw.net().counters().value("ip.drop.notforus") >= 1);
        assertEquals(0, g.gw.tcp().counters().value("tcp.rx.segments"));
        byte[] seg = new byte[20];
        assertEquals(NetStack.ERR_NO_ADDRESS, g.gw.net().sendIpFrom(FAR, BOARD, Ipv4Packet.PROTOCOL_TCP, seg, 0, 20, g.now),
                "only a gateway sends from another address");
        assertEquals(TcpTransport.ERR_FOREIGN_SOURCE, new TcpTransport() {
            @Override
            public int localAddress() {
                return GATEWAY;
            }

            @Override
            public int sendSegment(int dstIp, byte[] src, int off, int len, long nowNs) {
                return 0;
            }
        }.sendSegment(FAR, BOARD, seg, 0, 20, g.now), "a plain transport sends from its own address only");
    }

    @Test
    void gatewayModeIsOnlyTcp() {
        Pair g = new Pair();
        g.gw.tcp().listenAll();
        g.board.net().ping().send(FAR, 1, 8, g.now);
        g.run(() -> false, 500 * MS);
        assertEquals(0, g.board.net().ping().replies(), "no echo for other addresses");
        assertTrue(g.gw.net().counters().value("ip.drop.notforus") >= 1);
        g.board.net().ping().send(GATEWAY, 2, 8, g.now);
        assertTrue(g.run(() -> g.board.net().ping().replies() == 1, 500 * MS), "its own address still answers");
        byte[] seg = new byte[20];
        assertTrue(g.gw.net().sendIpFrom(Ipv4Packet.parse("224.0.0.1"), BOARD, Ipv4Packet.PROTOCOL_TCP, seg, 0, 20, g.now) < 0,
                "never from a multicast source");
    }

    /** An Ethernet/IPv4/TCP frame from the board to the gateway's MAC; the checksum covers {@code pseudoDst}. */
    static byte[] frame(int srcIp, int dstIp, int pseudoDst, int flags, int tcpLength, int dataOffsetNibble) {
        byte[] f = new byte[EthernetFrame.HEADER_LENGTH + 20 + Math.max(tcpLength, 20)];
        int hl = 20;
        new TcpSegment().wrap(f, 34, hl).emit(srcIp, pseudoDst, 40000, 80, 1000, 0, flags, 8192, -1, 0);
        if (dataOffsetNibble >= 0) {
            f[34 + 12] = (byte) (dataOffsetNibble << 4);
        }
        new io.ethling.stack.wire.Ipv4Packet().wrap(f, 14, 20 + tcpLength).emitHeader(srcIp, dstIp, 6, tcpLength, 7, 64);
        new EthernetFrame().wrap(f, 0, 34 + tcpLength).header(0x52_55_0A_00_02_02L, 0x02_00_00_00_00_15L, 0x0800);
        return java.util.Arrays.copyOf(f, 34 + tcpLength);
    }

    /** RELIABILITY.md §0.2(6): each bad segment to a far address, after a clean start and after a full junk frame. */
    @Test
    void malformedSegmentsToAFarAddressAreDroppedCleanAndDirty() {
        int syn = TcpSegment.FLAG_SYN;
        Object[][] cases = {
            // name, frame, counter that must move
            {"checksum over the gateway's own address", frame(BOARD, FAR, GATEWAY, syn, 20, -1), "tcp.drop.checksum"},
            {"truncated header", frame(BOARD, FAR, FAR, syn, 12, -1), "ip.drop.transport.length"},
            {"data offset past the end", frame(BOARD, FAR, FAR, syn, 20, 15), "tcp.drop.data.offset"},
            {"data offset below 5", frame(BOARD, FAR, FAR, syn, 20, 3), "tcp.drop.data.offset"},
            {"SYN+FIN", frame(BOARD, FAR, FAR, syn | TcpSegment.FLAG_FIN, 20, -1), "tcp.drop.flags"},
            {"multicast destination", frame(BOARD, Ipv4Packet.parse("224.0.0.5"), Ipv4Packet.parse("224.0.0.5"), syn, 20, -1),
                "ip.drop.notforus"},
            {"source 0.0.0.0", frame(0, FAR, FAR, syn, 20, -1), "ip.drop.source"},
        };
        byte[] junk = new byte[1514];
        java.util.Arrays.fill(junk, (byte) 0xA5);
        new EthernetFrame().wrap(junk, 0, junk.length).header(0x52_55_0A_00_02_02L, 0x02_00_00_00_00_15L, 0x88B5);
        for (boolean dirty : new boolean[] {false, true}) {
            for (Object[] c : cases) {
                Pair g = new Pair();
                int l = g.gw.tcp().listenAll();
                String counter = (String) c[2];
                if (dirty) {
                    g.ge.inbound.add(junk.clone());
                    g.ge.arrivals.add(g.now);
                    g.gw.poll(g.now);
                }
                long before = g.gw.net().counters().value(counter) + g.gw.tcp().counters().value(counter);
                g.ge.inbound.add((byte[]) c[1]);
                g.ge.arrivals.add(g.now);
                g.run(() -> false, 100 * MS);
                String what = c[0] + (dirty ? " (dirty)" : " (clean)");
                assertEquals(before + 1, g.gw.net().counters().value(counter) + g.gw.tcp().counters().value(counter), what);
                assertEquals(Tcp.ERR_WOULD_BLOCK, g.gw.tcp().accept(l), what);
                assertEquals(0, g.gw.tcp().socketsInUse(), what);
                assertEquals(0, g.gw.tcp().counters().value("tcp.rst.sent"), what + ": nothing answered");
            }
            // the control: the same builder's good SYN is held
            Pair g = new Pair();
            int l = g.gw.tcp().listenAll();
            g.ge.inbound.add(frame(BOARD, FAR, FAR, syn, 20, -1));
            g.ge.arrivals.add(g.now);
            g.run(() -> false, 100 * MS);
            int h = g.gw.tcp().accept(l);
            assertTrue(h >= 0, "a good SYN is held");
            assertEquals(FAR, g.gw.tcp().localIp(h));
        }
    }

    /**
     * The gateway's side allocates nothing per connection either (it is the same Tcp): 200-cycle
     * rounds of connect to a far address, held SYN, acceptSyn, a 300-byte request, a 6000-byte
     * answer from the far address, FIN both ways — over the allocation-free LoopbackWire.
     */
    @Test
    void gatewayConnectionsAllocateNothing() {
        long seed = 31;
        LoopbackWire wire = new LoopbackWire(BOARD, GATEWAY, 2 * MS);
        wire.anySource = true;
        Tcp board = new Tcp(new TcpConfig().sockets(4), wire.endA, new Prng(seed));
        Tcp gw = new Tcp(new TcpConfig().sockets(8).serverConnections(8), wire.endB, new Prng(seed + 1));
        wire.a = board;
        wire.b = gw;
        int l = gw.listenAll();
        byte[] request = TcpScript.pattern(300, 1);
        byte[] answer = TcpScript.pattern(6000, 2);
        byte[] rx = new byte[2048];
        long[] now = {1_000 * MS};
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] perRound = new long[6];
        for (int round = 0; round < perRound.length; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int cycle = 0; cycle < 200; cycle++) {
                int dst = FAR + (cycle & 7);                  // eight far addresses in turn
                int c = board.connect(dst, 80, now[0]);
                int h = -1;
                int reqSent = 0;
                int reqGot = 0;
                int ansSent = 0;
                int ansGot = 0;
                boolean boardClosed = false;
                boolean gwClosed = false;
                for (int guard = 0; ; guard++) {
                    if (guard > 10_000) {
                        throw new AssertionError("seed " + seed + " round " + round + " cycle " + cycle + ": stuck");
                    }
                    if (h < 0 && (h = gw.accept(l)) >= 0) {
                        if (gw.localIp(h) != dst) {
                            throw new AssertionError("seed " + seed + ": held for the wrong address");
                        }
                        gw.acceptSyn(h, now[0]);
                    }
                    if (reqSent < request.length && board.state(c) == TcpState.ESTABLISHED) {
                        reqSent += board.send(c, request, reqSent, request.length - reqSent, now[0]);
                    }
                    if (h >= 0 && !gwClosed) {
                        int n;
                        while ((n = gw.receive(h, rx, 0, rx.length, now[0])) > 0) {
                            reqGot += n;
                        }
                        if (reqGot == request.length && ansSent < answer.length) {
                            ansSent += gw.send(h, answer, ansSent, answer.length - ansSent, now[0]);
                        }
                        if (ansSent == answer.length) {
                            gw.close(h, now[0]);
                            gwClosed = true;
                        }
                    }
                    int n;
                    while ((n = board.receive(c, rx, 0, rx.length, now[0])) > 0) {
                        ansGot += n;
                    }
                    if (n == Tcp.END_OF_STREAM && !boardClosed) {
                        board.close(c, now[0]);
                        boardClosed = true;
                    }
                    if (boardClosed && gwClosed && board.socketsInUse() == 0 && gw.socketsInUse() == 0) {
                        break;
                    }
                    long at = wire.nextArrival();
                    long x = Math.min(board.pollAtNs(now[0]), gw.pollAtNs(now[0]));
                    if (x != Long.MAX_VALUE && (at == Long.MAX_VALUE || x - at < 0)) {
                        at = x;
                    }
                    if (at != Long.MAX_VALUE && at - now[0] > 0) {
                        now[0] = at;
                    }
                    wire.deliver(now[0]);
                    board.poll(now[0]);
                    gw.poll(now[0]);
                }
                if (ansGot != answer.length || reqGot != request.length) {
                    throw new AssertionError("seed " + seed + " cycle " + cycle + ": " + reqGot + "/" + ansGot);
                }
            }
            perRound[round] = mx.getCurrentThreadAllocatedBytes() - before;
        }
        long clean = Long.MAX_VALUE;
        for (int r = 2; r < perRound.length; r++) {
            clean = Math.min(clean, perRound[r]);
        }
        assertEquals(0, clean, "seed " + seed + ": bytes allocated per 200-cycle round " + java.util.Arrays.toString(perRound));
        assertEquals(1200, gw.counters().value("tcp.syn.held"));
        assertEquals(0, wire.dropped);
    }
}
