package io.ethling.tools.journey;

import io.ethling.stack.dns.DnsResolver;
import io.ethling.stack.iface.FrameTap;
import io.ethling.stack.journey.Journey;
import io.ethling.stack.journey.JourneyTap;
import io.ethling.stack.journey.TeeFrameTap;
import io.ethling.stack.wire.ArpPacket;
import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.Checksum;
import io.ethling.stack.wire.EthernetFrame;
import io.ethling.stack.wire.Ipv4Packet;
import io.ethling.stack.wire.UdpDatagram;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole fetch of http://www.lab.test/index.html, built by hand frame by frame with fixed
 * numbers (TCP is not in the stack yet): ARP, DNS with a CNAME, the three-way handshake, the
 * request (lost once and retransmitted after a 200 ms timeout), the response, the four-way
 * close, and the events the resolver, the TCP state machine and the HTTP client will report.
 * Frames go to a {@link FrameTap}; the API events straight to the journey. Test code.
 */
public final class SyntheticFetch {

    public static final long BOARD_MAC = 0x02_45_00_00_00_0AL;
    public static final long SERVER_MAC = 0x02_45_00_00_00_0BL;
    public static final int BOARD_IP = Ipv4Packet.parse("203.0.113.50");
    public static final int SERVER_IP = Ipv4Packet.parse("203.0.113.1");
    public static final int ISN_BOARD = 0x3B9A_CA07;
    public static final int ISN_SERVER = 0x7A1E_0C55;
    public static final int DNS_ID = 0x5AC3;
    public static final int BOARD_PORT = 49_731;
    public static final String REQUEST = "GET /index.html HTTP/1.1\r\nHost: www.lab.test\r\nUser-Agent: ethling/0.1\r\n"
            + "Accept: */*\r\nConnection: keep-alive\r\n\r\n";
    public static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 26\r\n\r\n"
            + "<h1>Hello from the lab</h1>";

    static final int FIN = Journey.FLAG_FIN;
    static final int SYN = Journey.FLAG_SYN;
    static final int PSH = Journey.FLAG_PSH;
    static final int ACK = Journey.FLAG_ACK;

    /** One frame with its direction and time. */
    public record Frame(boolean outbound, byte[] bytes, long timeNs) {
    }

    private SyntheticFetch() {
    }

    /** The frames only, in order. */
    public static List<Frame> frames() {
        List<Frame> out = new ArrayList<>();
        play(new Journey(256), (o, f, off, len, t) -> out.add(new Frame(o, java.util.Arrays.copyOfRange(f, off, off + len), t)));
        return out;
    }

    /** The journey of the fetch, frames decoded by a {@link JourneyTap}. */
    public static Journey journey() {
        Journey j = new Journey(256);
        play(j, new JourneyTap(j));
        return j;
    }

