package io.ethling.stack.dns;

import io.ethling.stack.dns.DnsTestSupport.FakeTransport;
import io.ethling.stack.dns.DnsTestSupport.Fixture;
import io.ethling.stack.dns.DnsTestSupport.Msg;
import io.ethling.stack.util.Prng;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.ethling.stack.dns.DnsTestSupport.ADDR;
import static io.ethling.stack.dns.DnsTestSupport.ADDR2;
import static io.ethling.stack.dns.DnsTestSupport.QR_RD_RA;
import static io.ethling.stack.dns.DnsTestSupport.S;
import static io.ethling.stack.dns.DnsTestSupport.S1;
import static io.ethling.stack.dns.DnsTestSupport.S2;
import static io.ethling.stack.dns.DnsTestSupport.S3;
import static io.ethling.stack.dns.DnsTestSupport.answer;
import static io.ethling.stack.dns.DnsTestSupport.nxdomain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resolver behaviour on a virtual clock: sources, cache, retries, failover, health, stale, CNAMEs, D23. */
class DnsResolverTest {

    private static final long SEED = 20261121L;

    @Test
    void queryOnTheWireIsAStandardRecursiveQuestion() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("Example.COM");
        byte[] q = java.util.Arrays.copyOf(fx.net.last, fx.net.lastLength);
        Msg expected = new Msg().header(fx.net.lastId(), 0x0100, 1, 0, 0, 1).question("Example.COM", 1, 1)
            .u8(0).u16(41).u16(1232).u32(0).u16(0);
        assertEquals(java.util.HexFormat.of().formatHex(expected.bytes()), java.util.HexFormat.of().formatHex(q));
        assertEquals(S1, fx.net.lastServer);
        assertTrue(fx.net.lastPort >= 16384 && fx.net.lastPort <= 65535);
        assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(h));
        assertEquals(fx.now + S, fx.resolver.pollAtNs(fx.now));
    }

    @Test
    void hostsTableComesFirst() {
        Fixture fx = new Fixture(SEED);
        fx.hosts.load("203.0.113.81 example.com\n");
        fx.cache.put(encoded("example.com"), 0, DnsCache.KIND_ADDRESS, ADDR, 300, S1, fx.now);
        int h = fx.resolveAndSend("EXAMPLE.com");
        assertEquals(DnsResolver.STATE_DONE, fx.resolver.state(h));
        assertEquals(ADDR2, fx.resolver.address(h));
        assertEquals(DnsResolver.SOURCE_HOSTS, fx.resolver.source(h));
        assertEquals(0, fx.net.sends);
        assertEquals(1, fx.counter("hosts.hit"));
        assertEquals(DnsResolver.NO_DEADLINE, fx.resolver.pollAtNs(fx.now));
        assertTrue(fx.resolver.describe(h).contains("source=hosts"), fx.resolver.describe(h));
    }

    @Test
    void answerIsCachedThenServedFromCacheUntilTheTtlRunsOut() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("example.com");
        int id = fx.net.lastId();
        fx.now += 20 * DnsTestSupport.MS;
        fx.deliver(answer(id, "example.com", 60, ADDR));
        assertEquals(DnsResolver.STATE_DONE, fx.resolver.state(h));
        assertEquals(DnsResolver.SOURCE_SERVER, fx.resolver.source(h));
        assertEquals(S1, fx.resolver.answerServerIp(h));
        assertEquals(0, fx.resolver.answerServerIndex(h));
        assertEquals(id, fx.resolver.dnsId(h));
        assertEquals(1, fx.resolver.tries(h));
        assertEquals(60, fx.resolver.ttlSeconds(h));
        assertEquals(20 * DnsTestSupport.MS, fx.resolver.finishedAtNs(h) - fx.resolver.startedAtNs(h));
        assertEquals(0, fx.net.boundCount(), "the port is closed when the answer arrives");
        fx.resolver.release(h);
        assertEquals(DnsResolver.STATE_INVALID, fx.resolver.state(h), "a released handle is stale");

        fx.now += 59 * S;
        int hit = fx.resolveAndSend("example.com");
        assertEquals(DnsResolver.SOURCE_CACHE, fx.resolver.source(hit));
        assertEquals(ADDR, fx.resolver.address(hit));
        assertEquals(S1, fx.resolver.answerServerIp(hit), "the cache remembers which server answered");
        assertEquals(1, fx.net.sends);
        assertEquals(1, fx.counter("cache.hit"));
        fx.resolver.release(hit);

        fx.now += S; // TTL over
        int miss = fx.resolveAndSend("example.com");
        assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(miss));
        assertEquals(2, fx.net.sends);
        fx.deliver(answer(fx.net.lastId(), "example.com", 60, ADDR2));
        assertEquals(ADDR2, fx.resolver.address(miss));
        assertEquals(2, fx.counter("cache.miss"));
    }

    @Test
    void nxdomainIsCachedForTheSoaMinimum() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("nothere.example.com");
        fx.deliver(nxdomain(fx.net.lastId(), "nothere.example.com", "example.com", 3600, 120));
        assertEquals(DnsResolver.STATE_FAILED, fx.resolver.state(h));
        assertEquals(DnsResolver.ERROR_NXDOMAIN, fx.resolver.error(h));
        assertEquals(DnsResolver.SOURCE_SERVER, fx.resolver.source(h));
        assertEquals(120, fx.resolver.ttlSeconds(h), "RFC 2308 §5: min(SOA TTL, MINIMUM)");
        fx.resolver.release(h);
        fx.now += 119 * S;
        int again = fx.resolveAndSend("NotHere.example.com");
        assertEquals(DnsResolver.STATE_FAILED, fx.resolver.state(again));
        assertEquals(DnsResolver.ERROR_NXDOMAIN, fx.resolver.error(again));
        assertEquals(DnsResolver.SOURCE_CACHE, fx.resolver.source(again));
        assertEquals(1, fx.net.sends);
        assertEquals(1, fx.counter("cache.negative.hit"));
        fx.resolver.release(again);
        fx.now += S;
        int later = fx.resolveAndSend("nothere.example.com");
        assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(later));
        assertEquals(2, fx.net.sends);
    }

    @Test
    void negativeAnswersWithoutAFittingSoaAreNotCached() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("nothere.example.com");
        // SOA of an unrelated zone: not in-domain, so no negative TTL (RFC 5452 §6, RFC 2308 §5)
        fx.deliver(nxdomain(fx.net.lastId(), "nothere.example.com", "evil.org", 3600, 3600));
        assertEquals(DnsResolver.ERROR_NXDOMAIN, fx.resolver.error(h));
        assertEquals(-1, fx.cache.find(encoded("nothere.example.com"), 0));
        // negative TTL clamps at 3 hours
        fx.resolver.release(h);
        int h2 = fx.resolveAndSend("gone.example.com");
        fx.deliver(nxdomain(fx.net.lastId(), "gone.example.com", "example.com", 0x7FFF_FFFFL, 0x7FFF_FFFFL));
        assertEquals(DnsCache.MAX_NEGATIVE_TTL_SECONDS, fx.resolver.ttlSeconds(h2));
    }

    @Test
    void noDataAnswerWithSoaIsCachedAsNoData() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("v6only.example.com");
        byte[] m = nxdomain(fx.net.lastId(), "v6only.example.com", "example.com", 300, 60);
        m[3] = (byte) 0x80; // RCODE 0
        fx.deliver(m);
        assertEquals(DnsResolver.ERROR_NO_DATA, fx.resolver.error(h));
        int e = fx.cache.find(encoded("v6only.example.com"), 0);
        assertEquals(DnsCache.KIND_NODATA, fx.cache.kind(e));
    }

    @Test
    void silentFirstServerFailsOverToTheSecondWithinTheBudget() {
        Fixture fx = new Fixture(SEED);
        long t0 = fx.now;
        int h = fx.resolveAndSend("example.com");
        assertEquals(S1, fx.net.lastServer);
        int firstId = fx.net.lastId();
        int firstPort = fx.net.lastPort;
        fx.advanceToDeadline();
        assertEquals(t0 + S, fx.now, "first timeout after 1 s");
        assertEquals(S2, fx.net.lastServer, "failover to the second server");
        assertEquals(2, fx.net.sends);
        assertNotEquals(firstPort, fx.net.lastPort, "fresh port for the retry (RFC 5452 §9.2)");
        assertEquals(1, fx.net.boundCount(), "the old port is closed");
        // a late reply to the first try is no longer accepted: port closed, id stale
        fx.resolver.onDatagram(S1, 53, firstPort, answer(firstId, "example.com", 300, ADDR2), 0, 45, fx.now);
        assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(h));
        fx.now += 300 * DnsTestSupport.MS;
        fx.deliver(answer(fx.net.lastId(), "example.com", 300, ADDR));
        assertEquals(DnsResolver.STATE_DONE, fx.resolver.state(h));
        assertEquals(S2, fx.resolver.answerServerIp(h));
        assertEquals(1, fx.resolver.answerServerIndex(h));
        assertEquals(2, fx.resolver.tries(h));
        assertEquals(1, fx.counter("failovers"));
        assertEquals(1, fx.counter("retries"));
        assertEquals(1, fx.counter("timeouts"));
        assertTrue(fx.resolver.isServerDown(0, fx.now));
        assertTrue(!fx.resolver.isServerDown(1, fx.now));
    }

    @Test
    void retriesBackOffAndGiveUpAfterTheBudgetWithFreshIdsAndPorts() {
        Fixture fx = new Fixture(SEED);
        long t0 = fx.now;
        int h = fx.resolveAndSend("example.com");
        long[] sentAt = new long[6];
        int[] servers = new int[6];
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        sentAt[0] = fx.now;
        servers[0] = fx.net.lastServer;
        ports.add(fx.net.lastPort);
        ids.add(fx.net.lastId());
        for (int i = 1; i < 6; i++) {
            fx.advanceToDeadline();
            assertEquals(i + 1, fx.net.sends);
            sentAt[i] = fx.now;
            servers[i] = fx.net.lastServer;
            ports.add(fx.net.lastPort);
            ids.add(fx.net.lastId());
        }
        // both servers are down after their first timeouts: round robin over both, timeouts 1,1,2,2,4 s
        assertEquals(java.util.List.of(0L, 1L, 2L, 4L, 6L, 10L),
            java.util.Arrays.stream(sentAt).map(t -> (t - t0) / S).boxed().toList());
        assertEquals(java.util.List.of(S1, S2, S1, S2, S1, S2), java.util.Arrays.stream(servers).boxed().toList());
        assertEquals(6, ports.size(), "seed " + SEED);
        assertEquals(6, ids.size(), "seed " + SEED);
        fx.advanceToDeadline();
        assertEquals(t0 + 14 * S, fx.now);
        assertEquals(DnsResolver.STATE_FAILED, fx.resolver.state(h));
        assertEquals(DnsResolver.ERROR_TIMEOUT, fx.resolver.error(h));
        assertEquals(6, fx.resolver.tries(h));
        assertEquals(6, fx.net.sends);
        assertEquals(0, fx.net.boundCount());
        assertEquals(DnsResolver.NO_DEADLINE, fx.resolver.pollAtNs(fx.now));
        assertTrue(fx.resolver.describe(h).contains("error=no answer (timeout) tries=6"), fx.resolver.describe(h));
    }

    @Test
    void serverHealthSkipsARecentlySilentServerAndASuccessRestoresIt() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("a.example.com");
        fx.advanceToDeadline(); // S1 silent
        fx.deliver(answer(fx.net.lastId(), "a.example.com", 300, ADDR));
        fx.resolver.release(h);
        assertEquals(1, fx.resolver.serverTimeouts(0));

        // within the hold-down, a new query goes straight to S2
        fx.now += 10 * S;
        int h2 = fx.resolveAndSend("b.example.com");
        assertEquals(S2, fx.net.lastServer);
        fx.deliver(answer(fx.net.lastId(), "b.example.com", 300, ADDR));
        fx.resolver.release(h2);

        // after the hold-down (30 s), S1 is tried again; its answer restores it
        fx.now += 25 * S;
        assertTrue(!fx.resolver.isServerDown(0, fx.now));
        int h3 = fx.resolveAndSend("c.example.com");
        assertEquals(S1, fx.net.lastServer);
        fx.deliver(answer(fx.net.lastId(), "c.example.com", 300, ADDR));
        assertEquals(DnsResolver.STATE_DONE, fx.resolver.state(h3));
        assertEquals(0, fx.resolver.serverTimeouts(0));
        assertEquals(1, fx.counter("server.down"));
        assertEquals(1, fx.counter("server.restored"));
    }

    @Test
    void serveStaleWhenEveryServerIsSilent() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("example.com");
        fx.deliver(answer(fx.net.lastId(), "example.com", 60, ADDR));
        fx.resolver.release(h);
        fx.now += 3600 * S; // an hour past expiry
        int stale = fx.resolveAndSend("example.com");
        assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(stale), "expired: ask the servers first");
        for (int i = 0; i < 6; i++) {
            fx.advanceToDeadline();
        }
        assertEquals(DnsResolver.STATE_DONE, fx.resolver.state(stale), fx.why());
        assertEquals(ADDR, fx.resolver.address(stale));
        assertEquals(DnsResolver.SOURCE_STALE, fx.resolver.source(stale));
        assertEquals(DnsResolver.ERROR_TIMEOUT, fx.resolver.error(stale), "says why it is stale");
        assertEquals(S1, fx.resolver.answerServerIp(stale), "where the stale answer once came from");
        assertEquals(1, fx.counter("cache.stale.served"));
        assertTrue(fx.resolver.describe(stale).contains("source=stale error=no answer (timeout)"), fx.resolver.describe(stale));
        fx.resolver.release(stale);

        // more than a day past expiry: nothing stale to serve
        fx.now += 86_400 * S;
        int tooOld = fx.resolveAndSend("example.com");
        for (int i = 0; i < 6; i++) {
            fx.advanceToDeadline();
        }
        assertEquals(DnsResolver.STATE_FAILED, fx.resolver.state(tooOld));
        assertEquals(DnsResolver.ERROR_TIMEOUT, fx.resolver.error(tooOld));
    }

    @Test
    void serveStaleWhenServersRefuseOrThereAreNone() {
        Fixture fx = new Fixture(SEED);
        fx.cache.put(encoded("example.com"), 0, DnsCache.KIND_ADDRESS, ADDR, 0, S1, fx.now - S);
        int h = fx.resolveAndSend("example.com");
        fx.deliver(new Msg().header(fx.net.lastId(), 0x8182, 1, 0, 0, 0).question("example.com", 1, 1).bytes());
        fx.resolver.poll(fx.now);
        fx.deliver(new Msg().header(fx.net.lastId(), 0x8182, 1, 0, 0, 0).question("example.com", 1, 1).bytes());
        fx.resolver.poll(fx.now);
        assertEquals(DnsResolver.SOURCE_STALE, fx.resolver.source(h), fx.why());
        assertEquals(DnsResolver.ERROR_SERVFAIL, fx.resolver.error(h));
        fx.resolver.release(h);
        fx.resolver.setServers(new int[0], 0);
        int none = fx.resolveAndSend("example.com");
        assertEquals(DnsResolver.SOURCE_STALE, fx.resolver.source(none));
        assertEquals(DnsResolver.ERROR_NO_SERVERS, fx.resolver.error(none));
        int other = fx.resolveAndSend("other.example.com");
        assertEquals(DnsResolver.STATE_FAILED, fx.resolver.state(other));
        assertEquals(DnsResolver.ERROR_NO_SERVERS, fx.resolver.error(other));
    }

    @Test
    void cnameChainInsideOneAnswer() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("www.example.com");
        // www.example.com CNAME web.example.net (TTL 100); web.example.net A ADDR (TTL 300)
        byte[] m = new Msg().header(fx.net.lastId(), QR_RD_RA, 1, 2, 0, 0).question("www.example.com", 1, 1)
            .ptr(12).u16(5).u16(1).u32(100).u16(17).name("web.example.net")
            .ptr(45).u16(1).u16(1).u32(300).u16(4).a(ADDR).bytes();
        fx.deliver(m);
        assertEquals(DnsResolver.STATE_DONE, fx.resolver.state(h), fx.why());
        assertEquals(ADDR, fx.resolver.address(h));
        assertEquals(1, fx.resolver.cnameCount(h));
        assertEquals(100, fx.resolver.ttlSeconds(h), "the chain lives as long as its shortest link");
        int e = fx.cache.find(encoded("www.example.com"), 0);
        assertEquals(ADDR, fx.cache.address(e));
        assertEquals(100, fx.cache.remainingTtlSeconds(e, fx.now));
    }

    @Test
    void cnameWithoutTheTargetIsFollowedByANewQuery() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("www.example.com");
        int firstPort = fx.net.lastPort;
        byte[] m = new Msg().header(fx.net.lastId(), QR_RD_RA, 1, 1, 0, 0).question("www.example.com", 1, 1)
            .ptr(12).u16(5).u16(1).u32(100).u16(17).name("web.example.net").bytes();
        fx.deliver(m);
        assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(h));
        fx.resolver.poll(fx.now);
        assertEquals(2, fx.net.sends);
        assertNotEquals(firstPort, fx.net.lastPort);
        byte[] q = java.util.Arrays.copyOf(fx.net.last, fx.net.lastLength);
        byte[] want = encoded("web.example.net");
        assertTrue(DnsName.equalsIgnoreCase(q, 12, want, 0), "asks for the target");
        fx.deliver(answer(fx.net.lastId(), "web.example.net", 50, ADDR2));
        assertEquals(DnsResolver.STATE_DONE, fx.resolver.state(h), fx.why());
        assertEquals(ADDR2, fx.resolver.address(h));
        assertEquals(2, fx.resolver.tries(h));
        assertEquals(1, fx.resolver.cnameCount(h));
        assertEquals(50, fx.resolver.ttlSeconds(h));
        assertTrue(fx.cache.find(encoded("www.example.com"), 0) >= 0);
        assertTrue(fx.cache.find(encoded("web.example.net"), 0) >= 0);
        assertEquals(1, fx.counter("cname.followed"));
    }

    @Test
    void cnameTargetAlreadyCachedNeedsNoSecondQuery() {
        Fixture fx = new Fixture(SEED);
        fx.cache.put(encoded("web.example.net"), 0, DnsCache.KIND_ADDRESS, ADDR2, 300, S2, fx.now);
        int h = fx.resolveAndSend("www.example.com");
        fx.deliver(new Msg().header(fx.net.lastId(), QR_RD_RA, 1, 1, 0, 0).question("www.example.com", 1, 1)
            .ptr(12).u16(5).u16(1).u32(100).u16(17).name("web.example.net").bytes());
        fx.resolver.poll(fx.now);
        assertEquals(1, fx.net.sends);
        assertEquals(DnsResolver.STATE_DONE, fx.resolver.state(h));
        assertEquals(ADDR2, fx.resolver.address(h));
        assertEquals(DnsResolver.SOURCE_CACHE, fx.resolver.source(h));
    }

    @Test
    void cnameLoopAcrossQueriesIsBounded() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("a.example.com");
        for (int i = 0; i < 20 && fx.resolver.state(h) == DnsResolver.STATE_PENDING; i++) {
            boolean askA = DnsName.equalsIgnoreCase(fx.net.last, 12, encoded("a.example.com"), 0);
            String owner = askA ? "a.example.com" : "b.example.com";
            String target = askA ? "b.example.com" : "a.example.com";
            fx.deliver(new Msg().header(fx.net.lastId(), QR_RD_RA, 1, 1, 0, 0).question(owner, 1, 1)
                .ptr(12).u16(5).u16(1).u32(100).u16(15).name(target).bytes());
            fx.resolver.poll(fx.now);
        }
        assertEquals(DnsResolver.STATE_FAILED, fx.resolver.state(h));
        assertEquals(DnsResolver.ERROR_CNAME_LOOP, fx.resolver.error(h));
        assertEquals(9, fx.net.sends, "8 links followed, the 9th refused");
    }

    @Test
    void secondResolveOfAPendingNameJoinsIt() {
        Fixture fx = new Fixture(SEED);
        int h1 = fx.resolveAndSend("example.com");
        int h2 = fx.resolveAndSend("EXAMPLE.COM");
        assertEquals(h1, h2);
        assertEquals(1, fx.net.sends, "RFC 5452 §5: never two identical queries in flight");
        fx.deliver(answer(fx.net.lastId(), "example.com", 300, ADDR));
        fx.resolver.release(h1);
        assertEquals(ADDR, fx.resolver.address(h2), "still held by the second reference");
        fx.resolver.release(h2);
        assertEquals(DnsResolver.STATE_INVALID, fx.resolver.state(h2));
        assertEquals(1, fx.counter("resolve.joined"));
    }

    @Test
    void aCnameTargetInFlightElsewhereIsWaitedForNotAskedTwice() {
        Fixture fx = new Fixture(SEED);
        int target = fx.resolveAndSend("web.example.net");
        int targetId = fx.net.lastId();
        int targetPort = fx.net.lastPort;
        int h = fx.resolveAndSend("www.example.com");
        fx.deliver(new Msg().header(fx.net.lastId(), QR_RD_RA, 1, 1, 0, 0).question("www.example.com", 1, 1)
            .ptr(12).u16(5).u16(1).u32(100).u16(17).name("web.example.net").bytes());
        fx.resolver.poll(fx.now);
        assertEquals(2, fx.net.sends, "waits for the query already in flight");
        assertEquals(1, fx.counter("query.waited"));
        fx.resolver.onDatagram(S1, 53, targetPort, answer(targetId, "web.example.net", 300, ADDR2), 0, 49, fx.now);
        assertEquals(DnsResolver.STATE_DONE, fx.resolver.state(target));
        fx.resolver.poll(fx.now);
        assertEquals(DnsResolver.STATE_DONE, fx.resolver.state(h), fx.why());
        assertEquals(ADDR2, fx.resolver.address(h));
        assertEquals(2, fx.net.sends);
    }

    @Test
    void slotsRunOutThenComeBack() {
        DnsResolver.Config c = new DnsResolver.Config();
        c.querySlots = 2;
        Fixture fx = new Fixture(SEED, c, 4);
        int a = fx.resolveAndSend("a.example");
        int b = fx.resolveAndSend("b.example");
        assertEquals(DnsResolver.ERR_NO_SLOT, fx.resolver.resolve("c.example", fx.now));
        assertEquals(1, fx.counter("resolve.no.slot"));
        fx.resolver.release(a);
        assertEquals(1, fx.net.boundCount(), "releasing a pending query closes its port");
        int c2 = fx.resolveAndSend("c.example");
        assertTrue(c2 >= 0);
        assertNotEquals(a, c2, "a reused slot gets a new handle");
        assertEquals(DnsResolver.STATE_INVALID, fx.resolver.state(a));
        fx.resolver.release(a); // a stale handle is ignored
        assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(c2));
        assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(b));
        assertEquals(DnsResolver.STATE_INVALID, fx.resolver.state(-5));
        assertEquals(DnsResolver.STATE_INVALID, fx.resolver.state(0x7FFF_FFFF));
    }

    @Test
    void badNamesAreRefusedWithAReason() {
        Fixture fx = new Fixture(SEED);
        assertEquals(DnsName.ERR_EMPTY_LABEL, fx.resolver.resolve("a..b", fx.now));
        assertEquals(DnsName.ERR_EMPTY, fx.resolver.resolve("", fx.now));
        assertEquals(DnsName.ERR_LABEL_TOO_LONG, fx.resolver.resolve("a".repeat(64) + ".com", fx.now));
        assertEquals("label longer than 63 bytes", DnsName.describe(DnsName.ERR_LABEL_TOO_LONG));
        assertEquals(3, fx.counter("resolve.bad.name"));
        assertEquals(0, fx.net.sends);
        byte[] enc = encoded("example.com");
        int h = fx.resolver.resolve(enc, 0, fx.now);
        assertTrue(h >= 0);
        assertEquals(DnsName.ERR_LABEL_TYPE, fx.resolver.resolve(new byte[] {0x40, 'a', 0}, 0, fx.now));
        assertEquals(DnsName.ERR_EMPTY, fx.resolver.resolve(new byte[] {0}, 0, fx.now));
        assertEquals(DnsName.ERR_NO_TERMINATOR, fx.resolver.resolve(new byte[] {3, 'a', 'b', 'c'}, 0, fx.now));
    }

    @Test
    void sendErrorsAndBusyPortsAreCountedAndRetried() {
        Fixture fx = new Fixture(SEED);
        fx.net.sendStatus = -1;
        fx.net.refuseBinds = 3;
        int h = fx.resolveAndSend("example.com");
        assertEquals(3, fx.counter("port.busy"));
        assertEquals(1, fx.counter("send.error"));
        fx.net.sendStatus = 0;
        fx.advanceToDeadline();
        fx.deliver(answer(fx.net.lastId(), "example.com", 300, ADDR));
        assertEquals(ADDR, fx.resolver.address(h));
        fx.resolver.release(h);
        fx.net.refuseBinds = 1000;
        int np = fx.resolveAndSend("other.example");
        assertEquals(DnsResolver.ERROR_NO_PORT, fx.resolver.error(np));
    }

    @Test
    void setServersKeepsHealthOfUnchangedEntries() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("example.com");
        fx.advanceToDeadline();
        fx.deliver(answer(fx.net.lastId(), "example.com", 300, ADDR));
        assertTrue(fx.resolver.isServerDown(0, fx.now));
        fx.resolver.setServers(new int[] {S1, S3}, 2);
        assertTrue(fx.resolver.isServerDown(0, fx.now));
        assertEquals(S3, fx.resolver.server(1));
        fx.resolver.setServers(new int[] {S3, S1, S2, S1, S2}, 5);
        assertEquals(4, fx.resolver.serverCount());
        assertTrue(!fx.resolver.isServerDown(0, fx.now));
        assertEquals(1, fx.counter("servers.truncated"));
        fx.resolver.release(h);
    }

    @Test
    void formerrToAnEdnsQueryIsRetriedWithoutEdnsAtTheSameServer() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("example.com");
        assertEquals(40, fx.net.lastLength, "with OPT");
        fx.deliver(new Msg().header(fx.net.lastId(), 0x8181, 1, 0, 0, 0).question("example.com", 1, 1).bytes());
        fx.resolver.poll(fx.now);
        assertEquals(S1, fx.net.lastServer, "RFC 6891 §7: the same server, again");
        assertEquals(29, fx.net.lastLength, "without OPT");
        assertEquals(0, fx.net.last[11], "ARCOUNT 0");
        assertEquals(1, fx.counter("edns.fallback"));
        // without EDNS, replies over 512 bytes are no longer acceptable
        byte[] big = java.util.Arrays.copyOf(answer(fx.net.lastId(), "example.com", 300, ADDR), 513);
        fx.deliver(big);
        assertEquals(1, fx.counter("reply.drop.oversize"));
        fx.deliver(answer(fx.net.lastId(), "example.com", 300, ADDR));
        assertEquals(ADDR, fx.resolver.address(h));
        assertEquals(2, fx.resolver.tries(h));
        // a second FORMERR (already without EDNS) is a server error: on to the next server
        fx.resolver.release(h);
        int h2 = fx.resolveAndSend("other.example.com");
        fx.deliver(new Msg().header(fx.net.lastId(), 0x8181, 1, 0, 0, 0).question("other.example.com", 1, 1).bytes());
        fx.resolver.poll(fx.now);
        fx.deliver(new Msg().header(fx.net.lastId(), 0x8181, 1, 0, 0, 0).question("other.example.com", 1, 1).bytes());
        fx.resolver.poll(fx.now);
        assertEquals(S2, fx.net.lastServer);
        assertEquals(3, fx.net.sends - 2);
        assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(h2));
    }

    @Test
    void listenerTellsTheStoryOfAQuery() {
        Fixture fx = new Fixture(SEED);
        java.util.List<String> story = new java.util.ArrayList<>();
        long t0 = fx.now;
        fx.resolver.setListener(new DnsResolver.Listener() {
            @Override
            public void querySent(int handle, byte[] name, int nameOff, int serverIp, int localPort, int dnsId,
                                  int tryNumber, int sendStatus, long nowNs) {
                story.add("t+" + (nowNs - t0) / S + " try " + tryNumber + " " + DnsName.toString(name, nameOff) + " to "
                    + io.ethling.stack.wire.Ipv4Packet.format(serverIp) + " id=" + (dnsId == fx.net.lastId()) + " port=" + (localPort == fx.net.lastPort));
            }

            @Override
            public void timedOut(int handle, int serverIp, int dnsId, long nowNs) {
                story.add("t+" + (nowNs - t0) / S + " timeout " + io.ethling.stack.wire.Ipv4Packet.format(serverIp));
            }

            @Override
            public void replyDropped(int handle, int counter, long nowNs) {
                story.add("dropped " + fx.resolver.counters().name(counter) + (handle >= 0 ? " for the query" : ""));
            }

            @Override
            public void finished(int handle, long nowNs) {
                story.add("t+" + (nowNs - t0) / S + " " + fx.resolver.describe(handle));
            }
        });
        int h = fx.resolveAndSend("example.com");
        fx.advanceToDeadline();
        fx.deliver(answer(fx.net.lastId() ^ 1, "example.com", 300, ADDR));
        fx.resolver.onDatagram(S2, 53, 1, new byte[12], 0, 12, fx.now);
        fx.deliver(answer(fx.net.lastId(), "example.com", 300, ADDR));
        assertEquals(java.util.List.of(
            "t+0 try 1 example.com to 203.0.113.53 id=true port=true",
            "t+1 timeout 203.0.113.53",
            "t+1 try 2 example.com to 203.0.113.54 id=true port=true",
            "dropped reply.drop.id for the query",
            "dropped reply.drop.port",
            "t+1 example.com done 203.0.113.80 source=server tries=2 id=" + fx.resolver.dnsId(h) + " server=203.0.113.54"), story);
    }

    @Test
    void addressLiteralsNeedNoLookup() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("203.0.113.80");
        assertEquals(DnsResolver.STATE_DONE, fx.resolver.state(h));
        assertEquals(ADDR, fx.resolver.address(h));
        assertEquals(DnsResolver.SOURCE_LITERAL, fx.resolver.source(h));
        assertEquals(0, fx.net.sends);
        assertEquals("203.0.113.80 done 203.0.113.80 source=literal tries=0 id=-1", fx.resolver.describe(h));
        assertEquals(0xFFFF_FFFFL, DnsResolver.parseDottedQuad("255.255.255.255"));
        assertEquals(0L, DnsResolver.parseDottedQuad("0.0.0.0"));
        assertEquals(0x0A00_0001L, DnsResolver.parseDottedQuad("010.0.0.1"));
        for (String no : new String[] {"256.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.", "1.2.3.4.", ".1.2.3", "1..2.3",
            "+1.2.3.4", "1.2.3.4a", "0001.2.3.4", "a.b.c.d", "", "1.2.3.-4"}) {
            assertEquals(-1L, DnsResolver.parseDottedQuad(no), no);
        }
        // not literals: asked of the servers
        fx.resolveAndSend("1.2.3.4.example");
        assertEquals(1, fx.net.sends);
    }

    @Test
    void backoffIsCappedAtTheMaximumTimeout() {
        DnsResolver.Config c = new DnsResolver.Config();
        c.triesPerServer = 7;
        Fixture fx = new Fixture(SEED, c, 4);
        fx.resolver.setServers(new int[] {S1}, 1);
        long t0 = fx.now;
        int h = fx.resolveAndSend("example.com");
        java.util.List<Long> gaps = new java.util.ArrayList<>();
        long last = t0;
        while (fx.resolver.state(h) == DnsResolver.STATE_PENDING) {
            fx.advanceToDeadline();
            gaps.add((fx.now - last) / S);
            last = fx.now;
        }
        assertEquals(java.util.List.of(1L, 2L, 4L, 8L, 8L, 8L, 8L), gaps);
        assertEquals(7, fx.resolver.tries(h));
    }

    @Test
    void configIsValidatedOnce() {
        DnsResolver.Config c = new DnsResolver.Config();
        c.portMin = 65_000;
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> new Fixture(SEED, c, 4));
        assertTrue(e.getMessage().contains("ports"), e.getMessage());
        DnsResolver.Config t = new DnsResolver.Config();
        t.maxTimeoutNs = t.initialTimeoutNs - 1;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Fixture(SEED, t, 4));
    }

    @Test
    void setServersToleratesAShortArray() {
        Fixture fx = new Fixture(SEED);
        fx.resolver.setServers(new int[] {S3}, 3);
        assertEquals(1, fx.resolver.serverCount());
        int h = fx.resolveAndSend("example.com");
        assertEquals(S3, fx.net.lastServer);
        assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(h));
    }

    @Test
    void d23IdsAndPortsAreUniformAndNoTwoIdenticalQueriesAreInFlight() {
        long seed = SEED ^ 23;
        DnsResolver.Config c = new DnsResolver.Config();
        c.querySlots = 8;
        Map<Integer, String> inFlight = new HashMap<>();
        String[] names = new String[24];
        for (int i = 0; i < names.length; i++) {
            names[i] = "host" + i + ".example.com";
        }
        int[] idBuckets = new int[16];
        int[] portBuckets = new int[16];
        int[] idBits = new int[16];
        java.util.Set<Integer> distinctPorts = new java.util.HashSet<>();
        int[] queries = {0};
        FakeTransport checking = new FakeTransport() {
            @Override
            public int send(int localPort, int serverIp, byte[] buf, int off, int len, long nowNs) {
                String name = DnsName.toString(buf, off + 12);
                if (inFlight.containsValue(name)) {
                    throw new AssertionError("two identical queries in flight: " + name + " (seed " + seed + ")");
                }
                inFlight.put(localPort, name);
                int id = ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF);
                idBuckets[id >>> 12]++;
                for (int b = 0; b < 16; b++) {
                    idBits[b] += (id >>> b) & 1;
                }
                if (localPort < 16384 || localPort > 65535) {
                    throw new AssertionError("port " + localPort);
                }
                portBuckets[(localPort - 16384) / 3072]++;
                distinctPorts.add(localPort);
                queries[0]++;
                return super.send(localPort, serverIp, buf, off, len, nowNs);
            }

            @Override
            public void unbind(int localPort) {
                inFlight.remove(localPort);
                super.unbind(localPort);
            }
        };
        HostsTable hosts = new HostsTable(1);
        DnsCache cache = new DnsCache(4);
        DnsResolver r = new DnsResolver(checking, new Prng(seed), hosts, cache, c);
        r.setServers(new int[] {S1}, 1);
        Prng choose = new Prng(seed + 1);
        int[] handles = new int[8];
        int held = 0;
        long now = 0;
        while (queries[0] < 10_000) {
            // resolve a random name (often one already pending), sometimes answer or time out
            if (held < handles.length) {
                int h = r.resolve(names[choose.nextInt(names.length)], now);
                if (h >= 0) {
                    handles[held++] = h;
                }
            }
            r.poll(now);
            if (choose.nextInt(3) == 0 && checking.sends > 0 && r.state(handles[0]) == DnsResolver.STATE_PENDING) {
                now += 1_000_000_000L; // let something time out and retry
            }
            if (held > 0 && (held == handles.length || choose.nextInt(4) == 0)) {
                int k = choose.nextInt(held);
                r.release(handles[k]);
                handles[k] = handles[--held];
            }
            cache.clear();
        }
        double idChi = chiSquare(idBuckets);
        double portChi = chiSquare(portBuckets);
        // 15 degrees of freedom: 37.7 is the 0.1 % critical value
        assertTrue(idChi < 37.7, "ID chi-square " + idChi + " (seed " + seed + ")");
        assertTrue(portChi < 37.7, "port chi-square " + portChi + " (seed " + seed + ")");
        for (int b = 0; b < 16; b++) {
            assertTrue(Math.abs(idBits[b] - queries[0] / 2.0) < 4 * Math.sqrt(queries[0] / 4.0),
                "ID bit " + b + " set " + idBits[b] + " of " + queries[0] + " (seed " + seed + ")");
        }
        // 10,000 draws from 49,152 ports: about 9,045 distinct expected
        assertTrue(distinctPorts.size() > 8_800, "distinct ports " + distinctPorts.size() + " (seed " + seed + ")");
        assertTrue(r.counters().value("resolve.joined") > 0, "the mix must exercise joining");
    }

    private static double chiSquare(int[] buckets) {
        long total = 0;
        for (int b : buckets) {
            total += b;
        }
        double expected = (double) total / buckets.length;
        double chi = 0;
        for (int b : buckets) {
            chi += (b - expected) * (b - expected) / expected;
        }
        return chi;
    }

    static byte[] encoded(String name) {
        byte[] b = new byte[DnsName.MAX_NAME_LENGTH];
        int n = DnsName.encode(name, b, 0);
        if (n < 0) {
            throw new IllegalArgumentException(DnsName.describe(n));
        }
        return b;
    }
}
