package io.ethling.stack.dns;

import io.ethling.stack.dns.DnsTestSupport.Fixture;
import io.ethling.stack.dns.DnsTestSupport.Msg;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.ethling.stack.dns.DnsTestSupport.ADDR;
import static io.ethling.stack.dns.DnsTestSupport.S;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Zero bytes allocated in steady state (DESIGN.md "Allocation-free steady state"): cache hits,
 * misses answered by a fake server (with a retry after a timeout, a forged reply dropped, LRU
 * eviction) and a CNAME followed by a second query. The fake server writes its replies into a
 * preallocated array, so everything measured is the resolver's own work.
 */
class DnsAllocationTest {

    private static final long SEED = 0xA110CL;
    private static final int WARMUP = 150_000;
    private static final int MEASURED = 20_000;

    private final Fixture fx = new Fixture(SEED, new DnsResolver.Config(), 16);
    private final String[] names = new String[64];
    private final byte[] reply = new byte[600];
    private int replyLength;
    private final StringBuilder journey = new StringBuilder(512);

    DnsAllocationTest() {
        for (int i = 0; i < names.length; i++) {
            names[i] = "h" + i + ".example.com";
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** The fake server's answer to the last query: its question, then one record (A or CNAME). */
    private void buildReply(int id, boolean cname) {
        int questionEnd = fx.net.lastLength - 11; // drop the OPT record
        System.arraycopy(fx.net.last, 0, reply, 0, questionEnd);
        reply[0] = (byte) (id >>> 8);
        reply[1] = (byte) id;
        reply[2] = (byte) 0x81;
        reply[3] = (byte) 0x80;
        reply[7] = 1; // ANCOUNT
        reply[11] = 0; // ARCOUNT
        int p = questionEnd;
        reply[p++] = (byte) 0xC0;
        reply[p++] = 12;
        reply[p++] = 0;
        reply[p++] = (byte) (cname ? 5 : 1);
        reply[p++] = 0;
        reply[p++] = 1;
        reply[p++] = 0;
        reply[p++] = 0;
        reply[p++] = 0x0E;
        reply[p++] = 0x10; // TTL 3600
        reply[p++] = 0;
        if (cname) {
            reply[p++] = 4; // "t" + pointer to the question's name: t.<question>
            reply[p++] = 1;
            reply[p++] = 't';
            reply[p++] = (byte) 0xC0;
            reply[p++] = 12;
        } else {
            reply[p++] = 4;
            reply[p++] = (byte) (ADDR >>> 24);
            reply[p++] = (byte) (ADDR >>> 16);
            reply[p++] = (byte) (ADDR >>> 8);
            reply[p++] = (byte) ADDR;
        }
        replyLength = p;
    }

    private int cycle(int i) {
        int work = 0;
        // a cache hit
        int hit = fx.resolver.resolve("cached.example.com", fx.now);
        work += fx.resolver.poll(fx.now);
        if (fx.resolver.source(hit) != DnsResolver.SOURCE_CACHE) {
            throw new AssertionError("expected a cache hit");
        }
        fx.resolver.release(hit);

        // a miss: query, sometimes a silent first try, a forged reply, the genuine answer
        int h = fx.resolver.resolve(names[i & 63], fx.now);
        work += fx.resolver.poll(fx.now);
        if ((i & 3) == 0) {
            fx.now = fx.resolver.pollAtNs(fx.now);
            work += fx.resolver.poll(fx.now); // timeout, retry to the other server
        }
        int id = fx.net.lastId();
        buildReply(id ^ 1, false);
        fx.deliverAt(reply, 0, replyLength); // wrong ID: dropped
        buildReply(id, (i & 7) == 1);
        fx.deliverAt(reply, 0, replyLength);
        work += fx.resolver.poll(fx.now);
        if ((i & 7) == 1) { // the CNAME's target is asked next
            buildReply(fx.net.lastId(), false);
            fx.deliverAt(reply, 0, replyLength);
            work += fx.resolver.poll(fx.now);
        }
        if (fx.resolver.state(h) != DnsResolver.STATE_DONE || fx.resolver.address(h) != ADDR) {
            throw new AssertionError("miss not answered at " + i + ": " + fx.resolver.describe(h) + " " + fx.why());
        }
        journey.setLength(0);
        fx.resolver.appendTo(h, journey); // the journey's line, into a pre-sized builder
        if (journey.length() < 40) {
            throw new AssertionError("journey line too short: " + journey);
        }
        fx.resolver.release(h);
        fx.now += 10 * S; // servers recover between rounds
        if (fx.resolver.pollAtNs(fx.now) != DnsResolver.NO_DEADLINE) {
            throw new AssertionError("nothing may stay pending");
        }
        return work;
    }

    /** A journey recorder that keeps numbers only, as the real one must. */
    private final long[] events = new long[4];

    @Test
    void steadyStateHitAndMissAllocateNothing() {
        fx.resolver.setListener(new DnsResolver.Listener() {
            @Override
            public void querySent(int handle, byte[] name, int nameOff, int serverIp, int localPort, int dnsId,
                                  int tryNumber, int sendStatus, long nowNs) {
                events[0] += dnsId;
            }

            @Override
            public void timedOut(int handle, int serverIp, int dnsId, long nowNs) {
                events[1]++;
            }

            @Override
            public void replyDropped(int handle, int counter, long nowNs) {
                events[2]++;
            }

            @Override
            public void finished(int handle, long nowNs) {
                events[3]++;
            }
        });
        int h = fx.resolver.resolve("cached.example.com", fx.now);
        fx.resolver.poll(fx.now);
        buildReply(fx.net.lastId(), false);
        fx.deliverAt(reply, 0, replyLength);
        fx.resolver.release(h);
        long probe = allocated();
        assertEquals(0, allocated() - probe, "the measurement itself must not allocate");
        long allocatedBefore = 0;
        int work = 0;
        // Warm-up is long because some paths run once in 8 cycles: until the JIT has compiled
        // them, their first runs in each tier can show a few hundred bytes of VM bookkeeping.
        for (int i = 0; i < WARMUP + MEASURED; i++) {
            if (i % 300 == 0) { // the clock advances 10 s per cycle: keep the TTL-3600 entry fresh
                fx.cache.put(cachedName, 0, DnsCache.KIND_ADDRESS, ADDR, 3600, DnsTestSupport.S1, fx.now);
            }
            if (i == WARMUP) {
                allocatedBefore = allocated();
            }
            work += cycle(i);
        }
        long allocatedBytes = allocated() - allocatedBefore;
        assertEquals(0, allocatedBytes, "bytes allocated over " + MEASURED + " warm hit+miss cycles (seed " + SEED + ", work " + work + ")");
        assertEquals(0, fx.net.boundCount());
        assertEquals(WARMUP + MEASURED, fx.counter("reply.drop.id"));
        assertEquals(WARMUP + MEASURED, events[2], "the listener heard every drop");
        assertEquals(fx.counter("timeouts"), events[1]);
    }

    /**
     * RELIABILITY.md §0.2(4): dropping malformed and forged replies allocates nothing either.
     * One pending query; every bad message (clean and in a dirty buffer) is fed to it again and
     * again on a frozen clock; the query stays pending and nothing is allocated.
     */
    @Test
    void droppingMalformedRepliesAllocatesNothing() {
        Fixture f = new Fixture(SEED + 1);
        int h = f.resolveAndSend("example.com");
        int id = f.net.lastId();
        java.util.List<byte[]> bad = new java.util.ArrayList<>();
        bad.add(msg(id, 1).ptr(29).rrTail(1, 1, 300, 4).a(ADDR).bytes());                       // D1
        bad.add(msg(id, 1).ptr(31).ptr(29).rrTail(1, 1, 300, 4).a(ADDR).bytes());               // D2
        bad.add(msg(id, 1).ptr(200).rrTail(1, 1, 300, 4).a(ADDR).bytes());                      // D3
        bad.add(msg(id, 1).bytes(0xFF, 0xFF).rrTail(1, 1, 300, 4).a(ADDR).bytes());             // D4
        bad.add(msg(id, 1).u8(63).bytes(1, 2, 3, 4, 5, 6, 7, 8, 9).bytes());                    // D5
        bad.add(msg(id, 1).u8(0x40).bytes(0x61, 0, 0).rrTail(1, 1, 300, 4).a(ADDR).bytes());   // D6
        bad.add(msg(id, 1).labels("www.example.com").bytes());                                  // D7
        Msg many = msg(id, 1);
        for (int i = 0; i < 128; i++) {
            many.bytes(1, 'a');
        }
        bad.add(many.u8(0).rrTail(1, 1, 300, 4).a(ADDR).bytes());                              // D8
        bad.add(msg(id, 1).bytes());                                                            // D10
        bad.add(new Msg().header(id, 0x8180, 2, 0, 0, 0).question("example.com", 1, 1)
            .question("example.com", 1, 1).bytes());                                            // D11
        bad.add(msg(id, 1).ptr(12).rrTail(1, 1, 300, 0xFFFF).a(ADDR).bytes());                 // D12
        bad.add(msg(id, 1).ptr(12).rrTail(5, 1, 300, 5).name("www.example.net").bytes());       // D14
        bad.add(DnsTestSupport.answer(id ^ 0x8000, "example.com", 300, ADDR));                 // D16
        bad.add(DnsTestSupport.answer(id, "example.org", 300, ADDR));                          // D18
        byte[] qr0 = DnsTestSupport.answer(id, "example.com", 300, ADDR);
        qr0[2] &= 0x7F;
        bad.add(qr0);                                                                           // D20
        bad.add(java.util.Arrays.copyOf(qr0, 11));                                             // D21
        int n = bad.size();
        byte[][] clean = bad.toArray(new byte[0][]);
        byte[][] dirty = new byte[n][];
        for (int k = 0; k < n; k++) {
            dirty[k] = DnsTestSupport.previousTail(clean[k], DnsTestSupport.answer(id, "example.com", 300, ADDR));
        }
        int port = f.net.lastPort;
        int server = f.net.lastServer;
        long before = 0;
        for (int round = 0; round < 40_000; round++) {
            if (round == 30_000) {
                long probe = allocated();
                if (allocated() != probe) {
                    throw new AssertionError("measurement allocates");
                }
                before = allocated();
            }
            for (int k = 0; k < n; k++) {
                f.resolver.onDatagram(server, 53, port, clean[k], 0, clean[k].length, f.now);
                f.resolver.onDatagram(server, 53, port, dirty[k], DnsTestSupport.DIRTY_OFFSET, clean[k].length, f.now);
            }
            f.resolver.poll(f.now);
        }
        long allocatedBytes = allocated() - before;
        assertEquals(0, allocatedBytes, "bytes allocated dropping " + 10_000 * 2 * n + " bad replies (seed " + (SEED + 1) + ")");
        assertEquals(DnsResolver.STATE_PENDING, f.resolver.state(h));
        assertEquals(0, f.counter("reply.accepted"));
        assertEquals(1, f.net.sends);
        assertEquals(40_000L * 2 * n, f.counter("reply.drop.malformed") + f.counter("reply.drop.question")
            + f.counter("reply.drop.id") + f.counter("reply.drop.header"), f.why());
    }

    private static Msg msg(int id, int an) {
        return new Msg().header(id, 0x8180, 1, an, 0, 0).question("example.com", 1, 1);
    }

    private final byte[] cachedName = DnsResolverTest.encoded("cached.example.com");
}
