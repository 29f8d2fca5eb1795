package io.ethling.stack.dhcp;

import io.ethling.stack.dhcp.DhcpTestKit.Sim;
import org.junit.jupiter.api.Test;

import static io.ethling.stack.dhcp.DhcpClient.*;
import static io.ethling.stack.dhcp.DhcpTestKit.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's state machine on a virtual clock against the scripted server (RFC 2131 §4.4). */
class DhcpLeaseTest {

    private static final long SEED = 20261121L;
    private static final long HOUR = 3600 * S;
    private static final long DAY = 24 * HOUR;

    private static Sim boundSim(long seed) {
        Sim sim = new Sim(seed);
        sim.start();
        sim.runFor(10 * S);
        assertEquals(DhcpState.BOUND, sim.client.state(), "seed " + seed);
        return sim;
    }

    @Test
    void fullExchangeBindsWithTheServersParameters() {
        Sim sim = new Sim(SEED);
        sim.start();
        sim.runFor(10 * S);
        assertEquals(DhcpState.BOUND, sim.client.state());
        assertEquals(2, sim.transport.count, "DISCOVER, REQUEST (seed " + SEED + ")");
        FakeCheck.sends(sim, DhcpMessage.DHCPDISCOVER, DhcpMessage.DHCPREQUEST);
        assertEquals(sim.transport.xid[0], sim.transport.xid[1], "REQUEST carries the OFFER's xid (RFC 2131 §4.4.1)");
        assertEquals(1, sim.listener.bound);
        assertEquals(YIADDR, sim.listener.lastIp);
        assertEquals(MASK, sim.listener.lastMask);
        assertEquals(ROUTER, sim.listener.lastRouter);
        assertEquals(2, sim.listener.lastDnsCount);
        assertEquals(DNS1, sim.listener.lastDns[0]);
        assertEquals(DNS2, sim.listener.lastDns[1]);
        long requestAt = sim.transport.timeNs[1];
        assertEquals(requestAt + HOUR, sim.listener.lastLeaseEndNs, "lease counts from the REQUEST (RFC 2131 §4.4.1)");
        assertEquals(requestAt + HOUR / 2, sim.client.renewAtNs());
        assertEquals(requestAt + HOUR - HOUR / 8, sim.client.rebindAtNs());
        assertEquals(1, sim.prober.starts);
        assertEquals(1, sim.prober.announces);
        assertEquals(YIADDR, sim.prober.lastAnnounceIp);
        assertTrue(sim.listener.lastBoundAtNs - sim.prober.startedNs >= sim.prober.probeNs, "bound only after the probe");
        assertEquals(sim.client.renewAtNs(), sim.client.pollAtNs(sim.now()));
        byte[] req = sim.transport.lastCopy();
        assertEquals(0, u32(req, 12), "selecting REQUEST: ciaddr 0");
        assertEquals(YIADDR, u32(req, findOption(req, 0, req.length, 50)));
        assertEquals(SERVER, u32(req, findOption(req, 0, req.length, 54)));
        assertEquals(0, sim.transport.src[1]);
        assertEquals(BROADCAST, sim.transport.dst[1]);
    }

    @Test
    void renewsAtT1UnicastAndKeepsTheAddress() {
        Sim sim = boundSim(SEED);
        long t1 = sim.client.renewAtNs();
        int before = sim.transport.count;
        sim.runUntil(t1 + S);
        assertEquals(before + 1, sim.transport.count);
        int i = sim.transport.index(before);
        assertEquals(t1, sim.transport.timeNs[i], "renewal exactly at T1");
        assertEquals(YIADDR, sim.transport.src[i]);
        assertEquals(SERVER, sim.transport.dst[i], "RENEWING is unicast to the server (RFC 2131 §4.4.5)");
        byte[] m = sim.transport.lastCopy();
        assertEquals(YIADDR, u32(m, 12), "ciaddr = our address");
        assertEquals(-1, findOption(m, 0, m.length, 50), "no requested IP in RENEWING (Table 5)");
        assertEquals(-1, findOption(m, 0, m.length, 54), "no server id in RENEWING (Table 5)");
        assertEquals(0, ((m[8] & 0xFF) << 8) | (m[9] & 0xFF), "secs counts from the start of the renewal");
        assertEquals(0, (m[10] & 0x80), "no broadcast flag once bound");
        assertEquals(DhcpState.BOUND, sim.client.state());
        assertEquals(2, sim.listener.bound, "onBound again with the extended lease");
        assertEquals(t1 + HOUR, sim.listener.lastLeaseEndNs);
        assertEquals(1, sim.counter(C_RENEWALS));
        assertEquals(0, sim.listener.lost);
        assertEquals(1, sim.prober.starts, "no new probe on renewal");
    }

