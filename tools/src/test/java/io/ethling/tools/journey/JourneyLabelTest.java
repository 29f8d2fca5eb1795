package io.ethling.tools.journey;

import io.ethling.stack.dns.DnsResolver;
import io.ethling.stack.journey.Journey;
import io.ethling.stack.journey.JourneyTap;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The words each kind of event is drawn with, one event at a time. */
class JourneyLabelTest {

    static final int SERVER = Ipv4Packet.parse("203.0.113.1");
    static final byte[] NAME = SyntheticFetch.encode("lab.test");

    final Journey j = new Journey(16);

    String dnsResult(int source, int address, int error, int tries, int cnames, long ttl, int id) {
        long s = j.record(Journey.DNS_RESULT, Journey.LOCAL, SERVER, 1, source, address & 0xFFFF_FFFFL,
                error | ((long) tries << 8) | ((long) cnames << 16) | (ttl << 32), id, 0);
        j.appendName(NAME, 0, NAME.length);
        return JourneyLadder.label(j, s);
    }

    boolean alert(long s) {
        return JourneyLadder.build(j).rows().stream().filter(r -> r.sequence() == s).findFirst().orElseThrow().alert();
    }

    @Test
    void whereTheNameCameFrom() {
        assertEquals("DNS lab.test = 203.0.113.1 from server 203.0.113.1, id 0x0102, ttl 60 s",
                dnsResult(DnsResolver.SOURCE_SERVER, SERVER, DnsResolver.ERROR_NONE, 1, 0, 60, 0x102));
        assertEquals("DNS lab.test = 203.0.113.1 from cache (42 s left)",
                dnsResult(DnsResolver.SOURCE_CACHE, SERVER, DnsResolver.ERROR_NONE, 0, 0, 42, -1));
        assertEquals("DNS lab.test = 203.0.113.1 from hosts",
                dnsResult(DnsResolver.SOURCE_HOSTS, SERVER, DnsResolver.ERROR_NONE, 0, 0, 0, -1));
        assertEquals("DNS lab.test = 203.0.113.1 from stale (no answer (timeout)), 6 tries",
                dnsResult(DnsResolver.SOURCE_STALE, SERVER, DnsResolver.ERROR_TIMEOUT, 6, 0, 0, 0x77));
        assertFalse(alert(j.nextSequence() - 1), "a stale answer is an answer");
        assertEquals("DNS lab.test failed: nxdomain after 1 try",
                dnsResult(DnsResolver.SOURCE_NONE, 0, DnsResolver.ERROR_NXDOMAIN, 1, 0, 0, 0x9));
        assertTrue(alert(j.nextSequence() - 1));
        assertEquals("DNS lab.test failed: nxdomain (cached)",
                dnsResult(DnsResolver.SOURCE_CACHE, 0, DnsResolver.ERROR_NXDOMAIN, 0, 0, 30, -1));
        assertEquals("DNS lab.test failed: no answer (timeout) after 6 tries",
                dnsResult(DnsResolver.SOURCE_NONE, 0, DnsResolver.ERROR_TIMEOUT, 6, 0, 0, 0x9));
    }

    @Test
    void unreadableFramesSayWhy() {
        long s = j.record(Journey.FRAME_UNREADABLE, Journey.IN, 0, -1, JourneyTap.UNREADABLE_TCP, 60,
                io.ethling.stack.tcp.TcpSegment.ERR_CHECKSUM, 0, 0);
        assertEquals("unreadable tcp frame (checksum), 60 B", JourneyLadder.label(j, s));
        assertTrue(alert(s));
        s = j.record(Journey.FRAME_UNREADABLE, Journey.IN, 0, -1, JourneyTap.UNREADABLE_IPV4, 60, Ipv4Packet.ERR_FRAGMENT, 0, 0);
        assertEquals("unreadable ipv4 frame (fragment), 60 B", JourneyLadder.label(j, s));
        s = j.record(Journey.FRAME_UNREADABLE, Journey.IN, 0, -1, JourneyTap.UNREADABLE_DNS, 90, -10, 0, 0);
        assertEquals("unreadable dns frame (" + io.ethling.stack.dns.DnsName.describe(-10) + "), 90 B", JourneyLadder.label(j, s));
        s = j.record(Journey.FRAME_UNREADABLE, Journey.IN, 0, -1, JourneyTap.UNREADABLE_DHCP, 300, 3, 0, 0);
        assertEquals("unreadable dhcp frame (option runs past the end), 300 B", JourneyLadder.label(j, s));
    }

    @Test
    void httpPhasesAndTheFetchOutcome() {
        byte[] why = "TCP: refused".getBytes(StandardCharsets.US_ASCII);
        j.httpPhase(1, Journey.HTTP_FAILED, 4, why, 0, why.length, 0);
        long s = j.nextSequence() - 1;
        assertEquals("failed: TCP: refused (4)", JourneyLadder.label(j, s));
        assertTrue(alert(s));
        j.httpPhase(1, Journey.HTTP_HEADERS_DONE, -1, 1);
        assertEquals("HTTP headers done (chunked or to close)", JourneyLadder.label(j, j.nextSequence() - 1));
        j.httpPhase(1, Journey.HTTP_REUSED, 0, 2);
        assertEquals("HTTP reused connection", JourneyLadder.label(j, j.nextSequence() - 1));
        j.fetchEnd(7, 0, why, 0, why.length, 3);
        s = j.nextSequence() - 1;
        assertEquals("TCP: refused, 0 B of body", JourneyLadder.label(j, s));
        assertTrue(alert(s));
    }

    @Test
    void icmpErrorsByName() {
        long s = j.record(Journey.ICMP, Journey.IN, SERVER, -1, 3, 3, 0, 28, 0);
        assertEquals("ICMP port unreachable", JourneyLadder.label(j, s));
        s = j.record(Journey.ICMP, Journey.IN, SERVER, -1, 11, 0, 0, 28, 0);
        assertEquals("ICMP time exceeded in transit", JourneyLadder.label(j, s));
        s = j.record(Journey.ICMP, Journey.IN, SERVER, -1, 5, 1, 0, 28, 0);
        assertEquals("ICMP type 5 code 1", JourneyLadder.label(j, s));
    }

    @Test
    void segmentsWithTheirFlagsAndNumbers() {
        long s = j.record(Journey.TCP_SEGMENT, Journey.IN, SERVER, 0, 5, 6, Journey.FLAG_RST | Journey.FLAG_ACK, (49152L << 16) | 80, 0);
        assertEquals("RST-ACK ack=6", JourneyLadder.label(j, s));
        assertTrue(alert(s), "a reset is trouble");
        s = j.record(Journey.TCP_SEGMENT, Journey.OUT, SERVER, 0, 0xFFFF_FFFFL, 6,
                Journey.FLAG_FIN | Journey.FLAG_PSH | Journey.FLAG_ACK | (3L << 16), (49152L << 16) | 80, 0);
        assertEquals("FIN-PSH-ACK seq=4294967295 ack=6 len=3", JourneyLadder.label(j, s));
        JourneyLadder.Row row = JourneyLadder.build(j).rows().get(1);
        assertEquals("203.0.113.1:80", row.peer());
        assertEquals(JourneyLadder.Lane.SEND, row.lane());
    }
}
