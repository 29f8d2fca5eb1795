package io.ethling.stack.dns;

import io.ethling.hal.Counters;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;

import java.util.Arrays;

/** Byte-by-byte DNS message builder, a recording fake transport, and a resolver fixture. */
final class DnsTestSupport {

    private DnsTestSupport() {
    }

    static final int S1 = Ipv4Packet.parse("203.0.113.53");
    static final int S2 = Ipv4Packet.parse("203.0.113.54");
    static final int S3 = Ipv4Packet.parse("203.0.113.55");
    static final int ADDR = Ipv4Packet.parse("203.0.113.80");
    static final int ADDR2 = Ipv4Packet.parse("203.0.113.81");
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    /** Appends bytes; every method returns this. Positions are message offsets. */
    static final class Msg {
        byte[] b = new byte[64];
        int n;

        int pos() {
            return n;
        }

        Msg u8(int v) {
            if (n == b.length) {
                b = Arrays.copyOf(b, b.length * 2);
            }
            b[n++] = (byte) v;
            return this;
        }

        Msg bytes(int... vs) {
            for (int v : vs) {
                u8(v);
            }
            return this;
        }

        Msg raw(byte[] vs) {
            for (byte v : vs) {
                u8(v);
            }
            return this;
        }

        Msg u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Msg u32(long v) {
            return u16((int) (v >>> 16)).u16((int) v);
        }

        Msg header(int id, int flags, int qd, int an, int ns, int ar) {
            return u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
        }

        /** Labels from a dotted name, plus the 0 terminator. */
        Msg name(String dotted) {
            labels(dotted);
            return u8(0);
        }

        /** Labels only, no terminator (to be followed by a pointer). */
        Msg labels(String dotted) {
            if (dotted.isEmpty()) {
                return this;
            }
            for (String l : dotted.split("\\.")) {
                u8(l.length());
                for (int i = 0; i < l.length(); i++) {
                    u8(l.charAt(i));
                }
            }
            return this;
        }

        Msg ptr(int target) {
            return u8(0xC0 | (target >>> 8)).u8(target);
        }

        Msg question(String name, int type, int cls) {
            return name(name).u16(type).u16(cls);
        }

        /** Fixed part of a record after its (already written) name. */
        Msg rrTail(int type, int cls, long ttl, int rdlength) {
            return u16(type).u16(cls).u32(ttl).u16(rdlength);
        }

        Msg a(int ip) {
            return u32(ip & 0xFFFF_FFFFL);
        }

        Msg set16(int at, int v) {
            b[at] = (byte) (v >>> 8);
            b[at + 1] = (byte) v;
            return this;
        }

        byte[] bytes() {
            return Arrays.copyOf(b, n);
        }
    }

    static final int QR_RD_RA = 0x8180;

    /** The genuine reply to "example.com A": one A record at ADDR with {@code ttl}. */
    static byte[] answer(int id, String qname, long ttl, int ip) {
        return new Msg().header(id, QR_RD_RA, 1, 1, 0, 0).question(qname, 1, 1)
            .ptr(12).rrTail(1, 1, ttl, 4).a(ip).bytes();
    }

    /** NXDOMAIN for qname with an SOA of zone, SOA TTL and MINIMUM as given. */
    static byte[] nxdomain(int id, String qname, String zone, long soaTtl, long minimum) {
        Msg m = new Msg().header(id, 0x8183, 1, 0, 1, 0).question(qname, 1, 1);
        m.name(zone).rrTail(6, 1, soaTtl, 0);
        int rdStart = m.pos();
        m.name("ns." + zone).name("hostmaster." + zone).u32(1).u32(7200).u32(900).u32(1209600).u32(minimum);
        m.set16(rdStart - 2, m.pos() - rdStart);
        return m.bytes();
    }

    /** Records what was sent; binds every port unless told otherwise. Allocation-free. */
    static class FakeTransport implements DnsTransport {
        final boolean[] bound = new boolean[65536];
        final byte[] last = new byte[DnsMessage.MAX_QUERY_LENGTH];
        int lastLength;
        int lastPort;
        int lastServer;
        int sends;
        int binds;
        int unbinds;
        int sendStatus;
        int refuseBinds;

