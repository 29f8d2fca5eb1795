package io.ethling.stack.journey;

import io.ethling.stack.wire.ArpPacket;
import io.ethling.stack.wire.EthernetFrame;
import io.ethling.stack.wire.IcmpPacket;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.ethling.stack.journey.Journey.FLAG_ACK;
import static io.ethling.stack.journey.Journey.FLAG_FIN;
import static io.ethling.stack.journey.Journey.FLAG_PSH;
import static io.ethling.stack.journey.Journey.FLAG_SYN;
import static io.ethling.stack.journey.JourneyFrames.BOARD_IP;
import static io.ethling.stack.journey.JourneyFrames.BOARD_MAC;
import static io.ethling.stack.journey.JourneyFrames.SERVER_IP;
import static io.ethling.stack.journey.JourneyFrames.SERVER_MAC;
import static io.ethling.stack.journey.JourneyFrames.tcpFrame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JourneyTapTest {

    static final int ISN_BOARD = 0xFFFF_FFF0;   // wraps during the exchange: comparisons must subtract
    static final int ISN_SERVER = 1_000_000;
    static final String REQUEST = "GET /index.html HTTP/1.1\r\nHost: lab.test\r\nUser-Agent: ethling\r\n\r\n";
    static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    final Journey journey = new Journey(256);
    final JourneyTap tap = new JourneyTap(journey);
    final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The synthetic fetch: handshake, request, response, ACK, four-way close (RFC 9293 §3.5, §3.6). */
    static List<Object[]> exchange() {
        int c = ISN_BOARD;
        int s = ISN_SERVER;
        int req = REQUEST.length();
        int resp = RESPONSE.length();
        List<Object[]> f = new ArrayList<>();
        f.add(new Object[] {true, tcpFrame(true, c, 0, FLAG_SYN, "")});
        f.add(new Object[] {false, tcpFrame(false, s, c + 1, FLAG_SYN | FLAG_ACK, "")});
        f.add(new Object[] {true, tcpFrame(true, c + 1, s + 1, FLAG_ACK, "")});
        f.add(new Object[] {true, tcpFrame(true, c + 1, s + 1, FLAG_PSH | FLAG_ACK, REQUEST)});
        f.add(new Object[] {false, tcpFrame(false, s + 1, c + 1 + req, FLAG_PSH | FLAG_ACK, RESPONSE)});
        f.add(new Object[] {true, tcpFrame(true, c + 1 + req, s + 1 + resp, FLAG_ACK, "")});
        f.add(new Object[] {true, tcpFrame(true, c + 1 + req, s + 1 + resp, FLAG_FIN | FLAG_ACK, "")});
        f.add(new Object[] {false, tcpFrame(false, s + 1 + resp, c + 2 + req, FLAG_ACK, "")});
        f.add(new Object[] {false, tcpFrame(false, s + 1 + resp, c + 2 + req, FLAG_FIN | FLAG_ACK, "")});
        f.add(new Object[] {true, tcpFrame(true, c + 2 + req, s + 2 + resp, FLAG_ACK, "")});
        return f;
    }

    void feed(List<Object[]> frames, long startNs) {
        long t = startNs;
        for (Object[] f : frames) {
            byte[] b = (byte[]) f[1];
            tap.onFrame((Boolean) f[0], b, 0, b.length, t);
            t += 1_000_000L;
        }
    }

    static String text(Journey j, long seq) {
        return JourneyTest.text(j, seq);
    }

    static int flags(Journey j, long s) {
        return (int) (j.c(s) & 0xFF);
    }

    static int payload(Journey j, long s) {
        return (int) ((j.c(s) >>> 16) & 0xFFFF);
    }

    @Test
    void decodesTheHandshakeTheRequestTheResponseAndTheClose() {
        feed(exchange(), 0);
        List<Long> segs = new ArrayList<>();
        long request = -1;
        long status = -1;
        for (long s = journey.firstSequence(); s < journey.nextSequence(); s++) {
            int k = journey.kind(s);
            if (k == Journey.TCP_SEGMENT) {
                segs.add(s);
            } else if (k == Journey.HTTP_REQUEST) {
                request = s;
            } else if (k == Journey.HTTP_STATUS) {
                status = s;
            } else {
                throw new AssertionError("unexpected event " + Journey.KIND_NAMES[k]);
            }
        }
        assertEquals(10, segs.size());
        long syn = segs.get(0);
        assertEquals(Journey.OUT, journey.direction(syn));
        assertEquals(FLAG_SYN, flags(journey, syn));
        assertEquals(ISN_BOARD & 0xFFFF_FFFFL, journey.a(syn));
        assertEquals(SERVER_IP, journey.peer(syn));
        assertEquals((49152L << 16) | 80, journey.d(syn), "local and remote port");
        long synAck = segs.get(1);
        assertEquals(Journey.IN, journey.direction(synAck));
        assertEquals(FLAG_SYN | FLAG_ACK, flags(journey, synAck));
        assertEquals(ISN_SERVER, journey.a(synAck));
        assertEquals((ISN_BOARD + 1) & 0xFFFF_FFFFL, journey.b(synAck), "ack = x + 1");
        assertEquals(29200, journey.c(synAck) >>> 32, "window");
        long ack = segs.get(2);
        assertEquals(ISN_SERVER + 1, journey.b(ack), "ack = y + 1");
        assertEquals(REQUEST.length(), payload(journey, segs.get(3)));
        assertEquals(RESPONSE.length(), payload(journey, segs.get(4)));
        assertEquals(FLAG_FIN | FLAG_ACK, flags(journey, segs.get(6)));
        assertEquals(Journey.OUT, journey.direction(segs.get(6)));
        assertEquals(FLAG_FIN | FLAG_ACK, flags(journey, segs.get(8)));
        assertEquals(Journey.IN, journey.direction(segs.get(8)));
        assertEquals(FLAG_ACK, flags(journey, segs.get(9)));

        assertEquals("GET /index.html HTTP/1.1", text(journey, request));
        assertEquals(segs.get(3) + 1, request, "the request line follows its segment");
        assertEquals(Journey.OUT, journey.direction(request));
        assertEquals("HTTP/1.1 200 OK", text(journey, status));
        assertEquals(200, journey.a(status));
        assertEquals(Journey.IN, journey.direction(status));
        assertEquals(0, tap.counters().value(JourneyTap.C_RETRANSMISSIONS));
        assertEquals(0, tap.counters().value(JourneyTap.C_UNREADABLE));
    }

    @Test
    void marksRetransmittedSegmentsButNotNewData() {
        List<Object[]> f = exchange();
        List<Object[]> withLoss = new ArrayList<>(f.subList(0, 4));
        withLoss.add(new Object[] {true, tcpFrame(true, ISN_BOARD, 0, FLAG_SYN, "")});        // SYN again (same ISN)
        withLoss.add(f.get(3));                                                                 // the request again
        withLoss.addAll(f.subList(4, f.size()));
        withLoss.add(f.get(8));                                                                 // the server's FIN again
        feed(withLoss, 0);
        List<Integer> kinds = new ArrayList<>();
        for (long s = journey.firstSequence(); s < journey.nextSequence(); s++) {
            if (journey.kind(s) == Journey.TCP_RETRANSMISSION) {
                kinds.add(flags(journey, s));
            }
        }
        assertEquals(List.of(FLAG_SYN, FLAG_PSH | FLAG_ACK, FLAG_FIN | FLAG_ACK), kinds);
        assertEquals(3, tap.counters().value(JourneyTap.C_RETRANSMISSIONS));
        long requests = 0;
        for (long s = journey.firstSequence(); s < journey.nextSequence(); s++) {
            requests += journey.kind(s) == Journey.HTTP_REQUEST ? 1 : 0;
        }
        assertEquals(1, requests, "a retransmitted request line is not a second request");
    }

    @Test
    void aNewSynOnTheSame4TupleStartsAFreshConnection() {
        feed(exchange(), 0);
        journey.clear();
        tap.onFrame(true, tcpFrame(true, 5_000, 0, FLAG_SYN, ""), 0, 60, 100);
        tap.onFrame(false, tcpFrame(false, 9_000, 5_001, FLAG_SYN | FLAG_ACK, ""), 0, 60, 101);
        tap.onFrame(true, tcpFrame(true, 5_001, 9_001, FLAG_PSH | FLAG_ACK, "GET / HTTP/1.1\r\n\r\n"), 0, 72, 102);
        for (long s = journey.firstSequence(); s < journey.nextSequence(); s++) {
            assertTrue(journey.kind(s) != Journey.TCP_RETRANSMISSION, "event " + s);
        }
    }

    @Test
    void moreConnectionsThanFlowsReplaceTheLeastRecentlyUsed() {
        for (int i = 0; i <= JourneyTap.FLOWS; i++) {
            tap.onFrame(true, tcpFrame(true, 50_000 + i, 80, 1000 * i, 0, FLAG_SYN, ""), 0, 60, i);
        }
        assertEquals(1, tap.counters().value(JourneyTap.C_FLOWS_REPLACED));
        // flow 1 is still known: its SYN again is a retransmission; flow 0 was replaced, so its SYN is new
        tap.onFrame(true, tcpFrame(true, 50_001, 80, 1000, 0, FLAG_SYN, ""), 0, 60, 20);
        assertEquals(Journey.TCP_RETRANSMISSION, journey.kind(journey.nextSequence() - 1));
        tap.onFrame(true, tcpFrame(true, 50_000, 80, 0, 0, FLAG_SYN, ""), 0, 60, 21);
        assertEquals(Journey.TCP_SEGMENT, journey.kind(journey.nextSequence() - 1));
    }

    @Test
    void theRecorderStartsANewStoryPerFetch() {
        JourneyRecorder r = new JourneyRecorder(64);
        feed(exchange(), 0);                                   // on another tap: r is untouched
        r.tap().onFrame(true, tcpFrame(true, 7, 0, FLAG_SYN, ""), 0, 60, 1);
        byte[] url = "http://lab.test/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        r.begin(url, 0, url.length, 5);
        assertEquals(1, r.journey().size());
        assertEquals(Journey.FETCH_START, r.journey().kind(r.journey().firstSequence()));
        assertEquals("http://lab.test/", text(r.journey(), r.journey().firstSequence()));
        r.tap().onFrame(true, tcpFrame(true, 7, 0, FLAG_SYN, ""), 0, 60, 6);
        assertEquals(Journey.TCP_SEGMENT, r.journey().kind(r.journey().nextSequence() - 1),
                "the connections of the last story are forgotten");
    }

    @Test
    void decodesArpDhcpDnsAndPing() {
        long t = 0;
        byte[] who = JourneyFrames.arp(ArpPacket.OP_REQUEST, EthernetFrame.BROADCAST, BOARD_MAC, BOARD_IP, 0, SERVER_IP);
        byte[] isAt = JourneyFrames.arp(ArpPacket.OP_REPLY, BOARD_MAC, SERVER_MAC, SERVER_IP, BOARD_MAC, BOARD_IP);
        byte[] offer = JourneyFrames.ipv4(SERVER_MAC, -1L & 0xFFFF_FFFF_FFFFL, SERVER_IP, -1, Ipv4Packet.PROTOCOL_UDP,
                JourneyFrames.udp(SERVER_IP, -1, 67, 68, JourneyFrames.dhcp(2, 0x1234_5678, BOARD_IP, SERVER_IP, 3600)));
        byte[] discover = JourneyFrames.ipv4(BOARD_MAC, -1L & 0xFFFF_FFFF_FFFFL, 0, -1, Ipv4Packet.PROTOCOL_UDP,
                JourneyFrames.udp(0, -1, 68, 67, JourneyFrames.dhcp(1, 0x1234_5678, 0, 0, 0)));
        byte[] query = JourneyFrames.udpFrame(true, 40000, 53, JourneyFrames.dnsQuery(0xBEEF, "www.lab.test"));
        byte[] answer = JourneyFrames.udpFrame(false, 40000, 53,
                JourneyFrames.dnsAnswer(0xBEEF, "www.lab.test", "lab.test", SERVER_IP, 60, 0));
        byte[] nx = JourneyFrames.udpFrame(false, 40001, 53, JourneyFrames.dnsAnswer(0x0102, "no.lab.test", null, 0, 0, 3));
        byte[] ping = JourneyFrames.ipv4(true, Ipv4Packet.PROTOCOL_ICMP, JourneyFrames.echo(IcmpPacket.TYPE_ECHO_REQUEST, 0x77, 3, 32));
        byte[] pong = JourneyFrames.ipv4(false, Ipv4Packet.PROTOCOL_ICMP, JourneyFrames.echo(IcmpPacket.TYPE_ECHO_REPLY, 0x77, 3, 32));
        byte[][] frames = {discover, offer, who, isAt, query, answer, nx, ping, pong};
        boolean[] out = {true, false, true, false, true, false, false, true, false};
        for (int i = 0; i < frames.length; i++) {
            tap.onFrame(out[i], frames[i], 0, frames[i].length, t += 1000);
        }
        long s = journey.firstSequence();
        assertEquals(Journey.DHCP, journey.kind(s));
        assertEquals(1, journey.a(s), "DISCOVER");
        assertEquals(0x1234_5678, journey.b(s));
        s++;
        assertEquals(Journey.DHCP, journey.kind(s));
        assertEquals(2, journey.a(s), "OFFER");
        assertEquals(BOARD_IP & 0xFFFF_FFFFL, journey.c(s));
        assertEquals(SERVER_IP, journey.peer(s), "the server identifier");
        assertEquals(3600, journey.d(s));
        s++;
        assertEquals(Journey.ARP_REQUEST, journey.kind(s));
        assertEquals(SERVER_IP & 0xFFFF_FFFFL, journey.a(s), "who-has");
        assertEquals(BOARD_IP & 0xFFFF_FFFFL, journey.b(s), "tell");
        s++;
        assertEquals(Journey.ARP_REPLY, journey.kind(s));
        assertEquals(SERVER_IP, journey.peer(s));
        assertEquals(SERVER_MAC, journey.b(s), "is-at");
        s++;
        assertEquals(Journey.DNS_QUERY, journey.kind(s));
        assertEquals(0xBEEF, journey.a(s));
        assertEquals(1, journey.b(s), "type A");
        assertEquals(40000, journey.c(s));
        assertEquals("www.lab.test", text(journey, s));
        s++;
        assertEquals(Journey.DNS_ANSWER, journey.kind(s));
        assertEquals(0xBEEF, journey.a(s));
        assertEquals(0, journey.b(s));
        assertEquals(SERVER_IP & 0xFFFF_FFFFL, journey.c(s));
        assertEquals(2, journey.d(s) & 0xFFFF, "answers");
        assertEquals(60, journey.d(s) >>> 16, "ttl");
        assertEquals("www.lab.test CNAME lab.test", text(journey, s));
        s++;
        assertEquals(Journey.DNS_ANSWER, journey.kind(s));
        assertEquals(3, journey.b(s), "NXDOMAIN");
        assertEquals(0, journey.c(s));
        s++;
        assertEquals(Journey.ICMP, journey.kind(s));
        assertEquals(IcmpPacket.TYPE_ECHO_REQUEST, journey.a(s));
        assertEquals((0x77L << 16) | 3, journey.c(s));
        assertEquals(32, journey.d(s));
        s++;
        assertEquals(Journey.ICMP, journey.kind(s));
        assertEquals(Journey.IN, journey.direction(s));
        assertEquals(journey.nextSequence(), s + 1);
    }

    // ---- malformed input: RELIABILITY.md §0.2, clean and dirty buffer ----------------------------

    static List<byte[]> malformed() {
        List<byte[]> m = new ArrayList<>();
        m.add(new byte[0]);
        m.add(new byte[13]);                                                            // E1
        byte[] arpShort = JourneyFrames.arp(1, -1L & 0xFFFF_FFFF_FFFFL, BOARD_MAC, BOARD_IP, 0, SERVER_IP);
        m.add(java.util.Arrays.copyOf(arpShort, 30));                                   // A2
        byte[] tcp = tcpFrame(true, 1, 0, FLAG_SYN, "");
        byte[] off15 = tcp.clone();
        off15[34 + 12] = (byte) 0xF0;                                                   // T2: data offset 15
        m.add(off15);
        byte[] off2 = tcp.clone();
        off2[34 + 12] = (byte) 0x20;                                                    // T1: data offset 2
        m.add(off2);
        byte[] badSum = tcpFrame(true, 1, 0, FLAG_PSH | FLAG_ACK, "GET / HTTP/1.1\r\n");
        badSum[badSum.length - 1] ^= 1;                                                 // checksum wrong
        m.add(badSum);
        byte[] ipLong = tcp.clone();
        ipLong[16] = 0x05;                                                              // I4: total length > frame
        m.add(ipLong);
        // DNS: a pointer to itself (D1), a label past the end (D7), ANCOUNT 65535 with one answer (D10), RDLENGTH 0xFFFF (D12)
        byte[] q = JourneyFrames.dnsQuery(1, "lab.test");
        byte[] self = java.util.Arrays.copyOf(q, 14 + 4);
        self[12] = (byte) 0xC0;
        self[13] = 12;
        m.add(JourneyFrames.udpFrame(false, 40000, 53, self));
        byte[] overrun = q.clone();
        overrun[12] = 60;
        m.add(JourneyFrames.udpFrame(false, 40000, 53, overrun));
        byte[] manyAnswers = JourneyFrames.dnsAnswer(2, "lab.test", null, SERVER_IP, 60, 0);
        manyAnswers[6] = (byte) 0xFF;
        manyAnswers[7] = (byte) 0xFF;
        m.add(JourneyFrames.udpFrame(false, 40000, 53, manyAnswers));
        byte[] rdlen = JourneyFrames.dnsAnswer(3, "lab.test", null, SERVER_IP, 60, 0);
        rdlen[rdlen.length - 6] = (byte) 0xFF;
        rdlen[rdlen.length - 5] = (byte) 0xFF;
        m.add(JourneyFrames.udpFrame(false, 40000, 53, rdlen));
        m.add(JourneyFrames.udpFrame(false, 40000, 53, new byte[5]));                 // D21: no header
        // DHCP: option running past the end (H1), no message type, no cookie
        byte[] dh = JourneyFrames.dhcp(2, 1, BOARD_IP, SERVER_IP, 60);
        dh[240 + 3] = 0;
        dh[240 + 4] = (byte) 200;
        dh[240 + 3] = 54;
        m.add(JourneyFrames.udpFrame(false, 68, 67, java.util.Arrays.copyOf(dh, 250)));
        byte[] noType = JourneyFrames.dhcp(2, 1, BOARD_IP, SERVER_IP, 60);
        noType[240] = 0;
        noType[241] = 0;
        noType[242] = 0;
        m.add(JourneyFrames.udpFrame(false, 68, 67, noType));
        m.add(JourneyFrames.udpFrame(false, 68, 67, new byte[239]));
        byte[] icmpBad = JourneyFrames.ipv4(false, Ipv4Packet.PROTOCOL_ICMP, JourneyFrames.echo(0, 1, 1, 8));
        icmpBad[40] ^= 0x55;
        m.add(icmpBad);
        return m;
    }

    static String snapshot(Journey j) {
        StringBuilder sb = new StringBuilder();
        for (long s = j.firstSequence(); s < j.nextSequence(); s++) {
            sb.append(Journey.KIND_NAMES[j.kind(s)]).append(' ').append(j.direction(s)).append(' ').append(j.peer(s))
                .append(' ').append(j.a(s)).append(' ').append(j.b(s)).append(' ').append(j.c(s)).append(' ')
                .append(j.d(s)).append(" '").append(text(j, s)).append("'\n");
        }
        return sb.toString();
    }

    @Test
    void malformedFramesAreUnreadableEventsNeverExceptionsAndTheDirtyTailChangesNothing() {
        List<byte[]> cases = malformed();
        for (int i = 0; i < cases.size(); i++) {
            byte[] frame = cases.get(i);
            Journey clean = new Journey(16);
            JourneyTap t1 = new JourneyTap(clean);
            t1.onFrame(false, frame, 0, frame.length, 1);
            Journey dirty = new Journey(16);
            JourneyTap t2 = new JourneyTap(dirty);
            byte[] d = JourneyFrames.dirty(frame, 64);
            t2.onFrame(false, d, 0, frame.length, 1);
            assertEquals(snapshot(clean), snapshot(dirty), "case " + i + ": the bytes past the frame must not matter");
            assertEquals(1, clean.size(), "case " + i + ": one event per frame");
        }
        // the cases the tap must call unreadable; 9 and 10 are DNS answers whose header and question are sound
        int[] unreadable = {0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15};
        for (int i : unreadable) {
            Journey j = new Journey(16);
            byte[] frame = cases.get(i);
            new JourneyTap(j).onFrame(false, frame, 0, frame.length, 1);
            assertEquals(Journey.FRAME_UNREADABLE, j.kind(j.firstSequence()), "case " + i + ": " + snapshot(j));
        }
        Journey j = new Journey(16);
        new JourneyTap(j).onFrame(false, cases.get(9), 0, cases.get(9).length, 1);
        assertEquals(Journey.DNS_ANSWER, j.kind(j.firstSequence()));
        assertEquals(SERVER_IP & 0xFFFF_FFFFL, j.c(j.firstSequence()), "ANCOUNT 65535: the one answer present is shown");
        j = new Journey(16);
        new JourneyTap(j).onFrame(false, cases.get(10), 0, cases.get(10).length, 1);
        assertEquals(Journey.DNS_ANSWER, j.kind(j.firstSequence()));
        assertEquals(0, j.c(j.firstSequence()), "RDLENGTH 0xFFFF: no address is read from a record that overruns");
    }

    @Test
    void randomlyMutatedFramesNeverThrow() {
        long seed = 20261121L;
        Random r = new Random(seed);
        List<byte[]> seeds = new ArrayList<>();
        for (Object[] f : exchange()) {
            seeds.add((byte[]) f[1]);
        }
        seeds.addAll(malformed());
        seeds.add(JourneyFrames.udpFrame(false, 40000, 53, JourneyFrames.dnsAnswer(9, "www.lab.test", "lab.test", SERVER_IP, 60, 0)));
        seeds.add(JourneyFrames.udpFrame(false, 68, 67, JourneyFrames.dhcp(5, 9, BOARD_IP, SERVER_IP, 60)));
        Journey j = new Journey(64);
        JourneyTap t = new JourneyTap(j);
        for (int i = 0; i < 20_000; i++) {
            byte[] base = seeds.get(r.nextInt(seeds.size()));
            byte[] f = base.clone();
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips && f.length > 0; k++) {
                f[r.nextInt(f.length)] = (byte) r.nextInt(256);
            }
            int len = f.length == 0 ? 0 : r.nextInt(4) == 0 ? r.nextInt(f.length + 1) : f.length;
            try {
                t.onFrame(r.nextBoolean(), f, 0, len, i);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ", iteration " + i + ": " + e, e);
            }
        }
        assertTrue(j.nextSequence() >= 20_000, "every frame left an event");
    }

    @Test
    void decodingAllocatesNothing() {
        List<byte[]> frames = new ArrayList<>();
        List<Boolean> dirs = new ArrayList<>();
        for (Object[] f : exchange()) {
            frames.add((byte[]) f[1]);
            dirs.add((Boolean) f[0]);
        }
        for (byte[] m : malformed()) {
            frames.add(m);
            dirs.add(false);
        }
        frames.add(JourneyFrames.udpFrame(false, 40000, 53, JourneyFrames.dnsAnswer(9, "www.lab.test", "lab.test", SERVER_IP, 60, 0)));
        dirs.add(false);
        frames.add(JourneyFrames.udpFrame(true, 40000, 53, JourneyFrames.dnsQuery(9, "www.lab.test")));
        dirs.add(true);
        frames.add(JourneyFrames.udpFrame(false, 68, 67, JourneyFrames.dhcp(5, 9, BOARD_IP, SERVER_IP, 60)));
        dirs.add(false);
        frames.add(JourneyFrames.arp(1, -1L & 0xFFFF_FFFF_FFFFL, BOARD_MAC, BOARD_IP, 0, SERVER_IP));
        dirs.add(true);
        byte[][] fs = frames.toArray(new byte[0][]);
        boolean[] out = new boolean[fs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = dirs.get(i);
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 6 && best != 0; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int rep = 0; rep < 500; rep++) {
                for (int i = 0; i < fs.length; i++) {
                    tap.onFrame(out[i], fs[i], 0, fs[i].length, rep * 1000L + i);
                }
                journey.arpCacheHit(SERVER_IP, SERVER_MAC, rep);
                journey.stateChange(1, SERVER_IP, Journey.TCP_SYN_SENT, Journey.TCP_ESTABLISHED, rep, rep, rep);
                journey.httpPhase(1, Journey.HTTP_BODY_DONE, rep, rep);
            }
            best = Math.min(best, mx.getCurrentThreadAllocatedBytes() - before);
            System.out.println("journey tap round " + round + ": " + best + " bytes");
        }
        assertEquals(0, best, "bytes allocated while decoding frames into the journey");
    }
}
