package io.ethling.stack.journey;

import io.ethling.stack.wire.ArpPacket;
import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.Checksum;
import io.ethling.stack.wire.EthernetFrame;
import io.ethling.stack.wire.IcmpPacket;
import io.ethling.stack.wire.Ipv4Packet;
import io.ethling.stack.wire.UdpDatagram;

import java.nio.charset.StandardCharsets;

/** Builds whole Ethernet frames for the journey tests (tests may allocate). */
final class JourneyFrames {

    static final long BOARD_MAC = 0x02_45_00_00_00_0AL;
    static final long SERVER_MAC = 0x02_45_00_00_00_0BL;
    static final int BOARD_IP = Ipv4Packet.parse("203.0.113.50");
    static final int SERVER_IP = Ipv4Packet.parse("203.0.113.1");

    private JourneyFrames() {
    }

    static byte[] arp(int op, long ethDst, long sha, int spa, long tha, int tpa) {
        byte[] f = new byte[42];
        new EthernetFrame().wrap(f, 0, 42).header(ethDst, sha, EthernetFrame.ETHERTYPE_ARP);
        new ArpPacket().wrap(f, 14, 28).emit(op, sha, spa, tha, tpa);
        return f;
    }

    static byte[] ipv4(boolean outbound, int protocol, byte[] payload) {
        return ipv4(outbound ? BOARD_MAC : SERVER_MAC, outbound ? SERVER_MAC : BOARD_MAC,
                outbound ? BOARD_IP : SERVER_IP, outbound ? SERVER_IP : BOARD_IP, protocol, payload);
    }

    static byte[] ipv4(long ethSrc, long ethDst, int src, int dst, int protocol, byte[] payload) {
        int len = 34 + payload.length;
        byte[] f = new byte[Math.max(len, 60)];
        new EthernetFrame().wrap(f, 0, f.length).header(ethDst, ethSrc, EthernetFrame.ETHERTYPE_IPV4);
        System.arraycopy(payload, 0, f, 34, payload.length);
        new Ipv4Packet().wrap(f, 14, 20 + payload.length).emitHeader(src, dst, protocol, payload.length, 7, 64);
        return f;
    }

    static byte[] udp(int src, int dst, int srcPort, int dstPort, byte[] data) {
        byte[] d = new byte[8 + data.length];
        System.arraycopy(data, 0, d, 8, data.length);
        new UdpDatagram().wrap(d, 0, d.length).emit(src, dst, srcPort, dstPort, data.length);
        return d;
    }

    static byte[] udpFrame(boolean outbound, int boardPort, int serverPort, byte[] data) {
        int src = outbound ? BOARD_IP : SERVER_IP;
        int dst = outbound ? SERVER_IP : BOARD_IP;
        return ipv4(outbound, Ipv4Packet.PROTOCOL_UDP, udp(src, dst, outbound ? boardPort : serverPort,
                outbound ? serverPort : boardPort, data));
    }

    static byte[] echo(int type, int id, int seq, int dataLength) {
        byte[] m = new byte[8 + dataLength];
        new IcmpPacket().wrap(m, 0, m.length).emit(type, 0, (id << 16) | seq);
        return m;
    }

    /** A TCP segment (20-byte header, or 24 with an MSS option on SYNs) with a correct checksum. */
    static byte[] tcp(int src, int dst, int srcPort, int dstPort, int seq, int ack, int flags, int window, byte[] data) {
        int header = (flags & Journey.FLAG_SYN) != 0 ? 24 : 20;
        byte[] s = new byte[header + data.length];
        Bytes.put16(s, 0, srcPort);
        Bytes.put16(s, 2, dstPort);
        Bytes.put32(s, 4, seq);
        Bytes.put32(s, 8, ack);
        s[12] = (byte) ((header / 4) << 4);
        s[13] = (byte) flags;
        Bytes.put16(s, 14, window);
        if (header == 24) {
            s[20] = 2;                       // MSS (RFC 9293 §3.2)
            s[21] = 4;
            Bytes.put16(s, 22, 1460);
        }
        System.arraycopy(data, 0, s, header, data.length);
        long sum = Checksum.addPseudoHeader(0, src, dst, Ipv4Packet.PROTOCOL_TCP, s.length);
        Bytes.put16(s, 16, Checksum.finish(Checksum.add(sum, s, 0, s.length)));
        return s;
    }

    static byte[] tcpFrame(boolean outbound, int seq, int ack, int flags, String data) {
        return tcpFrame(outbound, 49152, 80, seq, ack, flags, data);
    }

