package io.ethling.stack.iface;

import io.ethling.stack.wire.ArpPacket;
import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.EthernetFrame;
import io.ethling.stack.wire.IcmpPacket;
import io.ethling.stack.wire.Ipv4Packet;
import io.ethling.stack.wire.UdpDatagram;

/** Builds test frames (tests may allocate). */
final class Frames {

    private Frames() {
    }

    static byte[] arp(int op, long ethDst, long sha, int spa, long tha, int tpa) {
        byte[] f = new byte[42];
        new EthernetFrame().wrap(f, 0, 42).header(ethDst, sha, EthernetFrame.ETHERTYPE_ARP);
        new ArpPacket().wrap(f, 14, 28).emit(op, sha, spa, tha, tpa);
        return f;
    }

    static byte[] ipv4(long ethDst, long ethSrc, int src, int dst, int protocol, byte[] payload, int padTo) {
        int len = 34 + payload.length;
        byte[] f = new byte[Math.max(len, padTo)];
        java.util.Arrays.fill(f, len, f.length, (byte) 0xAA);
        new EthernetFrame().wrap(f, 0, f.length).header(ethDst, ethSrc, EthernetFrame.ETHERTYPE_IPV4);
        System.arraycopy(payload, 0, f, 34, payload.length);
        new Ipv4Packet().wrap(f, 14, 20 + payload.length).emitHeader(src, dst, protocol, payload.length, 1, 64);
        return f;
    }

    static byte[] echoRequest(int id, int seq, int dataLength) {
        byte[] m = new byte[8 + dataLength];
        for (int i = 0; i < dataLength; i++) {
            m[8 + i] = (byte) (i * 7);
        }
        new IcmpPacket().wrap(m, 0, m.length).emit(IcmpPacket.TYPE_ECHO_REQUEST, 0, (id << 16) | seq);
        return m;
    }

    static byte[] udp(int src, int dst, int srcPort, int dstPort, byte[] data) {
        byte[] d = new byte[8 + data.length];
        System.arraycopy(data, 0, d, 8, data.length);
        new UdpDatagram().wrap(d, 0, d.length).emit(src, dst, srcPort, dstPort, data.length);
        return d;
    }

    static int etherType(byte[] f) {
        return Bytes.u16(f, 12);
    }
}
