package io.ethling.tools;

import io.ethling.stack.HostNetwork;
import io.ethling.stack.http.BodySink;
import io.ethling.stack.http.HttpClient;
import io.ethling.stack.http.HttpUrl;
import io.ethling.tools.net.NetworkOptions;
import io.ethling.tools.net.Session;
import io.ethling.tools.pcap.Tshark;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `ethling fetch` in the lab, through the real driver, the emulated chip and a TAP, against
 * dnsmasq (DHCP, DNS) and nginx in a namespace the test creates — issue 5's acceptance list.
 */
class FetchLabTest {

    record Result(int code, String err, long millis) {
    }

    static Result fetch(Session s, String url, Path out, boolean journey, Path pcap) throws Exception {
        FetchCommand c = new FetchCommand();
        c.url = url;
        c.output = out;
        c.journey = journey;
        c.pcap = pcap;
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = c.fetch(s, HttpUrl.of(url), new PrintWriter(err, true));
        return new Result(code, err.toString(), (System.nanoTime() - t0) / 1_000_000L);
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    static NetworkOptions.Resolved dhcp(long mac) {
        NetworkOptions.Resolved o = new NetworkOptions.Resolved();
        o.mac = mac;
        return o;
    }

    @Test
    void theAcceptanceListThroughTheLab() throws Exception {
        Lab.assumeAvailable();
        try (Lab lab = new Lab("2m")) {
            Path www = Path.of("/tmp/ethling-lab-" + lab.ns + "/www");
            Path dir = Files.createTempDirectory("ethling-fetch-lab");
            Path out = dir.resolve("body");
            try (Session s = new Session(dhcp(0x02_45_54_48_00_05L), new WireOptions(), lab.tap)) {
                // a cold fetch by name, with the journey and a capture
                Path pcap = dir.resolve("cold.pcap");
                Result r = fetch(s, "http://lab.test/index.html", out, true, pcap);
                assertEquals(0, r.code(), r.err());
                assertArrayEquals(Files.readAllBytes(www.resolve("index.html")), Files.readAllBytes(out));
                assertInOrder(r.err(), "fetch http://lab.test/index.html", "DNS query", "lab.test", "A",
                        "SYN seq=", "SYN-ACK", "ESTABLISHED", "HTTP request sent", "HTTP status 200",
                        "FIN-WAIT-1", "FIN-ACK", "TIME-WAIT");
                assertTrue(r.err().contains("/index.html HTTP/1.1"), "the request line on the wire");
                assertTrue(r.err().contains("ARP who-has 203.0.113.1") || r.err().contains("ARP cache"), "the ARP step: " + r.err());
                if (Tshark.find() != null) {
                    assertEquals("", Tshark.read(pcap, "-Y", "_ws.malformed").strip(), "malformed frames in the capture");
                    assertTrue(Tshark.summary(pcap).size() >= 10);
                } else {
                    System.out.println(Tshark.MISSING);
                }

                // 1 MiB and 10 MiB, byte-exact
                for (String f : new String[] {"1m.bin", "10m.bin"}) {
                    r = fetch(s, "http://lab.test/" + f, out, false, null);
                    assertEquals(0, r.code(), f + ": " + r.err());
                    assertEquals(sha256(www.resolve(f)), sha256(out), f);
                    System.out.println(f + ": " + r.millis() + " ms");
                }
                // a CNAME'd name, a chunked response, a redirect chain
                r = fetch(s, "http://www.lab.test/index.html", out, false, null);
                assertEquals(0, r.code(), r.err());
                r = fetch(s, "http://lab.test/chunked", out, false, null);
                assertEquals(0, r.code(), r.err());
                assertEquals("chunked body\n", Files.readString(out));
                r = fetch(s, "http://lab.test/redirect1", out, false, null);
                assertEquals(0, r.code(), r.err());
                assertArrayEquals(Files.readAllBytes(www.resolve("index.html")), Files.readAllBytes(out));
                // a 404 with its exit code; a closed port failing fast with "refused"
                r = fetch(s, "http://lab.test/nosuch", out, false, null);
                assertEquals(ExitCodes.HTTP_STATUS, r.code(), r.err());
                assertTrue(r.err().startsWith("HTTP 404"), r.err());
                r = fetch(s, "http://203.0.113.1:81/", out, false, null);
                assertEquals(ExitCodes.TCP_REFUSED, r.code(), r.err());
                assertTrue(r.err().startsWith("TCP: refused"), r.err());
                assertTrue(r.millis() < 1_000, "refused fails fast: " + r.millis() + " ms");
                r = fetch(s, "http://nosuch.lab.test/", out, false, null);
                assertEquals(ExitCodes.DNS, r.code(), r.err());

                // the second fetch on a kept-alive connection takes one round trip: no new connection
                Counting sink = new Counting();
                HttpClient client = new HttpClient(new HostNetwork(s.host), sink, new HttpClient.Config());
                s.work(new Session.Work() {
                    @Override
                    public int poll(long nowNs) {
                        return client.poll(nowNs);
                    }

                    @Override
                    public long pollAtNs(long nowNs) {
                        return client.pollAtNs(nowNs);
                    }
                });
                HttpUrl index = HttpUrl.of("http://lab.test/index.html");
                client.start(index, s.nowNs());
                assertTrue(s.runUntil(() -> client.state() >= HttpClient.STATE_DONE, 10_000_000_000L));
                long connects = s.host.tcp().counters().value("tcp.connects");
                long segmentsOut = s.host.tcp().counters().value("tcp.tx.segments");
                client.start(index, s.nowNs());
                assertTrue(s.runUntil(() -> client.state() >= HttpClient.STATE_DONE, 10_000_000_000L));
                assertEquals(HttpClient.STATE_DONE, client.state(), client.failureText());
                assertEquals(connects, s.host.tcp().counters().value("tcp.connects"), "the kept-alive connection was reused");
                long sent = s.host.tcp().counters().value("tcp.tx.segments") - segmentsOut;
                assertTrue(sent <= 2, "one exchange: the request (and at most one ACK), not " + sent + " segments");
                client.closeAll(s.nowNs());
                s.work(null);
            }

            // faults on the wire: --drop 5 --reorder 5 --duplicate 1 --corrupt 1, still byte-exact
            WireOptions faults = new WireOptions();
            faults.drop = 5;
            faults.reorder = 5;
            faults.duplicate = 1;
            faults.corrupt = 1;
            faults.seed = 77L;
            try (Session s = new Session(dhcp(0x02_45_54_48_00_06L), faults, lab.tap)) {
                Result r = fetch(s, "http://lab.test/1m.bin", out, false, null);
                assertEquals(0, r.code(), r.err());
                assertEquals(sha256(www.resolve("1m.bin")), sha256(out), "1 MiB through drop 5, reorder 5, duplicate 1, corrupt 1 (seed 77)");
                assertTrue(s.wire.counters().value("dropped") > 0 && s.wire.counters().value("corrupted") > 0);
            }
        }
    }

    static void assertInOrder(String text, String... parts) {
        int at = 0;
        for (String p : parts) {
            int i = text.indexOf(p, at);
            assertTrue(i >= 0, "'" + p + "' missing (after position " + at + ") in:\n" + text);
            at = i + p.length();
        }
    }

    static final class Counting implements BodySink {
        long bytes;

        @Override
        public void onStatus(int code) {
        }

        @Override
        public void onBody(byte[] b, int off, int len) {
            bytes += len;
        }

        @Override
        public void onEnd(boolean complete) {
        }
    }
}
