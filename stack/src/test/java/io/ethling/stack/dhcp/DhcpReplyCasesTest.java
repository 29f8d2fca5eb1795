package io.ethling.stack.dhcp;

import io.ethling.hal.Counters;
import io.ethling.stack.dhcp.DhcpTestKit.Reply;
import io.ethling.stack.dhcp.DhcpTestKit.Sim;
import org.junit.jupiter.api.Test;

import static io.ethling.stack.dhcp.DhcpClient.*;
import static io.ethling.stack.dhcp.DhcpTestKit.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RELIABILITY.md §1.3 H1–H13 against the client, each run clean and as a dirty-buffer run
 * (§0.2(6)); both runs must end in the same observable outcome.
 */
class DhcpReplyCasesTest {

    private static final long SEED = 0x5EED_D4C9L;

    interface Case {
        void run(Sim sim, boolean dirty);
    }

    /** Runs {@code c} on two fresh clients with the same seed, clean and dirty; the outcomes must match. */
    private static void cleanAndDirty(String id, Case c) {
        Sim clean = new Sim(SEED);
        c.run(clean, false);
        Sim dirty = new Sim(SEED);
        c.run(dirty, true);
        assertEquals(clean.snapshot(), dirty.snapshot(), id + ": dirty-buffer run differs (seed " + SEED + ")");
    }

    /** SELECTING, with the DISCOVER sent and the scripted server silent (the test answers). */
    private static Sim selecting(Sim sim) {
        sim.server.online = false;
        sim.start();
        sim.runUntil(0);
        assertEquals(DhcpState.SELECTING, sim.client.state(), "seed " + sim.seed);
        assertEquals(1, sim.transport.count);
        return sim;
    }

    private static Sim requesting(Sim sim) {
        selecting(sim);
        sim.deliver(Reply.standard(2, sim.client.xid(), YIADDR, SERVER, 3600).end().build(), false);
        assertEquals(DhcpState.REQUESTING, sim.client.state());
        assertEquals(2, sim.transport.count);
        return sim;
    }

    private static Sim bound(Sim sim) {
        requesting(sim);
        sim.deliver(Reply.standard(5, sim.client.xid(), YIADDR, SERVER, 3600).end().build(), false);
        sim.runFor(5 * S);
        assertEquals(DhcpState.BOUND, sim.client.state(), "seed " + sim.seed);
        return sim;
    }

    /** Delivers {@code msg} and checks the standard "dropped" outcome: only rx and {@code counter} moved. */
    private static void assertDropped(Sim sim, byte[] msg, boolean dirty, int counter, String what) {
        Counters c = sim.client.counters();
        long[] before = new long[c.size()];
        for (int i = 0; i < before.length; i++) {
            before[i] = c.value(i);
        }
        DhcpState state = sim.client.state();
        int sends = sim.transport.count;
        int bound = sim.listener.bound;
        int lost = sim.listener.lost;
        long pollAt = sim.client.pollAtNs(sim.now());
        int xid = sim.client.xid();
        sim.deliver(msg, dirty);
        for (int i = 0; i < before.length; i++) {
            long expected = before[i] + (i == counter || i == C_RX ? 1 : 0);
            assertEquals(expected, c.value(i), what + ": counter " + c.name(i) + " (seed " + sim.seed + ")");
        }
        assertEquals(state, sim.client.state(), what + ": state changed");
        assertEquals(sends, sim.transport.count, what + ": something was sent");
        assertEquals(bound, sim.listener.bound, what);
        assertEquals(lost, sim.listener.lost, what);
        assertEquals(pollAt, sim.client.pollAtNs(sim.now()), what + ": timers changed");
        assertEquals(xid, sim.client.xid(), what);
    }

    @Test
    void h1OptionLengthOverrunningThePacketIsRejected() {
        cleanAndDirty("H1", (sim, dirty) -> {
            selecting(sim);
            // option 6 with length 255 and only 10 bytes left in the packet
            byte[] m = Reply.standard(2, sim.client.xid(), YIADDR, SERVER, 3600).raw(6, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).build();
            assertDropped(sim, m, dirty, C_DROP_OPTIONS, "H1 len 255");
            // a code as the last byte, with no room for its length
            byte[] m2 = Reply.standard(2, sim.client.xid(), YIADDR, SERVER, 3600).raw(3).build();
            assertDropped(sim, m2, dirty, C_DROP_OPTIONS, "H1 no length byte");
            // overrun by exactly one byte
            byte[] m3 = Reply.standard(2, sim.client.xid(), YIADDR, SERVER, 3600).raw(12, 4, 'a', 'b', 'c').build();
            assertDropped(sim, m3, dirty, C_DROP_OPTIONS, "H1 one short");
        });
    }

