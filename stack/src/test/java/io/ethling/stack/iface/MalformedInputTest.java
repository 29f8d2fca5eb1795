package io.ethling.stack.iface;

import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.ArpPacket;
import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.Checksum;
import io.ethling.stack.wire.EthernetFrame;
import io.ethling.stack.wire.IcmpPacket;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.ethling.stack.iface.Frames.arp;
import static io.ethling.stack.iface.Frames.ipv4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RELIABILITY.md §1.3 cases for the Ethernet, ARP, IPv4, ICMP and UDP layers, each fed to a fresh
 * stack twice: clean, and "dirty" (§0.2(6)) — right after a 1514-byte junk frame has filled the
 * stack's reused receive buffer, so any read past the frame would see plausible bytes. Both runs
 * must give the same counters and send the same frames; then the case's own expectation is
 * checked: the named drop counter went up, or the stated reply was sent. Every run also checks
 * the standard outcome: no exception, and the stack still answers a ping afterwards.
 */
class MalformedInputTest {

    static final long MAC = NetStackTest.MAC;
    static final int IP = NetStackTest.IP;
    static final int PEER = NetStackTest.PEER;
    static final long PEER_MAC = NetStackTest.PEER_MAC;

    record Case(String id, Supplier<byte[]> frame, String counter, int expectSent) {
        @Override
        public String toString() {
            return id;
        }
    }

    static byte[] withIp(byte[] f, java.util.function.Consumer<byte[]> edit, boolean fixChecksum) {
        edit.accept(f);
        if (fixChecksum) {
            int ihl = (f[14] & 0x0F) * 4;
            if (ihl >= 20 && 14 + ihl <= f.length) {
                Bytes.put16(f, 24, 0);
                Bytes.put16(f, 24, Checksum.compute(f, 14, ihl));
            }
        }
        return f;
    }

    static byte[] ping(int dataLength) {
        return ipv4(MAC, PEER_MAC, PEER, IP, 1, Frames.echoRequest(3, 4, dataLength), 0);
    }

    static byte[] udpTo(int port, int dataLength) {
        return ipv4(MAC, PEER_MAC, PEER, IP, 17, Frames.udp(PEER, IP, 5353, port, new byte[dataLength]), 0);
    }