    @Test
    void renewingRetransmitsAtHalfTheRemainingTimeThenRebindsThenExpires() {
        Sim sim = boundSim(SEED);
        sim.server.online = false;
        long t1 = sim.client.renewAtNs();
        long t2 = sim.client.rebindAtNs();
        long end = sim.client.leaseEndNs();
        int from = sim.transport.count;
        sim.runUntil(end + S);
        int to = sim.transport.count;
        long expectAt = t1;
        boolean rebinding = false;
        int renewing = 0;
        int rebinds = 0;
        for (int k = from; k < to; k++) {
            int i = sim.transport.index(k);
            long at = sim.transport.timeNs[i];
            if (sim.transport.type[i] == DhcpMessage.DHCPDISCOVER) {
                assertEquals(end, at, "INIT right at expiry");
                break;
            }
            if (!rebinding && at - t2 >= 0) {
                rebinding = true;
                expectAt = t2;
            }
            assertEquals(expectAt, at, "request " + (k - from) + " (seed " + SEED + ")");
            assertEquals(YIADDR, sim.transport.src[i]);
            assertEquals(rebinding ? BROADCAST : SERVER, sim.transport.dst[i]);
            if (rebinding) {
                rebinds++;
            } else {
                renewing++;
            }
            long limit = rebinding ? end : t2;
            long next = at + Math.max((limit - at) / 2, 60 * S);
            expectAt = Math.min(next, limit);
        }
        assertTrue(renewing >= 4 && rebinds >= 2, renewing + " renewing, " + rebinds + " rebinding requests");
        assertEquals(1, sim.listener.lost);
        assertEquals(end, sim.listener.lastLostAtNs, "the address is dropped exactly at expiry");
        assertEquals(YIADDR, sim.listener.lastLostIp);
        assertEquals(1, sim.counter(C_EXPIRIES));
        assertEquals(1, sim.counter(C_REBINDING_STARTED));
        assertEquals(DhcpState.SELECTING, sim.client.state());
        assertEquals(0, sim.client.ip());
        byte[] d = sim.transport.lastCopy();
        assertEquals(YIADDR, u32(d, findOption(d, 0, d.length, 50)), "DISCOVER asks for the old address again");
        assertEquals(0, sim.transport.src[sim.transport.index(sim.transport.count - 1)]);
    }

    @Test
    void nakWhileRequestingRestartsWithANewXid() {
        Sim sim = new Sim(SEED);
        sim.server.nakRequests = true;
        sim.start();
        sim.runFor(5_000_000L);                                 // OFFER at 2 ms, NAK at 4 ms
        assertEquals(DhcpState.SELECTING, sim.client.state());
        assertEquals(1, sim.counter(C_NAKS));
        assertEquals(3, sim.transport.count);
        assertEquals(DhcpMessage.DHCPDISCOVER, sim.transport.type[2]);
        assertTrue(sim.transport.xid[2] != sim.transport.xid[0], "new exchange, new xid");
        assertEquals(0, sim.listener.lost, "nothing was bound");
        // three NAKs in a row: the fourth DISCOVER waits 10 s
        sim.runFor(S);
        assertEquals(3, sim.counter(C_NAKS));
        long third = sim.transport.timeNs[sim.transport.index(sim.transport.count - 1)];
        sim.server.nakRequests = false;
        sim.runFor(20 * S);
        assertEquals(DhcpState.BOUND, sim.client.state());
        int firstAfter = 0;
        for (int k = 0; k < sim.transport.count; k++) {
            if (sim.transport.timeNs[k] > third) {
                firstAfter = k;
                break;
            }
        }
        assertTrue(sim.transport.timeNs[firstAfter] - third >= 10 * S, "back-off after repeated NAKs");
    }

