package io.ethling.stack.http;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpFailureTest {

    @Test
    void everyLineFitsTheLcdAndNamesItsPhase() {
        byte[] b = new byte[64];
        Set<String> lines = new HashSet<>();
        for (int code = 1; code < HttpFailure.COUNT; code++) {
            String s = HttpFailure.text(code, 503);
            assertTrue(s.length() <= 32, "fits 16x2: " + s);
            assertTrue(s.length() <= 17, "one LCD line (17 only for the issue's own \"DNS: no such name\"): " + s);
            assertTrue(s.startsWith("DNS: ") || s.startsWith("ARP: ") || s.startsWith("TCP: ") || s.startsWith("HTTP")
                || s.startsWith("Fetch: ") || s.equals("Cancelled"), s);
            assertTrue(lines.add(s), "each failure has its own line: " + s);
            assertEquals(s.length(), HttpFailure.line(code, 503, b, 3));
        }
        assertEquals("HTTP 404", HttpFailure.text(HttpFailure.HTTP_STATUS, 404));
        assertEquals("HTTP 500", HttpFailure.text(HttpFailure.HTTP_STATUS, 500));
        assertEquals("", HttpFailure.text(HttpFailure.NONE, 0));
        assertEquals("", HttpFailure.text(-5, 0));
    }

    @Test
    void counterNamesAreUnique() {
        HttpClient c = new HttpClient(new FakeNetwork(1), new HttpTestKit.Sink(), new HttpClient.Config());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < c.counters().size(); i++) {
            assertTrue(names.add(c.counters().name(i)), c.counters().name(i));
        }
    }
}
