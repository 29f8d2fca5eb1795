package io.ethling.stack.dhcp;

import io.ethling.hal.Counters;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Test fixtures for the DHCP client: a byte-by-byte reply builder, a fake transport, prober and
 * listener that record into preallocated primitive arrays (so the allocation test can use them),
 * a small scripted DHCP server and a virtual-clock simulation loop.
 */
final class DhcpTestKit {

    static final long S = 1_000_000_000L;
    static final long MAC = 0x02_00_5E_10_20_30L;
    static final int SERVER = ip("203.0.113.1");
    static final int SERVER2 = ip("203.0.113.2");
    static final int YIADDR = ip("203.0.113.50");
    static final int MASK = ip("255.255.255.0");
    static final int ROUTER = ip("203.0.113.254");
    static final int DNS1 = ip("203.0.113.53");
    static final int DNS2 = ip("203.0.113.54");
    static final int BROADCAST = -1;
    static final int DIRTY_OFFSET = 7;

    private DhcpTestKit() {
    }

    static int ip(String s) {
        return Ipv4Packet.parse(s);
    }

    static String fmt(int ip) {
        return Ipv4Packet.format(ip);
    }

    static DhcpConfig config() {
        return new DhcpConfig(MAC, "ethling", 3, 0, true, 60, 365L * 24 * 3600);
    }

    // ------------------------------------------------------------------------------------------
    // Reading what the client sent (independent of DhcpRepr: a naive option finder)
    // ------------------------------------------------------------------------------------------

    /** Offset of the body of option {@code code} in a message we wrote, or -1; walks only [240, len). */
    static int findOption(byte[] m, int off, int len, int code) {
        int i = off + 240;
        int end = off + len;
        while (i < end) {
            int c = m[i] & 0xFF;
            if (c == 0) {
                i++;
                continue;
            }
            if (c == 255) {
                return -1;
            }
            if (c == code) {
                return i + 2;
            }
            i += 2 + (m[i + 1] & 0xFF);
        }
        return -1;
    }

    static int optionLength(byte[] m, int bodyOffset) {
        return m[bodyOffset - 1] & 0xFF;
    }

    static int u32(byte[] m, int o) {
        return ((m[o] & 0xFF) << 24) | ((m[o + 1] & 0xFF) << 16) | ((m[o + 2] & 0xFF) << 8) | (m[o + 3] & 0xFF);
    }

    static int messageType(byte[] m, int off, int len) {
        int o = findOption(m, off, len, 53);
        return o < 0 ? -1 : m[o] & 0xFF;
    }

    // ------------------------------------------------------------------------------------------
    // Reply builder: every byte written by the test
    // ------------------------------------------------------------------------------------------

    static final class Reply {
        final byte[] fixed = new byte[240];
        final ByteArrayOutputStream options = new ByteArrayOutputStream();

        Reply(int type, int xid, int yiaddr) {
            fixed[0] = 2;                 // BOOTREPLY
            fixed[1] = 1;                 // Ethernet
            fixed[2] = 6;
            put32(fixed, 4, xid);
            put32(fixed, 16, yiaddr);
            putMac(fixed, 28, MAC);
            put32(fixed, 236, 0x63825363);
            if (type > 0) {
                opt(53, type);
            }
        }

        /** An offer/ack with server id, mask, router, DNS and lease but no end option yet. */
        static Reply standard(int type, int xid, int yiaddr, int server, long leaseSeconds) {
            Reply r = new Reply(type, xid, yiaddr);
            r.opt32(54, server).opt32(1, MASK).opt32(3, ROUTER).opt(6, bytes(DNS1), bytes(DNS2))
                .opt32(51, (int) leaseSeconds);
            return r;
        }

        Reply field8(int off, int v) {
            fixed[off] = (byte) v;
            return this;
        }

        Reply field32(int off, int v) {
            put32(fixed, off, v);
            return this;
        }

        Reply chaddr(long mac) {
            putMac(fixed, 28, mac);
            return this;
        }

