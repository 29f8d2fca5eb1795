package io.ethling.stack.journey;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.stack.dns.DnsMessage;
import io.ethling.stack.dns.DnsName;
import io.ethling.stack.dns.DnsRecord;
import io.ethling.stack.iface.FrameTap;
import io.ethling.stack.wire.ArpPacket;
import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.EthernetFrame;
import io.ethling.stack.wire.IcmpPacket;
import io.ethling.stack.wire.Ipv4Packet;
import io.ethling.stack.wire.UdpDatagram;

/**
 * The journey's eyes on the wire: a {@link FrameTap} (install it with
 * {@code NetStack.frameTap}, or beside a pcap writer through {@link TeeFrameTap}) that decodes
 * every frame the board sends and receives into {@link Journey} events: ARP who-has / is-at
 * (RFC 826), DHCP messages (RFC 2131), DNS queries and answers with id, name, rcode, first A
 * address and CNAME (RFC 1035 §4.1), ICMP (RFC 792), TCP segments with flags, seq, ack, length and
 * window (RFC 9293 §3.1), retransmissions, and the first line of an HTTP request or response
 * (RFC 9112 §3, §4) carried in a segment.
 *
 * <p>The tap sees frames before the stack has validated them, so it trusts nothing: every length
 * is checked by the wire flyweights ({@code check()}) or here before use, checksums included, and
 * a frame it cannot read becomes a {@link Journey#FRAME_UNREADABLE} event with the reason. It
 * never allocates after construction and never throws on input (RELIABILITY.md §0.2).
 *
 * <p><b>Retransmissions</b>: per connection (4-tuple, up to {@value #FLOWS} at once, least recently
 * used replaced) and direction the tap keeps the highest sequence number sent; a segment that
 * occupies sequence space (data, SYN or FIN) and ends at or before it was sent before, and is a
 * {@link Journey#TCP_RETRANSMISSION} (a repeated SYN with the same ISN too). A SYN with a new ISN
 * starts the connection's record afresh. A frame duplicated by the network looks the same, and is
 * shown the same way.
 *
 * <p><b>HTTP lines</b>: a new (not retransmitted) segment whose payload starts with
 * {@code HTTP/1.x NNN} is a status line; one that starts with a method token (GET, HEAD, POST,
 * PUT, DELETE, OPTIONS, PATCH, CONNECT, TRACE) and a space is a request line. Body bytes that
 * happen to start a segment that way would be shown too; the real phases come from the HTTP
 * client through {@link Journey#httpPhase}.
 */
public final class JourneyTap implements FrameTap {

    public static final int FLOWS = 8;

    // reasons of FRAME_UNREADABLE (event argument a); b = frame length, c = the flyweight's status
    public static final int UNREADABLE_SHORT = 0;
    public static final int UNREADABLE_ARP = 1;
    public static final int UNREADABLE_IPV4 = 2;
    public static final int UNREADABLE_ICMP = 3;
    public static final int UNREADABLE_UDP = 4;
    public static final int UNREADABLE_TCP = 5;
    public static final int UNREADABLE_DNS = 6;
    public static final int UNREADABLE_DHCP = 7;
    public static final String[] UNREADABLE_NAMES = {"short frame", "arp", "ipv4", "icmp", "udp", "tcp", "dns", "dhcp"};
    /** Why a DHCP message was unreadable (argument c of a {@link #UNREADABLE_DHCP} event; index = status). */
    public static final String[] DHCP_STATUS_NAMES = {"ok", "short or no magic cookie", "option cut at the end",
        "option runs past the end", "no message type"};

    public static final int C_FRAMES_OUT = 0;
    public static final int C_FRAMES_IN = 1;
    public static final int C_UNREADABLE = 2;
    public static final int C_TCP_SEGMENTS = 3;
    public static final int C_RETRANSMISSIONS = 4;
    public static final int C_FLOWS_REPLACED = 5;
    public static final int C_HTTP_LINES = 6;
    private static final String[] COUNTER_NAMES = {"frames.out", "frames.in", "unreadable", "tcp.segments",
        "tcp.retransmissions", "flows.replaced", "http.lines"};