    static Stream<Arguments> cases() {
        List<Case> c = new ArrayList<>();
        // E: Ethernet
        // A 0-byte frame cannot cross EthernetDevice (0 means "nothing pending"); the driver drops an
        // RSV byte count of 0 (E7, hal/enc28j60 tests).
        for (int len : new int[] {1, 13}) {
            c.add(new Case("E1 " + len + "-byte frame", () -> java.util.Arrays.copyOf(ping(8), len), "rx.drop.short", 0));
        }
        c.add(new Case("E1 14 bytes IPv4 no payload", () -> java.util.Arrays.copyOf(ping(8), 14), "ip.drop.truncated", 0));
        c.add(new Case("E3 802.1Q tagged", () -> withIp(ping(8), f -> Bytes.put16(f, 12, 0x8100), false), "rx.drop.ethertype", 0));
        c.add(new Case("E3 802.3 length", () -> withIp(ping(8), f -> Bytes.put16(f, 12, 0x05DC), false), "rx.drop.ethertype", 0));
        c.add(new Case("E3 IPv6", () -> withIp(ping(8), f -> Bytes.put16(f, 12, 0x86DD), false), "rx.drop.ethertype", 0));
        c.add(new Case("E4 other unicast MAC", () -> withIp(ping(8), f -> Bytes.putMac(f, 0, 0x02_99_00_00_00_01L), false), "rx.drop.notforus", 0));
        c.add(new Case("E4 multicast not joined", () -> withIp(ping(8), f -> Bytes.putMac(f, 0, 0x01_00_5E_00_00_FBL), false), "rx.drop.notforus", 0));
        c.add(new Case("E5 padded minimum echo", () -> ipv4(MAC, PEER_MAC, PEER, IP, 1, Frames.echoRequest(1, 1, 0), 60), "icmp.echo.replies.sent", 1));
        // A: ARP
        c.add(new Case("A1 hardware type 6", () -> withIp(arp(1, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP), f -> Bytes.put16(f, 14, 6), false), "arp.drop.malformed", 0));
        c.add(new Case("A1 protocol 0x86dd", () -> withIp(arp(1, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP), f -> Bytes.put16(f, 16, 0x86DD), false), "arp.drop.malformed", 0));
        c.add(new Case("A1 hlen 8", () -> withIp(arp(1, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP), f -> f[18] = 8, false), "arp.drop.malformed", 0));
        c.add(new Case("A1 plen 16", () -> withIp(arp(1, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP), f -> f[19] = 16, false), "arp.drop.malformed", 0));
        c.add(new Case("A1 opcode 0", () -> withIp(arp(1, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP), f -> Bytes.put16(f, 20, 0), false), "arp.drop.malformed", 0));
        c.add(new Case("A1 opcode 3", () -> withIp(arp(1, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP), f -> Bytes.put16(f, 20, 3), false), "arp.drop.malformed", 0));
        for (int len : new int[] {27, 20, 8}) {
            c.add(new Case("A2 ARP truncated to " + len, () -> java.util.Arrays.copyOf(arp(1, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP), 14 + len), "arp.drop.malformed", 0));
        }
        c.add(new Case("A3 unsolicited reply", () -> arp(2, MAC, 0x02_66_00_00_00_01L, PEER + 5, MAC, IP), "arp.drop.unsolicited", 0));
        c.add(new Case("A3 reply changing a known MAC", () -> arp(2, MAC, 0x02_66_00_00_00_01L, PEER, MAC, IP), "arp.mac.change.refused", 0));
        c.add(new Case("A4 our address claimed", () -> arp(1, EthernetFrame.BROADCAST, 0x02_66_00_00_00_01L, IP, 0, PEER), "arp.conflict", 1));
        c.add(new Case("A5 sender MAC broadcast", () -> arp(1, EthernetFrame.BROADCAST, EthernetFrame.BROADCAST, PEER, 0, IP), "arp.drop.sender", 0));
        c.add(new Case("A5 sender MAC zero", () -> arp(1, EthernetFrame.BROADCAST, 0L, PEER, 0, IP), "arp.drop.sender", 0));
        c.add(new Case("A5 sender IP loopback", () -> arp(1, EthernetFrame.BROADCAST, PEER_MAC, Ipv4Packet.parse("127.0.0.1"), 0, IP), "arp.drop.sender", 0));
        c.add(new Case("A5 sender IP multicast", () -> arp(1, EthernetFrame.BROADCAST, PEER_MAC, Ipv4Packet.parse("239.1.1.1"), 0, IP), "arp.drop.sender", 0));
        // I: IPv4
        for (int v : new int[] {0, 5, 6, 15}) {
            c.add(new Case("I1 version " + v, () -> withIp(ping(8), f -> f[14] = (byte) ((v << 4) | 5), true), "ip.drop.version", 0));
        }
        for (int ihl = 0; ihl <= 4; ihl++) {
            int h = ihl;
            c.add(new Case("I2 IHL " + ihl, () -> withIp(ping(8), f -> f[14] = (byte) (0x40 | h), false), "ip.drop.header.length", 0));
        }
        c.add(new Case("I3 IHL 15 in 20 bytes", () -> java.util.Arrays.copyOf(withIp(ping(8), f -> f[14] = 0x4F, false), 34), "ip.drop.header.length", 0));
        c.add(new Case("I4 total 1500 in 60", () -> withIp(ping(18), f -> Bytes.put16(f, 16, 1500), true), "ip.drop.total.length", 0));
        c.add(new Case("I5 total 19", () -> withIp(ping(8), f -> Bytes.put16(f, 16, 19), true), "ip.drop.total.length", 0));
        c.add(new Case("I5 total 0", () -> withIp(ping(8), f -> Bytes.put16(f, 16, 0), true), "ip.drop.total.length", 0));
        c.add(new Case("I5 UDP total 27", () -> withIp(udpTo(9, 0), f -> Bytes.put16(f, 16, 27), true), "ip.drop.transport.length", 0));
        c.add(new Case("I6 checksum one bit", () -> withIp(ping(8), f -> f[25] ^= 1, false), "ip.drop.checksum", 0));
        c.add(new Case("I7 option length 0", () -> optionFrame("86000000"), "ip.drop.options", 0));
        c.add(new Case("I7 option length 1", () -> optionFrame("86010000"), "ip.drop.options", 0));
        c.add(new Case("I7 option past header", () -> optionFrame("01018608"), "ip.drop.options", 0));
        c.add(new Case("I7 NOP/EOL accepted", () -> optionFrame("01010100"), "icmp.echo.replies.sent", 1));
        c.add(new Case("I7 unknown option accepted", () -> optionFrame("86040000"), "icmp.echo.replies.sent", 1));
        c.add(new Case("I8 source broadcast", () -> withIp(ping(8), f -> Bytes.put32(f, 26, -1), true), "ip.drop.source", 0));
        c.add(new Case("I8 source 0.0.0.0", () -> withIp(ping(8), f -> Bytes.put32(f, 26, 0), true), "ip.drop.source", 0));
        c.add(new Case("I8 source 0.0.0.0, broadcast ICMP", () -> ipv4(EthernetFrame.BROADCAST, PEER_MAC, 0, -1, 1, Frames.echoRequest(1, 1, 4), 0), "ip.drop.source", 0));
        c.add(new Case("I8 source 0.0.0.0, unicast UDP", () -> ipv4(MAC, PEER_MAC, 0, IP, 17, Frames.udp(0, IP, 68, 4000, new byte[4]), 0), "ip.drop.source", 0));
        c.add(new Case("RFC 1122 3.2.1.3 DHCP-style broadcast from 0.0.0.0 delivered", () -> ipv4(EthernetFrame.BROADCAST, PEER_MAC, 0, -1, 17, Frames.udp(0, -1, 68, 4000, new byte[4]), 0), "udp.rx", 0));
        c.add(new Case("I8 source ours (Land)", () -> withIp(ping(8), f -> Bytes.put32(f, 26, IP), true), "ip.drop.source", 0));
        c.add(new Case("I9 unicast to another host", () -> withIp(ping(8), f -> Bytes.put32(f, 30, PEER + 1), true), "ip.drop.notforus", 0));
        c.add(new Case("I9 broadcast UDP to a closed port", () -> ipv4(EthernetFrame.BROADCAST, PEER_MAC, PEER, -1, 17, Frames.udp(PEER, -1, 5353, 9, new byte[4]), 0), "udp.drop.nosocket", 0));
        c.add(new Case("I10 fragment offset 8189", () -> withIp(ping(100), f -> Bytes.put16(f, 20, 8189), true), "ip.drop.fragment", 0));
        c.add(new Case("I11 more-fragments", () -> withIp(ping(100), f -> Bytes.put16(f, 20, 0x2000), true), "ip.drop.fragment", 0));
        c.add(new Case("I13 tiny fragment at offset 1", () -> withIp(udpTo(9, 8), f -> Bytes.put16(f, 20, 1), true), "ip.drop.fragment", 0));
        c.add(new Case("I14 protocol 4, 1-byte payload", () -> ipv4(MAC, PEER_MAC, PEER, IP, 4, new byte[1], 0), "ip.drop.protocol", 1));
        c.add(new Case("I14 protocol 41", () -> ipv4(MAC, PEER_MAC, PEER, IP, 41, new byte[1], 0), "ip.drop.protocol", 1));
        c.add(new Case("I15 TTL 0 still delivered", () -> withIp(ping(8), f -> f[22] = 0, true), "icmp.echo.replies.sent", 1));
        // C: ICMP
        for (int len = 0; len < 8; len++) {
            int l = len;
            c.add(new Case("C1 ICMP " + len + " bytes", () -> ipv4(MAC, PEER_MAC, PEER, IP, 1, java.util.Arrays.copyOf(Frames.echoRequest(1, 1, 0), l), 0), "ip.drop.transport.length", 0));
        }
        c.add(new Case("C3 ICMP bad checksum", () -> withIp(ping(8), f -> f[40] ^= 0x10, false), "icmp.drop.malformed", 0));
        c.add(new Case("C6 redirect ignored", () -> ipv4(MAC, PEER_MAC, PEER, IP, 1, icmp(5, 1, 28), 0), "icmp.drop.type", 0));
        c.add(new Case("C7 address-mask request", () -> ipv4(MAC, PEER_MAC, PEER, IP, 1, icmp(17, 0, 4), 0), "icmp.drop.type", 0));
        c.add(new Case("C7 information request", () -> ipv4(MAC, PEER_MAC, PEER, IP, 1, icmp(15, 0, 0), 0), "icmp.drop.type", 0));
        c.add(new Case("C8 echo to 255.255.255.255", () -> ipv4(EthernetFrame.BROADCAST, PEER_MAC, PEER, -1, 1, Frames.echoRequest(1, 1, 4), 0), "icmp.drop.broadcast", 0));
        c.add(new Case("C8 echo to subnet broadcast", () -> ipv4(EthernetFrame.BROADCAST, PEER_MAC, PEER, Ipv4Packet.parse("203.0.113.255"), 1, Frames.echoRequest(1, 1, 4), 0), "icmp.drop.broadcast", 0));
        c.add(new Case("C9 no error about an ICMP error", () -> ipv4(MAC, PEER_MAC, PEER, IP, 1, icmp(3, 3, 28), 0), "icmp.unreach.ignored", 0));
        // U: UDP
        for (int l = 0; l < 8; l++) {
            int len = l;
            c.add(new Case("U1 UDP length " + l, () -> withUdpLength(len), "udp.drop.malformed", 0));
        }
        c.add(new Case("U2 UDP length past IP", () -> withUdpLength(100), "udp.drop.malformed", 0));
        c.add(new Case("U3 wrong UDP checksum", () -> withIp(udpTo(4000, 8), f -> f[42] ^= 1, false), "udp.drop.checksum", 0));
        c.add(new Case("U4 closed port, unicast", () -> udpTo(7777, 4), "icmp.unreach.sent", 1));
        c.add(new Case("U5 source port 0", () -> ipv4(MAC, PEER_MAC, PEER, IP, 17, Frames.udp(PEER, IP, 0, 4000, new byte[4]), 0), "udp.drop.port", 0));
        c.add(new Case("U5 destination port 0", () -> ipv4(MAC, PEER_MAC, PEER, IP, 17, Frames.udp(PEER, IP, 5000, 0, new byte[4]), 0), "udp.drop.port", 0));
        return c.stream().map(Arguments::of);
    }

