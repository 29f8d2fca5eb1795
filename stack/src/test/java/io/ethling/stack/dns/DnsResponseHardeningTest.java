package io.ethling.stack.dns;

import io.ethling.stack.dns.DnsTestSupport.Fixture;
import io.ethling.stack.dns.DnsTestSupport.Msg;
import io.ethling.stack.util.Prng;
import org.junit.jupiter.api.Test;

import java.util.function.IntFunction;

import static io.ethling.stack.dns.DnsTestSupport.ADDR;
import static io.ethling.stack.dns.DnsTestSupport.ADDR2;
import static io.ethling.stack.dns.DnsTestSupport.DIRTY_OFFSET;
import static io.ethling.stack.dns.DnsTestSupport.QR_RD_RA;
import static io.ethling.stack.dns.DnsTestSupport.S;
import static io.ethling.stack.dns.DnsTestSupport.S1;
import static io.ethling.stack.dns.DnsTestSupport.S2;
import static io.ethling.stack.dns.DnsTestSupport.answer;
import static io.ethling.stack.dns.DnsTestSupport.junkTail;
import static io.ethling.stack.dns.DnsTestSupport.nxdomain;
import static io.ethling.stack.dns.DnsTestSupport.previousTail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RELIABILITY.md §1.3 "DNS client" D1–D24. Each response answers a pending query for
 * example.com A (server, ports, ID and question right) unless the case is about one of those.
 * Every case runs three times on fresh resolvers with the same seed: the message alone in its
 * array, inside a larger array with a junk tail, and written over the genuine reply so that the
 * tail holds the rest of a previous message (§0.2(6)); the outcomes must be identical.
 * Offsets: the question starts at 12, the answer section at 29.
 */
class DnsResponseHardeningTest {

    private static final long SEED = 0x5EED_D25L;
    private static final int ANSWER = 29;

    /** What the resolver made of one delivery. */
    private record Outcome(int state, int address, int source, int error, String counters, int newSends,
                           int cacheEntry, int boundPorts) {
    }

    private Outcome run(IntFunction<byte[]> reply, int variant) {
        return run(new Fixture(SEED), reply, variant);
    }

    private Outcome run(Fixture fx, IntFunction<byte[]> reply, int variant) {
        int h = fx.resolveAndSend("example.com");
        int sends = fx.net.sends;
        int id = fx.net.lastId();
        byte[] m = reply.apply(id);
        switch (variant) {
            case 0 -> fx.deliver(m);
            case 1 -> fx.deliverAt(junkTail(m), DIRTY_OFFSET, m.length);
            default -> fx.deliverAt(previousTail(m, answer(id, "example.com", 3600, ADDR)), DIRTY_OFFSET, m.length);
        }
        byte[] key = new byte[DnsName.MAX_NAME_LENGTH];
        DnsName.encode("example.com", key, 0);
        return new Outcome(fx.resolver.state(h), fx.resolver.address(h), fx.resolver.source(h), fx.resolver.error(h),
            fx.counters(), fx.net.sends - sends, fx.cache.find(key, 0), fx.net.boundCount());
    }

    /** Runs clean and both dirty variants; asserts they agree; returns the clean outcome. */
    private Outcome check(String what, IntFunction<byte[]> reply) {
        Outcome clean = run(reply, 0);
        assertEquals(clean, run(reply, 1), what + ": junk-tail run differs (seed " + SEED + ")");
        assertEquals(clean, run(reply, 2), what + ": previous-message-tail run differs (seed " + SEED + ")");
        return clean;
    }

    /**
     * The standard "dropped" check: the query is still pending, the named counter rose by one,
     * nothing was sent, nothing cached; and the genuine reply is still accepted afterwards.
     */
    private void assertDropped(String what, String counter, IntFunction<byte[]> reply) {
        Outcome o = check(what, reply);
        assertEquals(DnsResolver.STATE_PENDING, o.state, what + " " + o);
        assertTrue(o.counters.contains(counter + "=1 "), what + ": expected " + counter + "=1 in " + o.counters + " (seed " + SEED + ")");
        assertEquals(0, o.newSends, what);
        assertEquals(-1, o.cacheEntry, what + ": nothing may be cached");
        assertEquals(1, o.boundPorts, what + ": the query's port stays bound");
        for (int variant = 0; variant < 3; variant++) {
            Fixture fx = new Fixture(SEED);
            run(fx, reply, variant);
            int h = fx.resolver.resolve("example.com", fx.now); // joins the pending query
            fx.deliver(answer(fx.net.lastId(), "example.com", 300, ADDR));
            assertEquals(DnsResolver.STATE_DONE, fx.resolver.state(h), what + ": genuine reply after the bad one; " + fx.why());
            assertEquals(ADDR, fx.resolver.address(h), what);
            assertEquals(DnsResolver.SOURCE_SERVER, fx.resolver.source(h), what);
        }
    }