    static final int DNS_PORT = 53;
    static final int DHCP_SERVER_PORT = 67;
    static final int DHCP_CLIENT_PORT = 68;
    private static final int DHCP_OPTIONS_OFFSET = 240;
    private static final int DHCP_COOKIE = 0x63825363;          // RFC 2131 §3, RFC 2132 §2
    private static final int DHCP_OPT_PAD = 0;
    private static final int DHCP_OPT_END = 255;
    private static final int DHCP_OPT_REQUESTED_IP = 50;         // RFC 2132 §9.1
    private static final int DHCP_OPT_LEASE = 51;                // RFC 2132 §9.2
    private static final int DHCP_OPT_MESSAGE_TYPE = 53;         // RFC 2132 §9.6
    private static final int DHCP_OPT_SERVER_ID = 54;            // RFC 2132 §9.7

    private static final byte[] CNAME_TEXT = {' ', 'C', 'N', 'A', 'M', 'E', ' '};
    private static final byte[] HTTP_VERSION = {'H', 'T', 'T', 'P', '/', '1', '.'};
    private static final byte[][] METHODS = {
        {'G', 'E', 'T'}, {'H', 'E', 'A', 'D'}, {'P', 'O', 'S', 'T'}, {'P', 'U', 'T'}, {'D', 'E', 'L', 'E', 'T', 'E'},
        {'O', 'P', 'T', 'I', 'O', 'N', 'S'}, {'P', 'A', 'T', 'C', 'H'}, {'C', 'O', 'N', 'N', 'E', 'C', 'T'},
        {'T', 'R', 'A', 'C', 'E'},
    };

    private final Journey journey;
    private final CounterSet counters = new CounterSet(COUNTER_NAMES);
    private final EthernetFrame eth = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final IcmpPacket icmp = new IcmpPacket();
    private final UdpDatagram udp = new UdpDatagram();
    private final io.ethling.stack.tcp.TcpSegment tcp = new io.ethling.stack.tcp.TcpSegment();
    private final DnsMessage dns = new DnsMessage();
    private final DnsRecord record = new DnsRecord();
    private final byte[] questionName = new byte[DnsName.MAX_NAME_LENGTH];
    private final byte[] cnameTarget = new byte[DnsName.MAX_NAME_LENGTH];

    // connections seen, parallel arrays; direction index 0 = sent by the board, 1 = received
    private final boolean[] flowActive = new boolean[FLOWS];
    private final int[] flowLocalIp = new int[FLOWS];
    private final int[] flowRemoteIp = new int[FLOWS];
    private final int[] flowPorts = new int[FLOWS];
    private final long[] flowUsed = new long[FLOWS];
    private final boolean[] flowSent = new boolean[2 * FLOWS];
    private final int[] flowMaxEnd = new int[2 * FLOWS];
    private final int[] flowIsn = new int[2 * FLOWS];
    private final boolean[] flowHasIsn = new boolean[2 * FLOWS];
    private long tick;

    public JourneyTap(Journey journey) {
        if (journey == null) {
            throw new IllegalArgumentException("journey is required");
        }
        this.journey = journey;
    }

    public Counters counters() {
        return counters;
    }

    /** Forgets the connections seen (with {@link Journey#clear()} at the start of a new story). */
    public void reset() {
        for (int i = 0; i < FLOWS; i++) {
            flowActive[i] = false;
        }
    }

