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
import io.ethling.stack.journey.Journey;
import io.ethling.stack.journey.JourneyDnsListener;
import io.ethling.stack.journey.JourneyTap;
import io.ethling.stack.journey.JourneyRecorder;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.IcmpPacket;
import io.ethling.stack.wire.Ipv4Packet;
import io.ethling.tools.journey.JourneyLadder;
import io.ethling.tools.journey.JourneySvg;
import io.ethling.tools.journey.JourneyText;
import io.ethling.tools.pcap.PcapWriter;
import io.ethling.tools.pcap.Tshark;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journey and pcap on real traffic: the whole host (real driver, emulated chip) gets a DHCP
 * lease from the scripted peer, resolves lab.test (a miss: asked over the wire) and again (a
 * cache hit), and pings the server; the journey tap, the resolver's listener and a pcap writer
 * watch all of it. The journey must tell the story in order with the numbers the stack really
 * used, the renderers draw it (target/journey/emulated-*), and tshark reads the capture with no
 * malformed frame.
 */
class JourneyEmulatorTest {

    static final int PEER_IP = Ipv4Packet.parse("203.0.113.1");
    static final int LEASE_IP = Ipv4Packet.parse("203.0.113.50");
    static final long MAC_A = 0x02_45_00_00_00_0AL;
    static final long MAC_B = 0x02_45_00_00_00_0BL;
    static final long SEC = 1_000_000_000L;
    static final long EPOCH = 1_763_700_000_000_000_000L;

    final VirtualClock clock = new VirtualClock();
    final VirtualWire wire = new VirtualWire(clock, WireFaults.none().delayNanos(250_000L), 21);
    final EmulatedBoard a;
    final EmulatedBoard b;
    final NetStack peerNet;
    final LabPeer peer;
    Host host;
    final JourneyRecorder recorder = new JourneyRecorder(512);
    final Journey journey = recorder.journey();
    final JourneyTap tap = recorder.tap();
    final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long hostAllocated;
    boolean measuring;

    JourneyEmulatorTest() {
        a = new EmulatedBoard("A", clock, new EmulatorConfig().seed(31), new Enc28j60Config().macAddress(MAC_A), true);
        b = new EmulatedBoard("B", clock, new EmulatorConfig().seed(32), new Enc28j60Config().macAddress(MAC_B), true);
        a.chip.connect(wire.portA());
        wire.attachA(a.chip.wireInput());
        b.chip.connect(wire.portB());
        wire.attachB(b.chip.wireInput());
        a.init();
        b.init();
        peerNet = new NetStack(new StackConfig().macAddress(MAC_B).address(PEER_IP, 24), b.driver, new Prng(33));
        peerNet.setAddress(PEER_IP, 24, 0, 0);
        peer = new LabPeer(peerNet, PEER_IP, LEASE_IP);
        dhcpHost();
    }

    void dhcpHost() {
        host = new Host(new StackConfig().macAddress(MAC_A), new Host.Options().dhcpInitialDelayMaxNs(0), a.driver, new Prng(34));
        host.dns().setListener(new JourneyDnsListener(journey, host.dns()));
    }

    void staticHost(int... dnsServers) {
        host = new Host(new StackConfig().macAddress(MAC_A).address(LEASE_IP, 24).gateway(PEER_IP),
                new Host.Options().dhcp(false).dnsServers(dnsServers), a.driver, new Prng(35));
        host.dns().setListener(new JourneyDnsListener(journey, host.dns()));
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
        assertTrue(runUntil(() -> host.dns().state(h) != DnsResolver.STATE_PENDING, 30 * SEC), host.dns().describe(h));
        return h;
    }

    /** The index of the first event at or after {@code from} of this kind and direction, or fails. */
    long find(long from, int kind, int direction, String what) {
        for (long s = Math.max(from, journey.firstSequence()); s < journey.nextSequence(); s++) {
            if (journey.kind(s) == kind && journey.direction(s) == direction) {
                return s;
            }
        }
        throw new AssertionError(what + " not found after event " + from + " in:\n" + JourneyText.render(journey));
    }