    static byte[] tcpFrame(boolean outbound, int boardPort, int serverPort, int seq, int ack, int flags, String data) {
        int src = outbound ? BOARD_IP : SERVER_IP;
        int dst = outbound ? SERVER_IP : BOARD_IP;
        byte[] d = data.getBytes(StandardCharsets.US_ASCII);
        return ipv4(outbound, Ipv4Packet.PROTOCOL_TCP, tcp(src, dst, outbound ? boardPort : serverPort,
                outbound ? serverPort : boardPort, seq, ack, flags, outbound ? 64240 : 29200, d));
    }

    /** A DNS query for {@code name} (type A) with EDNS absent. */
    static byte[] dnsQuery(int id, String name) {
        byte[] n = encode(name);
        byte[] m = new byte[12 + n.length + 4];
        Bytes.put16(m, 0, id);
        Bytes.put16(m, 2, 0x0100);
        Bytes.put16(m, 4, 1);
        System.arraycopy(n, 0, m, 12, n.length);
        Bytes.put16(m, 12 + n.length, 1);
        Bytes.put16(m, 14 + n.length, 1);
        return m;
    }

    /** An answer to {@link #dnsQuery}: optionally a CNAME to {@code cname}, then an A record. */
    static byte[] dnsAnswer(int id, String name, String cname, int address, int ttl, int rcode) {
        byte[] q = dnsQuery(id, name);
        byte[] target = cname == null ? null : encode(cname);
        int extra = rcode != 0 ? 0 : (target == null ? 0 : 12 + target.length) + 16;
        byte[] m = java.util.Arrays.copyOf(q, q.length + extra);
        Bytes.put16(m, 2, 0x8180 | rcode);
        int o = q.length;
        int answers = 0;
        int owner = 0xC00C;
        if (rcode == 0) {
            if (target != null) {
                Bytes.put16(m, o, 0xC00C);
                Bytes.put16(m, o + 2, 5);
                Bytes.put16(m, o + 4, 1);
                Bytes.put32(m, o + 6, ttl);
                Bytes.put16(m, o + 8 + 2, target.length);
                System.arraycopy(target, 0, m, o + 12, target.length);
                owner = 0xC000 | (o + 12);
                o += 12 + target.length;
                answers++;
            }
            Bytes.put16(m, o, owner);
            Bytes.put16(m, o + 2, 1);
            Bytes.put16(m, o + 4, 1);
            Bytes.put32(m, o + 6, ttl);
            Bytes.put16(m, o + 10, 4);
            Bytes.put32(m, o + 12, address);
            answers++;
        }
        Bytes.put16(m, 6, answers);
        return m;
    }

    static byte[] encode(String dotted) {
        byte[] out = new byte[dotted.length() + 2];
        int o = 0;
        for (String label : dotted.split("\\.")) {
            out[o++] = (byte) label.length();
            for (int i = 0; i < label.length(); i++) {
                out[o++] = (byte) label.charAt(i);
            }
        }
        out[o++] = 0;
        return java.util.Arrays.copyOf(out, o);
    }

    /** A DHCP message of {@code type} (RFC 2132 §9.6) from client or server. */
    static byte[] dhcp(int type, int xid, int yiaddr, int serverId, int leaseSeconds) {
        byte[] m = new byte[300];
        m[0] = (byte) (type == 2 || type == 5 || type == 6 ? 2 : 1);
        m[1] = 1;
        m[2] = 6;
        Bytes.put32(m, 4, xid);
        Bytes.put32(m, 16, yiaddr);
        Bytes.putMac(m, 28, BOARD_MAC);
        Bytes.put32(m, 236, 0x63825363);
        int o = 240;
        m[o++] = 53;
        m[o++] = 1;
        m[o++] = (byte) type;
        if (serverId != 0) {
            m[o++] = 54;
            m[o++] = 4;
            Bytes.put32(m, o, serverId);
            o += 4;
        }
        if (leaseSeconds != 0) {
            m[o++] = 51;
            m[o++] = 4;
            Bytes.put32(m, o, leaseSeconds);
            o += 4;
        }
        m[o] = (byte) 255;
        return m;
    }

    /** The same frame at the start of a larger array whose tail is junk (RELIABILITY.md §0.2(6)). */
    static byte[] dirty(byte[] frame, int extra) {
        byte[] d = new byte[frame.length + extra];
        System.arraycopy(frame, 0, d, 0, frame.length);
        for (int i = frame.length; i < d.length; i++) {
            d[i] = (byte) (0xA5 ^ i);
        }
        return d;
    }
}