    private static int decodeStatus(byte[] m, int pos) {
        return DnsName.decode(m, 0, m.length, pos, new byte[DnsName.MAX_NAME_LENGTH], 0);
    }

    private static Msg reply(int id, int an) {
        return new Msg().header(id, QR_RD_RA, 1, an, 0, 0).question("example.com", 1, 1);
    }

    @Test
    void genuineReplyIsAcceptedInEveryVariant() {
        Outcome o = check("genuine", id -> answer(id, "example.com", 300, ADDR));
        assertEquals(DnsResolver.STATE_DONE, o.state);
        assertEquals(ADDR, o.address);
        assertEquals(DnsResolver.SOURCE_SERVER, o.source);
        assertTrue(o.cacheEntry >= 0);
        assertEquals(0, o.boundPorts);
    }

    @Test
    void d1PointerToItself() {
        IntFunction<byte[]> r = id -> reply(id, 1).ptr(ANSWER).rrTail(1, 1, 300, 4).a(ADDR).bytes();
        assertEquals(DnsName.ERR_POINTER_NOT_BACKWARDS, decodeStatus(r.apply(1), ANSWER));
        assertDropped("D1", "reply.drop.malformed", r);
    }

    @Test
    void d2TwoPointersAtEachOther() {
        // 29 -> 31 -> 29
        IntFunction<byte[]> r = id -> reply(id, 1).ptr(31).ptr(29).rrTail(1, 1, 300, 4).a(ADDR).bytes();
        assertEquals(DnsName.ERR_POINTER_NOT_BACKWARDS, decodeStatus(r.apply(1), 29));
        assertEquals(DnsName.ERR_POINTER_NOT_BACKWARDS, decodeStatus(r.apply(1), 31));
        assertDropped("D2", "reply.drop.malformed", r);
    }

    @Test
    void d3ForwardPointer() {
        IntFunction<byte[]> r = id -> {
            Msg m = reply(id, 1).ptr(200).rrTail(1, 1, 300, 4).a(ADDR);
            while (m.pos() < 200) {
                m.u8(0);
            }
            m.name("example.com");
            while (m.pos() < 250) {
                m.u8(0);
            }
            return m.bytes();
        };
        assertEquals(250, r.apply(1).length);
        assertEquals(DnsName.ERR_POINTER_NOT_BACKWARDS, decodeStatus(r.apply(1), ANSWER));
        assertDropped("D3", "reply.drop.malformed", r);
    }

    @Test
    void d4PointerBeyondTheMessage() {
        IntFunction<byte[]> r = id -> {
            Msg m = reply(id, 1).bytes(0xC0, 0xFF).rrTail(1, 1, 300, 4).a(ADDR);
            while (m.pos() < 100) {
                m.u8(0);
            }
            return m.bytes();
        };
        assertEquals(DnsName.ERR_POINTER_OUTSIDE, decodeStatus(r.apply(1), ANSWER));
        assertDropped("D4 C0FF", "reply.drop.malformed", r);
        IntFunction<byte[]> ff = id -> reply(id, 1).bytes(0xFF, 0xFF).rrTail(1, 1, 300, 4).a(ADDR).bytes();
        assertEquals(DnsName.ERR_POINTER_OUTSIDE, decodeStatus(ff.apply(1), ANSWER));
        assertDropped("D4 FFFF", "reply.drop.malformed", ff);
        // a pointer into the header is outside any name too
        IntFunction<byte[]> hdr = id -> reply(id, 1).ptr(2).rrTail(1, 1, 300, 4).a(ADDR).bytes();
        assertDropped("D4 into header", "reply.drop.malformed", hdr);
    }

    @Test
    void d5LabelRunsPastTheMessage() {
        IntFunction<byte[]> r = id -> reply(id, 1).u8(63).bytes(1, 2, 3, 4, 5, 6, 7, 8, 9).bytes();
        assertEquals(DnsName.ERR_LABEL_OVERRUN, decodeStatus(r.apply(1), ANSWER));
        assertDropped("D5 answer", "reply.drop.malformed", r);
        IntFunction<byte[]> q = id -> new Msg().header(id, QR_RD_RA, 1, 0, 0, 0).u8(63).bytes(1, 2, 3, 4, 5, 6, 7, 8, 9).bytes();
        assertDropped("D5 question", "reply.drop.malformed", q);
    }

    @Test
    void d6ReservedLabelTypes() {
        for (int b : new int[] {0x40, 0x41, 0x7F, 0x80, 0xBF}) {
            IntFunction<byte[]> r = id -> reply(id, 1).u8(b).bytes(0x61, 0, 0).rrTail(1, 1, 300, 4).a(ADDR).bytes();
            assertEquals(DnsName.ERR_LABEL_TYPE, decodeStatus(r.apply(1), ANSWER), "byte " + b);
            assertDropped("D6 " + Integer.toHexString(b), "reply.drop.malformed", r);
        }
    }