    @Override
    public void onFrame(boolean outbound, byte[] frame, int off, int len, long nowNs) {
        counters.inc(outbound ? C_FRAMES_OUT : C_FRAMES_IN);
        int dir = outbound ? Journey.OUT : Journey.IN;
        if (off < 0 || len < 0 || off > frame.length - len) {
            unreadable(dir, UNREADABLE_SHORT, len, 0, nowNs);
            return;
        }
        eth.wrap(frame, off, len);
        if (!eth.hasHeader()) {
            unreadable(dir, UNREADABLE_SHORT, len, 0, nowNs);   // RELIABILITY.md E1
            return;
        }
        int type = eth.etherType();
        if (type == EthernetFrame.ETHERTYPE_ARP) {
            onArp(dir, frame, eth.payloadOffset(), eth.payloadLength(), len, nowNs);
        } else if (type == EthernetFrame.ETHERTYPE_IPV4) {
            onIpv4(dir, frame, eth.payloadOffset(), eth.payloadLength(), len, nowNs);
        } else {
            journey.record(Journey.FRAME_OTHER, dir, 0, -1, type, len, 0, 0, nowNs);
        }
    }

    private void unreadable(int dir, int reason, int frameLength, int status, long nowNs) {
        counters.inc(C_UNREADABLE);
        journey.record(Journey.FRAME_UNREADABLE, dir, 0, -1, reason, frameLength, status, 0, nowNs);
    }

    // ---- ARP (RFC 826) ---------------------------------------------------------------------------

    private void onArp(int dir, byte[] f, int off, int len, int frameLength, long nowNs) {
        arp.wrap(f, off, len);
        int rc = arp.check();
        if (rc != ArpPacket.OK) {
            unreadable(dir, UNREADABLE_ARP, frameLength, rc, nowNs);
            return;
        }
        if (arp.operation() == ArpPacket.OP_REQUEST) {
            int target = arp.targetIp();
            journey.record(Journey.ARP_REQUEST, dir, target, -1, target & 0xFFFF_FFFFL, arp.senderIp() & 0xFFFF_FFFFL,
                    arp.senderMac(), 0, nowNs);
        } else {
            int sender = arp.senderIp();
            journey.record(Journey.ARP_REPLY, dir, sender, -1, sender & 0xFFFF_FFFFL, arp.senderMac(),
                    arp.targetIp() & 0xFFFF_FFFFL, 0, nowNs);
        }
    }

    // ---- IPv4 (RFC 791) --------------------------------------------------------------------------

    private void onIpv4(int dir, byte[] f, int off, int len, int frameLength, long nowNs) {
        ip.wrap(f, off, len);
        int rc = ip.check();
        if (rc != Ipv4Packet.OK) {
            unreadable(dir, UNREADABLE_IPV4, frameLength, rc, nowNs);
            return;
        }
        int src = ip.source();
        int dst = ip.destination();
        int remote = dir == Journey.OUT ? dst : src;
        int p = ip.payloadOffset();
        int n = ip.payloadLength();
        switch (ip.protocol()) {
            case Ipv4Packet.PROTOCOL_ICMP:
                onIcmp(dir, remote, f, p, n, frameLength, nowNs);
                break;
            case Ipv4Packet.PROTOCOL_UDP:
                onUdp(dir, src, dst, remote, f, p, n, frameLength, nowNs);
                break;
            case Ipv4Packet.PROTOCOL_TCP:
                onTcp(dir, src, dst, f, p, n, frameLength, nowNs);
                break;
            default:
                journey.record(Journey.FRAME_OTHER, dir, remote, -1, EthernetFrame.ETHERTYPE_IPV4, frameLength,
                        ip.protocol(), 0, nowNs);
        }
    }

    private void onIcmp(int dir, int remote, byte[] f, int off, int len, int frameLength, long nowNs) {
        icmp.wrap(f, off, len);
        int rc = icmp.check();
        if (rc != IcmpPacket.OK) {
            unreadable(dir, UNREADABLE_ICMP, frameLength, rc, nowNs);
            return;
        }
        int type = icmp.type();
        long echo = type == IcmpPacket.TYPE_ECHO_REQUEST || type == IcmpPacket.TYPE_ECHO_REPLY
                ? ((long) icmp.identifier() << 16) | icmp.sequence() : 0;
        journey.record(Journey.ICMP, dir, remote, -1, type, icmp.code(), echo, icmp.dataLength(), nowNs);
    }

    // ---- UDP (RFC 768): DNS, DHCP, others -------------------------------------------------------

