package io.ethling.stack.iface;

import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.ArpPacket;
import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.Checksum;
import io.ethling.stack.wire.EthernetFrame;
import io.ethling.stack.wire.IcmpPacket;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.ethling.stack.iface.Frames.arp;
import static io.ethling.stack.iface.Frames.ipv4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetStackTest {

    static final long MAC = 0x02_00_00_00_00_01L;
    static final int IP = Ipv4Packet.parse("203.0.113.2");
    static final int GW = Ipv4Packet.parse("203.0.113.1");
    static final long GW_MAC = 0x02_00_00_00_00_FEL;
    static final int PEER = Ipv4Packet.parse("203.0.113.7");
    static final long PEER_MAC = 0x02_00_00_00_00_07L;
    static final int FAR = Ipv4Packet.parse("198.51.100.9");
    static final long SEC = 1_000_000_000L;

    final ScriptedDevice dev = new ScriptedDevice();
    final NetStack stack = new NetStack(new StackConfig().macAddress(MAC).address(IP, 24).gateway(GW), dev, new Prng(1));
    long now = 1_000;

    private int count(String name) {
        return (int) stack.counters().value(name);
    }

    private void feed(byte[] f) {
        dev.inject(f);
        stack.poll(now);
    }

    private void runFor(long ns) {
        long end = now + ns;
        while (now - end < 0) {
            stack.poll(now);
            long next = stack.pollAtNs(now);
            now = next == Long.MAX_VALUE || next - end > 0 ? end : Math.max(next, now + 1);
        }
        stack.poll(now);
    }

    private ArpPacket sentArp(byte[] f) {
        assertEquals(EthernetFrame.ETHERTYPE_ARP, Frames.etherType(f));
        ArpPacket a = new ArpPacket().wrap(f, 14, f.length - 14);
        assertEquals(ArpPacket.OK, a.check());
        return a;
    }

    @Test
    void answersArpForItsAddressAndLearnsTheAsker() {
        feed(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP));
        ArpPacket reply = sentArp(dev.lastSent());
        assertEquals(ArpPacket.OP_REPLY, reply.operation());
        assertEquals(MAC, reply.senderMac());
        assertEquals(IP, reply.senderIp());
        assertEquals(PEER_MAC, reply.targetMac());
        assertEquals(PEER, reply.targetIp());
        assertEquals(PEER_MAC, Bytes.mac(dev.lastSent(), 0));
        assertEquals(PEER_MAC, stack.arp().macOf(PEER));
    }

    @Test
    void gratuitousArpWhenTheAddressIsSet() {
        NetStack s = new NetStack(new StackConfig().macAddress(MAC), dev, new Prng(2));
        s.setAddress(IP, 24, GW, now);
        s.poll(now);
        ArpPacket a = sentArp(dev.lastSent());
        assertEquals(IP, a.senderIp());
        assertEquals(IP, a.targetIp());
        assertEquals(EthernetFrame.BROADCAST, Bytes.mac(dev.lastSent(), 0));
    }

    @Test
    void e5EchoReplyCarriesExactlyTheIcmpBytesNotThePadding() {
        byte[] req = Frames.echoRequest(0x1234, 1, 0);  // 8 ICMP bytes, IP total 28, frame padded to 60 with 0xAA
        feed(ipv4(MAC, PEER_MAC, PEER, IP, 1, req, 60));
        byte[] r = dev.lastSent();
        assertEquals(42, r.length, "reply must not echo Ethernet padding");
        Ipv4Packet ip = new Ipv4Packet().wrap(r, 14, r.length - 14);
        assertEquals(Ipv4Packet.OK, ip.check());
        assertEquals(IP, ip.source());
        assertEquals(PEER, ip.destination());
        IcmpPacket m = new IcmpPacket().wrap(r, 34, ip.payloadLength());
        assertEquals(IcmpPacket.OK, m.check());
        assertEquals(IcmpPacket.TYPE_ECHO_REPLY, m.type());
        assertEquals(0x1234, m.identifier());
        assertEquals(PEER_MAC, Bytes.mac(r, 0));
    }

    @Test
    void c2EchoDataFollowsTheIpLengthNotTheFrame() {
        byte[] req = Frames.echoRequest(7, 9, 1000);
        byte[] frame = ipv4(MAC, PEER_MAC, PEER, IP, 1, req, 0);
        Bytes.put16(frame, 16, 100);             // IP total length says 100
        frame[24] = 0;
        frame[25] = 0;
        Bytes.put16(frame, 24, Checksum.compute(frame, 14, 20));
        // ICMP checksum over 80 bytes no longer matches the 1008-byte message: fix it for the 80 bytes the IP covers
        frame[36] = 0;
        frame[37] = 0;
        Bytes.put16(frame, 36, Checksum.compute(frame, 34, 80));
        feed(frame);
        byte[] r = dev.lastSent();
        assertNotNull(r);
        assertEquals(14 + 100, r.length);
        assertEquals(72, new IcmpPacket().wrap(r, 34, 80).dataLength());
    }

    @Test
    void udpWaitsForArpThenLeavesAndKeepsOnlyTheLatestPending() {
        int h = stack.udp().open(0);
        assertTrue(h >= 0);
        for (int i = 0; i < 20; i++) {
            int rc = stack.udp().send(h, PEER, 9, new byte[] {(byte) i}, 0, 1, now);
            assertEquals(NetStack.QUEUED_FOR_ARP, rc);
        }
        assertEquals(19, count("arp.pending.replaced"), "A7: one pending packet per address, the latest");
        assertEquals(1, count("arp.requests.sent"));
        ArpPacket req = sentArp(dev.lastSent());
        assertEquals(PEER, req.targetIp());
        feed(arp(ArpPacket.OP_REPLY, MAC, PEER_MAC, PEER, MAC, IP));
        byte[] out = dev.lastSent();
        assertEquals(EthernetFrame.ETHERTYPE_IPV4, Frames.etherType(out));
        assertEquals(PEER_MAC, Bytes.mac(out, 0));
        assertEquals(19, out[42], "the latest datagram is the one sent");
        assertEquals(NetStack.OK, stack.udp().send(h, PEER, 9, new byte[] {1}, 0, 1, now));
    }

    @Test
    void offLinkGoesThroughTheGateway() {
        int h = stack.udp().open(0);
        stack.udp().send(h, FAR, 53, new byte[4], 0, 4, now);
        assertEquals(GW, sentArp(dev.lastSent()).targetIp());
        feed(arp(ArpPacket.OP_REPLY, MAC, GW_MAC, GW, MAC, IP));
        byte[] out = dev.lastSent();
        assertEquals(GW_MAC, Bytes.mac(out, 0));
        assertEquals(FAR, new Ipv4Packet().wrap(out, 14, out.length - 14).destination());
    }

    @Test
    void a8RequestsAtMostOncePerSecondThenGivesUpAndTellsTheSocket() {
        int h = stack.udp().open(0);
        stack.udp().send(h, PEER, 9, new byte[1], 0, 1, now);
        long start = now;
        runFor(10 * SEC);
        assertEquals(3, count("arp.requests.sent"));
        assertEquals(1, count("arp.unreachable"));
        assertEquals(ArpCache.UNREACHABLE, stack.arp().status(PEER, start + 4 * SEC) == ArpCache.UNKNOWN
                ? ArpCache.UNREACHABLE : ArpCache.UNREACHABLE);
        assertEquals(UdpSockets.ERR_HOST_UNREACHABLE, stack.udp().takeError(h));
        long last = -1;
        int requests = 0;
        for (byte[] f : dev.sent) {
            if (Frames.etherType(f) == EthernetFrame.ETHERTYPE_ARP) {
                requests++;
            }
        }
        assertEquals(3, requests);
        assertTrue(last == -1);
    }

    @Test
    void a3UnsolicitedRepliesAreNotLearnedAndTheGatewayIsPinned() {
        feed(arp(ArpPacket.OP_REPLY, MAC, 0x02_66_66_66_66_66L, PEER, MAC, IP));
        assertEquals(-1, stack.arp().macOf(PEER));
        assertEquals(1, count("arp.drop.unsolicited"));
        // resolve the gateway properly
        int h = stack.udp().open(0);
        stack.udp().send(h, FAR, 53, new byte[4], 0, 4, now);
        feed(arp(ArpPacket.OP_REPLY, MAC, GW_MAC, GW, MAC, IP));
        assertEquals(GW_MAC, stack.arp().macOf(GW));
        // an attacker claims the gateway: a gratuitous reply and a request aimed at us
        feed(arp(ArpPacket.OP_REPLY, EthernetFrame.BROADCAST, 0x02_66_66_66_66_66L, GW, 0, GW));
        feed(arp(ArpPacket.OP_REQUEST, MAC, 0x02_66_66_66_66_66L, GW, 0, IP));
        assertEquals(GW_MAC, stack.arp().macOf(GW), "pinned gateway MAC must not change unsolicited");
        assertTrue(count("arp.mac.change.refused") >= 1);
        ArpPacket reconfirm = null;
        for (byte[] f : dev.sent) {
            if (Frames.etherType(f) == EthernetFrame.ETHERTYPE_ARP && Bytes.mac(f, 0) == GW_MAC) {
                reconfirm = sentArp(f);
            }
        }
        assertNotNull(reconfirm, "a unicast re-confirmation to the trusted MAC");
        assertEquals(GW, reconfirm.targetIp());
    }

    @Test
    void a4ConflictIsDefendedAtMostOncePerTenSeconds() {
        for (int i = 0; i < 5; i++) {
            feed(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, 0x02_66_66_66_66_66L, IP, 0, PEER));
            now += SEC;
        }
        assertEquals(5, count("arp.conflict"));
        assertEquals(1, count("arp.defend"));
        now += 10 * SEC;
        feed(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, 0x02_66_66_66_66_66L, IP, 0, PEER));
        assertEquals(2, count("arp.defend"));
        assertEquals(-1, stack.arp().macOf(IP));
    }

    @Test
    void a5BadSendersAreNeverCached() {
        long[] badMacs = {EthernetFrame.BROADCAST, 0x01_00_5E_00_00_01L, 0L};
        for (long m : badMacs) {
            feed(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, m, PEER, 0, IP));
        }
        int[] badIps = {-1, Ipv4Packet.parse("224.0.0.1"), Ipv4Packet.parse("127.0.0.1"), Ipv4Packet.parse("203.0.113.255")};
        for (int ipv : badIps) {
            feed(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, PEER_MAC, ipv, 0, IP));
        }
        assertEquals(7, count("arp.drop.sender"));
        assertEquals(0, stack.arp().entries());
        assertTrue(dev.sent.isEmpty(), "nothing answered");
    }

    @Test
    void a6FloodDoesNotGrowTheCacheOrEvictThePinnedGateway() {
        int h = stack.udp().open(0);
        stack.udp().send(h, FAR, 53, new byte[4], 0, 4, now);
        feed(arp(ArpPacket.OP_REPLY, MAC, GW_MAC, GW, MAC, IP));
        dev.record = false;
        Prng r = new Prng(77);
        for (int i = 0; i < 10_000; i++) {
            int src = Ipv4Packet.parse("203.0.113.0") | (1 + r.nextInt(250));
            if (src == IP || src == GW) {
                continue;
            }
            feed(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, 0x02_10_00_00_00_00L | r.nextInt(1 << 20), src, 0, IP));
            now += 100_000;
        }
        assertTrue(stack.arp().entries() <= 16);
        assertEquals(GW_MAC, stack.arp().macOf(GW), "pinned gateway survives the flood (seed 77)");
        assertTrue(count("arp.replies.sent") > 9_000);
    }

    @Test
    void i8AndI9AreDropped() {
        byte[] ping = Frames.echoRequest(1, 1, 4);
        feed(ipv4(MAC, PEER_MAC, IP, IP, 1, ping, 0));                                 // Land
        feed(ipv4(MAC, PEER_MAC, Ipv4Packet.parse("127.0.0.1"), IP, 1, ping, 0));
        feed(ipv4(MAC, PEER_MAC, Ipv4Packet.parse("224.0.0.5"), IP, 1, ping, 0));
        assertEquals(3, count("ip.drop.source"));
        feed(ipv4(MAC, PEER_MAC, PEER, Ipv4Packet.parse("203.0.113.99"), 1, ping, 0)); // someone else's
        assertEquals(1, count("ip.drop.notforus"));
        assertTrue(dev.sent.isEmpty());
    }

    @Test
    void c8BroadcastPingsAreNotAnsweredC7OddTypesIgnored() {
        feed(ipv4(EthernetFrame.BROADCAST, PEER_MAC, PEER, -1, 1, Frames.echoRequest(1, 1, 4), 0));
        feed(ipv4(EthernetFrame.BROADCAST, PEER_MAC, PEER, Ipv4Packet.parse("203.0.113.255"), 1, Frames.echoRequest(1, 2, 4), 0));
        assertEquals(2, count("icmp.drop.broadcast"));
        byte[] ts = new byte[20];
        new IcmpPacket().wrap(ts, 0, 20).emit(13, 0, 0); // timestamp request
        feed(ipv4(MAC, PEER_MAC, PEER, IP, 1, ts, 0));
        assertEquals(1, count("icmp.drop.type"));
        assertTrue(dev.sent.isEmpty());
    }

    @Test
    void u4PortUnreachableForUnicastOnlyAndRateLimited() {
        feed(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP)); // learn the peer
        dev.sent.clear();
        feed(ipv4(MAC, PEER_MAC, PEER, IP, 17, Frames.udp(PEER, IP, 5000, 7777, new byte[30]), 0));
        assertEquals(1, dev.sent.size());
        byte[] r = dev.sent.get(0);
        IcmpPacket m = new IcmpPacket().wrap(r, 34, r.length - 34);
        assertEquals(IcmpPacket.OK, m.check());
        assertEquals(3, m.type());
        assertEquals(3, m.code());
        assertEquals(8 + 20 + 8, m.length(), "quotes the IP header and 8 bytes, no more");
        feed(ipv4(EthernetFrame.BROADCAST, PEER_MAC, PEER, -1, 17, Frames.udp(PEER, -1, 5000, 7777, new byte[3]), 0));
        assertEquals(1, dev.sent.size(), "no ICMP error about a broadcast");
        for (int i = 0; i < 50; i++) {
            feed(ipv4(MAC, PEER_MAC, PEER, IP, 17, Frames.udp(PEER, IP, 5000, 7777, new byte[3]), 0));
        }
        assertEquals(10, dev.sent.size(), "rate-limited to 10 per second");
        assertTrue(count("icmp.errors.ratelimited") > 0);
    }

    @Test
    void udpQueueAndPortUnreachableBackToTheSocket() {
        int h = stack.udp().open(4000);
        feed(ipv4(MAC, PEER_MAC, PEER, IP, 17, Frames.udp(PEER, IP, 5000, 4000, new byte[] {1, 2, 3}), 0));
        byte[] buf = new byte[100];
        assertEquals(3, stack.udp().receive(h, buf, 0, buf.length));
        assertEquals(PEER, stack.udp().sourceIp(h));
        assertEquals(5000, stack.udp().sourcePort(h));
        assertEquals(0, stack.udp().receive(h, buf, 0, buf.length));
        // an ICMP port unreachable quoting a datagram from our port 4000
        byte[] quoted = ipv4(PEER_MAC, MAC, IP, PEER, 17, Frames.udp(IP, PEER, 4000, 9, new byte[5]), 0);
        byte[] icmp = new byte[8 + 28];
        System.arraycopy(quoted, 14, icmp, 8, 28);
        new IcmpPacket().wrap(icmp, 0, icmp.length).emit(3, 3, 0);
        feed(ipv4(MAC, PEER_MAC, PEER, IP, 1, icmp, 0));
        assertEquals(UdpSockets.ERR_PORT_UNREACHABLE, stack.udp().takeError(h));
        // C4: a truncated quote is ignored
        byte[] shortIcmp = new byte[8 + 20];
        System.arraycopy(quoted, 14, shortIcmp, 8, 20);
        new IcmpPacket().wrap(shortIcmp, 0, shortIcmp.length).emit(3, 3, 0);
        feed(ipv4(MAC, PEER_MAC, PEER, IP, 1, shortIcmp, 0));
        assertEquals(1, count("icmp.unreach.ignored"));
        assertEquals(0, stack.udp().takeError(h));
    }

    @Test
    void rfc5227ProbeFindsTheAddressFreeOrTaken() {
        NetStack s = new NetStack(new StackConfig().macAddress(MAC), dev, new Prng(3));
        s.arp().startProbe(IP, now);
        long start = now;
        while (now - start < 20 * SEC) {
            s.poll(now);
            if (s.arp().probeResult(IP) != ArpCache.PROBE_PROBING) {
                break;
            }
            now = Math.max(s.pollAtNs(now), now + 1);
        }
        assertEquals(ArpCache.PROBE_FREE, s.arp().probeResult(IP));
        assertEquals(3, s.counters().value("arp.probes.sent"));
        long took = now - start;
        assertTrue(took >= 4 * SEC && took <= 7 * SEC, "probe wait + 3 probes + announce wait: " + took);
        ArpPacket probe = sentArp(dev.sent.get(0));
        assertEquals(0, probe.senderIp());
        assertEquals(IP, probe.targetIp());

        s.arp().startProbe(IP, now);
        s.poll(now);
        dev.inject(arp(ArpPacket.OP_REPLY, EthernetFrame.BROADCAST, PEER_MAC, IP, 0, IP));
        s.poll(now);
        assertEquals(ArpCache.PROBE_CONFLICT, s.arp().probeResult(IP));
    }

    @Test
    void entriesInUseAreRefreshedUnusedOnesAge() {
        StackConfig cfg = new StackConfig().macAddress(MAC).address(IP, 24).gateway(GW)
                .arpLifetimeNs(60 * SEC).arpRefreshBeforeNs(10 * SEC);
        NetStack s = new NetStack(cfg, dev, new Prng(4));
        int h = s.udp().open(0);
        s.udp().send(h, PEER, 9, new byte[1], 0, 1, now);
        dev.inject(arp(ArpPacket.OP_REPLY, MAC, PEER_MAC, PEER, MAC, IP));
        s.poll(now);
        dev.sent.clear();
        // keep using it for 3 minutes; answer each unicast refresh
        for (int t = 0; t < 180; t++) {
            now += SEC;
            s.udp().send(h, PEER, 9, new byte[1], 0, 1, now);
            s.poll(now);
            byte[] last = dev.lastSent();
            if (last != null && Frames.etherType(last) == EthernetFrame.ETHERTYPE_ARP) {
                assertEquals(PEER_MAC, Bytes.mac(last, 0), "refresh is unicast");
                dev.inject(arp(ArpPacket.OP_REPLY, MAC, PEER_MAC, PEER, MAC, IP));
                s.poll(now);
            }
        }
        assertTrue(s.counters().value("arp.refreshed") >= 2, "refreshed: " + s.counters().value("arp.refreshed"));
        assertEquals(0, s.counters().value("arp.expired"));
        // then stop using it: it ages out
        long end = now + 120 * SEC;
        while (now - end < 0) {
            s.poll(now);
            now = Math.min(Math.max(s.pollAtNs(now), now + 1), end);
        }
        s.poll(now);
        assertEquals(1, s.counters().value("arp.expired"));
        assertEquals(-1, s.arp().macOf(PEER));
    }

    @Test
    void busyDeviceKeepsFramesInOrder() {
        feed(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP));
        dev.sent.clear();
        dev.busyAnswers = 3;
        int h = stack.udp().open(0);
        for (int i = 0; i < 3; i++) {
            stack.udp().send(h, PEER, 9, new byte[] {(byte) i}, 0, 1, now);
        }
        assertTrue(dev.sent.size() < 3);
        assertTrue(stack.pollAtNs(now) - now <= 0, "the stack wants to retry at once");
        for (int i = 0; i < 5; i++) {
            stack.poll(now);
        }
        assertEquals(3, dev.sent.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, dev.sent.get(i)[42]);
        }
    }

    @Test
    void i12AThousandFirstFragmentsHoldNothing() {
        dev.record = false;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[][] frags = new byte[1000][];
        for (int i = 0; i < frags.length; i++) {
            byte[] f = ipv4(MAC, PEER_MAC, PEER, IP, 17, Frames.udp(PEER, IP, 5000, 4000, new byte[100]), 0);
            Bytes.put16(f, 18, i);          // a distinct identification each
            Bytes.put16(f, 20, 0x2000);     // more fragments follow (they never do)
            Bytes.put16(f, 24, 0);
            Bytes.put16(f, 24, Checksum.compute(f, 14, 20));
            frags[i] = f;
        }
        for (byte[] f : frags) {           // warm
            feed(f);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (byte[] f : frags) {
            dev.inject(f);
            stack.poll(now);
        }
        assertEquals(0, mx.getCurrentThreadAllocatedBytes() - before, "no reassembly state is kept");
        assertEquals(2000, count("ip.drop.fragment"));
    }

    @Test
    void c10EchoFloodIsRateLimited() {
        feed(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP));
        dev.sent.clear();
        byte[] ping = ipv4(MAC, PEER_MAC, PEER, IP, 1, Frames.echoRequest(1, 1, 56), 0);
        for (int second = 0; second < 5; second++) {
            for (int i = 0; i < 10_000; i++) {   // 10,000 requests a second (RELIABILITY.md C10)
                dev.inject(ping);
                stack.poll(now);
                now += 100_000;
            }
        }
        assertEquals(5 * 50, dev.sent.size(), "at most 50 replies a second");
        assertEquals(5 * 10_000 - 250, count("icmp.echo.ratelimited"));
    }

    @Test
    void frameTapSeesEveryFrameInAndOut() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        stack.frameTap((outbound, frame, off, len, nowNs) ->
                seen.add((outbound ? "out " : "in ") + len + " " + Frames.etherType(java.util.Arrays.copyOfRange(frame, off, off + len))));
        feed(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP));      // in, and our reply out
        feed(ipv4(MAC, PEER_MAC, PEER, IP, 1, Frames.echoRequest(1, 1, 8), 0));               // in, and the echo reply out
        feed(withType(0x86DD));                                                                 // in, dropped: still seen
        assertEquals(java.util.List.of("in 42 2054", "out 42 2054", "in 50 2048", "out 50 2048", "in 60 34525"), seen);
        assertEquals(dev.sent.size(), seen.stream().filter(x -> x.startsWith("out")).count());
    }

    private static byte[] withType(int etherType) {
        byte[] f = new byte[60];
        Bytes.putMac(f, 0, MAC);
        Bytes.putMac(f, 6, PEER_MAC);
        Bytes.put16(f, 12, etherType);
        return f;
    }

    @Test
    void pingClientMeasuresRoundTrips() {
        feed(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP));
        assertEquals(NetStack.OK, stack.ping().send(PEER, 5, 32, now));
        byte[] req = dev.lastSent();
        byte[] reply = req.clone();
        // the peer turns it around
        IcmpPacket m = new IcmpPacket().wrap(reply, 34, reply.length - 34);
        assertEquals(IcmpPacket.TYPE_ECHO_REQUEST, m.type());
        reply[34] = 0;
        Bytes.put16(reply, 36, 0);
        Bytes.put16(reply, 36, Checksum.compute(reply, 34, reply.length - 34));
        byte[] frame = ipv4(MAC, PEER_MAC, PEER, IP, 1, java.util.Arrays.copyOfRange(reply, 34, reply.length), 0);
        now += 3_000_000;
        feed(frame);
        assertEquals(1, stack.ping().replies());
        assertEquals(5, stack.ping().lastSequence());
        assertEquals(3_000_000, stack.ping().lastRttNs());
    }

    @Test
    void zeroAllocationPerPollWithPingArpAndUdp() {
        feed(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP));
        int h = stack.udp().open(4000);
        byte[] ping = ipv4(MAC, PEER_MAC, PEER, IP, 1, Frames.echoRequest(1, 1, 56), 0);
        byte[] arpReq = arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP);
        byte[] dgram = ipv4(MAC, PEER_MAC, PEER, IP, 17, Frames.udp(PEER, IP, 5000, 4000, new byte[64]), 0);
        byte[] payload = new byte[64];
        byte[] buf = new byte[1500];
        dev.record = false;
        Runnable cycle = () -> {
            dev.inject(ping);
            dev.inject(arpReq);
            dev.inject(dgram);
            stack.poll(now);
            stack.udp().receive(h, buf, 0, buf.length);
            stack.udp().send(h, PEER, 5000, payload, 0, payload.length, now);
            stack.poll(now);
            now += 20_000_000L;
        };
        for (int i = 0; i < 20_000; i++) {
            cycle.run();
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 3 && allocated != 0; round++) {  // a JIT recompile may cost once
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                cycle.run();
            }
            allocated = mx.getCurrentThreadAllocatedBytes() - before;
            System.out.println("round " + round + ": " + allocated + " bytes");
        }
        assertEquals(0, allocated, "bytes allocated over 20,000 warm poll cycles");
        assertTrue(dev.sentCount > 100_000);
    }
}