    @Test
    void d7NameWithoutTerminator() {
        IntFunction<byte[]> q = id -> new Msg().header(id, QR_RD_RA, 1, 0, 0, 0).labels("example.com").bytes();
        assertEquals(DnsName.ERR_NO_TERMINATOR, decodeStatus(q.apply(1), 12));
        assertDropped("D7 question", "reply.drop.malformed", q);
        IntFunction<byte[]> a = id -> reply(id, 1).labels("www.example.com").bytes();
        assertEquals(DnsName.ERR_NO_TERMINATOR, decodeStatus(a.apply(1), ANSWER));
        assertDropped("D7 answer", "reply.drop.malformed", a);
        IntFunction<byte[]> half = id -> reply(id, 1).u8(0xC0).bytes();
        assertDropped("D7 half pointer", "reply.drop.malformed", half);
    }

    @Test
    void d8NameLongerThan255() {
        // 3www6google3com0 stem, then names that each add a 63-byte label and point one name earlier
        IntFunction<byte[]> chain = id -> {
            Msg m = reply(id, 6);
            int prev = m.pos();
            m.name("www.google.com").rrTail(1, 1, 300, 4).a(ADDR2);
            for (int i = 0; i < 5; i++) {
                int here = m.pos();
                m.labels("a".repeat(63)).ptr(prev).rrTail(1, 1, 300, 4).a(ADDR2);
                prev = here;
            }
            return m.bytes();
        };
        byte[] sample = chain.apply(1);
        int lastOwner = sample.length - 80;
        assertEquals(DnsName.ERR_NAME_TOO_LONG, decodeStatus(sample, lastOwner));
        assertDropped("D8 pointer chain", "reply.drop.malformed", chain);

        IntFunction<byte[]> many = id -> {
            Msg m = reply(id, 1);
            for (int i = 0; i < 128; i++) {
                m.bytes(1, 'a');
            }
            return m.u8(0).rrTail(1, 1, 300, 4).a(ADDR2).bytes();
        };
        assertEquals(DnsName.ERR_NAME_TOO_LONG, decodeStatus(many.apply(1), ANSWER));
        assertDropped("D8 128 labels", "reply.drop.malformed", many);
    }

    @Test
    void d9OpaqueBytesInLabels() {
        // first record: one label "example.com" (a dot inside); second: EXAMPLE.COM (case differs only)
        IntFunction<byte[]> r = id -> {
            Msg m = reply(id, 2);
            m.u8(11);
            for (char c : "example.com".toCharArray()) {
                m.u8(c);
            }
            m.u8(0).rrTail(1, 1, 300, 4).a(ADDR2);
            m.name("EXAMPLE.COM").rrTail(1, 1, 300, 4).a(ADDR);
            return m.bytes();
        };
        Outcome o = check("D9", r);
        assertEquals(DnsResolver.STATE_DONE, o.state);
        assertEquals(ADDR, o.address, "the dotted label must not match example.com");

        byte[] a = new byte[255];
        byte[] b = new byte[255];
        // only ASCII letters fold: 0xC9 (É) and 0xE9 (é) differ; 0xC1 is not 'A' + 0x80 folded
        String[][] different = {{"caf\u00e9", "caf\u00c9"}, {"a\u00c1", "a\u00e1"}, {"a b", "a_b"}, {"a b", "a\tb"},
            {"x\u0080", "x\u00a0"}, {"[", "{"}, {"@", "`"}};
        for (String[] pair : different) {
            DnsName.encode(pair[0], a, 0);
            DnsName.encode(pair[1], b, 0);
            assertTrue(!DnsName.equalsIgnoreCase(a, 0, b, 0), pair[0] + " vs " + pair[1]);
        }
        DnsName.encode("WwW.ExAmPlE.CoM", a, 0);
        DnsName.encode("www.example.com", b, 0);
        assertTrue(DnsName.equalsIgnoreCase(a, 0, b, 0));
        // a NUL inside a label is a byte, not an end: "ab\0" vs "ab" differ by length
        byte[] nul = {3, 'a', 'b', 0, 0};
        byte[] ab = {2, 'a', 'b', 0};
        assertTrue(!DnsName.equalsIgnoreCase(nul, 0, ab, 0));
        // a reply whose question holds a NUL inside a label does not match our question
        IntFunction<byte[]> q = id -> new Msg().header(id, QR_RD_RA, 1, 1, 0, 0).bytes(8, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0)
            .bytes(3, 'c', 'o', 'm', 0).u16(1).u16(1).ptr(12).rrTail(1, 1, 300, 4).a(ADDR2).bytes();
        assertDropped("D9 NUL in question", "reply.drop.question", q);
    }

