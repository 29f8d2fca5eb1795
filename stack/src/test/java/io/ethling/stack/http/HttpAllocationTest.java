package io.ethling.stack.http;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.ethling.stack.http.HttpTestKit.HOST;
import static io.ethling.stack.http.HttpTestKit.IP;
import static io.ethling.stack.http.HttpTestKit.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero bytes allocated per warm fetch (DESIGN.md "Allocation-free steady state", RELIABILITY.md
 * §0.2(4), §5.5): by name on a new connection with a 16 KiB page, on a kept-alive connection
 * (chunked), through a redirect, answered 304 from the cache, and the malformed and failing
 * paths (bad length, non-HTTP, too many 1xx, bare CR, RST mid-body, a stalled body). The fake
 * network and the sink allocate nothing after set-up, so what is measured is the client. The JIT
 * may allocate a few bytes once, so several rounds are measured and one must be clean; a real
 * per-fetch allocation would show in every round.
 */
class HttpAllocationTest {

    private static final long SEED = 0xA110CA7EL;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final int PAGE_BYTES = 16 * 1024;
    private static final int SCENARIOS = 10;

    private final HttpTestKit kit;
    private final HttpUrl page = HttpUrl.of("http://" + HOST + "/page");
    private final HttpUrl redirect = HttpUrl.of("http://" + HOST + "/old");
    private final HttpUrl cached = HttpUrl.of("http://" + HOST + "/cached");
    private final HttpUrl literal = HttpUrl.of("http://203.0.113.80/x");
    private int scenario;
    private int hop;

    private final byte[] closePage = ascii("HTTP/1.1 200 OK\r\nContent-Length: " + PAGE_BYTES + "\r\nConnection: close\r\n\r\n");
    private final byte[] chunkedPage;
    private final byte[] moved = ascii("HTTP/1.1 302 Found\r\nLocation: /new\r\nContent-Length: 5\r\n\r\nmoved");
    private final byte[] small = ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    private final byte[] withEtag = ascii("HTTP/1.1 200 OK\r\nETag: \"v7\"\r\nContent-Length: 5\r\n\r\ncache");
    private final byte[] notModified = ascii("HTTP/1.1 304 Not Modified\r\nETag: \"v7\"\r\n\r\n");
    private final byte[] badLength = ascii("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nxx");
    private final byte[] ssh = ascii("SSH-2.0-OpenSSH_9.2\r\n");
    private final byte[] interim = ascii("HTTP/1.1 100 Continue\r\n\r\n".repeat(11) + "HTTP/1.1 200 OK\r\n\r\n");
    private final byte[] bareCr = ascii("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n");
    private final byte[] resetHead = ascii("HTTP/1.1 200 OK\r\nContent-Length: 8000\r\n\r\n");
    private final byte[] stalled = ascii("HTTP/1.1 200 OK\r\nContent-Length: 8000\r\n\r\nabc");