    @Test
    void nakWhileRenewingDropsTheLease() {
        Sim sim = boundSim(SEED);
        sim.server.nakRequests = true;
        long t1 = sim.client.renewAtNs();
        sim.runUntil(t1 + 3_000_000L);                          // NAK at T1 + 2 ms
        assertEquals(1, sim.listener.lost);
        assertEquals(YIADDR, sim.listener.lastLostIp);
        assertEquals(t1 + 2_000_000L, sim.listener.lastLostAtNs);
        assertEquals(1, sim.counter(C_NAKS));
        assertEquals(DhcpState.SELECTING, sim.client.state());
        byte[] d = sim.transport.lastCopy();
        assertEquals(DhcpMessage.DHCPDISCOVER, messageType(d, 0, d.length));
        assertEquals(-1, findOption(d, 0, d.length, 50), "a refused address is not asked for again");
    }

    @Test
    void initRebootAfterLinkFlapConfirmsTheLease() {
        Sim sim = boundSim(SEED);
        sim.runFor(10 * 60 * S);
        sim.client.linkDown();
        assertEquals(DhcpState.LINK_DOWN, sim.client.state());
        sim.runFor(60 * S);
        int before = sim.transport.count;
        assertEquals(before, sim.transport.count, "silent while down");
        sim.client.linkUp(sim.now());
        sim.runFor(S);
        int i = sim.transport.index(before);
        assertEquals(DhcpMessage.DHCPREQUEST, sim.transport.type[i]);
        assertEquals(0, sim.transport.src[i]);
        assertEquals(BROADCAST, sim.transport.dst[i]);
        assertEquals(2, sim.server.acks, "the INIT-REBOOT REQUEST was acknowledged");
        assertEquals(DhcpState.CHECKING, sim.client.state(), "re-probing after the flap (RFC 2131 §3.2 step 4)");
        sim.runFor(5 * S);
        assertEquals(DhcpState.BOUND, sim.client.state());
        assertEquals(0, sim.listener.lost, "the address was never given up");
        assertEquals(2, sim.listener.bound);
        assertEquals(2, sim.prober.starts);
    }

    @Test
    void conflictAfterInitRebootDeclinesAndDropsTheLease() {
        Sim sim = boundSim(SEED);
        sim.client.linkDown();
        sim.prober.conflictIp = YIADDR;                         // someone took our address while we were away
        sim.client.linkUp(sim.now());
        sim.runFor(5 * S);
        assertEquals(1, sim.counter(C_DECLINES));
        assertEquals(1, sim.server.declines);
        assertEquals(1, sim.listener.lost);
        assertEquals(YIADDR, sim.listener.lastLostIp);
        assertEquals(DhcpState.INIT, sim.client.state());
        assertEquals(false, sim.client.hasLease());
    }

    @Test
    void initRebootRequestFollowsTable5() {
        Sim sim = boundSim(SEED);
        sim.server.online = false;
        sim.client.linkDown();
        sim.client.linkUp(sim.now());
        sim.runFor(S);
        assertEquals(DhcpState.REBOOTING, sim.client.state());
        byte[] m = sim.transport.lastCopy();
        assertEquals(DhcpMessage.DHCPREQUEST, messageType(m, 0, m.length));
        assertEquals(0, u32(m, 12), "ciaddr 0");
        assertEquals(YIADDR, u32(m, findOption(m, 0, m.length, 50)), "requested IP = the old address");
        assertEquals(-1, findOption(m, 0, m.length, 54), "no server id");
        assertEquals(0x80, m[10] & 0x80, "broadcast flag while unconfirmed");
    }