    /** Plays the fetch: frames to {@code tap} (also a pcap writer, through a {@link TeeFrameTap}), API events to {@code j}. */
    public static void play(Journey j, FrameTap tap) {
        long ms = 1_000_000L;
        long us = 1_000L;
        int c = ISN_BOARD;
        int s = ISN_SERVER;
        int req = REQUEST.length();
        int resp = RESPONSE.length();
        byte[] url = "http://www.lab.test/index.html".getBytes(StandardCharsets.US_ASCII);
        byte[] name = encode("www.lab.test");

        j.fetchStart(url, 0, url.length, 0);
        j.record(Journey.DNS_QUERY_SENT, Journey.LOCAL, SERVER_IP, 0x101, DNS_ID, 1, 40_123, 0, 40 * us);
        j.appendName(name, 0, name.length);
        send(tap, true, arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, BOARD_MAC, BOARD_IP, 0, SERVER_IP), 50 * us);
        send(tap, false, arp(ArpPacket.OP_REPLY, BOARD_MAC, SERVER_MAC, SERVER_IP, BOARD_MAC, BOARD_IP), 560 * us);
        send(tap, true, udpFrame(true, 40_123, 53, dnsQuery(DNS_ID, "www.lab.test")), 600 * us);
        send(tap, false, udpFrame(false, 40_123, 53, dnsAnswer(DNS_ID, "www.lab.test", "lab.test", SERVER_IP, 60)), 1_410 * us);
        j.record(Journey.DNS_RESULT, Journey.LOCAL, SERVER_IP, 0x101, DnsResolver.SOURCE_SERVER, SERVER_IP & 0xFFFF_FFFFL,
                DnsResolver.ERROR_NONE | (1L << 8) | (1L << 16) | (60L << 32), DNS_ID, 1_420 * us);
        j.appendName(name, 0, name.length);
        j.arpCacheHit(SERVER_IP, SERVER_MAC, 1_450 * us);
        j.stateChange(1, SERVER_IP, Journey.TCP_CLOSED, Journey.TCP_SYN_SENT, c, 0, 1_460 * us);
        send(tap, true, tcp(true, c, 0, SYN, ""), 1_470 * us);
        send(tap, false, tcp(false, s, c + 1, SYN | ACK, ""), 2_300 * us);
        j.stateChange(1, SERVER_IP, Journey.TCP_SYN_SENT, Journey.TCP_ESTABLISHED, c + 1, s + 1, 2_310 * us);
        send(tap, true, tcp(true, c + 1, s + 1, ACK, ""), 2_310 * us);
        j.httpPhase(1, Journey.HTTP_REQUEST_SENT, req, 2_320 * us);
        send(tap, true, tcp(true, c + 1, s + 1, PSH | ACK, REQUEST), 2_330 * us);         // lost on the way
        j.retransmissionTimeout(1, SERVER_IP, c + 1, req, 200 * ms, 202_330 * us);
        send(tap, true, tcp(true, c + 1, s + 1, PSH | ACK, REQUEST), 202_340 * us);
        send(tap, false, tcp(false, s + 1, c + 1 + req, PSH | ACK, RESPONSE), 203_100 * us);
        j.httpPhase(1, Journey.HTTP_STATUS_RECEIVED, 200, 203_110 * us);
        j.httpPhase(1, Journey.HTTP_HEADERS_DONE, 26, 203_110 * us);
        j.httpPhase(1, Journey.HTTP_BODY_DONE, 26, 203_110 * us);
        send(tap, true, tcp(true, c + 1 + req, s + 1 + resp, ACK, ""), 203_120 * us);
        j.stateChange(1, SERVER_IP, Journey.TCP_ESTABLISHED, Journey.TCP_FIN_WAIT_1, c + 1 + req, s + 1 + resp, 203_200 * us);
        send(tap, true, tcp(true, c + 1 + req, s + 1 + resp, FIN | ACK, ""), 203_200 * us);
        send(tap, false, tcp(false, s + 1 + resp, c + 2 + req, ACK, ""), 203_950 * us);
        j.stateChange(1, SERVER_IP, Journey.TCP_FIN_WAIT_1, Journey.TCP_FIN_WAIT_2, c + 2 + req, s + 1 + resp, 203_950 * us);
        send(tap, false, tcp(false, s + 1 + resp, c + 2 + req, FIN | ACK, ""), 204_000 * us);
        j.stateChange(1, SERVER_IP, Journey.TCP_FIN_WAIT_2, Journey.TCP_TIME_WAIT, c + 2 + req, s + 2 + resp, 204_000 * us);
        send(tap, true, tcp(true, c + 2 + req, s + 2 + resp, ACK, ""), 204_010 * us);
        byte[] done = "HTTP 200".getBytes(StandardCharsets.US_ASCII);
        j.fetchEnd(0, 26, done, 0, done.length, 204_020 * us);
        j.stateChange(1, SERVER_IP, Journey.TCP_TIME_WAIT, Journey.TCP_CLOSED, c + 2 + req, s + 2 + resp, 204_010 * us + 60_000 * ms);
    }

    private static void send(FrameTap tap, boolean outbound, byte[] f, long t) {
        tap.onFrame(outbound, f, 0, f.length, t);
    }

    // ---- frame builders (tests may allocate) ---------------------------------------------------

    static byte[] arp(int op, long ethDst, long sha, int spa, long tha, int tpa) {
        byte[] f = new byte[42];
        new EthernetFrame().wrap(f, 0, 42).header(ethDst, sha, EthernetFrame.ETHERTYPE_ARP);
        new ArpPacket().wrap(f, 14, 28).emit(op, sha, spa, tha, tpa);
        return f;
    }

    static byte[] ipv4(boolean outbound, int protocol, byte[] payload) {
        int len = 34 + payload.length;
        byte[] f = new byte[Math.max(len, 60)];
        new EthernetFrame().wrap(f, 0, f.length).header(outbound ? SERVER_MAC : BOARD_MAC, outbound ? BOARD_MAC : SERVER_MAC,
                EthernetFrame.ETHERTYPE_IPV4);
        System.arraycopy(payload, 0, f, 34, payload.length);
        new Ipv4Packet().wrap(f, 14, 20 + payload.length).emitHeader(outbound ? BOARD_IP : SERVER_IP,
                outbound ? SERVER_IP : BOARD_IP, protocol, payload.length, 0x1000 + payload.length, 64);
        return f;
    }

    static byte[] udpFrame(boolean outbound, int boardPort, int serverPort, byte[] data) {
        int src = outbound ? BOARD_IP : SERVER_IP;
        int dst = outbound ? SERVER_IP : BOARD_IP;
        byte[] d = new byte[8 + data.length];
        System.arraycopy(data, 0, d, 8, data.length);
        new UdpDatagram().wrap(d, 0, d.length).emit(src, dst, outbound ? boardPort : serverPort,
                outbound ? serverPort : boardPort, data.length);
        return ipv4(outbound, Ipv4Packet.PROTOCOL_UDP, d);
    }

    static byte[] tcp(boolean outbound, int seq, int ack, int flags, String data) {
        int src = outbound ? BOARD_IP : SERVER_IP;
        int dst = outbound ? SERVER_IP : BOARD_IP;
        byte[] payload = data.getBytes(StandardCharsets.US_ASCII);
        int header = (flags & SYN) != 0 ? 24 : 20;
        byte[] t = new byte[header + payload.length];
        Bytes.put16(t, 0, outbound ? BOARD_PORT : 80);
        Bytes.put16(t, 2, outbound ? 80 : BOARD_PORT);
        Bytes.put32(t, 4, seq);
        Bytes.put32(t, 8, ack);
        t[12] = (byte) ((header / 4) << 4);
        t[13] = (byte) flags;
        Bytes.put16(t, 14, outbound ? 4096 : 29_200);
        if (header == 24) {
            t[20] = 2;                            // MSS option (RFC 9293 §3.2)
            t[21] = 4;
            Bytes.put16(t, 22, 1460);
        }
        System.arraycopy(payload, 0, t, header, payload.length);
        long sum = Checksum.addPseudoHeader(0, src, dst, Ipv4Packet.PROTOCOL_TCP, t.length);
        Bytes.put16(t, 16, Checksum.finish(Checksum.add(sum, t, 0, t.length)));
        return ipv4(outbound, Ipv4Packet.PROTOCOL_TCP, t);
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

    static byte[] dnsAnswer(int id, String name, String cname, int address, int ttl) {
        byte[] q = dnsQuery(id, name);
        byte[] target = encode(cname);
        byte[] m = java.util.Arrays.copyOf(q, q.length + 12 + target.length + 16);
        Bytes.put16(m, 2, 0x8180);
        Bytes.put16(m, 6, 2);
        int o = q.length;
        Bytes.put16(m, o, 0xC00C);
        Bytes.put16(m, o + 2, 5);
        Bytes.put16(m, o + 4, 1);
        Bytes.put32(m, o + 6, ttl);
        Bytes.put16(m, o + 10, target.length);
        System.arraycopy(target, 0, m, o + 12, target.length);
        int owner = 0xC000 | (o + 12);
        o += 12 + target.length;
        Bytes.put16(m, o, owner);
        Bytes.put16(m, o + 2, 1);
        Bytes.put16(m, o + 4, 1);
        Bytes.put32(m, o + 6, ttl);
        Bytes.put16(m, o + 10, 4);
        Bytes.put32(m, o + 12, address);
        return m;
    }
}