    @Test
    void h2NoEndOptionWalksToThePacketEnd() {
        cleanAndDirty("H2", (sim, dirty) -> {
            selecting(sim);
            // required options missing and no end: the tail (a valid ACK image in the dirty run) must not be read
            byte[] noServerId = new Reply(2, sim.client.xid(), YIADDR).opt32(1, MASK).build();
            assertDropped(sim, noServerId, dirty, C_DROP_OPTIONS, "H2 without server id");
            byte[] noType = new Reply(0, sim.client.xid(), YIADDR).opt32(54, SERVER).build();
            assertDropped(sim, noType, dirty, C_DROP_TYPE, "H2 without type");
            // everything required present, no end option: accepted
            byte[] offer = Reply.standard(2, sim.client.xid(), YIADDR, SERVER, 3600).build();
            sim.deliver(offer, dirty);
            assertEquals(DhcpState.REQUESTING, sim.client.state());
            assertEquals(1, sim.counter(C_OFFERS));
            // a NAK without end option from the selected server is accepted too (lwIP test_dhcp_nak_no_endmarker)
            byte[] nak = new Reply(6, sim.client.xid(), 0).opt32(54, SERVER).build();
            sim.deliver(nak, dirty);
            assertEquals(1, sim.counter(C_NAKS));
            assertEquals(DhcpState.SELECTING, sim.client.state());   // INIT fired at once: a new DISCOVER
            assertEquals(3, sim.transport.count);
        });
    }

    @Test
    void h3OverloadIsBoundedAndInvalidValuesRejected() {
        cleanAndDirty("H3", (sim, dirty) -> {
            selecting(sim);
            int xid = sim.client.xid();
            for (int v : new int[] {0, 4, 7, 255}) {
                byte[] m = Reply.standard(2, xid, YIADDR, SERVER, 3600).opt(52, v).end().build();
                assertDropped(sim, m, dirty, C_DROP_OPTIONS, "H3 overload " + v);
            }
            byte[] badLength = Reply.standard(2, xid, YIADDR, SERVER, 3600).opt(52, 1, 1).end().build();
            assertDropped(sim, badLength, dirty, C_DROP_OPTIONS, "H3 overload length 2");
            // value 3 with sname/file full of garbage: 0xC6 is an unknown code whose length 0xC6 overruns 'file'
            Reply garbage = Reply.standard(2, xid, YIADDR, SERVER, 3600).opt(52, 3).end();
            for (int i = 44; i < 236; i++) {
                garbage.field8(i, 0xC6);
            }
            assertDropped(sim, garbage.build(), dirty, C_DROP_OPTIONS, "H3 garbage sname/file");
            // value 1 with well-formed options in 'file' (and garbage in 'sname', which is not walked): used
            Reply good = new Reply(2, xid, YIADDR).opt32(54, SERVER).opt(52, 1).end();
            for (int i = 44; i < 108; i++) {
                good.field8(i, 0xC6);
            }
            good.field8(108, 1).field8(109, 4).field32(110, ip("255.255.0.0"))
                .field8(114, 3).field8(115, 4).field32(116, ip("203.0.200.1")).field8(120, 255);
            sim.deliver(good.build(), dirty);
            assertEquals(DhcpState.REQUESTING, sim.client.state(), "router 203.0.200.1 is only inside the /16 from 'file'");
        });
    }