    HttpAllocationTest() {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 4; i++) {
            sb.append("1000;part=").append(i).append("\r\n").append(String.valueOf((char) ('a' + i)).repeat(4096)).append("\r\n");
        }
        sb.append("0\r\nX-Trailer: done\r\n\r\n");
        chunkedPage = ascii(sb.toString());
        HttpClient.Config cfg = new HttpClient.Config();
        cfg.bodyIdleTimeoutNs = 2 * HttpTestKit.S;
        kit = new HttpTestKit(SEED, true, cfg);
        kit.net.server(IP, 80, (c, i) -> {
            switch (scenario) {
                case 0 -> c.reply(closePage, PAGE_BYTES, FakeNetwork.END_FIN);
                case 1 -> c.reply(chunkedPage, 0, FakeNetwork.END_KEEP);
                case 2 -> c.reply(hop++ == 0 ? moved : small, 0, FakeNetwork.END_KEEP);
                case 3 -> c.reply(hop++ == 0 ? withEtag : notModified, 0, FakeNetwork.END_KEEP);
                case 4 -> c.reply(badLength, 0, FakeNetwork.END_KEEP);
                case 5 -> c.reply(ssh, 0, FakeNetwork.END_FIN);
                case 6 -> c.reply(interim, 0, FakeNetwork.END_KEEP);
                case 7 -> c.reply(bareCr, 0, FakeNetwork.END_KEEP);
                case 8 -> {
                    c.reply(resetHead, 8000, FakeNetwork.END_KEEP);
                    c.rstAt = resetHead.length + 2000;
                }
                default -> c.reply(stalled, 0, FakeNetwork.END_KEEP);
            }
        });
    }

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** One fetch of each scenario; returns how many ended as expected. */
    private int round() {
        int good = 0;
        for (int s = 0; s < SCENARIOS; s++) {
            scenario = s;
            int state;
            switch (s) {
                case 0 -> state = kit.fetch(page);
                case 1 -> state = kit.fetch(literal);
                case 2 -> {
                    hop = 0;
                    state = kit.fetch(redirect);
                }
                case 3 -> {
                    // the first fetch fills the cache, the second is a 304 from it
                    kit.client.clearCache();
                    hop = 0;
                    kit.fetch(cached);
                    state = kit.fetch(cached);
                    if (!kit.client.notModified()) {
                        state = -1;
                    }
                }
                default -> state = kit.fetch(page);
            }
            boolean expectOk = s <= 3;
            if (state == (expectOk ? HttpClient.STATE_DONE : HttpClient.STATE_FAILED)) {
                good++;
            }
        }
        return good;
    }

    @Test
    void warmFetchesAllocateNothing() {
        for (int i = 0; i < 400; i++) {
            assertEquals(SCENARIOS, round(), "warm-up round " + i + " (seed " + SEED + ")");
        }
        long best = Long.MAX_VALUE;
        StringBuilder seen = new StringBuilder();
        for (int r = 0; r < 5; r++) {
            long before = allocated();
            int good = 0;
            for (int i = 0; i < 50; i++) {
                good += round();
            }
            long bytes = allocated() - before;
            assertEquals(50 * SCENARIOS, good, "seed " + SEED);
            seen.append(bytes).append(' ');
            best = Math.min(best, bytes);
        }
        assertEquals(0, best, "bytes allocated per round of " + 50 * (SCENARIOS + 1) + " fetches: " + seen + "(seed " + SEED + ")");
        assertTrue(kit.client.counters().value("http.fail.http.length.bad") > 0);
        kit.assertNoLeaks();
    }

    @Test
    void aTenMebibytePageStreamsWithoutAllocating() {
        HttpTestKit k = new HttpTestKit(SEED, false);
        long size = 10L << 20;
        byte[] head = ascii("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n");
        k.net.server(IP, 80, (c, i) -> c.reply(head, size, FakeNetwork.END_KEEP));
        k.sink.generatedFrom = 0;
        for (int i = 0; i < 3; i++) {
            k.fetch(page);
            k.assertDone();
        }
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            long before = allocated();
            k.fetch(page);
            best = Math.min(best, allocated() - before);
            k.assertDone();
            assertEquals(size, k.sink.length);
            assertTrue(k.sink.generatedOk);
        }
        assertEquals(0, best, "bytes allocated while streaming 10 MiB (seed " + SEED + ")");
    }

    @Test
    void warmFetchesThroughTheRealResolverAllocateNothing() {
        // the name from the stack's DnsResolver (hosts table), a new TCP connection, a 16 KiB page
        io.ethling.stack.dns.HostsTable hosts = new io.ethling.stack.dns.HostsTable(4);
        hosts.add("board.lan", IP);
        io.ethling.stack.dns.DnsResolver resolver = new io.ethling.stack.dns.DnsResolver(new ResolverNetworkTest.Transport(),
            new io.ethling.stack.util.Prng(SEED), hosts, new io.ethling.stack.dns.DnsCache(8));
        FakeNetwork tcp = new FakeNetwork(SEED);
        tcp.dirty = true;
        tcp.server(IP, 80, (c, i) -> c.reply(closePage, PAGE_BYTES, FakeNetwork.END_FIN));
        HttpTestKit.Sink sink = new HttpTestKit.Sink();
        HttpClient client = new HttpClient(new ResolverNetworkTest.Hybrid(resolver, tcp), sink, new HttpClient.Config());
        HttpUrl url = HttpUrl.of("http://board.lan/page");
        long[] now = {1_000_000_000_000L};
        Runnable fetch = () -> {
            sink.reset();
            client.start(url, now[0]);
            for (int i = 0; i < 100_000 && client.state() == HttpClient.STATE_BUSY; i++) {
                tcp.nowNs = now[0];
                resolver.poll(now[0]);
                if (client.poll(now[0]) == 0) {
                    now[0] += 1_000_000;
                }
            }
            if (client.state() != HttpClient.STATE_DONE || sink.length != PAGE_BYTES) {
                throw new AssertionError("fetch failed: " + client.failureText() + " (seed " + SEED + ")");
            }
        };
        for (int i = 0; i < 3_000; i++) {
            fetch.run();
        }
        long best = Long.MAX_VALUE;
        StringBuilder seen = new StringBuilder();
        for (int r = 0; r < 5; r++) {
            long before = allocated();
            for (int i = 0; i < 200; i++) {
                fetch.run();
            }
            long bytes = allocated() - before;
            seen.append(bytes).append(' ');
            best = Math.min(best, bytes);
        }
        assertEquals(0, best, "bytes allocated per 200 fetches: " + seen + "(seed " + SEED + ")");
        assertEquals(3_000 + 1_000, client.counters().value("http.connects"), "a new connection every time");
    }
}