    static byte[] icmp(int type, int code, int dataLength) {
        byte[] m = new byte[8 + dataLength];
        new IcmpPacket().wrap(m, 0, m.length).emit(type, code, 0);
        return m;
    }

    static byte[] optionFrame(String option) {
        byte[] icmp = Frames.echoRequest(1, 1, 8);
        byte[] f = new byte[14 + 24 + icmp.length];
        new EthernetFrame().wrap(f, 0, f.length).header(MAC, PEER_MAC, EthernetFrame.ETHERTYPE_IPV4);
        new Ipv4Packet().wrap(f, 14, 20).emitHeader(PEER, IP, 1, 4 + icmp.length, 1, 64);
        f[14] = 0x46;
        byte[] opt = java.util.HexFormat.of().parseHex(option);
        System.arraycopy(opt, 0, f, 34, 4);
        System.arraycopy(icmp, 0, f, 38, icmp.length);
        Bytes.put16(f, 24, 0);
        Bytes.put16(f, 24, Checksum.compute(f, 14, 24));
        return f;
    }

    static byte[] withUdpLength(int udpLength) {
        byte[] f = udpTo(4000, 8);
        Bytes.put16(f, 38, udpLength);
        return f;
    }

    private static final class Run {
        final ScriptedDevice dev = new ScriptedDevice();
        final NetStack stack = new NetStack(new StackConfig().macAddress(MAC).address(IP, 24), dev, new Prng(5));
        long now = 1_000_000;