    @Test
    void h4FirstMessageTypeWinsAndSplitOptionsAreNotJoined() {
        cleanAndDirty("H4", (sim, dirty) -> {
            selecting(sim);
            // ACK first, OFFER second: an ACK while selecting is not expected -> dropped by state
            byte[] ackFirst = new Reply(5, sim.client.xid(), YIADDR).opt(53, 2).opt32(54, SERVER).opt32(51, 3600).end().build();
            assertDropped(sim, ackFirst, dirty, C_DROP_STATE, "H4 ACK then OFFER");
            // OFFER first, ACK second: taken as an offer
            byte[] offerFirst = new Reply(2, sim.client.xid(), YIADDR).opt(53, 5).opt32(54, SERVER).opt32(51, 3600).end().build();
            sim.deliver(offerFirst, dirty);
            assertEquals(1, sim.counter(C_OFFERS));
            assertEquals(DhcpState.REQUESTING, sim.client.state());
            // the ACK splits its DNS list in two option-6 instances (RFC 3396): only the first part counts
            byte[] ack = new Reply(5, sim.client.xid(), YIADDR).opt32(54, SERVER).opt32(1, MASK).opt32(51, 3600)
                .opt32(6, DNS1).opt32(6, DNS2).end().build();
            sim.deliver(ack, dirty);
            sim.runFor(5 * S);
            assertEquals(DhcpState.BOUND, sim.client.state());
            assertEquals(1, sim.client.dnsCount());
            assertEquals(DNS1, sim.client.dnsServer(0));
        });
    }

    @Test
    void h5WrongXidChaddrOpHardwareOrCookieIsIgnored() {
        cleanAndDirty("H5", (sim, dirty) -> {
            selecting(sim);
            int xid = sim.client.xid();
            assertDropped(sim, Reply.standard(2, xid + 1, YIADDR, SERVER, 3600).end().build(), dirty, C_DROP_XID, "xid");
            assertDropped(sim, Reply.standard(2, xid, YIADDR, SERVER, 3600).chaddr(MAC + 1).end().build(), dirty,
                C_DROP_CHADDR, "chaddr");
            assertDropped(sim, Reply.standard(2, xid, YIADDR, SERVER, 3600).field8(0, 1).end().build(), dirty,
                C_DROP_MALFORMED, "op 1");
            assertDropped(sim, Reply.standard(2, xid, YIADDR, SERVER, 3600).field8(1, 6).end().build(), dirty,
                C_DROP_MALFORMED, "htype 6");
            assertDropped(sim, Reply.standard(2, xid, YIADDR, SERVER, 3600).field8(2, 16).end().build(), dirty,
                C_DROP_MALFORMED, "hlen 16");
            assertDropped(sim, Reply.standard(2, xid, YIADDR, SERVER, 3600).field32(236, 0x63825364).end().build(), dirty,
                C_DROP_MALFORMED, "cookie");
            byte[] full = Reply.standard(2, xid, YIADDR, SERVER, 3600).end().build();
            for (int len : new int[] {0, 1, 235, 236, 239}) {
                assertDropped(sim, java.util.Arrays.copyOf(full, len), dirty, C_DROP_MALFORMED, "truncated to " + len);
            }
            // a reply from a port other than 67
            int rx = (int) sim.counter(C_RX);
            sim.client.onDatagram(SERVER, 68, full, 0, full.length, sim.now());
            assertEquals(1, sim.counter(C_DROP_PORT));
            assertEquals(rx + 1, sim.counter(C_RX));
            assertEquals(DhcpState.SELECTING, sim.client.state());
        });
    }

    @Test
    void h6MissingOrUnknownMessageTypeIsIgnored() {
        cleanAndDirty("H6", (sim, dirty) -> {
            selecting(sim);
            int xid = sim.client.xid();
            assertDropped(sim, Reply.standard(0, xid, YIADDR, SERVER, 3600).end().build(), dirty, C_DROP_TYPE, "missing");
            for (int t : new int[] {0, 1, 3, 4, 7, 8, 9, 200}) {
                assertDropped(sim, Reply.standard(t, xid, YIADDR, SERVER, 3600).end().build(), dirty, C_DROP_TYPE, "type " + t);
            }
            assertDropped(sim, Reply.standard(0, xid, YIADDR, SERVER, 3600).opt(53, 2, 2).end().build(), dirty,
                C_DROP_OPTIONS, "type with length 2");
        });
    }