    @Test
    void d10CountsLargerThanTheRecords() {
        IntFunction<byte[]> r = id -> answer(id, "example.com", 300, ADDR);
        Outcome o = check("D10 65535", id -> {
            byte[] m = r.apply(id);
            m[6] = (byte) 0xFF;
            m[7] = (byte) 0xFF;
            return m;
        });
        assertEquals(DnsResolver.STATE_DONE, o.state);
        assertEquals(ADDR, o.address);
        assertDropped("D10 ANCOUNT 1, no answer bytes", "reply.drop.malformed", id -> reply(id, 1).bytes());
        // and the other counts: NSCOUNT/ARCOUNT 65535 with nothing behind them are bounded too
        Outcome big = check("D10 ns/ar", id -> {
            byte[] m = r.apply(id);
            m[8] = m[9] = m[10] = m[11] = (byte) 0xFF;
            return m;
        });
        assertEquals(ADDR, big.address);
    }

    @Test
    void d11QuestionCountNotOne() {
        assertDropped("D11 QDCOUNT 0", "reply.drop.question",
            id -> new Msg().header(id, QR_RD_RA, 0, 1, 0, 0).name("example.com").rrTail(1, 1, 300, 4).a(ADDR2).bytes());
        assertDropped("D11 QDCOUNT 2", "reply.drop.question",
            id -> new Msg().header(id, QR_RD_RA, 2, 1, 0, 0).question("example.com", 1, 1).question("example.com", 1, 1)
                .ptr(12).rrTail(1, 1, 300, 4).a(ADDR2).bytes());
    }

    @Test
    void d12RdlengthPastTheEnd() {
        assertDropped("D12 FFFF", "reply.drop.malformed",
            id -> reply(id, 1).ptr(12).rrTail(1, 1, 300, 0xFFFF).a(ADDR2).bytes());
        assertDropped("D12 one past", "reply.drop.malformed",
            id -> reply(id, 1).ptr(12).rrTail(1, 1, 300, 5).a(ADDR2).bytes());
        assertDropped("D12 fixed part cut", "reply.drop.malformed",
            id -> reply(id, 1).ptr(12).u16(1).u16(1).u16(0).bytes());
        assertDropped("D12 authority record", "reply.drop.malformed",
            id -> new Msg().header(id, QR_RD_RA, 1, 1, 1, 0).question("example.com", 1, 1)
                .ptr(12).rrTail(1, 1, 300, 4).a(ADDR2).ptr(12).rrTail(2, 1, 300, 0xFFFF).bytes());
    }

    @Test
    void d13AddressRecordOfWrongLengthIsSkipped() {
        for (int rdlength : new int[] {0, 3, 5, 16}) {
            IntFunction<byte[]> r = id -> {
                Msg m = reply(id, 2).ptr(12).rrTail(1, 1, 300, rdlength);
                for (int i = 0; i < rdlength; i++) {
                    m.u8(0xEE);
                }
                return m.ptr(12).rrTail(1, 1, 300, 4).a(ADDR).bytes();
            };
            Outcome o = check("D13 " + rdlength, r);
            assertEquals(DnsResolver.STATE_DONE, o.state, "D13 " + rdlength);
            assertEquals(ADDR, o.address, "D13 " + rdlength + ": the bad record must not be read as 4 bytes");
            assertTrue(o.counters.contains("reply.record.skipped=1 "), o.counters);
            // alone, it gives no address at all
            Outcome alone = check("D13 alone " + rdlength, id -> {
                Msg m = reply(id, 1).ptr(12).rrTail(1, 1, 300, rdlength);
                for (int i = 0; i < rdlength; i++) {
                    m.u8(0xEE);
                }
                return m.bytes();
            });
            assertEquals(DnsResolver.STATE_FAILED, alone.state);
            assertEquals(DnsResolver.ERROR_NO_DATA, alone.error);
            assertEquals(0, alone.address);
        }
    }

    @Test
    void d14CnameDataOutsideItsRdlength() {
        assertDropped("D14 runs past", "reply.drop.malformed",
            id -> reply(id, 2).ptr(12).rrTail(5, 1, 300, 5).name("www.example.net")
                .name("www.example.net").rrTail(1, 1, 300, 4).a(ADDR2).bytes());
        assertDropped("D14 rdlength 0", "reply.drop.malformed",
            id -> reply(id, 2).ptr(12).rrTail(5, 1, 300, 0)
                .name("www.example.net").rrTail(1, 1, 300, 4).a(ADDR2).bytes());
        assertDropped("D14 trailing bytes", "reply.drop.malformed",
            id -> reply(id, 1).ptr(12).rrTail(5, 1, 300, 18).name("www.example.net").u16(0).bytes());
    }

    private static IntFunction<byte[]> chain(int links, boolean loop) {
        return id -> {
            Msg m = reply(id, links + (loop ? 0 : 1));
            String owner = "example.com";
            for (int i = 1; i <= links; i++) {
                String target = loop && i == links ? "example.com" : "c" + i + ".example.com";
                m.name(owner).rrTail(5, 1, 300, target.length() + 2).name(target);
                owner = target;
            }
            if (!loop) {
                m.name(owner).rrTail(1, 1, 300, 4).a(ADDR);
            }
            return m.bytes();
        };
    }

