package io.ethling.stack.journey;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JourneyTest {

    static String text(Journey j, long seq) {
        byte[] b = new byte[Journey.TEXT_LENGTH];
        int n = j.copyText(seq, b, 0);
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void recordsAndReadsBackEveryField() {
        Journey j = new Journey(16);
        long s = j.record(Journey.TCP_SEGMENT, Journey.OUT, 0x0A000001, 3, 1, 2, 3, 4, 1234L);
        assertEquals(0, s);
        assertEquals(Journey.TCP_SEGMENT, j.kind(s));
        assertEquals(Journey.OUT, j.direction(s));
        assertEquals(0x0A000001, j.peer(s));
        assertEquals(3, j.handle(s));
        assertEquals(1, j.a(s));
        assertEquals(2, j.b(s));
        assertEquals(3, j.c(s));
        assertEquals(4, j.d(s));
        assertEquals(1234L, j.timeNs(s));
        assertEquals(0, j.textLength(s));
        assertEquals(1, j.size());
    }

    @Test
    void wrapsKeepingTheNewestAndCountsWhatWasLost() {
        Journey j = new Journey(16);
        for (int i = 0; i < 40; i++) {
            j.record(Journey.ICMP, Journey.IN, 0, -1, i, 0, 0, 0, i * 10L);
        }
        assertEquals(24, j.firstSequence());
        assertEquals(40, j.nextSequence());
        assertEquals(16, j.size());
        assertEquals(24, j.overwritten());
        for (long s = j.firstSequence(); s < j.nextSequence(); s++) {
            assertEquals(s, j.a(s), "event " + s);
        }
        assertFalse(j.contains(23));
        assertThrows(IllegalArgumentException.class, () -> j.kind(23));
        assertThrows(IllegalArgumentException.class, () -> j.kind(40));
    }

    @Test
    void clearStartsANewStoryWithoutReusingSequenceNumbers() {
        Journey j = new Journey(16);
        for (int i = 0; i < 5; i++) {
            j.record(Journey.ICMP, Journey.IN, 0, -1, i, 0, 0, 0, i);
        }
        j.clear();
        assertEquals(0, j.size());
        assertEquals(5, j.firstSequence());
        long s = j.record(Journey.ICMP, Journey.IN, 0, -1, 99, 0, 0, 0, 9);
        assertEquals(5, s);
        assertEquals(1, j.size());
        assertEquals(0, j.overwritten());
    }

    @Test
    void textIsCutAtTheSlotAndMadePrintable() {
        Journey j = new Journey(16);
        long s = j.record(Journey.HTTP_REQUEST, Journey.OUT, 0, -1, 0, 0, 0, 0, 0);
        byte[] line = new byte[200];
        java.util.Arrays.fill(line, (byte) 'x');
        line[0] = 7;
        line[1] = (byte) 0xC3;
        j.appendText(line, 0, line.length);
        assertEquals(Journey.TEXT_LENGTH, j.textLength(s));
        assertTrue(text(j, s).startsWith("??xxx"), text(j, s));
        j.appendChar('!');                       // full: ignored
        assertEquals(Journey.TEXT_LENGTH, j.textLength(s));
    }

    @Test
    void namesAreWrittenDottedAndMalformedOnesStop() {
        Journey j = new Journey(16);
        long s = j.record(Journey.DNS_QUERY, Journey.OUT, 0, -1, 0, 0, 0, 0, 0);
        byte[] name = JourneyFrames.encode("www.lab.test");
        j.appendName(name, 0, name.length);
        assertEquals("www.lab.test", text(j, s));

        s = j.record(Journey.DNS_QUERY, Journey.OUT, 0, -1, 0, 0, 0, 0, 0);
        j.appendName(new byte[] {0}, 0, 1);
        assertEquals(".", text(j, s));

        s = j.record(Journey.DNS_QUERY, Journey.OUT, 0, -1, 0, 0, 0, 0, 0);
        j.appendName(new byte[] {3, 'a', 'b', 'c', 9, 'x'}, 0, 6);   // the second label overruns
        assertEquals("abc", text(j, s));

        s = j.record(Journey.DNS_QUERY, Journey.OUT, 0, -1, 0, 0, 0, 0, 0);
        j.appendName(new byte[] {(byte) 0xC0, 12}, 0, 2);            // a pointer is not a label here
        assertEquals("", text(j, s));
    }

    @Test
    void badCapacityIsRefusedWithOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Journey(3));
        assertEquals("journey capacity must be 16..1048576 events, not 3", e.getMessage());
    }

    @Test
    void theApiForTcpHttpAndArpRecordsItsNumbers() {
        Journey j = new Journey(16);
        j.stateChange(1, 0x0A000001, Journey.TCP_SYN_SENT, Journey.TCP_ESTABLISHED, 0xF000_0001, 77, 5);
        long s = j.nextSequence() - 1;
        assertEquals(Journey.TCP_STATE, j.kind(s));
        assertEquals(Journey.TCP_SYN_SENT, j.a(s));
        assertEquals(Journey.TCP_ESTABLISHED, j.b(s));
        assertEquals(0xF000_0001L, j.c(s), "sequence numbers are kept unsigned");
        byte[] loc = "/next".getBytes(StandardCharsets.US_ASCII);
        j.httpPhase(1, Journey.HTTP_REDIRECT, 301, loc, 0, loc.length, 6);
        s = j.nextSequence() - 1;
        assertEquals("/next", text(j, s));
        assertEquals(301, j.b(s));
        j.arpCacheHit(0x0A000001, 0x0245_0000_000BL, 7);
        s = j.nextSequence() - 1;
        assertEquals(Journey.ARP_CACHE_HIT, j.kind(s));
        assertEquals(0x0245_0000_000BL, j.b(s));
        j.retransmissionTimeout(1, 0x0A000001, 100, 50, 1_000_000_000L, 8);
        assertEquals(Journey.TCP_TIMEOUT, j.kind(j.nextSequence() - 1));
    }
}
