package io.ethling.stack.tcp;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.hal.EthernetDevice;
import io.ethling.stack.Host;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path: two {@link Host}s (NetStack: Ethernet, ARP, IPv4; TCP registered as protocol 6)
 * joined by an in-memory Ethernet cable. The client resolves the server's MAC by ARP, opens a
 * connection, sends a request, receives 200 KB and both sides close; the transition log tells the
 * story of DESIGN.md steps 3 and 5.
 */
class TcpOverNetStackTest {

    /** One end of a cable: frames transmitted here arrive at the other end after {@code delayNs}. */
    static final class CableEnd implements EthernetDevice {
        final long mac;
        final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
        final ArrayDeque<Long> arrivals = new ArrayDeque<>();
        CableEnd peer;
        long now;

        CableEnd(long mac) {
            this.mac = mac;
        }

        @Override
        public int receive(byte[] dst, int off, int cap) {
            if (inbound.isEmpty() || arrivals.peek() - now > 0) {
                return 0;
            }
            arrivals.poll();
            byte[] f = inbound.poll();
            System.arraycopy(f, 0, dst, off, f.length);
            return f.length;
        }

        @Override
        public int transmit(byte[] src, int off, int len) {
            peer.inbound.add(java.util.Arrays.copyOfRange(src, off, off + len));
            peer.arrivals.add(now + 1_000_000L);
            return OK;
        }

        @Override
        public int poll(long nowNs) {
            this.now = nowNs;
            return 0;
        }

        @Override
        public long pollAtNs(long nowNs) {
            return inbound.isEmpty() ? Long.MAX_VALUE : arrivals.peek();
        }

        @Override
        public long macAddress() {
            return mac;
        }

        @Override
        public boolean linkUp() {
            return true;
        }

        @Override
        public Counters counters() {
            return new CounterSet();
        }
    }

    @Test
    void fetchOverTheWholeStack() {
        int clientIp = Ipv4Packet.parse("203.0.113.10");
        int serverIp = Ipv4Packet.parse("203.0.113.80");
        CableEnd ce = new CableEnd(0x02_00_00_00_00_01L);
        CableEnd se = new CableEnd(0x02_00_00_00_00_02L);
        ce.peer = se;
        se.peer = ce;
        Host client = new Host(new StackConfig().macAddress(ce.mac).address(clientIp, 24),
                new Host.Options().dhcp(false), ce, new Prng(5));
        Host server = new Host(new StackConfig().macAddress(se.mac).address(serverIp, 24),
                new Host.Options().dhcp(false), se, new Prng(6));
        TcpTransitionLog log = new TcpTransitionLog(8192, -1);
        client.tcp().trace(log);
        long now = 1_000_000_000L;
        client.start(now);
        server.start(now);
        int listener = server.tcp().listen(80);
        int c = client.tcp().connect(serverIp, 80, now);
        assertTrue(c >= 0);
        byte[] request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes();
        byte[] body = TcpScript.pattern(200_000, 1);
        byte[] got = new byte[body.length];
        byte[] tmp = new byte[4096];
        int s = -1;
        int reqSent = 0;
        int bodySent = 0;
        int received = 0;
        boolean done = false;
        for (int step = 0; step < 200_000 && !done; step++) {
            if (s < 0) {
                s = server.tcp().accept(listener);
            }
            if (reqSent == 0 && client.tcp().state(c) == TcpState.ESTABLISHED) {
                reqSent = client.tcp().send(c, request, 0, request.length, now);
            }
            if (s >= 0) {
                server.tcp().receive(s, tmp, 0, tmp.length, now);
                if (bodySent < body.length) {
                    bodySent += server.tcp().send(s, body, bodySent, body.length - bodySent, now);
                } else if (server.tcp().state(s) == TcpState.ESTABLISHED) {
                    server.tcp().close(s, now);
                }
            }
            int n;
            while ((n = client.tcp().receive(c, tmp, 0, tmp.length, now)) > 0) {
                System.arraycopy(tmp, 0, got, received, n);
                received += n;
            }
            if (n == Tcp.END_OF_STREAM && client.tcp().state(c) == TcpState.CLOSE_WAIT) {
                client.tcp().close(c, now);
            }
            done = client.tcp().socketsInUse() == 0 && server.tcp().socketsInUse() == 0 && received == body.length;
            if (done) {
                break;
            }
            long at = Math.min(client.pollAtNs(now), server.pollAtNs(now));
            if (at != Long.MAX_VALUE && at > now) {
                now = at;
            }
            client.poll(now);
            server.poll(now);
        }
        assertEquals(body.length, received);
        assertArrayEquals(body, got);
        String story = log.lines().toString();
        System.out.print(story);
        assertTrue(story.contains("CLOSED -> SYN_SENT snd.una=0 snd.nxt=0 rcv.nxt=0"), story);
        assertTrue(story.contains("SYN_SENT -> ESTABLISHED snd.una=1 snd.nxt=1 rcv.nxt=1"), story);
        assertTrue(story.contains("ESTABLISHED -> CLOSE_WAIT"), story);
        assertTrue(story.contains("CLOSE_WAIT -> LAST_ACK"), story);
        assertTrue(story.contains("LAST_ACK -> CLOSED"), story);
        assertEquals(1, server.tcp().timeWaitEntries(), "the server closed first");
        assertTrue(client.net().counters().value("arp.resolved") >= 1);
    }
}