    @Test
    void h7InsaneOffersAreRejected() {
        cleanAndDirty("H7", (sim, dirty) -> {
            selecting(sim);
            int xid = sim.client.xid();
            int[] badYiaddr = {0, -1, ip("224.0.0.5"), ip("239.1.2.3"), ip("240.0.0.1"), ip("127.0.0.1"),
                ip("0.1.2.3"), ip("203.0.113.0"), ip("203.0.113.255"), ROUTER};
            for (int y : badYiaddr) {
                assertDropped(sim, Reply.standard(2, xid, y, SERVER, 3600).end().build(), dirty, C_DROP_SANITY,
                    "yiaddr " + fmt(y));
            }
            int[] badMasks = {ip("255.0.255.0"), ip("255.255.255.1"), 0, ip("0.255.255.255")};
            for (int mask : badMasks) {
                byte[] m = new Reply(2, xid, YIADDR).opt32(54, SERVER).opt32(1, mask).opt32(51, 3600).end().build();
                assertDropped(sim, m, dirty, C_DROP_SANITY, "mask " + fmt(mask));
            }
            int[] badRouters = {ip("198.51.100.1"), ip("203.0.114.1"), YIADDR, 0, -1, ip("203.0.113.255"),
                ip("224.0.0.1")};
            for (int r : badRouters) {
                byte[] m = new Reply(2, xid, YIADDR).opt32(54, SERVER).opt32(1, MASK).opt32(3, r).opt32(51, 3600).end().build();
                assertDropped(sim, m, dirty, C_DROP_SANITY, "router " + fmt(r));
            }
            assertDropped(sim, Reply.standard(2, xid, YIADDR, SERVER, 0).end().build(), dirty, C_DROP_SANITY, "lease 0");
            assertDropped(sim, Reply.standard(2, xid, YIADDR, 0, 3600).end().build(), dirty, C_DROP_SANITY, "server id 0");
            // a router only inside a /8 given by the classful default when the mask is absent: accepted
            byte[] noMask = new Reply(2, xid, ip("10.1.2.3")).opt32(54, SERVER).opt32(3, ip("10.200.0.1")).end().build();
            sim.deliver(noMask, dirty);
            assertEquals(DhcpState.REQUESTING, sim.client.state());
        });
    }

    @Test
    void h7AbsurdLeaseAndTimesAreClampedAndSanitised() {
        long year = 365L * 24 * 3600 * S;
        cleanAndDirty("H7 infinite", (sim, dirty) -> {
            requesting(sim);
            byte[] ack = Reply.standard(5, sim.client.xid(), YIADDR, SERVER, 0xFFFF_FFFFL).opt32(58, 7200).opt32(59, 3600)
                .end().build();
            long requestAt = sim.transport.timeNs[sim.transport.index(1)];
            sim.deliver(ack, dirty);
            sim.runFor(5 * S);
            assertEquals(DhcpState.BOUND, sim.client.state());
            assertEquals(requestAt + year, sim.client.leaseEndNs(), "infinity is clamped to a year");
            assertEquals(requestAt + year / 2, sim.client.renewAtNs(), "T1 > T2: defaults");
            assertEquals(requestAt + year - year / 8, sim.client.rebindAtNs());
            assertEquals(1, sim.counter(C_LEASE_CLAMPED));
            assertEquals(1, sim.counter(C_TIMES_SANITISED));
        });
        cleanAndDirty("H7 short", (sim, dirty) -> {
            requesting(sim);
            sim.prober.probeNs = S;
            long requestAt = sim.transport.timeNs[sim.transport.index(1)];
            byte[] ack = Reply.standard(5, sim.client.xid(), YIADDR, SERVER, 5).opt32(58, 2).opt32(59, 4).end().build();
            sim.deliver(ack, dirty);
            sim.runFor(1500_000_000L);
            assertEquals(DhcpState.BOUND, sim.client.state());
            assertEquals(requestAt + 60 * S, sim.client.leaseEndNs(), "5 s raised to the 60 s floor");
            // T1=2 s, T2=4 s satisfy T1 < T2 < 60 s after clamping, so they are kept
            assertEquals(requestAt + 2 * S, sim.client.renewAtNs());
            assertEquals(requestAt + 4 * S, sim.client.rebindAtNs());
        });
        cleanAndDirty("H7 T2 beyond lease", (sim, dirty) -> {
            requesting(sim);
            long requestAt = sim.transport.timeNs[sim.transport.index(1)];
            byte[] ack = Reply.standard(5, sim.client.xid(), YIADDR, SERVER, 3600).opt32(58, 1000).opt32(59, 4000)
                .end().build();
            sim.deliver(ack, dirty);
            sim.runFor(4 * S);
            assertEquals(requestAt + 1800 * S, sim.client.renewAtNs());
            assertEquals(requestAt + 3150 * S, sim.client.rebindAtNs());
            assertEquals(1, sim.counter(C_TIMES_SANITISED));
        });
        cleanAndDirty("H7 valid T1/T2 kept", (sim, dirty) -> {
            requesting(sim);
            long requestAt = sim.transport.timeNs[sim.transport.index(1)];
            byte[] ack = Reply.standard(5, sim.client.xid(), YIADDR, SERVER, 3600).opt32(58, 600).opt32(59, 3000)
                .end().build();
            sim.deliver(ack, dirty);
            sim.runFor(4 * S);
            assertEquals(requestAt + 600 * S, sim.client.renewAtNs());
            assertEquals(requestAt + 3000 * S, sim.client.rebindAtNs());
            assertEquals(0, sim.counter(C_TIMES_SANITISED));
            assertEquals(0, sim.counter(C_LEASE_CLAMPED));
        });
        cleanAndDirty("H7 ACK without lease", (sim, dirty) -> {
            requesting(sim);
            byte[] ack = new Reply(5, sim.client.xid(), YIADDR).opt32(54, SERVER).opt32(1, MASK).end().build();
            assertDropped(sim, ack, dirty, C_DROP_OPTIONS, "ACK without lease time");
        });
    }