    @Test
    void initRebootNakDropsTheLeaseAndGoesToInit() {
        Sim sim = boundSim(SEED);
        sim.client.linkDown();
        sim.server.poolIp = ip("203.0.113.99");                 // "moved to another network"
        sim.client.linkUp(sim.now());
        sim.runFor(S);
        assertEquals(1, sim.listener.lost);
        assertEquals(YIADDR, sim.listener.lastLostIp);
        assertEquals(1, sim.counter(C_NAKS));
        sim.runFor(10 * S);
        assertEquals(DhcpState.BOUND, sim.client.state());
        assertEquals(ip("203.0.113.99"), sim.client.ip());
    }

    @Test
    void initRebootWithoutAnswerFallsBackToInitAfterItsRetries() {
        Sim sim = boundSim(SEED);
        sim.server.online = false;
        sim.client.linkDown();
        long upAt = sim.now();
        sim.client.linkUp(upAt);
        int from = sim.transport.count;
        sim.runFor(130 * S);
        long[] bases = {4, 8, 16, 32};
        for (int k = 0; k < 4; k++) {
            long gap = sim.transport.timeNs[from + k + 1] - sim.transport.timeNs[from + k];
            assertTrue(Math.abs(gap - bases[k] * S) <= S, "gap " + k + ": " + gap);
            assertEquals(DhcpMessage.DHCPREQUEST, sim.transport.type[from + k]);
        }
        assertEquals(DhcpMessage.DHCPREQUEST, sim.transport.type[from + 4]);
        assertEquals(DhcpMessage.DHCPDISCOVER, sim.transport.type[from + 5]);
        long gave = sim.transport.timeNs[from + 5] - sim.transport.timeNs[from + 4];
        assertTrue(Math.abs(gave - 64 * S) <= S, "last wait " + gave);
        assertEquals(1, sim.listener.lost);
        assertEquals(sim.transport.timeNs[from + 5], sim.listener.lastLostAtNs);
        assertEquals(1, sim.counter(C_REBOOT_FAILED));
    }

    @Test
    void leaseExpiringWhileTheLinkIsDownIsReportedAtExpiry() {
        Sim sim = boundSim(SEED);
        long end = sim.client.leaseEndNs();
        sim.client.linkDown();
        int sends = sim.transport.count;
        sim.runUntil(end + HOUR);
        assertEquals(sends, sim.transport.count);
        assertEquals(1, sim.listener.lost);
        assertEquals(end, sim.listener.lastLostAtNs);
        assertEquals(DhcpClient.NO_DEADLINE, sim.client.pollAtNs(sim.now()));
        sim.client.linkUp(sim.now());
        sim.runFor(10 * S);
        assertEquals(DhcpState.BOUND, sim.client.state(), "a fresh DISCOVER, not INIT-REBOOT");
        assertEquals(2, sim.server.discovers);
    }

    @Test
    void aPollLongAfterExpiryDropsTheAddressBeforeSendingAnything() {
        Sim sim = boundSim(SEED);
        long end = sim.client.leaseEndNs();
        int sends = sim.transport.count;
        sim.clock[0] = end + HOUR;                              // the loop was starved for two hours
        sim.client.poll(sim.now());
        assertEquals(1, sim.listener.lost);
        assertEquals(1, sim.counter(C_EXPIRIES));
        assertEquals(sends + 1, sim.transport.count, "only the new DISCOVER");
        int i = sim.transport.index(sends);
        assertEquals(DhcpMessage.DHCPDISCOVER, sim.transport.type[i]);
        assertEquals(0, sim.transport.src[i], "never a REQUEST from the expired address");
        assertEquals(1, sim.counter(C_REBINDING_STARTED), "passed through RENEWING and REBINDING without sending");
        assertEquals(1, sim.counter(C_TX_REQUEST), "only the selecting REQUEST was ever sent");
    }