        Run(boolean dirty) {
            stack.udp().open(4000);
            // the peer is known, so replies need no ARP round
            dev.inject(arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, PEER_MAC, PEER, 0, IP));
            stack.poll(now);
            if (dirty) {
                byte[] junk = new byte[1514];
                new Prng(9).nextLong();
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = (byte) (0x5A ^ i);
                }
                Bytes.putMac(junk, 0, 0x02_77_77_77_77_77L);  // not for us: dropped, but it filled the buffer
                dev.inject(junk);
                stack.poll(now);
            }
            dev.sent.clear();
        }

        long[] counters() {
            long[] v = new long[stack.counters().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = stack.counters().value(i);
            }
            v[stack.counters().size() - 1] = 0;
            return v;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void cleanAndDirtyRunsAgree(Case c) {
        Run clean = new Run(false);
        Run dirty = new Run(true);
        long cleanBefore = clean.stack.counters().value(c.counter());
        long dirtyBefore = dirty.stack.counters().value(c.counter());
        long[] dirtyBase = dirty.counters();
        long[] cleanBase = clean.counters();
        clean.dev.inject(c.frame().get());
        clean.stack.poll(clean.now);
        dirty.dev.inject(c.frame().get());
        dirty.stack.poll(dirty.now);

        assertTrue(clean.stack.counters().value(c.counter()) >= 0, "no counter named " + c.counter());
        assertEquals(cleanBefore + 1, clean.stack.counters().value(c.counter()), c.id() + ": " + c.counter());
        assertEquals(dirtyBefore + 1, dirty.stack.counters().value(c.counter()), c.id() + " (dirty): " + c.counter());
        assertEquals(c.expectSent(), clean.dev.sent.size(), c.id() + ": frames sent in reply");
        assertEquals(clean.dev.sent.size(), dirty.dev.sent.size(), c.id() + ": dirty run sent differently");
        for (int i = 0; i < clean.dev.sent.size(); i++) {
            assertArrayEquals(clean.dev.sent.get(i), dirty.dev.sent.get(i), c.id() + ": dirty run sent other bytes");
        }
        long[] cleanAfter = clean.counters();
        long[] dirtyAfter = dirty.counters();
        for (int i = 0; i < cleanAfter.length; i++) {
            assertEquals(cleanAfter[i] - cleanBase[i], dirtyAfter[i] - dirtyBase[i],
                    c.id() + ": counter " + clean.stack.counters().name(i) + " differs between clean and dirty runs");
        }
        // the stack is still alive and answers a ping
        clean.dev.sent.clear();
        clean.now += 2_000_000_000L;
        clean.dev.inject(ping(8));
        clean.stack.poll(clean.now);
        assertEquals(1, clean.dev.sent.size(), c.id() + ": stack stopped answering");
    }
}
