package io.ethling.stack.dns;

import io.ethling.stack.dns.DnsTestSupport.Msg;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static io.ethling.stack.dns.DnsResolverTest.encoded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HostsTable, DnsCache and the DnsMessage flyweight. */
class DnsTablesTest {

    private static final long S = 1_000_000_000L;

    @Test
    void hostsLoadsEtcHostsText() {
        HostsTable t = new HostsTable(8);
        t.load("""
            # static names
            127.0.0.1\tlocalhost
            ::1 localhost ip6-localhost   # IPv6: skipped

            203.0.113.80   web.lab  WWW.lab    # canonical name and alias
            203.0.113.81   web.lab              # a later duplicate does not win
            """);
        assertEquals(3, t.size());
        assertEquals(Ipv4Packet.parse("127.0.0.1"), t.address(t.find(encoded("LOCALHOST"), 0)));
        assertEquals(Ipv4Packet.parse("203.0.113.80"), t.address(t.find(encoded("www.LAB"), 0)));
        assertEquals(Ipv4Packet.parse("203.0.113.80"), t.address(t.find(encoded("web.lab"), 0)));
        assertEquals(-1, t.find(encoded("ip6-localhost"), 0));
        assertEquals(-1, t.find(encoded("lab"), 0));
    }

    @Test
    void hostsBadLinesNameTheLineAndTheProblem() {
        String[][] cases = {
            {"203.0.113.1 ok\n203.0.113.300 bad", "hosts line 2: bad IPv4 address '203.0.113.300'"},
            {"\n\n203.0.113.1", "hosts line 3: address '203.0.113.1' without a name"},
            {"203.0.113.1 a..b", "hosts line 1: bad host name 'a..b': empty label"},
            {"1.2.3 x", "hosts line 1: bad IPv4 address '1.2.3'"},
            {"+1.2.3.4 x", "hosts line 1: bad IPv4 address '+1.2.3.4': only digits and dots"},
            {"1.2.3.4 " + "x".repeat(64), "hosts line 1: bad host name"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HostsTable(4).load(c[0]));
            assertTrue(e.getMessage().startsWith(c[1]), e.getMessage());
        }
        HostsTable small = new HostsTable(1);
        IllegalArgumentException full = assertThrows(IllegalArgumentException.class, () -> small.load("1.2.3.4 a b"));
        assertTrue(full.getMessage().startsWith("hosts line 1: hosts table full"), full.getMessage());
    }

    @Test
    void cacheEvictsTheLeastRecentlyUsed() {
        DnsCache c = new DnsCache(3);
        long t = 5 * S;
        c.put(encoded("a.example"), 0, DnsCache.KIND_ADDRESS, 1, 600, 9, t);
        c.put(encoded("b.example"), 0, DnsCache.KIND_ADDRESS, 2, 600, 9, t + 1);
        c.put(encoded("c.example"), 0, DnsCache.KIND_NXDOMAIN, 3, 600, 9, t + 2);
        c.touch(c.find(encoded("A.EXAMPLE"), 0), t + 3);
        c.put(encoded("d.example"), 0, DnsCache.KIND_ADDRESS, 4, 600, 9, t + 4);
        assertEquals(-1, c.find(encoded("b.example"), 0), "b was the least recently used");
        assertTrue(c.find(encoded("a.example"), 0) >= 0);
        assertEquals(0, c.address(c.find(encoded("c.example"), 0)), "negative entries hold no address");
        assertEquals(1, c.evictions());
        // replacing an entry keeps one copy
        c.put(encoded("d.EXAMPLE"), 0, DnsCache.KIND_ADDRESS, 5, 600, 9, t + 5);
        assertEquals(5, c.address(c.find(encoded("d.example"), 0)));
        assertEquals(1, c.evictions());
        // LRU by subtraction works across the sign change of the clock
        DnsCache w = new DnsCache(2);
        w.put(encoded("x"), 0, DnsCache.KIND_ADDRESS, 1, 600, 0, Long.MAX_VALUE - 10);
        w.put(encoded("y"), 0, DnsCache.KIND_ADDRESS, 2, 600, 0, Long.MAX_VALUE - 5);
        w.put(encoded("z"), 0, DnsCache.KIND_ADDRESS, 3, 600, 0, Long.MIN_VALUE + 5);
        assertEquals(-1, w.find(encoded("x"), 0));
        assertTrue(w.isFresh(w.find(encoded("z"), 0), Long.MIN_VALUE + 6));
    }