    @Test
    void h8DomainSearchWithCompressionPointersIsSkipped() {
        cleanAndDirty("H8", (sim, dirty) -> {
            requesting(sim);
            // option 119: a label then a pointer to itself, and a pointer out of range
            byte[] ack = Reply.standard(5, sim.client.xid(), YIADDR, SERVER, 3600)
                .opt(119, 3, 'l', 'a', 'n', 0xC0, 0x00, 0xC0, 0xFF).end().build();
            sim.deliver(ack, dirty);
            sim.runFor(4 * S);
            assertEquals(DhcpState.BOUND, sim.client.state());
            assertEquals(1, sim.counter(C_ACKS));
        });
    }

    @Test
    void h9DnsServerListsAreTrimmed() {
        int[][] cases = {
            {},                                                    // length 0: none
            {203, 0, 113, 53, 1, 2},                               // 6: one address
            {203, 0, 113, 53, 203, 0, 113},                        // 7: one address
        };
        int[] expectedCounts = {0, 1, 1};
        for (int k = 0; k < cases.length; k++) {
            int[] body = cases[k];
            int expected = expectedCounts[k];
            cleanAndDirty("H9 length " + body.length, (sim, dirty) -> {
                requesting(sim);
                byte[] ack = new Reply(5, sim.client.xid(), YIADDR).opt32(54, SERVER).opt32(1, MASK).opt32(51, 3600)
                    .opt(6, body).end().build();
                sim.deliver(ack, dirty);
                sim.runFor(4 * S);
                assertEquals(DhcpState.BOUND, sim.client.state());
                assertEquals(expected, sim.client.dnsCount());
                assertEquals(expected, sim.listener.lastDnsCount);
                if (expected > 0) {
                    assertEquals(DNS1, sim.client.dnsServer(0));
                }
            });
        }
        cleanAndDirty("H9 ten servers", (sim, dirty) -> {
            requesting(sim);
            int[] ten = new int[40];
            for (int i = 0; i < 10; i++) {
                ten[4 * i] = 203;
                ten[4 * i + 2] = 113;
                ten[4 * i + 3] = 10 + i;
            }
            ten[4] = 0;                                           // the second one is 0.0.113.11: skipped
            byte[] ack = new Reply(5, sim.client.xid(), YIADDR).opt32(54, SERVER).opt32(1, MASK).opt32(51, 3600)
                .opt(6, ten).end().build();
            sim.deliver(ack, dirty);
            sim.runFor(4 * S);
            assertEquals(2, sim.client.dnsCount(), "first 3 kept, one of them invalid");
            assertEquals(ip("203.0.113.10"), sim.client.dnsServer(0));
            assertEquals(ip("203.0.113.12"), sim.client.dnsServer(1));
        });
    }

