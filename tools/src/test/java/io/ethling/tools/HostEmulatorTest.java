package io.ethling.tools;

import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.VirtualWire;
import io.ethling.hal.emulator.WireFaults;
import io.ethling.hal.enc28j60.Enc28j60Config;
import io.ethling.stack.Host;
import io.ethling.stack.dhcp.DhcpState;
import io.ethling.stack.dns.DnsResolver;
import io.ethling.stack.iface.NetStack;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole host (stack + DHCP + DNS) on the real driver and an emulated chip, against a scripted
 * DHCP and DNS server on a second emulated board, over a virtual wire on a virtual clock: weeks
 * of leases in seconds, deterministic (seeded), every frame through both drivers and chips.
 */
class HostEmulatorTest {

    static final int PEER_IP = Ipv4Packet.parse("203.0.113.1");
    static final int LEASE_IP = Ipv4Packet.parse("203.0.113.50");
    static final int SILENT_IP = Ipv4Packet.parse("203.0.113.9");
    static final long MAC_A = 0x02_45_00_00_00_0AL;
    static final long MAC_B = 0x02_45_00_00_00_0BL;
    static final long SEC = 1_000_000_000L;
    static final long MIN = 60 * SEC;

    final VirtualClock clock = new VirtualClock();
    final VirtualWire wire = new VirtualWire(clock, WireFaults.none().delayNanos(100_000L), 7);
    final EmulatedBoard a;
    final EmulatedBoard b;
    final NetStack peerNet;
    final LabPeer peer;
    Host host;
    final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    boolean measuring;
    long hostAllocated;

    HostEmulatorTest() {
        // The supervisor checks the chip every 30 s here (default 1 s) so that 50 days run quickly.
        a = new EmulatedBoard("A", clock, new EmulatorConfig().seed(11),
                new Enc28j60Config().macAddress(MAC_A).supervisorIntervalNs(30 * SEC), true);
        b = new EmulatedBoard("B", clock, new EmulatorConfig().seed(12),
                new Enc28j60Config().macAddress(MAC_B).supervisorIntervalNs(30 * SEC), true);
        a.chip.connect(wire.portA());
        wire.attachA(a.chip.wireInput());
        b.chip.connect(wire.portB());
        wire.attachB(b.chip.wireInput());
        a.init();
        b.init();
        peerNet = new NetStack(new StackConfig().macAddress(MAC_B).address(PEER_IP, 24), b.driver, new Prng(13));
        peerNet.setAddress(PEER_IP, 24, 0, 0);
        peer = new LabPeer(peerNet, PEER_IP, LEASE_IP);
    }

    void dhcpHost() {
        host = new Host(new StackConfig().macAddress(MAC_A), new Host.Options().dhcpInitialDelayMaxNs(0), a.driver, new Prng(14));
        host.start(clock.nanoTime());
    }

    void staticHost(int... dnsServers) {
        host = new Host(new StackConfig().macAddress(MAC_A).address(LEASE_IP, 24).gateway(PEER_IP),
                new Host.Options().dhcp(false).dnsServers(dnsServers), a.driver, new Prng(15));
    }

    void step() {
        long now = clock.nanoTime();
        wire.deliver();
        a.chip.tick();
        b.chip.tick();
        if (measuring) {
            long before = mx.getCurrentThreadAllocatedBytes();
            host.poll(now);
            hostAllocated += mx.getCurrentThreadAllocatedBytes() - before;
        } else {
            host.poll(now);
        }
        peerNet.poll(now);
    }

    boolean runUntil(BooleanSupplier done, long maxNs) {
        long end = clock.nanoTime() + maxNs;
        while (clock.nanoTime() - end < 0) {
            step();
            if (done != null && done.getAsBoolean()) {
                return true;
            }
            long now = clock.nanoTime();
            long next = Math.min(Math.min(wire.nextDeliveryNs(), a.chip.nextEventNs()), b.chip.nextEventNs());
            next = Math.min(next, Math.min(host.pollAtNs(now), peerNet.pollAtNs(now)));
            if (next - now <= 0) {
                next = now + 1_000L;
            }
            clock.advanceTo(Math.min(next, end));
        }
        step();
        return done != null && done.getAsBoolean();
    }

    int resolve(String name) {
        int h = host.dns().resolve(name, clock.nanoTime());
        assertTrue(h >= 0, "resolve " + name + " -> " + h);
        assertTrue(runUntil(() -> host.dns().state(h) != DnsResolver.STATE_PENDING, 60 * SEC),
                "still pending: " + host.dns().describe(h));
        return h;
    }