    @Test
    void cacheFreshStaleAndTooOld() {
        DnsCache c = new DnsCache(2, 100 * S);
        int e = c.put(encoded("a"), 0, DnsCache.KIND_ADDRESS, 1, 10, 0, 0);
        assertTrue(c.isFresh(e, 10 * S - 1));
        assertFalse(c.isServableStale(e, 10 * S - 1));
        assertFalse(c.isFresh(e, 10 * S));
        assertTrue(c.isServableStale(e, 10 * S));
        assertTrue(c.isServableStale(e, 110 * S));
        assertFalse(c.isServableStale(e, 110 * S + 1));
        assertEquals(3, c.remainingTtlSeconds(e, 7 * S));
        DnsCache none = new DnsCache(1, 0);
        int f = none.put(encoded("a"), 0, DnsCache.KIND_ADDRESS, 1, 0, 0, 0);
        assertFalse(none.isServableStale(f, 1));
    }

    @Test
    void ttlClampFollowsRfc2181() {
        assertEquals(0, DnsCache.clampTtlSeconds(0, DnsCache.MAX_TTL_SECONDS));
        assertEquals(300, DnsCache.clampTtlSeconds(300, DnsCache.MAX_TTL_SECONDS));
        assertEquals(86_400, DnsCache.clampTtlSeconds(0x7FFF_FFFFL, DnsCache.MAX_TTL_SECONDS));
        assertEquals(0, DnsCache.clampTtlSeconds(0xFFFF_FFFFL, DnsCache.MAX_TTL_SECONDS));
        assertEquals(0, DnsCache.clampTtlSeconds(-1L, DnsCache.MAX_TTL_SECONDS), "a sign-extended read is still 0");
        assertEquals(10_800, DnsCache.clampTtlSeconds(86_400, DnsCache.MAX_NEGATIVE_TTL_SECONDS));
    }

    @Test
    void writesAQueryIntoAJunkFilledBuffer() {
        byte[] buf = new byte[DnsMessage.MAX_QUERY_LENGTH + 10];
        Arrays.fill(buf, (byte) 0xA5);
        int n = DnsMessage.writeQuery(buf, 5, 0xBEEF, encoded("example.com"), 0, DnsMessage.TYPE_A, 1232);
        assertEquals("beef 0100 0001 0000 0000 0001 076578616d706c6503636f6d00 0001 0001 00 0029 04d0 00000000 0000"
            .replace(" ", ""), HexFormat.of().formatHex(buf, 5, 5 + n));
        assertEquals((byte) 0xA5, buf[5 + n]);
        int m = DnsMessage.writeQuery(buf, 0, 7, encoded("example.com"), 0, DnsMessage.TYPE_A, 0);
        assertEquals(29, m);
        assertEquals(0, buf[11]);
        // the longest name plus OPT fits MAX_QUERY_LENGTH exactly
        String longest = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        byte[] q = new byte[DnsMessage.MAX_QUERY_LENGTH];
        assertEquals(DnsMessage.MAX_QUERY_LENGTH, DnsMessage.writeQuery(q, 0, 1, encoded(longest), 0, 1, 1232));
    }

    @Test
    void readsHeaderQuestionAndRecords() {
        byte[] m = new Msg().header(0x1234, 0x8783, 1, 1, 0, 0).question("example.com", 1, 1)
            .ptr(12).rrTail(1, 1, 0xFFFF_FFFFL, 4).u32(0xCB007150L).bytes();
        DnsMessage msg = new DnsMessage().wrap(m, 0, m.length);
        assertEquals(DnsMessage.OK, msg.check());
        assertEquals(0x1234, msg.id());
        assertTrue(msg.isResponse());
        assertEquals(0, msg.opcode());
        assertTrue(msg.isTruncated());
        assertEquals(3, msg.rcode());
        assertEquals(1, msg.questionCount());
        assertEquals(1, msg.answerCount());
        DnsRecord r = new DnsRecord();
        int p = msg.readQuestion(12, r);
        assertEquals(29, p);
        assertEquals(1, r.type);
        assertEquals(1, r.recordClass);
        p = msg.readRecord(p, r);
        assertEquals(m.length, p);
        assertEquals(0xFFFF_FFFFL, r.ttl, "TTL read unsigned");
        assertEquals(4, r.dataLength);
        assertEquals(0xCB007150, msg.i32(r.dataPos));
        assertEquals(DnsMessage.ERR_RECORD_TRUNCATED, msg.wrap(m, 0, m.length - 5).readRecord(29, r));
        assertEquals(DnsMessage.ERR_RDATA_OVERRUN, msg.wrap(m, 0, m.length - 1).readRecord(29, r));
        assertEquals(DnsMessage.ERR_SHORT, msg.wrap(m, 0, 11).check());
    }
}