    @Test
    void h10ConflictingAddressIsDeclinedThenRetriedAfterTenSeconds() {
        cleanAndDirty("H10", (sim, dirty) -> {
            requesting(sim);
            sim.prober.conflictIp = YIADDR;
            int xid = sim.client.xid();
            sim.deliver(Reply.standard(5, xid, YIADDR, SERVER, 3600).end().build(), dirty);
            assertEquals(DhcpState.CHECKING, sim.client.state());
            assertEquals(1, sim.prober.starts);
            assertEquals(YIADDR, sim.prober.lastProbeIp);
            long conflictAt = sim.prober.startedNs + sim.prober.probeNs;
            sim.runUntil(conflictAt + CHECK_POLL_NS);
            assertEquals(DhcpState.INIT, sim.client.state());
            assertEquals(3, sim.transport.count);
            int d = sim.transport.index(2);
            assertEquals(DhcpMessage.DHCPDECLINE, sim.transport.type[d]);
            assertEquals(0, sim.transport.src[d]);
            assertEquals(BROADCAST, sim.transport.dst[d]);
            byte[] m = sim.transport.lastCopy();
            assertEquals(0, u32(m, 12), "DECLINE ciaddr 0");
            assertEquals(YIADDR, u32(m, findOption(m, 0, m.length, 50)));
            assertEquals(SERVER, u32(m, findOption(m, 0, m.length, 54)));
            assertEquals(-1, findOption(m, 0, m.length, 55), "no parameter list in DECLINE (RFC 2131 Table 5)");
            assertEquals(0, sim.listener.bound);
            assertEquals(0, sim.listener.lost);
            assertEquals(1, sim.counter(C_DECLINES));
            sim.runFor(30 * S);
            int n = sim.transport.index(3);
            assertEquals(DhcpMessage.DHCPDISCOVER, sim.transport.type[n]);
            assertTrue(sim.transport.timeNs[n] - sim.transport.timeNs[d] >= 10 * S, "restart after >= 10 s");
            byte[] discover = sim.transport.lastCopy();
            assertEquals(-1, findOption(discover, 0, discover.length, 50), "the declined address is not asked for again");
        });
    }