    String text(long s) {
        byte[] t = new byte[Journey.TEXT_LENGTH];
        return new String(t, 0, journey.copyText(s, t, 0), StandardCharsets.US_ASCII);
    }

    @Test
    void leaseLookupsAndPingTellTheirStoryAndTsharkReadsTheCapture() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "journey"));
        Path pcapFile = dir.resolve("emulated-host.pcap");
        PcapWriter pcap = PcapWriter.create(pcapFile, EPOCH);
        recorder.attach(host.net(), host.dns(), pcap);            // the pcap sees each frame first, then the journey
        long t0 = clock.nanoTime();
        host.start(t0);
        assertTrue(runUntil(() -> host.dhcp().state() == DhcpState.BOUND, 30 * SEC), "no lease: " + host.dhcp().state());

        int miss = resolve("lab.test");
        int missId = host.dns().dnsId(miss);
        assertEquals(DnsResolver.SOURCE_SERVER, host.dns().source(miss));
        host.dns().release(miss);
        int hit = resolve("lab.test");
        assertEquals(DnsResolver.SOURCE_CACHE, host.dns().source(hit));
        host.dns().release(hit);
        assertTrue(host.net().ping().send(PEER_IP, 7, 32, clock.nanoTime()) >= 0);
        assertTrue(runUntil(() -> host.net().ping().replies() > 0, 5 * SEC), "no echo reply");
        runUntil(null, SEC / 10);
        pcap.close();

        // 1. the lease (RFC 2131 §3.1): DISCOVER, OFFER, REQUEST, ACK
        long s = find(0, Journey.DHCP, Journey.OUT, "DHCPDISCOVER");
        assertEquals(1, journey.a(s));
        long xid = journey.b(s);
        s = find(s, Journey.DHCP, Journey.IN, "DHCPOFFER");
        assertEquals(2, journey.a(s));
        assertEquals(xid, journey.b(s), "the offer answers our xid");
        assertEquals(LEASE_IP & 0xFFFF_FFFFL, journey.c(s));
        assertEquals(PEER_IP, journey.peer(s));
        s = find(s, Journey.DHCP, Journey.OUT, "DHCPREQUEST");
        assertEquals(3, journey.a(s));
        s = find(s, Journey.DHCP, Journey.IN, "DHCPACK");
        assertEquals(5, journey.a(s));
        assertEquals(3600, journey.d(s));
        long leased = s;

        // 2. the name: the resolver's try, ARP for the server, the query and its answer on the wire, the result
        long sent = find(leased, Journey.DNS_QUERY_SENT, Journey.LOCAL, "the resolver's first try");
        assertEquals(missId, journey.a(sent), "the id the resolver used");
        assertEquals(PEER_IP, journey.peer(sent));
        assertEquals("lab.test", text(sent));
        long who = find(leased, Journey.ARP_REQUEST, Journey.OUT, "ARP who-has for the server");
        while (journey.a(who) != (PEER_IP & 0xFFFF_FFFFL) || journey.b(who) != (LEASE_IP & 0xFFFF_FFFFL)) {
            who = find(who + 1, Journey.ARP_REQUEST, Journey.OUT, "ARP who-has " + Ipv4Packet.format(PEER_IP));
        }
        long isAt = find(who, Journey.ARP_REPLY, Journey.IN, "ARP is-at");
        assertEquals(MAC_B, journey.b(isAt), "the server's MAC");
        long query = find(leased, Journey.DNS_QUERY, Journey.OUT, "the DNS query frame");
        assertTrue(isAt < query, "ARP resolves the server before the query leaves");
        assertEquals(missId, journey.a(query), "the same id on the wire");
        assertEquals("lab.test", text(query));
        long answer = find(query, Journey.DNS_ANSWER, Journey.IN, "the DNS answer frame");
        assertEquals(missId, journey.a(answer));
        assertEquals(0, journey.b(answer), "NOERROR");
        assertEquals(PEER_IP & 0xFFFF_FFFFL, journey.c(answer), "the A record");
        long result = find(answer, Journey.DNS_RESULT, Journey.LOCAL, "the resolver's result");
        assertEquals(DnsResolver.SOURCE_SERVER, journey.a(result));
        assertEquals(PEER_IP & 0xFFFF_FFFFL, journey.b(result));
        assertEquals(missId, journey.d(result));
        assertEquals(60, journey.c(result) >>> 32, "TTL");
        long cached = find(result + 1, Journey.DNS_RESULT, Journey.LOCAL, "the cache hit");
        assertEquals(DnsResolver.SOURCE_CACHE, journey.a(cached));
        for (long k = result + 1; k < cached; k++) {
            assertTrue(journey.kind(k) != Journey.DNS_QUERY, "a cache hit sends no query");
        }

        // 3. the ping
        long echo = find(cached, Journey.ICMP, Journey.OUT, "echo request");
        assertEquals(IcmpPacket.TYPE_ECHO_REQUEST, journey.a(echo));
        assertEquals(7, journey.c(echo) & 0xFFFF, "sequence");
        long reply = find(echo, Journey.ICMP, Journey.IN, "echo reply");
        assertEquals(IcmpPacket.TYPE_ECHO_REPLY, journey.a(reply));
        assertEquals(journey.c(echo), journey.c(reply), "same identifier and sequence");
        assertTrue(journey.timeNs(reply) - journey.timeNs(echo) >= 2 * 250_000L, "at least the wire's round trip");
        assertEquals(0, tap.counters().value(JourneyTap.C_UNREADABLE));

        // 4. the drawings
        String ladder = JourneyText.render(journey);
        Files.writeString(dir.resolve("emulated-host.txt"), ladder);
        Files.writeString(dir.resolve("emulated-host.svg"), JourneySvg.render(journey));
        System.out.println(ladder);
        String labels = String.join("\n", JourneyLadder.build(journey).rows().stream().map(JourneyLadder.Row::label).toList());
        assertTrue(labels.contains("DHCP ACK 203.0.113.50 xid="), labels);
        assertTrue(labels.contains(String.format("DNS query id=0x%04x A lab.test", missId)), labels);
        assertTrue(labels.contains(String.format("DNS lab.test = 203.0.113.1 from server 203.0.113.1, id 0x%04x, ttl 60 s", missId)), labels);
        assertTrue(labels.contains("DNS lab.test = 203.0.113.1 from cache"), labels);
        assertTrue(labels.contains("ARP 203.0.113.1 is-at 02:45:00:00:00:0b"), labels);
        assertTrue(labels.contains("ping echo reply id="), labels);
        assertTrue(ladder.contains("|<-- DNS answer id="), ladder);

        // 5. the capture: every frame in and out, readable
        long frames = tap.counters().value(JourneyTap.C_FRAMES_OUT) + tap.counters().value(JourneyTap.C_FRAMES_IN);
        assertEquals(frames, pcap.counters().value(PcapWriter.C_FRAMES));
        assertEquals(host.counters().value("tx.frames") + host.counters().value("rx.frames"), frames,
                "the hook saw every frame the stack sent and received");
        Assumptions.assumeTrue(Tshark.find() != null, Tshark.MISSING);
        List<String> lines = Tshark.summary(pcapFile);
        String all = String.join("\n", lines);
        assertEquals(frames, lines.size(), all);
        assertFalse(all.contains("Malformed"), all);
        assertTrue(all.contains("DHCP") && all.contains("ARP") && all.contains("DNS") && all.contains("ICMP"), all);
        assertTrue(all.contains("Standard query " + String.format("0x%04x", missId) + " A lab.test"), all);
        assertTrue(all.contains("203.0.113.1 is at 02:45:00:00:00:0b"), all);
        String expert = Tshark.read(pcapFile, "-q", "-z", "expert");
        assertFalse(expert.contains("Malformed"), expert);
    }

    @Test
    void aSilentServerShowsItsTimeoutAndTheServerThatAnswered() {
        int silent = Ipv4Packet.parse("203.0.113.9");
        staticHost(silent, PEER_IP);
        host.net().frameTap(tap);
        runUntil(null, SEC / 10);
        journey.clear();
        int h = resolve("www.lab.test");
        assertEquals(DnsResolver.STATE_DONE, host.dns().state(h), host.dns().describe(h));
        String ladder = JourneyText.render(journey);
        System.out.println(ladder);

        long first = find(journey.firstSequence(), Journey.DNS_QUERY_SENT, Journey.LOCAL, "the first try");
        assertEquals(silent, journey.peer(first), "the first server in the list is asked first");
        assertEquals(1, journey.b(first));
        long timeout = find(first, Journey.DNS_TIMEOUT, Journey.LOCAL, "the timeout");
        assertEquals(silent, journey.peer(timeout));
        assertEquals(journey.a(first), journey.a(timeout), "the id that got no answer");
        assertTrue(journey.timeNs(timeout) - journey.timeNs(first) >= 1_000_000_000L, "after the initial 1 s timeout");
        long second = find(timeout, Journey.DNS_QUERY_SENT, Journey.LOCAL, "the failover");
        assertEquals(PEER_IP, journey.peer(second));
        assertEquals(2, journey.b(second), "try 2");
        assertTrue(journey.a(second) != journey.a(first) || journey.c(second) != journey.c(first),
                "a fresh id or port for every try (RFC 5452 §9.2)");
        long answer = find(second, Journey.DNS_ANSWER, Journey.IN, "the answer");
        assertEquals(journey.a(second), journey.a(answer));
        byte[] t = new byte[Journey.TEXT_LENGTH];
        assertEquals("www.lab.test CNAME lab.test", new String(t, 0, journey.copyText(answer, t, 0), StandardCharsets.US_ASCII));
        long result = find(answer, Journey.DNS_RESULT, Journey.LOCAL, "the result");
        assertEquals(PEER_IP, journey.peer(result), "the server that answered");
        assertEquals(2, (journey.c(result) >>> 8) & 0xFF, "tries");
        assertEquals(1, (journey.c(result) >>> 16) & 0xFF, "CNAME links");
        String labels = String.join("\n", JourneyLadder.build(journey).rows().stream().map(JourneyLadder.Row::label).toList());
        assertTrue(labels.contains(String.format("DNS no reply from 203.0.113.9 to id 0x%04x", journey.a(first))), labels);
        assertTrue(labels.contains("DNS www.lab.test = 203.0.113.1 from server 203.0.113.1, id "), labels);
        assertTrue(labels.contains(", 1 CNAME, 2 tries"), labels);
    }

    @Test
    void recordingTheStoryAllocatesNothingOnTheStacksThread() {
        host.net().frameTap(tap);
        host.start(clock.nanoTime());
        assertTrue(runUntil(() -> host.dhcp().state() == DhcpState.BOUND, 30 * SEC));
        peer.ttlSeconds = 2;                                  // a miss every other lookup
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5 && best != 0; round++) {
            hostAllocated = 0;
            measuring = round > 0;
            long misses = host.dns().counters().value(DnsResolver.C_CACHE_MISS);
            long events = journey.nextSequence();
            for (int cycle = 0; cycle < 100; cycle++) {
                journey.clear();
                long before = mx.getCurrentThreadAllocatedBytes();
                int h = host.dns().resolve("lab.test", clock.nanoTime());
                host.net().ping().send(PEER_IP, cycle, 32, clock.nanoTime());
                if (measuring) {
                    hostAllocated += mx.getCurrentThreadAllocatedBytes() - before;
                }
                runUntil(() -> host.dns().state(h) != DnsResolver.STATE_PENDING, 2 * SEC);
                runUntil(null, SEC);
                before = mx.getCurrentThreadAllocatedBytes();
                host.dns().release(h);
                if (measuring) {
                    hostAllocated += mx.getCurrentThreadAllocatedBytes() - before;
                }
            }
            assertTrue(host.dns().counters().value(DnsResolver.C_CACHE_MISS) - misses >= 30, "queries went out");
            assertTrue(journey.nextSequence() - events > 300, "events were recorded: " + (journey.nextSequence() - events));
            if (measuring) {
                best = Math.min(best, hostAllocated);
                System.out.println("journey round " + round + ": host + journey allocated " + hostAllocated + " bytes");
            }
        }
        assertEquals(0, best, "bytes allocated by poll, resolve, ping and the journey in steady state");
    }
}