    @Test
    void releaseSendsUnicastReleaseAndStops() {
        Sim sim = boundSim(SEED);
        assertTrue(sim.client.release(sim.now()));
        assertEquals(1, sim.server.releases);
        int i = sim.transport.index(sim.transport.count - 1);
        assertEquals(DhcpMessage.DHCPRELEASE, sim.transport.type[i]);
        assertEquals(YIADDR, sim.transport.src[i]);
        assertEquals(SERVER, sim.transport.dst[i]);
        assertEquals(1, sim.listener.lost);
        assertEquals(DhcpState.STOPPED, sim.client.state());
        assertEquals(DhcpClient.NO_DEADLINE, sim.client.pollAtNs(sim.now()));
    }

    @Test
    void transportErrorsAreCountedAndRetried() {
        Sim sim = new Sim(SEED);
        sim.transport.status = -3;
        sim.start();
        sim.runFor(13 * S);
        assertTrue(sim.transport.count >= 2);
        assertEquals(sim.transport.count, sim.counter(C_TX_ERROR));
        assertEquals(DhcpState.SELECTING, sim.client.state());
        sim.transport.status = 0;
        sim.runFor(30 * S);
        assertEquals(DhcpState.BOUND, sim.client.state());
    }

    @Test
    void leaseExpiringDuringRebootingIsDroppedAtItsEnd() {
        Sim sim = boundSim(SEED);
        long end = sim.client.leaseEndNs();
        sim.client.linkDown();
        sim.server.online = false;
        sim.runUntil(end - 10 * S);
        sim.client.linkUp(sim.now());
        sim.runUntil(end + S);
        assertEquals(1, sim.listener.lost);
        assertEquals(end, sim.listener.lastLostAtNs, "INIT-REBOOT retransmissions stop at the lease's end");
        assertEquals(1, sim.counter(C_EXPIRIES));
        assertEquals(DhcpState.SELECTING, sim.client.state());
    }

    @Test
    void tenConflictsInARowSlowDownToOneAttemptAMinute() {
        Sim sim = new Sim(SEED);
        sim.prober.conflictIp = YIADDR;
        sim.start();
        long[] declineAt = new long[12];
        int declines = 0;
        for (int guard = 0; guard < 100_000 && declines < 12; guard++) {
            sim.runFor(100_000_000L);
            if (sim.counter(C_DECLINES) > declines) {
                declineAt[declines++] = sim.now();
            }
        }
        assertEquals(12, declines, "seed " + SEED);
        for (int i = 1; i < 12; i++) {
            long gap = declineAt[i] - declineAt[i - 1];
            long wait = i < 10 ? 10 * S : 60 * S;              // RFC 2131 §3.1 step 5; RFC 5227 §2.1.1
            assertTrue(gap >= wait && gap <= wait + 5 * S, "gap " + i + " = " + gap + " (seed " + SEED + ")");
        }
        assertEquals(0, sim.listener.bound);
        assertEquals(12, sim.server.declines);
    }

    @Test
    void aProberThatNeverDecidesTimesOutAndTheAddressIsUsed() {
        Sim sim = new Sim(SEED);
        sim.prober.probeNs = Long.MAX_VALUE / 2;
        sim.start();
        sim.runFor(10 * S);
        assertEquals(DhcpState.CHECKING, sim.client.state());
        sim.runFor(10 * S);
        assertEquals(DhcpState.BOUND, sim.client.state());
        assertEquals(1, sim.counter(C_PROBE_TIMEOUT));
    }