    @Test
    void fiftyDaysOfLeasesWithAServerOutage() {
        dhcpHost();
        assertTrue(runUntil(() -> host.dhcp().state() == DhcpState.BOUND, 30 * SEC),
                "no lease: " + host.dhcp().state() + " " + TapLabTest.dump(host.dhcp().counters()));
        assertEquals(LEASE_IP, host.net().address());
        assertEquals(PEER_IP, host.dhcp().router());
        assertEquals(3600, host.dhcp().leaseSeconds());
        long start = clock.nanoTime();

        runUntil(null, 25 * 24 * 60 * MIN);
        // One outage: from a minute before the next renewal (T1) until past T2, so the client
        // renews in vain, rebinds by broadcast, and gets its ACK when the server returns.
        long t1 = host.dhcp().renewAtNs();
        long t2 = host.dhcp().rebindAtNs();
        runUntil(null, t1 - clock.nanoTime() - MIN);
        peer.dhcpUp = false;
        runUntil(null, t2 - clock.nanoTime() + 2 * MIN);
        assertEquals(DhcpState.REBINDING, host.dhcp().state(), "outage past T2 must reach REBINDING");
        assertEquals(LEASE_IP, host.net().address(), "the address stays in use until the lease ends");
        peer.dhcpUp = true;
        assertTrue(runUntil(() -> host.dhcp().state() == DhcpState.BOUND, 10 * MIN), "rebound after the outage");
        runUntil(null, start + 50L * 24 * 60 * MIN - clock.nanoTime());

        long renewals = host.dhcp().counters().value("renewals");
        long rebinds = host.dhcp().counters().value("rebinds");
        // A 1-hour lease renews at T1 = 30 min: about 48 renewals a day, 2,400 in 50 days.
        assertTrue(renewals >= 2350 && renewals <= 2410, "renewals in 50 days: " + renewals);
        assertTrue(rebinds >= 1, "rebinds: " + rebinds);
        assertEquals(0, host.dhcp().counters().value("expiries"), "the lease never ran out");
        assertEquals(DhcpState.BOUND, host.dhcp().state());
        assertEquals(LEASE_IP, host.net().address());
        // ARP: the server's entry stayed in use and was refreshed, never re-broadcast from scratch
        assertTrue(host.counters().value("arp.refreshed") > 100, TapLabTest.dump(host.counters()));
        assertTrue(host.net().arp().entries() <= 2);
        assertEquals(0, a.chip.misuse().count() + b.chip.misuse().count(), "driver misuse");
        assertEquals(0, a.driver.counters().value("chip.reinit"), TapLabTest.dump(a.driver.counters()));
    }

    @Test
    void dnsTtlExpiryFailoverAndServeStale() {
        staticHost(SILENT_IP, PEER_IP);
        int h = resolve("lab.test");
        assertEquals(DnsResolver.STATE_DONE, host.dns().state(h), host.dns().describe(h));
        assertEquals(PEER_IP, host.dns().address(h));
        assertEquals(DnsResolver.SOURCE_SERVER, host.dns().source(h));
        assertEquals(PEER_IP, host.dns().answerServerIp(h), "failed over from the silent first server");
        assertTrue(host.dns().counters().value(DnsResolver.C_FAILOVERS) >= 1);
        host.dns().release(h);

        h = resolve("lab.test");
        assertEquals(DnsResolver.SOURCE_CACHE, host.dns().source(h), host.dns().describe(h));
        host.dns().release(h);

        runUntil(null, 61 * SEC);                              // TTL 60 s has run out
        int queries = peer.dnsQueries;
        h = resolve("lab.test");
        assertEquals(DnsResolver.SOURCE_SERVER, host.dns().source(h), "expired entry asked again: " + host.dns().describe(h));
        assertTrue(peer.dnsQueries > queries);
        host.dns().release(h);

        h = resolve("www.lab.test");
        assertEquals(DnsResolver.STATE_DONE, host.dns().state(h), host.dns().describe(h));
        assertTrue(host.dns().cnameCount(h) >= 1);
        host.dns().release(h);

        h = resolve("nosuch.lab.test");
        assertEquals(DnsResolver.ERROR_NXDOMAIN, host.dns().error(h), host.dns().describe(h));
        host.dns().release(h);

        peer.dnsUp = false;                                    // every server silent now
        runUntil(null, 61 * SEC);
        h = resolve("lab.test");
        assertEquals(DnsResolver.STATE_DONE, host.dns().state(h), host.dns().describe(h));
        assertEquals(DnsResolver.SOURCE_STALE, host.dns().source(h), "serve-stale says so: " + host.dns().describe(h));
        assertEquals(PEER_IP, host.dns().address(h));
        host.dns().release(h);
    }