        Reply opt(int code, int... body) {
            options.write(code);
            options.write(body.length);
            for (int b : body) {
                options.write(b);
            }
            return this;
        }

        Reply opt(int code, int[] a, int[] b) {
            int[] all = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            return opt(code, all);
        }

        Reply opt32(int code, int v) {
            return opt(code, bytes(v));
        }

        Reply raw(int... b) {
            for (int x : b) {
                options.write(x);
            }
            return this;
        }

        Reply end() {
            options.write(255);
            return this;
        }

        byte[] build() {
            byte[] o = options.toByteArray();
            byte[] m = Arrays.copyOf(fixed, 240 + o.length);
            System.arraycopy(o, 0, m, 240, o.length);
            return m;
        }
    }

    static int[] bytes(int v) {
        return new int[] {v >>> 24, (v >>> 16) & 0xFF, (v >>> 8) & 0xFF, v & 0xFF};
    }

    static void put32(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    static void putMac(byte[] b, int o, long mac) {
        for (int i = 0; i < 6; i++) {
            b[o + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }

    /**
     * RELIABILITY.md §0.2(6): {@code msg} at offset 7 of a larger array whose unused tail holds a
     * complete, valid ACK image (so a read past the end would find plausible options) then junk.
     */
    static byte[] dirty(byte[] msg) {
        byte[] tail = Reply.standard(5, 0x11111111, YIADDR, SERVER, 3600).opt(12, 'x', 'y').end().build();
        byte[] b = new byte[DIRTY_OFFSET + msg.length + tail.length + 64];
        Arrays.fill(b, (byte) 0xA5);
        System.arraycopy(msg, 0, b, DIRTY_OFFSET, msg.length);
        System.arraycopy(tail, 240, b, DIRTY_OFFSET + msg.length, tail.length - 240);
        return b;
    }

    // ------------------------------------------------------------------------------------------
    // Fakes
    // ------------------------------------------------------------------------------------------

    /** Records every send into fixed arrays (allocation-free); optionally hands it to a server. */
    static final class FakeTransport implements DhcpTransport {
        static final int CAPACITY = 1 << 14;
        final long[] timeNs = new long[CAPACITY];
        final int[] src = new int[CAPACITY];
        final int[] dst = new int[CAPACITY];
        final int[] type = new int[CAPACITY];
        final int[] xid = new int[CAPACITY];
        int count;
        final byte[] last = new byte[DhcpMessage.MAX_SEND_LENGTH];
        int lastLength;
        int status;
        ScriptedServer server;

        @Override
        public int send(int srcIp, int dstIp, byte[] buf, int off, int len, long nowNs) {
            int i = count++ & (CAPACITY - 1);
            timeNs[i] = nowNs;
            src[i] = srcIp;
            dst[i] = dstIp;
            type[i] = messageType(buf, off, len);
            xid[i] = u32(buf, off + 4);
            System.arraycopy(buf, off, last, 0, len);
            lastLength = len;
            if (server != null && status >= 0) {              // a failed send never reaches the wire
                server.receive(srcIp, dstIp, buf, off, len, nowNs);
            }
            return status;
        }

        int index(int n) {
            return n & (CAPACITY - 1);
        }

        byte[] lastCopy() {
            return Arrays.copyOf(last, lastLength);
        }
    }

    /** Decides a probe {@code probeNs} after it started: FREE, or CONFLICT for {@link #conflictIp}. */
    static final class FakeProber implements AddressProber {
        final long[] clock;
        long probeNs = 3 * S;
        int conflictIp;
        int starts;
        int announces;
        int lastProbeIp;
        long startedNs;
        int lastAnnounceIp;

        FakeProber(long[] clock) {
            this.clock = clock;
        }

        @Override
        public void startProbe(int ip, long nowNs) {
            starts++;
            lastProbeIp = ip;
            startedNs = nowNs;
        }

        @Override
        public int probeResult(int ip) {
            if (ip != lastProbeIp || clock[0] - startedNs < probeNs) {
                return PROBING;
            }
            return ip == conflictIp ? CONFLICT : FREE;
        }

        @Override
        public void announce(int ip, long nowNs) {
            announces++;
            lastAnnounceIp = ip;
        }
    }

    static final class RecordingListener implements DhcpListener {
        int bound;
        int lost;
        int lastIp;
        int lastMask;
        int lastRouter;
        int lastDnsCount;
        final int[] lastDns = new int[16];
        long lastLeaseEndNs;
        long lastBoundAtNs;
        int lastLostIp;
        long lastLostAtNs;
        final long[] clock;

        RecordingListener(long[] clock) {
            this.clock = clock;
        }

        @Override
        public void onBound(int ip, int subnetMask, int router, int[] dnsServers, int dnsCount, long leaseEndNs) {
            bound++;
            lastIp = ip;
            lastMask = subnetMask;
            lastRouter = router;
            lastDnsCount = dnsCount;
            System.arraycopy(dnsServers, 0, lastDns, 0, dnsCount);
            lastLeaseEndNs = leaseEndNs;
            lastBoundAtNs = clock[0];
        }

        @Override
        public void onLeaseLost(int ip) {
            lost++;
            lastLostIp = ip;
            lastLostAtNs = clock[0];
        }
    }

    /**
     * A scripted DHCP server (RFC 2131 §4.3 in miniature), allocation-free: answers DISCOVER with
     * an OFFER and REQUESTs with ACK or NAK into one preallocated reply buffer, which the
     * simulation delivers {@link #latencyNs} later. Written independently of the client's code.
     */
    static final class ScriptedServer {
        int serverIp = SERVER;
        int poolIp = YIADDR;
        long leaseSeconds = 3600;
        boolean online = true;
        boolean nakRequests;
        long latencyNs = 2_000_000L;
        int discovers;
        int requests;
        int declines;
        int releases;
        int acks;
        int naks;
        int renewingRequests;
        int rebindingRequests;
        final byte[] reply = new byte[400];
        int replyLength;
        long replyAtNs;
        boolean replyPending;

        void receive(int srcIp, int dstIp, byte[] m, int off, int len, long nowNs) {
            if (!online) {
                return;
            }
            if (dstIp != BROADCAST && dstIp != serverIp) {
                return;
            }
            int type = messageType(m, off, len);
            int xid = u32(m, off + 4);
            int ciaddr = u32(m, off + 12);
            int o50 = findOption(m, off, len, 50);
            int o54 = findOption(m, off, len, 54);
            switch (type) {
                case 1 -> {
                    discovers++;
                    answer(2, xid, poolIp, nowNs);
                }
                case 3 -> {
                    requests++;
                    if (o54 >= 0 && u32(m, o54) != serverIp) {
                        return;                            // the client chose another server
                    }
                    int wanted = o50 >= 0 ? u32(m, o50) : ciaddr;
                    if (ciaddr != 0) {
                        if (dstIp == BROADCAST) {
                            rebindingRequests++;
                        } else {
                            renewingRequests++;
                        }
                    }
                    if (nakRequests || wanted != poolIp) {
                        naks++;
                        answer(6, xid, 0, nowNs);
                    } else {
                        acks++;
                        answer(5, xid, poolIp, nowNs);
                    }
                }
                case 4 -> declines++;
                case 7 -> releases++;
                default -> {
                }
            }
        }

        private void answer(int type, int xid, int yiaddr, long nowNs) {
            byte[] r = reply;
            Arrays.fill(r, (byte) 0);
            r[0] = 2;
            r[1] = 1;
            r[2] = 6;
            put32(r, 4, xid);
            put32(r, 16, yiaddr);
            putMac(r, 28, MAC);
            put32(r, 236, 0x63825363);
            int p = 240;
            r[p++] = 53;
            r[p++] = 1;
            r[p++] = (byte) type;
            r[p++] = 54;
            r[p++] = 4;
            put32(r, p, serverIp);
            p += 4;
            if (type != 6) {
                r[p++] = 1;
                r[p++] = 4;
                put32(r, p, MASK);
                p += 4;
                r[p++] = 3;
                r[p++] = 4;
                put32(r, p, ROUTER);
                p += 4;
                r[p++] = 6;
                r[p++] = 8;
                put32(r, p, DNS1);
                put32(r, p + 4, DNS2);
                p += 8;
                r[p++] = 51;
                r[p++] = 4;
                put32(r, p, (int) leaseSeconds);
                p += 4;
            }
            r[p++] = (byte) 255;
            replyLength = Math.max(p, 300);
            replyAtNs = nowNs + latencyNs;
            replyPending = true;
        }
    }

    /** Client + fakes + server on one virtual clock; jumps from event to event. */
    static final class Sim {
        final long seed;
        final long[] clock = new long[1];
        final FakeTransport transport = new FakeTransport();
        final FakeProber prober = new FakeProber(clock);
        final RecordingListener listener = new RecordingListener(clock);
        final ScriptedServer server = new ScriptedServer();
        final DhcpClient client;

        Sim(long seed) {
            this(seed, config());
        }

        Sim(long seed, DhcpConfig config) {
            this.seed = seed;
            this.client = new DhcpClient(config, new Prng(seed), transport, prober, listener);
            transport.server = server;
        }

        long now() {
            return clock[0];
        }

        /** Runs every event up to and including {@code endNs}; the clock ends at {@code endNs}. */
        void runUntil(long endNs) {
            for (int guard = 0; guard < 10_000_000; guard++) {
                long next = client.pollAtNs(clock[0]);
                if (server.replyPending && server.replyAtNs - next < 0) {
                    next = server.replyAtNs;
                }
                if (next == DhcpClient.NO_DEADLINE || next - endNs > 0) {
                    clock[0] = endNs;
                    return;
                }
                if (next - clock[0] > 0) {
                    clock[0] = next;
                }
                if (server.replyPending && server.replyAtNs - clock[0] <= 0) {
                    server.replyPending = false;
                    client.onDatagram(server.serverIp, 67, server.reply, 0, server.replyLength, clock[0]);
                }
                client.poll(clock[0]);
            }
            throw new AssertionError("simulation did not settle (seed " + seed + ")");
        }

        void runFor(long ns) {
            runUntil(clock[0] + ns);
        }

        void start() {
            client.start(clock[0]);
        }

        /** Delivers a reply by hand (clean or dirty), then polls. */
        void deliver(byte[] msg, boolean dirtyRun) {
            if (dirtyRun) {
                client.onDatagram(SERVER, 67, dirty(msg), DIRTY_OFFSET, msg.length, clock[0]);
            } else {
                client.onDatagram(SERVER, 67, msg, 0, msg.length, clock[0]);
            }
            client.poll(clock[0]);
        }

        /** A comparable picture of everything observable: state, lease, counters, traffic, callbacks. */
        String snapshot() {
            StringBuilder sb = new StringBuilder();
            sb.append("state=").append(client.state()).append(" ip=").append(fmt(client.ip()))
                .append(" mask=").append(fmt(client.subnetMask())).append(" router=").append(fmt(client.router()))
                .append(" dns=").append(client.dnsCount()).append(" leaseEnd=").append(client.leaseEndNs())
                .append(" t1=").append(client.renewAtNs()).append(" t2=").append(client.rebindAtNs())
                .append(" sends=").append(transport.count).append(" bound=").append(listener.bound)
                .append(" lost=").append(listener.lost).append(" probes=").append(prober.starts)
                .append(" pollAt=").append(client.pollAtNs(clock[0])).append('\n');
            Counters c = client.counters();
            for (int i = 0; i < c.size(); i++) {
                if (c.value(i) != 0) {
                    sb.append(c.name(i)).append('=').append(c.value(i)).append(' ');
                }
            }
            return sb.toString();
        }

        long counter(int index) {
            return client.counters().value(index);
        }
    }
}