        @Override
        public boolean bind(int localPort) {
            if (refuseBinds > 0) {
                refuseBinds--;
                return false;
            }
            if (bound[localPort]) {
                return false;
            }
            bound[localPort] = true;
            binds++;
            return true;
        }

        @Override
        public int send(int localPort, int serverIp, byte[] buf, int off, int len, long nowNs) {
            if (!bound[localPort]) {
                throw new AssertionError("send from unbound port " + localPort);
            }
            System.arraycopy(buf, off, last, 0, len);
            lastLength = len;
            lastPort = localPort;
            lastServer = serverIp;
            sends++;
            return sendStatus;
        }

        @Override
        public void unbind(int localPort) {
            if (!bound[localPort]) {
                throw new AssertionError("unbind of unbound port " + localPort);
            }
            bound[localPort] = false;
            unbinds++;
        }

        int lastId() {
            return ((last[0] & 0xFF) << 8) | (last[1] & 0xFF);
        }

        int boundCount() {
            int c = 0;
            for (boolean b : bound) {
                if (b) {
                    c++;
                }
            }
            return c;
        }
    }

    /** A resolver with two servers, a hosts table and a cache, on a virtual clock. */
    static final class Fixture {
        final long seed;
        final FakeTransport net = new FakeTransport();
        final HostsTable hosts = new HostsTable(8);
        final DnsCache cache;
        final DnsResolver resolver;
        long now = 1_000 * S;

        Fixture(long seed) {
            this(seed, new DnsResolver.Config(), 16);
        }

        Fixture(long seed, DnsResolver.Config config, int cacheSize) {
            this.seed = seed;
            cache = new DnsCache(cacheSize);
            resolver = new DnsResolver(net, new Prng(seed), hosts, cache, config);
            resolver.setServers(new int[] {S1, S2}, 2);
        }

        int resolveAndSend(String name) {
            int h = resolver.resolve(name, now);
            resolver.poll(now);
            return h;
        }

        /** The genuine reply arrives from the server last queried, to the port last used. */
        void deliver(byte[] m) {
            resolver.onDatagram(net.lastServer, 53, net.lastPort, m, 0, m.length, now);
        }

        void deliverAt(byte[] buf, int off, int len) {
            resolver.onDatagram(net.lastServer, 53, net.lastPort, buf, off, len, now);
        }

        /** Jumps the virtual clock to the next deadline and polls. */
        void advanceToDeadline() {
            long at = resolver.pollAtNs(now);
            if (at == DnsResolver.NO_DEADLINE) {
                throw new AssertionError("no deadline");
            }
            if (at - now > 0) {
                now = at;
            }
            resolver.poll(now);
        }

        long counter(String name) {
            long v = resolver.counters().value(name);
            if (v < 0) {
                throw new AssertionError("no counter " + name);
            }
            return v;
        }

        String counters() {
            Counters c = resolver.counters();
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < c.size(); i++) {
                if (c.value(i) != 0) {
                    b.append(c.name(i)).append('=').append(c.value(i)).append(' ');
                }
            }
            return b.toString();
        }

        String why() {
            return "seed " + seed + ", counters: " + counters();
        }
    }

    /** {@code m} at offset 7 of a larger array whose tail is 0xA5 junk. */
    static byte[] junkTail(byte[] m) {
        byte[] b = new byte[m.length + 80];
        Arrays.fill(b, (byte) 0xA5);
        System.arraycopy(m, 0, b, 7, m.length);
        return b;
    }

    /** {@code m} at offset 7 over a previous message {@code prev} whose remainder is in the tail. */
    static byte[] previousTail(byte[] m, byte[] prev) {
        byte[] b = new byte[Math.max(m.length, prev.length) + 80];
        Arrays.fill(b, (byte) 0x5A);
        System.arraycopy(prev, 0, b, 7, prev.length);
        System.arraycopy(m, 0, b, 7, m.length);
        return b;
    }

    static final int DIRTY_OFFSET = 7;
}