    @Test
    void arpEntriesAgeOutWhenUnusedAndAreRefreshedWhileUsed() {
        staticHost(PEER_IP);
        host.net().ping().send(PEER_IP, 1, 8, clock.nanoTime());
        assertTrue(runUntil(() -> host.net().ping().replies() == 1, 5 * SEC), "ARP resolved, ping answered");
        assertEquals(MAC_B, host.net().arp().macOf(PEER_IP));
        // in use for 10 minutes: one ping every 10 s keeps it; a unicast refresh before each expiry
        for (int i = 0; i < 60; i++) {
            host.net().ping().send(PEER_IP, 2 + i, 8, clock.nanoTime());
            runUntil(null, 10 * SEC);
        }
        assertEquals(61, host.net().ping().replies());
        assertTrue(host.counters().value("arp.refreshed") >= 1, TapLabTest.dump(host.counters()));
        assertEquals(0, host.counters().value("arp.expired"));
        assertEquals(1, host.counters().value("arp.resolved"), "one resolution: " + TapLabTest.dump(host.counters()));
        assertTrue(host.counters().value("arp.requests.sent") >= 2, "the resolution and a unicast refresh");
        // then unused: it ages out (RFC 1122 §2.3.2.1). The peer's own refresh of its entry for us
        // may still confirm ours once (RFC 826 merge), so allow two 5-minute lifetimes.
        runUntil(null, 12 * MIN);
        assertEquals(1, host.counters().value("arp.expired"));
        assertEquals(-1L, host.net().arp().macOf(PEER_IP));
    }

    @Test
    void zeroAllocationAcrossPingArpDhcpRenewalAndDns() {
        peer.leaseSeconds = 120;                               // renew every minute
        peer.ttlSeconds = 5;                                   // DNS misses every few cycles
        dhcpHost();
        assertTrue(runUntil(() -> host.dhcp().state() == DhcpState.BOUND, 30 * SEC));
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 4 && allocated != 0; round++) {   // the first rounds warm the JIT
            hostAllocated = 0;
            measuring = round > 0;
            long renewalsBefore = host.dhcp().counters().value("renewals");
            long refreshBefore = host.counters().value("arp.refreshed");
            long missesBefore = host.dns().counters().value(DnsResolver.C_CACHE_MISS);
            long hitsBefore = host.dns().counters().value(DnsResolver.C_CACHE_HIT);
            for (int cycle = 0; cycle < 600; cycle++) {        // 600 cycles x 2 s = 20 minutes
                long before = mx.getCurrentThreadAllocatedBytes();
                int h = host.dns().resolve("lab.test", clock.nanoTime());
                host.net().ping().send(PEER_IP, cycle, 32, clock.nanoTime());
                if (measuring) {
                    hostAllocated += mx.getCurrentThreadAllocatedBytes() - before;
                }
                runUntil(() -> host.dns().state(h) != DnsResolver.STATE_PENDING, 2 * SEC);
                runUntil(null, 2 * SEC - 1);
                before = mx.getCurrentThreadAllocatedBytes();
                host.dns().release(h);
                if (measuring) {
                    hostAllocated += mx.getCurrentThreadAllocatedBytes() - before;
                }
            }
            assertTrue(host.dhcp().counters().value("renewals") - renewalsBefore >= 15, "renewals happened");
            assertTrue(host.counters().value("arp.refreshed") - refreshBefore >= 2, "ARP refreshes happened");
            assertTrue(host.dns().counters().value(DnsResolver.C_CACHE_MISS) - missesBefore >= 100, "misses");
            assertTrue(host.dns().counters().value(DnsResolver.C_CACHE_HIT) - hitsBefore >= 100, "hits");
            assertTrue(host.net().ping().replies() > 500 * (round + 1), "pings answered");
            if (measuring) {
                allocated = hostAllocated;
                System.out.println("round " + round + ": host allocated " + allocated + " bytes over 20 virtual minutes");
            }
        }
        assertEquals(0, allocated, "bytes allocated by the host's poll, resolve, ping and release in steady state");
    }
}