    private void onUdp(int dir, int src, int dst, int remote, byte[] f, int off, int len, int frameLength, long nowNs) {
        udp.wrap(f, off, len);
        int rc = udp.check(src, dst);
        if (rc != UdpDatagram.OK) {
            unreadable(dir, UNREADABLE_UDP, frameLength, rc, nowNs);
            return;
        }
        int sp = udp.sourcePort();
        int dp = udp.destinationPort();
        if (sp == DNS_PORT || dp == DNS_PORT) {
            onDns(dir, remote, sp == DNS_PORT ? dp : sp, f, udp.dataOffset(), udp.dataLength(), frameLength, nowNs);
        } else if ((sp == DHCP_CLIENT_PORT && dp == DHCP_SERVER_PORT) || (sp == DHCP_SERVER_PORT && dp == DHCP_CLIENT_PORT)) {
            onDhcp(dir, remote, f, udp.dataOffset(), udp.dataLength(), frameLength, nowNs);
        } else {
            journey.record(Journey.UDP, dir, remote, -1, sp, dp, udp.dataLength(), 0, nowNs);
        }
    }

    /** RFC 1035 §4.1: header, the question, and the answer section walked within the bytes present (RFC 9267). */
    private void onDns(int dir, int server, int clientPort, byte[] f, int off, int len, int frameLength, long nowNs) {
        dns.wrap(f, off, len);
        if (dns.check() != DnsMessage.OK) {
            unreadable(dir, UNREADABLE_DNS, frameLength, DnsMessage.ERR_SHORT, nowNs);
            return;
        }
        int id = dns.id();
        int qtype = 0;
        int p = DnsMessage.HEADER_LENGTH;
        questionName[0] = 0;
        boolean haveName = false;
        if (dns.questionCount() >= 1) {
            p = dns.readQuestion(p, record);
            if (p < 0) {
                unreadable(dir, UNREADABLE_DNS, frameLength, p, nowNs);
                return;
            }
            DnsName.copy(record.name, 0, questionName, 0);
            qtype = record.type;
            haveName = true;
            // further questions (QDCOUNT must be 1: RELIABILITY.md D11) are not shown
            for (int q = 1; q < dns.questionCount() && p > 0 && p < len; q++) {
                p = dns.readQuestion(p, record);
            }
        }
        if (!dns.isResponse()) {
            journey.record(Journey.DNS_QUERY, dir, server, -1, id, qtype, clientPort, 0, nowNs);
            if (haveName) {
                journey.appendName(questionName, 0, questionName.length);
            }
            return;
        }
        int firstA = 0;
        long ttl = 0;
        boolean cname = false;
        int answers = dns.answerCount();
        // each record takes at least 11 bytes or fails, so the walk ends with the bytes (RELIABILITY.md D10)
        for (int i = 0; i < answers && p > 0 && p < len; i++) {
            p = dns.readRecord(p, record);
            if (p < 0) {
                break;
            }
            if (record.type == DnsMessage.TYPE_A && record.dataLength == 4 && firstA == 0) {
                firstA = dns.i32(record.dataPos);
                ttl = record.ttl;
            } else if (record.type == DnsMessage.TYPE_CNAME && !cname) {
                cname = dns.readNameWithin(record.dataPos, record.dataPos + record.dataLength, cnameTarget, 0) > 0;
            }
        }
        journey.record(Journey.DNS_ANSWER, dir, server, -1, id, dns.rcode(), firstA & 0xFFFF_FFFFL,
                (answers & 0xFFFF) | (ttl << 16), nowNs);
        if (haveName) {
            journey.appendName(questionName, 0, questionName.length);
        }
        if (cname) {
            journey.appendText(CNAME_TEXT, 0, CNAME_TEXT.length);
            journey.appendName(cnameTarget, 0, cnameTarget.length);
        }
    }