    @Test
    void h11OfferAndNakFloodFromSeveralServers() {
        cleanAndDirty("H11", (sim, dirty) -> {
            selecting(sim);
            int xid = sim.client.xid();
            // the first offer is insane (router off-subnet): skipped; the first valid one wins
            sim.deliver(new Reply(2, xid, YIADDR).opt32(54, SERVER2).opt32(1, MASK).opt32(3, ip("198.51.100.1")).end().build(), dirty);
            sim.deliver(Reply.standard(2, xid, ip("203.0.113.77"), SERVER2, 3600).end().build(), dirty);
            assertEquals(DhcpState.REQUESTING, sim.client.state());
            long cpuStart = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                int server = ip("203.0.113.1") + (i % 5);
                byte[] offer = Reply.standard(2, xid, YIADDR + i, server, 3600).end().build();
                sim.client.onDatagram(server, 67, offer, 0, offer.length, sim.now());
                byte[] nak = new Reply(6, xid, 0).opt32(54, server == SERVER2 ? SERVER : server).end().build();
                sim.client.onDatagram(server, 67, nak, 0, nak.length, sim.now());
                sim.client.poll(sim.now());
            }
            long cpuNs = System.nanoTime() - cpuStart;
            assertTrue(cpuNs < 2_000_000_000L, "200 replies took " + cpuNs + " ns");
            assertEquals(DhcpState.REQUESTING, sim.client.state());
            assertEquals(1, sim.counter(C_OFFERS));
            assertEquals(0, sim.counter(C_NAKS), "NAKs from other servers are not counted");
            assertEquals(100, sim.counter(C_DROP_SERVER));
            byte[] req = sim.transport.lastCopy();
            assertEquals(SERVER2, u32(req, findOption(req, 0, req.length, 54)), "REQUEST names the first valid server");
            assertEquals(ip("203.0.113.77"), u32(req, findOption(req, 0, req.length, 50)));
            // an ACK from another server is ignored as well; the selected server's NAK counts
            assertDropped(sim, Reply.standard(5, xid, ip("203.0.113.77"), SERVER, 3600).end().build(), dirty,
                C_DROP_SERVER, "ACK from another server");
            sim.deliver(new Reply(6, xid, 0).opt32(54, SERVER2).end().build(), dirty);
            assertEquals(1, sim.counter(C_NAKS));
        });
    }

    @Test
    void h12RetransmissionsAtFourEightSixteenThirtyTwoSixtyFourSeconds() {
        long[] bases = {4, 8, 16, 32, 64, 4, 8};
        long jitterSum = 0;
        boolean jitterVaries = false;
        long firstJitter = Long.MIN_VALUE;
        for (long seed = 1; seed <= 40; seed++) {
            Sim sim = new Sim(seed);
            sim.server.online = false;
            sim.start();
            sim.runUntil(300 * S);
            assertTrue(sim.transport.count >= bases.length + 1, "seed " + seed);
            int firstXid = sim.transport.xid[0];
            for (int i = 0; i < bases.length; i++) {
                long gap = sim.transport.timeNs[i + 1] - sim.transport.timeNs[i];
                long jitter = gap - bases[i] * S;
                assertTrue(Math.abs(jitter) <= S, "seed " + seed + " gap " + i + " = " + gap + " ns, expected "
                    + bases[i] + " s +- 1 s");
                jitterSum += jitter;
                if (firstJitter == Long.MIN_VALUE) {
                    firstJitter = jitter;
                } else if (jitter != firstJitter) {
                    jitterVaries = true;
                }
                assertEquals(DhcpMessage.DHCPDISCOVER, sim.transport.type[i]);
                assertEquals(i < 5 ? firstXid : sim.transport.xid[5], sim.transport.xid[i],
                    "retransmissions keep the xid, the restart takes a new one (seed " + seed + ")");
            }
            assertTrue(sim.transport.xid[5] != firstXid, "seed " + seed);
            assertTrue(sim.counter(C_DISCOVER_RESTARTS) >= 1, "seed " + seed);
            assertEquals(sim.transport.count - 1 - sim.counter(C_DISCOVER_RESTARTS), sim.counter(C_RETRANSMITS),
                "seed " + seed);
        }
        assertTrue(jitterVaries, "the ±1 s is random");
        assertTrue(Math.abs(jitterSum / (40 * bases.length)) < 300_000_000L, "jitter centred on 0: " + jitterSum);
    }

    @Test
    void h12RequestingGivesUpAfterTheLastRetransmission() {
        Sim sim = requesting(new Sim(SEED));
        long first = sim.transport.timeNs[1];
        sim.runUntil(first + 130 * S);
        assertEquals(DhcpMessage.DHCPREQUEST, sim.transport.type[5]);
        assertEquals(DhcpMessage.DHCPDISCOVER, sim.transport.type[6], "back to INIT after 4+8+16+32+64 s");
        long waited = sim.transport.timeNs[6] - first;
        assertTrue(waited >= 119 * S && waited <= 129 * S, "gave up after " + waited);
    }

    @Test
    void h13LongHostnameAndDomainWithoutNulAreBounded() {
        cleanAndDirty("H13", (sim, dirty) -> {
            requesting(sim);
            int[] name = new int[255];
            for (int i = 0; i < name.length; i++) {
                name[i] = 'a' + (i % 26);
            }
            byte[] ack = Reply.standard(5, sim.client.xid(), YIADDR, SERVER, 3600).opt(12, name).opt(15, name).end().build();
            sim.deliver(ack, dirty);
            sim.runFor(4 * S);
            assertEquals(DhcpState.BOUND, sim.client.state());
            byte[] out = new byte[300];
            int n = sim.client.domainName(out, 0);
            assertEquals(DhcpRepr.NAME_CAPACITY, n);
            byte[] expected = new byte[n];
            for (int i = 0; i < n; i++) {
                expected[i] = (byte) name[i];
            }
            assertArrayEquals(expected, java.util.Arrays.copyOf(out, n));
        });
        cleanAndDirty("H13 NUL inside", (sim, dirty) -> {
            requesting(sim);
            byte[] ack = Reply.standard(5, sim.client.xid(), YIADDR, SERVER, 3600).opt(15, 'l', 'a', 'n', 0, 'x').end().build();
            sim.deliver(ack, dirty);
            sim.runFor(4 * S);
            byte[] out = new byte[8];
            assertEquals(3, sim.client.domainName(out, 0));
        });
    }

    @Test
    void repliesWhileNoExchangeIsRunningAreDropped() {
        cleanAndDirty("idle", (sim, dirty) -> {
            bound(sim);
            assertDropped(sim, Reply.standard(5, sim.client.xid(), YIADDR, SERVER, 3600).end().build(), dirty,
                C_DROP_STATE, "ACK while BOUND");
            assertDropped(sim, Reply.standard(6, sim.client.xid(), 0, SERVER, 3600).end().build(), dirty,
                C_DROP_STATE, "NAK while BOUND");
        });
    }
}