    @Test
    void d15CnameLoopsAndLongChains() {
        Outcome loop = check("D15 a->b->a", chain(2, true));
        assertEquals(DnsResolver.STATE_FAILED, loop.state);
        assertEquals(DnsResolver.ERROR_CNAME_LOOP, loop.error);
        assertEquals(-1, loop.cacheEntry);
        Outcome twenty = check("D15 chain of 20", chain(20, false));
        assertEquals(DnsResolver.STATE_FAILED, twenty.state);
        assertEquals(DnsResolver.ERROR_CNAME_LOOP, twenty.error);
        Outcome eight = check("D15 chain of 8 is allowed", chain(8, false));
        assertEquals(DnsResolver.STATE_DONE, eight.state);
        assertEquals(ADDR, eight.address);
        Outcome nine = check("D15 chain of 9 is not", chain(9, false));
        assertEquals(DnsResolver.ERROR_CNAME_LOOP, nine.error);
    }

    @Test
    void d16WrongIdIgnoredRealReplyAcceptedLater() {
        assertDropped("D16", "reply.drop.id", id -> answer((id + 1) & 0xFFFF, "example.com", 300, ADDR2));
        // every other ID
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("example.com");
        int id = fx.net.lastId();
        byte[] m = answer(0, "example.com", 300, ADDR2);
        for (int other = 0; other < 65536; other++) {
            if (other != id) {
                m[0] = (byte) (other >>> 8);
                m[1] = (byte) other;
                fx.deliver(m);
            }
        }
        assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(h), fx.why());
        assertEquals(65535, fx.counter("reply.drop.id"));
        fx.deliver(answer(id, "example.com", 300, ADDR));
        assertEquals(ADDR, fx.resolver.address(h));
    }

    @Test
    void d17WrongSourceOrPorts() {
        for (int variant = 0; variant < 3; variant++) {
            for (int kind = 0; kind < 3; kind++) {
                Fixture fx = new Fixture(SEED);
                int h = fx.resolveAndSend("example.com");
                byte[] m = answer(fx.net.lastId(), "example.com", 300, ADDR2);
                byte[] buf = variant == 0 ? m : variant == 1 ? junkTail(m) : previousTail(m, answer(fx.net.lastId(), "example.com", 300, ADDR));
                int off = variant == 0 ? 0 : DIRTY_OFFSET;
                int src = kind == 0 ? S2 : fx.net.lastServer;
                int srcPort = kind == 1 ? 5353 : 53;
                int dstPort = kind == 2 ? (fx.net.lastPort == 65535 ? 16384 : fx.net.lastPort + 1) : fx.net.lastPort;
                fx.resolver.onDatagram(src, srcPort, dstPort, buf, off, m.length, fx.now);
                String what = "D17 kind " + kind + " variant " + variant;
                assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(h), what);
                assertEquals(1, fx.counter(kind == 0 ? "reply.drop.source" : "reply.drop.port"), what + " " + fx.why());
                assertEquals(1, fx.net.sends, what);
                fx.deliver(answer(fx.net.lastId(), "example.com", 300, ADDR));
                assertEquals(ADDR, fx.resolver.address(h), what);
            }
        }
    }

    @Test
    void d18QuestionDiffers() {
        assertDropped("D18 name", "reply.drop.question", id -> answer(id, "example.org", 300, ADDR2));
        assertDropped("D18 longer name", "reply.drop.question", id -> answer(id, "www.example.com", 300, ADDR2));
        assertDropped("D18 type", "reply.drop.question",
            id -> new Msg().header(id, QR_RD_RA, 1, 1, 0, 0).question("example.com", 28, 1).ptr(12).rrTail(1, 1, 300, 4).a(ADDR2).bytes());
        assertDropped("D18 class", "reply.drop.question",
            id -> new Msg().header(id, QR_RD_RA, 1, 1, 0, 0).question("example.com", 1, 3).ptr(12).rrTail(1, 1, 300, 4).a(ADDR2).bytes());
        Outcome caseOnly = check("D18 case differs only", id -> answer(id, "ExAmPlE.CoM", 300, ADDR));
        assertEquals(ADDR, caseOnly.address);
    }

    @Test
    void d19UnrelatedRecordsIgnoredAndNeverCached() {
        IntFunction<byte[]> r = id -> new Msg().header(id, QR_RD_RA, 1, 2, 1, 2).question("example.com", 1, 1)
            .name("evil.com").rrTail(1, 1, 300, 4).a(ADDR2)
            .ptr(12).rrTail(1, 1, 300, 4).a(ADDR)
            .ptr(12).rrTail(2, 1, 300, 10).name("ns.evil").u8(0)   // authority: NS (RDLENGTH 10: a 9-byte name and one more byte)
            .name("evil.com").rrTail(1, 1, 300, 4).a(ADDR2)                 // additional
            .ptr(12).rrTail(1, 1, 300, 4).a(ADDR2)
            .bytes();
        Outcome o = check("D19", r);
        assertEquals(DnsResolver.STATE_DONE, o.state);
        assertEquals(ADDR, o.address);
        Fixture fx = new Fixture(SEED);
        run(fx, r, 0);
        byte[] evil = new byte[255];
        DnsName.encode("evil.com", evil, 0);
        assertEquals(-1, fx.cache.find(evil, 0), "unrelated owner cached");

        // only unrelated answers, the question name's A only in the additional section: not used
        IntFunction<byte[]> onlyAdditional = id -> new Msg().header(id, QR_RD_RA, 1, 1, 0, 1).question("example.com", 1, 1)
            .name("evil.com").rrTail(1, 1, 300, 4).a(ADDR2)
            .ptr(12).rrTail(1, 1, 300, 4).a(ADDR2).bytes();
        Outcome o2 = check("D19 additional only", onlyAdditional);
        assertEquals(DnsResolver.STATE_FAILED, o2.state);
        assertEquals(DnsResolver.ERROR_NO_DATA, o2.error);
        assertEquals(-1, o2.cacheEntry);
        // a CNAME target is in-domain: its record is used; a sibling's is not
        Outcome viaCname = check("D19 via CNAME", id -> reply(id, 3)
            .name("other.example.com").rrTail(1, 1, 300, 4).a(ADDR2)
            .ptr(12).rrTail(5, 1, 300, 4).labels("w").ptr(ANSWER)
            .name("w.other.example.com").rrTail(1, 1, 300, 4).a(ADDR).bytes());
        assertEquals(ADDR, viaCname.address);
    }

    @Test
    void d20HeaderFlagsAndCodes() {
        assertDropped("D20 QR 0", "reply.drop.header", id -> {
            byte[] m = answer(id, "example.com", 300, ADDR2);
            m[2] &= 0x7F;
            return m;
        });
        assertDropped("D20 opcode 2", "reply.drop.header", id -> {
            byte[] m = answer(id, "example.com", 300, ADDR2);
            m[2] |= 2 << 3;
            return m;
        });
        Outcome nx = check("D20 RCODE 3", id -> nxdomain(id, "example.com", "example.com", 600, 300));
        assertEquals(DnsResolver.STATE_FAILED, nx.state);
        assertEquals(DnsResolver.ERROR_NXDOMAIN, nx.error);
        for (int rcode : new int[] {2, 5, 1, 4}) {
            Outcome o = check("D20 RCODE " + rcode, id -> {
                byte[] m = new Msg().header(id, 0x8180 | rcode, 1, 0, 0, 0).question("example.com", 1, 1).bytes();
                return m;
            });
            assertEquals(DnsResolver.STATE_PENDING, o.state, "RCODE " + rcode + ": moves on to the next server");
            assertEquals(0, o.newSends, "the next try goes out on the next poll");
            assertEquals(0, o.boundPorts);
        }
        Outcome tc = check("D20 TC", id -> {
            byte[] m = answer(id, "example.com", 300, ADDR2);
            m[2] |= 0x02;
            return m;
        });
        assertEquals(DnsResolver.STATE_FAILED, tc.state);
        assertEquals(DnsResolver.ERROR_TRUNCATED, tc.error);
        assertEquals(0, tc.address);
        assertEquals(-1, tc.cacheEntry, "a truncated answer is never parsed or cached");
    }

    @Test
    void d20ServfailFromEveryServerFails() {
        Fixture fx = new Fixture(SEED);
        int h = fx.resolveAndSend("example.com");
        assertEquals(S1, fx.net.lastServer);
        fx.deliver(new Msg().header(fx.net.lastId(), 0x8182, 1, 0, 0, 0).question("example.com", 1, 1).bytes());
        fx.resolver.poll(fx.now);
        assertEquals(S2, fx.net.lastServer, "SERVFAIL moves on to the second server");
        fx.deliver(new Msg().header(fx.net.lastId(), 0x8185, 1, 0, 0, 0).question("example.com", 1, 1).bytes());
        fx.resolver.poll(fx.now);
        assertEquals(DnsResolver.STATE_FAILED, fx.resolver.state(h), fx.why());
        assertEquals(DnsResolver.ERROR_REFUSED, fx.resolver.error(h));
        assertEquals(2, fx.resolver.tries(h));
        assertEquals(S2, fx.resolver.answerServerIp(h));
    }

    @Test
    void d21ShortAndOversizedMessages() {
        for (int n = 0; n < 12; n++) {
            int len = n;
            assertDropped("D21 " + n + " bytes", "reply.drop.malformed",
                id -> java.util.Arrays.copyOf(answer(id, "example.com", 300, ADDR2), len));
        }
        DnsResolver.Config noEdns = new DnsResolver.Config();
        noEdns.ednsUdpSize = 0;
        for (int variant = 0; variant < 3; variant++) {
            Fixture fx = new Fixture(SEED, noEdns, 16);
            int h = fx.resolveAndSend("example.com");
            assertEquals(DnsMessage.HEADER_LENGTH + 13 + 4, fx.net.lastLength, "no OPT record without EDNS");
            byte[] m = java.util.Arrays.copyOf(answer(fx.net.lastId(), "example.com", 300, ADDR2), 600);
            if (variant == 0) {
                fx.deliver(m);
            } else {
                fx.deliverAt(variant == 1 ? junkTail(m) : previousTail(m, m), DIRTY_OFFSET, m.length);
            }
            assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(h));
            assertEquals(1, fx.counter("reply.drop.oversize"), fx.why());
        }
        // with EDNS (1232 advertised) the same 600 bytes are read only as far as the records go
        Outcome o = check("D21 600 with EDNS", id -> java.util.Arrays.copyOf(answer(id, "example.com", 300, ADDR), 600));
        assertEquals(ADDR, o.address);
    }

    @Test
    void d22MillionForgedRepliesNoneAccepted() {
        Fixture fx = new Fixture(SEED);
        Prng pick = new Prng(SEED + 22);
        int h = fx.resolveAndSend("example.com");
        int id = fx.net.lastId();
        int port = fx.net.lastPort;
        byte[] good = answer(id, "example.com", 300, ADDR2);
        byte[] otherName = answer(id, "examplf.com", 300, ADDR2);
        byte[] otherType = new Msg().header(id, QR_RD_RA, 1, 1, 0, 0).question("example.com", 28, 1).ptr(12).rrTail(1, 1, 300, 4).a(ADDR2).bytes();
        byte[] otherClass = new Msg().header(id, QR_RD_RA, 1, 1, 0, 0).question("example.com", 1, 255).ptr(12).rrTail(1, 1, 300, 4).a(ADDR2).bytes();
        byte[] forgedId = good.clone();
        int n = 1_000_000;
        // every other forged reply sits in a dirty buffer whose tail holds the genuine reply
        byte[] goodDirty = previousTail(good, answer(id, "example.com", 300, ADDR));
        byte[] otherNameDirty = previousTail(otherName, good);
        for (int i = 0; i < n; i++) {
            if ((i & 1) == 1) {
                int wrongPort = 16384 + pick.nextInt(49152);
                switch (pick.nextInt(4)) {
                    case 0 -> fx.resolver.onDatagram(S1, 53, wrongPort == port ? port ^ 1 : wrongPort, goodDirty, DIRTY_OFFSET, good.length, fx.now);
                    case 1 -> fx.resolver.onDatagram(S2, 53, port, goodDirty, DIRTY_OFFSET, good.length, fx.now);
                    case 2 -> fx.resolver.onDatagram(S1, 5353, port, goodDirty, DIRTY_OFFSET, good.length, fx.now);
                    default -> fx.resolver.onDatagram(S1, 53, port, otherNameDirty, DIRTY_OFFSET, otherName.length, fx.now);
                }
                continue;
            }
            switch (pick.nextInt(6)) {
                case 0 -> {
                    int wrong = (id + 1 + pick.nextInt(65535)) & 0xFFFF;
                    forgedId[0] = (byte) (wrong >>> 8);
                    forgedId[1] = (byte) wrong;
                    fx.resolver.onDatagram(S1, 53, port, forgedId, 0, forgedId.length, fx.now);
                }
                case 1 -> {
                    int wrongPort = 16384 + pick.nextInt(49152);
                    fx.resolver.onDatagram(S1, 53, wrongPort == port ? port ^ 1 : wrongPort, good, 0, good.length, fx.now);
                }
                case 2 -> fx.resolver.onDatagram(S1, 1 + pick.nextInt(52), port, good, 0, good.length, fx.now);
                case 3 -> fx.resolver.onDatagram(pick.nextInt() | 1, 53, port, good, 0, good.length, fx.now);
                case 4 -> fx.resolver.onDatagram(S1, 53, port, otherName, 0, otherName.length, fx.now);
                default -> fx.resolver.onDatagram(S1, 53, port, pick.nextInt(2) == 0 ? otherType : otherClass, 0, otherType.length, fx.now);
            }
        }
        assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(h), fx.why());
        assertEquals(0, fx.counter("reply.accepted"), fx.why());
        long dropped = fx.counter("reply.drop.id") + fx.counter("reply.drop.port") + fx.counter("reply.drop.source")
            + fx.counter("reply.drop.question");
        assertEquals(n, dropped, fx.why());
        fx.deliver(answer(id, "example.com", 300, ADDR));
        assertEquals(ADDR, fx.resolver.address(h));
        assertEquals(1, fx.counter("reply.accepted"));
    }

    /**
     * A crude mutation fuzz (fixed seed): genuine replies of several shapes (A, CNAME chain,
     * NXDOMAIN with SOA) with random byte changes and truncations, each delivered to a pending
     * query. Nothing may throw; the query ends pending, done from the server, or failed with a
     * defined error; a port stays bound exactly while the query is pending.
     */
    @Test
    void mutatedRepliesNeverThrowAndLeaveAConsistentState() {
        long seed = 0xF0220DL;
        Prng p = new Prng(seed);
        Fixture fx = new Fixture(seed);
        int h = fx.resolveAndSend("example.com");
        int accepted = 0;
        for (int iter = 0; iter < 100_000; iter++) {
            int id = fx.net.lastId();
            byte[] asked = java.util.Arrays.copyOfRange(fx.net.last, 12, fx.net.lastLength - 15);
            // example.com, or a (possibly mutated) CNAME target being followed: echo it byte for byte
            byte[] m = switch (iter % 3) {
                case 0 -> new Msg().header(id, QR_RD_RA, 1, 1, 0, 0).raw(asked).u16(1).u16(1)
                    .ptr(12).rrTail(1, 1, 300, 4).a(ADDR).bytes();
                case 1 -> chain(2, false).apply(id);
                default -> {
                    Msg x = new Msg().header(id, 0x8183, 1, 0, 1, 0).raw(asked).u16(1).u16(1);
                    x.name("example.com").rrTail(6, 1, 600, 0);
                    int rd = x.pos();
                    x.name("ns.example.com").name("h.example.com").u32(1).u32(2).u32(3).u32(4).u32(60);
                    yield x.set16(rd - 2, x.pos() - rd).bytes();
                }
            };
            int flips = 1 + p.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = 12 + p.nextInt(m.length - 12); // keep the header's ID so the body gets parsed
                m[at] = (byte) (p.nextInt(4) == 0 ? 0xC0 : p.nextInt(256));
            }
            int len = p.nextInt(5) == 0 ? p.nextInt(m.length + 1) : m.length;
            byte[] buf = p.nextInt(2) == 0 ? m : previousTail(java.util.Arrays.copyOf(m, len), answer(id, "example.com", 300, ADDR2));
            int off = buf == m ? 0 : DIRTY_OFFSET;
            try {
                fx.deliverAt(buf, off, len);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + iter + ": " + java.util.HexFormat.of().formatHex(m, 0, len), e);
            }
            fx.resolver.poll(fx.now); // a CNAME follow-up or an error code's next try goes out
            int st = fx.resolver.state(h);
            assertTrue(st == DnsResolver.STATE_PENDING || st == DnsResolver.STATE_DONE || st == DnsResolver.STATE_FAILED);
            assertEquals(st == DnsResolver.STATE_PENDING ? 1 : 0, fx.net.boundCount(), "seed " + seed + " iteration " + iter);
            if (st == DnsResolver.STATE_DONE) {
                assertEquals(DnsResolver.SOURCE_SERVER, fx.resolver.source(h));
            }
            if (st != DnsResolver.STATE_PENDING) {
                accepted++;
                fx.resolver.release(h);
                fx.cache.clear();
                h = fx.resolveAndSend("example.com");
            }
        }
        assertTrue(accepted > 1000 && fx.counter("reply.drop.malformed") > 1000, fx.resolver.describe(h) + " asking " + DnsName.toString(fx.net.last, 12) + " bound " + fx.net.boundCount() + " " + fx.why());
    }

    @Test
    void d24TtlClamped() {
        long[][] cases = {{0, 0}, {1, 1}, {0x7FFF_FFFFL, 86_400}, {0xFFFF_FFFFL, 0}, {0x8000_0000L, 0}, {86_401, 86_400}};
        for (long[] c : cases) {
            Outcome o = check("D24 " + c[0], id -> answer(id, "example.com", c[0], ADDR));
            assertEquals(ADDR, o.address);
            Fixture fx = new Fixture(SEED);
            int h = fx.resolveAndSend("example.com");
            fx.deliver(answer(fx.net.lastId(), "example.com", c[0], ADDR));
            assertEquals(c[1], fx.resolver.ttlSeconds(h), "TTL " + c[0]);
            fx.resolver.release(h);
            int sends = fx.net.sends;
            // just before expiry: a cache hit; at expiry: a new query
            if (c[1] > 0) {
                fx.now += c[1] * S - 1;
                int hit = fx.resolver.resolve("example.com", fx.now);
                assertEquals(DnsResolver.SOURCE_CACHE, fx.resolver.source(hit), "TTL " + c[0]);
                fx.resolver.release(hit);
                fx.now += 1;
            }
            int miss = fx.resolveAndSend("example.com");
            assertEquals(DnsResolver.STATE_PENDING, fx.resolver.state(miss), "TTL " + c[0] + " expired");
            assertEquals(sends + 1, fx.net.sends);
        }
    }
}