    /** RFC 2131 §2 fixed part, magic cookie, then the options (RFC 2132) walked within the datagram. */
    private void onDhcp(int dir, int remote, byte[] f, int off, int len, int frameLength, long nowNs) {
        if (len < DHCP_OPTIONS_OFFSET || Bytes.i32(f, off + 236) != DHCP_COOKIE) {
            unreadable(dir, UNREADABLE_DHCP, frameLength, 1, nowNs);
            return;
        }
        int type = 0;
        int serverId = 0;
        int requested = 0;
        long lease = 0;
        int i = off + DHCP_OPTIONS_OFFSET;
        int end = off + len;
        while (i < end) {                        // each step advances by >= 1 byte: bounded by len
            int code = f[i] & 0xFF;
            if (code == DHCP_OPT_PAD) {
                i++;
                continue;
            }
            if (code == DHCP_OPT_END) {
                break;
            }
            if (i + 1 >= end) {
                unreadable(dir, UNREADABLE_DHCP, frameLength, 2, nowNs);
                return;
            }
            int l = f[i + 1] & 0xFF;
            if (i + 2 + l > end) {
                unreadable(dir, UNREADABLE_DHCP, frameLength, 3, nowNs);  // RELIABILITY.md H1
                return;
            }
            if (code == DHCP_OPT_MESSAGE_TYPE && l == 1) {
                type = f[i + 2] & 0xFF;
            } else if (code == DHCP_OPT_SERVER_ID && l == 4) {
                serverId = Bytes.i32(f, i + 2);
            } else if (code == DHCP_OPT_REQUESTED_IP && l == 4) {
                requested = Bytes.i32(f, i + 2);
            } else if (code == DHCP_OPT_LEASE && l == 4) {
                lease = Bytes.i32(f, i + 2) & 0xFFFF_FFFFL;
            }
            i += 2 + l;
        }
        if (type == 0) {
            unreadable(dir, UNREADABLE_DHCP, frameLength, 4, nowNs);
            return;
        }
        int yiaddr = Bytes.i32(f, off + 16);
        int address = yiaddr != 0 ? yiaddr : requested != 0 ? requested : Bytes.i32(f, off + 12);
        journey.record(Journey.DHCP, dir, serverId != 0 ? serverId : remote, -1, type,
                Bytes.i32(f, off + 4) & 0xFFFF_FFFFL, address & 0xFFFF_FFFFL, lease, nowNs);
    }

    // ---- TCP (RFC 9293) ----------------------------------------------------------------------------

    private void onTcp(int dir, int src, int dst, byte[] f, int off, int len, int frameLength, long nowNs) {
        tcp.wrap(f, off, len);
        int rc = tcp.check(src, dst);
        if (rc != io.ethling.stack.tcp.TcpSegment.OK) {
            unreadable(dir, UNREADABLE_TCP, frameLength, rc, nowNs);
            return;
        }
        counters.inc(C_TCP_SEGMENTS);
        boolean out = dir == Journey.OUT;
        int localIp = out ? src : dst;
        int remoteIp = out ? dst : src;
        int localPort = out ? tcp.sourcePort() : tcp.destinationPort();
        int remotePort = out ? tcp.destinationPort() : tcp.sourcePort();
        int ports = (localPort << 16) | remotePort;
        int flow = flow(localIp, remoteIp, ports);
        int k = 2 * flow + (out ? 0 : 1);
        int flags = tcp.flags();
        int seq = tcp.seq();
        int seqLen = tcp.sequenceLength();
        int end = seq + seqLen;
        boolean retransmission = false;
        if ((flags & Journey.FLAG_SYN) != 0) {
            if (flowHasIsn[k] && flowIsn[k] == seq) {
                retransmission = true;                     // the same SYN again (RFC 9293 §3.8.1)
            } else {
                if ((flags & Journey.FLAG_ACK) == 0) {
                    // a bare SYN opens a new connection: forget the old one on this 4-tuple
                    flowHasIsn[2 * flow] = false;
                    flowHasIsn[2 * flow + 1] = false;
                    flowSent[2 * flow] = false;
                    flowSent[2 * flow + 1] = false;
                }
                flowHasIsn[k] = true;
                flowIsn[k] = seq;
                flowSent[k] = true;
                flowMaxEnd[k] = end;
            }
        } else if (seqLen > 0) {
            if (flowSent[k] && end - flowMaxEnd[k] <= 0) {
                retransmission = true;                     // every byte of it was sent before (RFC 9293 §3.4)
            } else if (!flowSent[k] || end - flowMaxEnd[k] > 0) {
                flowSent[k] = true;
                flowMaxEnd[k] = end;
            }
        }
        if (retransmission) {
            counters.inc(C_RETRANSMISSIONS);
        }
        int payload = tcp.payloadLength();
        journey.record(retransmission ? Journey.TCP_RETRANSMISSION : Journey.TCP_SEGMENT, dir, remoteIp, flow,
                seq & 0xFFFF_FFFFL, tcp.ack() & 0xFFFF_FFFFL,
                flags | ((long) payload << 16) | ((long) tcp.window() << 32), ports & 0xFFFF_FFFFL, nowNs);
        if (payload > 0 && !retransmission) {
            httpLine(dir, remoteIp, flow, f, tcp.payloadOffset(), payload, nowNs);
        }
    }

