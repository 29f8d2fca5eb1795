package io.ethling.stack.tcp;

import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.Checksum;
import io.ethling.stack.wire.Ipv4Packet;

import java.util.ArrayDeque;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The TCP test language, in the spirit of packetdrill and lwIP's tcp_helper: one {@link Tcp}
 * against a scripted peer on a virtual clock. {@code in(...)} injects a segment from the peer,
 * {@code out()} takes the next segment the stack sent, {@code none()} says nothing was sent,
 * {@code advanceTo}/{@code advance} jump the clock through the stack's own deadlines, and helpers
 * put a socket straight into a state. In dirty mode every segment is injected inside a larger
 * array whose tail holds junk or the previous message (RELIABILITY.md §0.2(6)).
 * Tests may allocate.
 */
final class TcpScript {

    static final int US = Ipv4Packet.parse("10.0.0.1");
    static final int PEER = Ipv4Packet.parse("10.0.0.2");
    static final int PEER_PORT = 80;
    static final int SERVER_PORT = 8080;
    static final int PEER_ISN = 0x10000000;
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    final TcpConfig config;
    final Tcp tcp;
    final boolean dirty;
    long now = 1_000 * MS;
    int peerPort = PEER_PORT;
    int localPort;            // our port of the connection under test
    int ourIsn;               // our ISN as seen in the SYN / SYN-ACK
    int peerIsn = PEER_ISN;
    private final ArrayDeque<Sent> sent = new ArrayDeque<>();
    private byte[] previous = new byte[0];
    private final Prng junk = new Prng(42);

    /** A segment the stack sent, decoded. */
    static final class Sent {
        int srcPort;
        int dstPort;
        int seq;
        int ack;
        int flags;
        int window;
        int mss;
        byte[] data;
        int dstIp;
        long atNs;

        boolean has(int f) {
            return (flags & f) == f;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            TcpSegment.appendFlags(b.append('['), flags).append("] seq=").append(Integer.toUnsignedString(seq))
                    .append(" ack=").append(Integer.toUnsignedString(ack)).append(" win=").append(window)
                    .append(" len=").append(data.length);
            if (mss >= 0) {
                b.append(" mss=").append(mss);
            }
            return b.toString();
        }
    }

    TcpScript(boolean dirty) {
        this(new TcpConfig(), dirty, 7);
    }

    TcpScript(TcpConfig config, boolean dirty, long seed) {
        this.config = config;
        this.dirty = dirty;
        this.tcp = new Tcp(config, new TcpTransport() {
            @Override
            public int localAddress() {
                return US;
            }

            @Override
            public int sendSegment(int dstIp, byte[] src, int off, int len, long nowNs) {
                sent.add(decode(dstIp, src, off, len, nowNs));
                return 0;
            }
        }, new Prng(seed));
    }

    private static Sent decode(int dstIp, byte[] src, int off, int len, long nowNs) {
        TcpSegment s = new TcpSegment().wrap(src, off, len);
        assertEquals(TcpSegment.OK, s.check(US, dstIp), "the stack sent a segment that does not check");
        Sent r = new Sent();
        r.dstIp = dstIp;
        r.srcPort = s.sourcePort();
        r.dstPort = s.destinationPort();
        r.seq = s.seq();
        r.ack = s.ack();
        r.flags = s.flags();
        r.window = s.window();
        r.mss = s.mssOption();
        r.data = Arrays.copyOfRange(src, s.payloadOffset(), s.payloadOffset() + s.payloadLength());
        r.atNs = nowNs;
        return r;
    }

    // ---- building segments from the peer ------------------------------------------------------------

    /** A segment from the peer to {@link #localPort}; chain setters, then {@link #in(Seg)}. */
    final class Seg {
        int srcIp = PEER;
        int srcPort = peerPort;
        int dstPort = localPort;
        int seq;
        int ack;
        int flags;
        int window = 65535;
        byte[] options = new byte[0];
        byte[] data = new byte[0];
        int urgent;
        Integer dataOffsetOverride;     // raw data-offset nibble
        boolean badChecksum;
        int flipBit = -1;