    @Test
    void startWaitsARandomDelayWithinTheConfiguredBound() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long seed = 1; seed <= 30; seed++) {
            Sim sim = new Sim(seed, new DhcpConfig(MAC, null, 3, 10 * S, true, 60, 3600));
            sim.start();
            sim.runFor(11 * S);
            long first = sim.transport.timeNs[0];
            assertTrue(first >= 0 && first <= 10 * S, "seed " + seed + ": " + first);
            min = Math.min(min, first);
            max = Math.max(max, first);
        }
        assertTrue(max - min > 3 * S, "the delay is random: " + min + ".." + max);
    }

    /** 50 days of a 1 h lease (renewal every 30 min) with a server outage reaching REBINDING but not expiry. */
    @Test
    void fiftyDaysWithAnOutageThatRebindsAndKeepsTheLease() {
        for (long seed : new long[] {SEED, 7, 99}) {
            Sim sim = boundSim(seed);
            int boundBefore = sim.listener.bound;
            sim.runUntil(10 * DAY);
            // outage from just after a renewal until 55 min later: T1 (30 min) and T2 (52.5 min) pass, expiry (60 min) does not
            long lastRenewal = sim.client.leaseStartNs();
            sim.runUntil(lastRenewal + 60 * S);
            sim.server.online = false;
            long outageStart = sim.now();
            long leaseEnd = sim.client.leaseEndNs();
            sim.runUntil(lastRenewal + 55 * 60 * S);
            assertEquals(DhcpState.REBINDING, sim.client.state(), "seed " + seed);
            sim.server.online = true;
            sim.runUntil(50 * DAY);
            assertEquals(0, sim.listener.lost, "lease kept through the outage (seed " + seed + ")");
            assertEquals(1, sim.counter(C_REBINDING_STARTED), "seed " + seed);
            assertEquals(1, sim.counter(C_REBINDS), "seed " + seed);
            assertEquals(0, sim.counter(C_EXPIRIES));
            assertTrue(sim.server.rebindingRequests >= 1);
            assertTrue(leaseEnd - outageStart < HOUR);
            long renewals = sim.counter(C_RENEWALS);
            long expected = 50 * DAY / (HOUR / 2);              // one renewal every T1 = 30 min
            assertTrue(renewals >= expected - 5 && renewals <= expected, "renewals " + renewals + " vs ~" + expected
                + " (seed " + seed + ")");
            assertEquals(boundBefore + renewals + 1, sim.listener.bound, "onBound per renewal and the rebind");
            assertEquals(DhcpState.BOUND, sim.client.state());
            assertEquals(YIADDR, sim.client.ip());
            assertEquals(1, sim.prober.starts);
        }
    }

    /** The same, but the server stays away longer than the lease: lost at expiry, new lease when it returns. */
    @Test
    void fiftyDaysWithAnOutageThatOutlastsTheLease() {
        for (long seed : new long[] {SEED, 7, 99}) {
            Sim sim = boundSim(seed);
            sim.runUntil(20 * DAY);
            long lastRenewal = sim.client.leaseStartNs();
            sim.runUntil(lastRenewal + 60 * S);
            sim.server.online = false;
            long end = sim.client.leaseEndNs();
            sim.runUntil(lastRenewal + 3 * HOUR);
            assertEquals(1, sim.listener.lost, "seed " + seed);
            assertEquals(end, sim.listener.lastLostAtNs, "dropped exactly at expiry (RFC 2131 §4.4.5)");
            assertEquals(1, sim.counter(C_EXPIRIES));
            assertEquals(DhcpState.SELECTING, sim.client.state());
            // nothing was sent from the old address after expiry
            for (int k = 0; k < sim.transport.count && k < DhcpTestKit.FakeTransport.CAPACITY; k++) {
                if (sim.transport.timeNs[k] - end >= 0) {
                    assertEquals(0, sim.transport.src[k], "send " + k + " after expiry from " + fmt(sim.transport.src[k]));
                }
            }
            int boundBefore = sim.listener.bound;
            long back = sim.now();
            sim.server.online = true;
            sim.runUntil(back + 200 * S);
            assertEquals(DhcpState.BOUND, sim.client.state(), "recovered (seed " + seed + ")");
            assertEquals(boundBefore + 1, sim.listener.bound);
            assertTrue(sim.listener.lastBoundAtNs - back <= 70 * S, "next DISCOVER within its 64 s backoff");
            sim.runUntil(50 * DAY);
            assertEquals(1, sim.listener.lost);
            assertEquals(DhcpState.BOUND, sim.client.state());
            assertEquals(2, sim.prober.starts, "the new lease was probed");
        }
    }

    /** Small assertion helper on the transport record. */
    static final class FakeCheck {
        static void sends(Sim sim, int... types) {
            for (int i = 0; i < types.length; i++) {
                assertEquals(types[i], sim.transport.type[i], "send " + i + " (seed " + sim.seed + ")");
            }
        }
    }
}