    /** The flow slot for this 4-tuple: found, a free one, or the least recently used one replaced. */
    private int flow(int localIp, int remoteIp, int ports) {
        tick++;
        int free = -1;
        int oldest = 0;
        for (int i = 0; i < FLOWS; i++) {
            if (!flowActive[i]) {
                if (free < 0) {
                    free = i;
                }
                continue;
            }
            if (flowLocalIp[i] == localIp && flowRemoteIp[i] == remoteIp && flowPorts[i] == ports) {
                flowUsed[i] = tick;
                return i;
            }
            if (flowUsed[i] - flowUsed[oldest] < 0 || !flowActive[oldest]) {
                oldest = i;
            }
        }
        int s = free;
        if (s < 0) {
            s = oldest;
            counters.inc(C_FLOWS_REPLACED);
        }
        flowActive[s] = true;
        flowLocalIp[s] = localIp;
        flowRemoteIp[s] = remoteIp;
        flowPorts[s] = ports;
        flowUsed[s] = tick;
        flowSent[2 * s] = false;
        flowSent[2 * s + 1] = false;
        flowHasIsn[2 * s] = false;
        flowHasIsn[2 * s + 1] = false;
        return s;
    }

    /** RFC 9112 §4 status line ({@code HTTP/1.x NNN reason}) or §3 request line ({@code METHOD target HTTP/1.x}). */
    private void httpLine(int dir, int remote, int flow, byte[] f, int off, int len, long nowNs) {
        if (startsWith(f, off, len, HTTP_VERSION) && len >= 12 && f[off + 8] == ' '
                && digit(f[off + 9]) && digit(f[off + 10]) && digit(f[off + 11])) {
            int code = (f[off + 9] - '0') * 100 + (f[off + 10] - '0') * 10 + (f[off + 11] - '0');
            counters.inc(C_HTTP_LINES);
            journey.record(Journey.HTTP_STATUS, dir, remote, flow, code, 0, 0, 0, nowNs);
            journey.appendText(f, off, lineLength(f, off, len));
            return;
        }
        for (byte[] m : METHODS) {
            if (startsWith(f, off, len, m) && len > m.length + 1 && f[off + m.length] == ' ' && f[off + m.length + 1] != ' ') {
                counters.inc(C_HTTP_LINES);
                journey.record(Journey.HTTP_REQUEST, dir, remote, flow, 0, 0, 0, 0, nowNs);
                journey.appendText(f, off, lineLength(f, off, len));
                return;
            }
        }
    }

    private static boolean startsWith(byte[] f, int off, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (f[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int lineLength(byte[] f, int off, int len) {
        int n = Math.min(len, Journey.TEXT_LENGTH);
        for (int i = 0; i < n; i++) {
            if (f[off + i] == '\r' || f[off + i] == '\n') {
                return i;
            }
        }
        return n;
    }
}
