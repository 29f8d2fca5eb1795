package io.ethling.tools;

import io.ethling.hal.Clock;
import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.Enc28j60Emulator;
import io.ethling.hal.enc28j60.Enc28j60;
import io.ethling.hal.enc28j60.Enc28j60Config;
import io.ethling.stack.Host;
import io.ethling.stack.dhcp.DhcpState;
import io.ethling.stack.dns.DnsResolver;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole host against real servers in the lab: a DHCP lease from dnsmasq and its renewal at
 * T1, DNS A, CNAME and NXDOMAIN answered by dnsmasq, the kernel reachable by ping — through the
 * real driver, the emulated chip and the TAP. dnsmasq's shortest lease is 2 minutes, so the
 * renewal comes about a minute in.
 */
class HostLabTest {

    static final int KERNEL = Ipv4Packet.parse("203.0.113.1");
    static final long MAC = 0x02_45_54_48_00_03L;

    @Test
    void leaseDnsAndRenewalFromDnsmasq() throws Exception {
        Lab.assumeAvailable();
        try (Lab lab = new Lab("2m")) {
            Enc28j60Emulator chip = new Enc28j60Emulator(Clock.SYSTEM, new EmulatorConfig().seed(31).strict(true));
            Enc28j60 driver = new Enc28j60(chip, chip.interruptPin(), null, Clock.SYSTEM, new Enc28j60Config().macAddress(MAC));
            TapBridge bridge = new TapBridge(lab.tap, chip);
            assertEquals(EthernetDevice.OK, driver.init());
            Host host = new Host(new StackConfig().macAddress(MAC), new Host.Options().dhcpInitialDelayMaxNs(0),
                    driver, new Prng(31));
            host.start(System.nanoTime());
            BooleanSupplier bound = () -> host.dhcp().state() == DhcpState.BOUND;
            assertTrue(run(host, bridge, chip, bound, 30_000),
                    "no DHCP lease: state " + host.dhcp().state() + " " + TapLabTest.dump(host.dhcp().counters())
                            + " " + TapLabTest.dump(host.counters()));
            int ip = host.net().address();
            assertTrue(ip >= Ipv4Packet.parse("203.0.113.50") && ip <= Ipv4Packet.parse("203.0.113.99"),
                    "leased " + Ipv4Packet.format(ip));
            assertEquals(KERNEL, host.dhcp().router());
            assertEquals(KERNEL, host.dhcp().dnsServer(0));
            assertEquals(24, host.net().prefixLength());
            assertEquals(120, host.dhcp().leaseSeconds());
            String leases = lab.exec(10, "cat", "/tmp/ethling-lab-" + lab.ns + "/leases");
            assertTrue(leases.contains(Ipv4Packet.format(ip)) && leases.contains(EmulatedBoard.mac(MAC)), leases);

            // DNS: an A record, a CNAME to it, and a name that does not exist
            assertEquals(KERNEL, resolve(host, bridge, chip, "lab.test", DnsResolver.STATE_DONE));
            int h = host.dns().resolve("www.lab.test", System.nanoTime());
            assertTrue(run(host, bridge, chip, () -> host.dns().state(h) != DnsResolver.STATE_PENDING, 10_000));
            assertEquals(DnsResolver.STATE_DONE, host.dns().state(h), host.dns().describe(h));
            assertEquals(KERNEL, host.dns().address(h));
            assertTrue(host.dns().cnameCount(h) >= 1, "CNAME followed: " + host.dns().describe(h));
            assertEquals(DnsResolver.SOURCE_SERVER, host.dns().source(h));
            host.dns().release(h);
            int nx = host.dns().resolve("nosuch.lab.test", System.nanoTime());
            assertTrue(run(host, bridge, chip, () -> host.dns().state(nx) != DnsResolver.STATE_PENDING, 10_000));
            assertEquals(DnsResolver.STATE_FAILED, host.dns().state(nx));
            assertEquals(DnsResolver.ERROR_NXDOMAIN, host.dns().error(nx), host.dns().describe(nx));
            host.dns().release(nx);
            // the second lookup comes from the cache
            int again = host.dns().resolve("lab.test", System.nanoTime());
            assertTrue(run(host, bridge, chip, () -> host.dns().state(again) != DnsResolver.STATE_PENDING, 1_000));
            assertEquals(DnsResolver.SOURCE_CACHE, host.dns().source(again));
            host.dns().release(again);

            // the kernel answers our ping at the leased address
            host.net().ping().send(KERNEL, 1, 32, System.nanoTime());
            assertTrue(run(host, bridge, chip, () -> host.net().ping().replies() == 1, 3_000));

            // renewal at T1 (60 s into a 2-minute lease): unicast REQUEST, ACK, same address
            long renewals = host.dhcp().counters().value("renewals");
            long leaseStart = host.dhcp().leaseStartNs();
            assertTrue(run(host, bridge, chip, () -> host.dhcp().leaseStartNs() != leaseStart
                    && host.dhcp().state() == DhcpState.BOUND, 90_000),
                    "no renewal: " + host.dhcp().state() + " " + TapLabTest.dump(host.dhcp().counters()));
            assertEquals(ip, host.net().address(), "renewed the same address");
            assertTrue(host.dhcp().counters().value("renewals") >= renewals);
            assertEquals(0, chip.misuse().count(), () -> "driver misuse: " + chip.misuse().lines());
        }
    }

    static int resolve(Host host, TapBridge bridge, Enc28j60Emulator chip, String name, int wantState) {
        int h = host.dns().resolve(name, System.nanoTime());
        assertTrue(h >= 0, "resolve " + name + ": " + h);
        assertTrue(run(host, bridge, chip, () -> host.dns().state(h) != DnsResolver.STATE_PENDING, 10_000),
                "no DNS answer for " + name + ": " + host.dns().describe(h));
        assertEquals(wantState, host.dns().state(h), host.dns().describe(h));
        int a = host.dns().address(h);
        host.dns().release(h);
        return a;
    }

    static boolean run(Host host, TapBridge bridge, Enc28j60Emulator chip, BooleanSupplier done, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() - deadline < 0) {
            bridge.pump(2);
            chip.tick();
            host.poll(System.nanoTime());
            if (done.getAsBoolean()) {
                return true;
            }
        }
        return done.getAsBoolean();
    }
}