        Seg seq(int v) { seq = v; return this; }
        Seg ack(int v) { ack = v; return this; }
        Seg flags(int v) { flags = v; return this; }
        Seg win(int v) { window = v; return this; }
        Seg data(byte[] d) { data = d; return this; }
        Seg data(int n) { data = pattern(n, seq); return this; }
        Seg options(int... bytes) {
            options = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                options[i] = (byte) bytes[i];
            }
            return this;
        }
        Seg mss(int v) { return options(2, 4, v >>> 8, v & 0xFF); }
        Seg urgent(int v) { urgent = v; return this; }
        Seg from(int ip, int port) { srcIp = ip; srcPort = port; return this; }
        Seg to(int port) { dstPort = port; return this; }
        Seg dataOffset(int nibble) { dataOffsetOverride = nibble; return this; }
        Seg flip(int bit) { flipBit = bit; return this; }

        byte[] bytes() {
            int optLen = (options.length + 3) & ~3;
            int hl = 20 + optLen;
            byte[] b = new byte[hl + data.length];
            Bytes.put16(b, 0, srcPort);
            Bytes.put16(b, 2, dstPort);
            Bytes.put32(b, 4, seq);
            Bytes.put32(b, 8, ack);
            int nibble = dataOffsetOverride != null ? dataOffsetOverride : hl / 4;
            b[12] = (byte) (nibble << 4);
            b[13] = (byte) flags;
            Bytes.put16(b, 14, window);
            Bytes.put16(b, 18, urgent);
            System.arraycopy(options, 0, b, 20, options.length);
            System.arraycopy(data, 0, b, hl, data.length);
            long sum = Checksum.addPseudoHeader(0, srcIp, US, Ipv4Packet.PROTOCOL_TCP, b.length);
            Bytes.put16(b, 16, Checksum.finish(Checksum.add(sum, b, 0, b.length)));
            if (flipBit >= 0) {
                b[flipBit / 8] ^= (byte) (0x80 >>> (flipBit % 8));
            }
            return b;
        }
    }

    Seg seg() {
        return new Seg();
    }

    /** seq/ack relative to the peer's and our ISN (as packetdrill prints them). */
    Seg seg(int flags, int relSeq, int relAck) {
        return new Seg().flags(flags).seq(peerIsn + relSeq).ack(ourIsn + relAck);
    }

    static byte[] pattern(int n, int salt) {
        byte[] d = new byte[n];
        for (int i = 0; i < n; i++) {
            d[i] = (byte) (i * 31 + salt * 7 + (i >>> 8));
        }
        return d;
    }

    /** Injects a segment (raw bytes) from {@code srcIp}, clean or dirty. */
    void inRaw(int srcIp, byte[] segment) {
        if (!dirty) {
            tcp.onDatagram(srcIp, US, segment, 0, segment.length, now);
        } else {
            // inside a frame-sized array at the IP payload offset, tail = junk or the previous message
            byte[] big = new byte[1600];
            int off = 34;
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) junk.nextInt();
            }
            System.arraycopy(previous, 0, big, off, Math.min(previous.length, big.length - off));
            System.arraycopy(segment, 0, big, off, segment.length);
            tcp.onDatagram(srcIp, US, big, off, segment.length, now);
        }
        previous = segment.clone();
    }

    void in(Seg s) {
        inRaw(s.srcIp, s.bytes());
    }

    // ---- expectations ------------------------------------------------------------------------------

    Sent out() {
        Sent s = sent.poll();
        if (s == null) {
            fail("expected a segment from the stack, none was sent (t=" + now / MS + " ms)");
        }
        return s;
    }

    /** The next segment: flags exactly, seq and ack relative to the ISNs. */
    Sent out(int flags, int relSeq, int relAck) {
        Sent s = out();
        assertEquals(flagString(flags), flagString(s.flags), "flags of " + s);
        assertEquals(relSeq, s.seq - ourIsn, "seq of " + s);
        if ((flags & TcpSegment.FLAG_ACK) != 0) {
            assertEquals(relAck, s.ack - peerIsn, "ack of " + s);
        }
        return s;
    }

    void none() {
        Sent s = sent.poll();
        if (s != null) {
            fail("expected nothing, the stack sent " + s);
        }
    }

    int pending() {
        return sent.size();
    }

    void drain() {
        sent.clear();
    }

    static String flagString(int flags) {
        return TcpSegment.appendFlags(new StringBuilder(), flags).toString();
    }

    // ---- time ------------------------------------------------------------------------------------

    /** Runs the stack's timers up to {@code t}, jumping from deadline to deadline. */
    void advanceTo(long t) {
        for (int guard = 0; guard < 100_000; guard++) {
            long at = tcp.pollAtNs(now);
            if (at == Long.MAX_VALUE || at - t > 0) {
                break;
            }
            if (at - now > 0) {
                now = at;
            }
            tcp.poll(now);
        }
        now = t;
        tcp.poll(now);
    }

    void advance(long ns) {
        advanceTo(now + ns);
    }

    /** Advances to the stack's next deadline and runs it; returns the time jumped (ns). */
    long next() {
        long at = tcp.pollAtNs(now);
        assertTrue(at != Long.MAX_VALUE, "no timer armed");
        long d = at - now;
        if (d > 0) {
            now = at;
        }
        tcp.poll(now);
        return d;
    }

    // ---- put a socket in a state ------------------------------------------------------------------

    /** connect(): the SYN is taken and checked. Returns the handle. */
    int synSent() {
        int h = tcp.connect(PEER, peerPort, now);
        assertTrue(h >= 0, "connect: " + h);
        Sent syn = out();
        assertEquals("S", flagString(syn.flags));
        assertEquals(config.mss, syn.mss);
        localPort = syn.srcPort;
        ourIsn = syn.seq;
        return h;
    }

    /** An established client connection (three-way handshake), peer MSS {@code peerMss}. */
    int established(int peerMss, int peerWindow) {
        int h = synSent();
        now += 10 * MS;
        in(seg(TcpSegment.FLAG_SYN | TcpSegment.FLAG_ACK, 0, 1).mss(peerMss).win(peerWindow));
        out(TcpSegment.FLAG_ACK, 1, 1);
        assertEquals(TcpState.ESTABLISHED, tcp.state(h));
        return h;
    }

    int established() {
        return established(1460, 65535);
    }

    /** A listener on SERVER_PORT and one accepted connection from the peer. */
    int accepted() {
        int l = tcp.listen(SERVER_PORT);
        assertTrue(l >= 0);
        localPort = SERVER_PORT;
        peerPort = 40000;
        in(seg().flags(TcpSegment.FLAG_SYN).seq(peerIsn).mss(1460));
        Sent synAck = out();
        assertEquals("S.", flagString(synAck.flags));
        assertEquals(peerIsn + 1, synAck.ack);
        ourIsn = synAck.seq;
        now += 10 * MS;
        in(seg(TcpSegment.FLAG_ACK, 1, 1));
        int h = tcp.accept(l);
        assertTrue(h >= 0, "accept: " + h);
        assertEquals(TcpState.ESTABLISHED, tcp.state(h));
        return h;
    }

    int send(int h, byte[] data) {
        return tcp.send(h, data, 0, data.length, now);
    }

    byte[] receiveAll(int h) {
        byte[] b = new byte[1 << 17];
        int n = tcp.receive(h, b, 0, b.length, now);
        return n <= 0 ? new byte[0] : Arrays.copyOf(b, n);
    }

    long counter(String name) {
        return tcp.counters().value(name);
    }
}
