package io.ethling.tools.journey;

import io.ethling.stack.journey.Journey;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The renderers against golden files (src/test/resources/journey/). After a deliberate change
 * of the drawing, regenerate them with {@code -Djourney.golden.update=true} and review the diff.
 */
class JourneyRenderTest {

    static final Path GOLDEN = Path.of("src", "test", "resources", "journey");

    static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        Files.createDirectories(Path.of("target", "journey"));
        Files.writeString(Path.of("target", "journey", name), actual, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("journey.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(expected, actual, name + " differs from its golden file (new output in target/journey/" + name + ")");
    }

    @Test
    void textLadderOfTheSyntheticFetch() throws IOException {
        String text = JourneyText.render(SyntheticFetch.journey());
        System.out.println(text);
        assertGolden("synthetic-fetch.txt", text);
    }

    @Test
    void svgOfTheSyntheticFetch() throws IOException {
        assertGolden("synthetic-fetch.svg", JourneySvg.render(SyntheticFetch.journey()));
    }

    @Test
    void theLadderTellsTheStoryInOrderWithItsNumbers() {
        JourneyLadder.Ladder ladder = JourneyLadder.build(SyntheticFetch.journey());
        List<String> labels = ladder.rows().stream().map(JourneyLadder.Row::label).toList();
        long c = SyntheticFetch.ISN_BOARD & 0xFFFF_FFFFL;
        long s = SyntheticFetch.ISN_SERVER & 0xFFFF_FFFFL;
        String[] story = {
            "fetch http://www.lab.test/index.html",
            "ARP who-has 203.0.113.1? tell 203.0.113.50",
            "ARP 203.0.113.1 is-at 02:45:00:00:00:0b",
            "DNS query id=0x5ac3 A www.lab.test",
            "DNS answer id=0x5ac3 www.lab.test CNAME lab.test A 203.0.113.1 ttl=60",
            "DNS www.lab.test = 203.0.113.1 from server 203.0.113.1, id 0x5ac3, ttl 60 s, 1 CNAME",
            "TCP CLOSED -> SYN-SENT",
            "SYN seq=" + c + " win=4096",
            "SYN-ACK seq=" + s + " ack=" + (c + 1) + " win=29200",
            "TCP SYN-SENT -> ESTABLISHED",
            "ACK ack=" + (s + 1),
            "PSH-ACK seq=" + (c + 1) + " ack=" + (s + 1) + " len=" + SyntheticFetch.REQUEST.length() + " \"GET /index.html HTTP/1.1\"",
            "RETRANSMISSION PSH-ACK seq=" + (c + 1),
            "\"HTTP/1.1 200 OK\"",
            "TCP ESTABLISHED -> FIN-WAIT-1",
            "FIN-ACK seq=",
            "TCP FIN-WAIT-1 -> FIN-WAIT-2",
            "TCP FIN-WAIT-2 -> TIME-WAIT",
            "HTTP 200, 26 B of body",
            "TCP TIME-WAIT -> CLOSED",
        };
        int at = 0;
        for (String step : story) {
            int found = -1;
            for (int i = at; i < labels.size(); i++) {
                if (labels.get(i).startsWith(step) || labels.get(i).endsWith(step)) {
                    found = i;
                    break;
                }
            }
            assertTrue(found >= 0, "step '" + step + "' missing after row " + at + " in:\n" + String.join("\n", labels));
            at = found + 1;
        }
        assertEquals(1, ladder.retransmissions());
        assertEquals(2 * SyntheticFetch.REQUEST.length(), ladder.tcpBytesOut());
        assertEquals(SyntheticFetch.RESPONSE.length(), ladder.tcpBytesIn());
        assertEquals(60_204.01, ladder.totalMs(), 1e-6, "first event to TIME-WAIT's end");
    }

    @Test
    void statsOfTheSyntheticFetch() {
        JourneyStats st = JourneyStats.of(SyntheticFetch.journey());
        assertEquals(26, st.bytes(), "body bytes from the HTTP client");
        assertEquals(1.420, st.dnsMs(), 1e-9, "fetch start to the resolver's result");
        assertEquals(0.830, st.connectMs(), 1e-9, "SYN out 1.470 to SYN-ACK in 2.300");
        assertEquals(200.770, st.ttfbMs(), 1e-9, "request 2.330 (lost, sent again at 202.340) to response 203.100");
        assertEquals(203.050, st.totalMs(), 1e-9, "first frame 0.050 to last data 203.100");
        assertEquals(1, st.retransmits());
        assertEquals("stats bytes=26 dns.ms=1.420 connect.ms=0.830 ttfb.ms=200.770 total.ms=203.050 mbps=0.001 retransmits=1",
                st.kvLine());
        JourneyStats empty = JourneyStats.of(new Journey(16));
        assertEquals("stats bytes=0 dns.ms=-1 connect.ms=-1 ttfb.ms=-1 total.ms=-1 mbps=-1 retransmits=0", empty.kvLine());
    }

    @Test
    void aWrappedRingSaysSoAndKeepsTheNewest() {
        Journey j = new Journey(16);
        for (int i = 0; i < 20; i++) {
            j.arpCacheHit(0x0A00_0001 + i, 0x02_00_00_00_00_01L, i * 1_000_000L);
        }
        String text = JourneyText.render(j);
        assertTrue(text.startsWith("(4 earlier events were overwritten: the ring was full)\n"), text);
        assertTrue(text.contains("ARP cache: 10.0.0.20 is-at"), text);
        assertTrue(text.contains("ARP cache: 10.0.0.5 is-at"), text);
        assertTrue(!text.contains("10.0.0.4 is-at"), text);
        assertEquals(16, text.lines().filter(l -> l.contains("ARP cache:")).count(), text);
        assertTrue(JourneySvg.render(j).contains("(4 earlier events were overwritten)"));
    }

    @Test
    void svgEscapesTextFromTheWire() {
        Journey j = new Journey(16);
        byte[] line = "GET /?a=<b>&c=\"d\" HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
        j.record(Journey.HTTP_REQUEST, Journey.OUT, 0x0A000001, -1, 0, 0, 0, 0, 0);
        j.appendText(line, 0, line.length);
        String svg = JourneySvg.render(j);
        assertTrue(svg.contains("GET /?a=&lt;b&gt;&amp;c=&quot;d&quot; HTTP/1.1"), svg);
        assertTrue(!svg.contains("<b>"), svg);
    }

    @Test
    void wrapKeepsEveryCharacter() {
        String label = "DNS www.very-long-name.example.test = 203.0.113.1 from server 203.0.113.1, id 0x5ac3, ttl 60 s";
        List<String> lines = JourneyText.wrap(label, 20);
        assertEquals(label.replace(" ", ""), String.join("", lines).replace(" ", ""));
        for (String l : lines) {
            assertTrue(l.length() <= 20, l);
        }
    }
}
