package io.ethling.stack.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ethling.stack.http.HttpTestKit.HOST;
import static io.ethling.stack.http.HttpTestKit.IP;
import static io.ethling.stack.http.HttpTestKit.IP2;
import static io.ethling.stack.http.HttpTestKit.MS;
import static io.ethling.stack.http.HttpTestKit.S;
import static io.ethling.stack.http.HttpTestKit.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fetch state machine against a scripted server on a virtual clock: every scenario runs
 * with a clean and with a dirty receive buffer, responses cut into seeded random pieces.
 */
class HttpClientTest {

    private static final long SEED = 0x5EED_4770L;
    private static final HttpUrl PAGE = HttpUrl.of("http://" + HOST + "/index.html");
    private static final String OK_HEADERS = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\n";

    private static HttpTestKit kit(boolean dirty) {
        return new HttpTestKit(SEED, dirty);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void simpleFetchByNameWritesTheRequestInOneSend(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.serve(OK_HEADERS + "Content-Length: 12\r\n\r\nHello, board", FakeNetwork.END_KEEP);
        k.fetch(PAGE);
        k.assertDone();
        assertEquals(200, k.sink.status);
        assertEquals("Hello, board", k.sink.text());
        assertTrue(k.sink.complete);
        assertEquals(1, k.sink.endCalls);
        assertEquals("GET /index.html HTTP/1.1\r\nHost: www.example.test\r\nUser-Agent: ethling/0.1\r\n"
            + "Accept: text/html,text/plain;q=0.9,*/*;q=0.5\r\nAccept-Encoding: identity\r\n"
            + "Connection: keep-alive\r\n\r\n", k.net.lastConn.request(0));
        assertEquals(1, k.net.lastConn.maxSendCallsPerRequest, "the request must go in one send");
        assertEquals(12, k.client.bodyBytes());
        assertEquals(3 * MS, k.client.dnsNs());
        assertEquals(3 * MS, k.client.connectNs()); // 1 ms ARP + 2 ms handshake
        assertTrue(k.client.ttfbNs() >= 0);
        assertTrue(k.client.totalNs(k.now) >= 6 * MS);
        assertEquals(1, k.client.idleConnections());
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void ipLiteralSkipsDnsAndSendsThePort(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.net.server(IP, 8080, (c, i) -> c.reply(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), 0, FakeNetwork.END_KEEP));
        k.fetch(HttpUrl.of("http://203.0.113.80:8080/a?b=c"));
        k.assertDone();
        assertEquals(0, k.net.resolves);
        assertTrue(k.net.lastConn.request(0).startsWith("GET /a?b=c HTTP/1.1\r\nHost: 203.0.113.80:8080\r\n"));
        assertEquals("ok", k.sink.text());
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void chunkedWithExtensionsAndTrailers(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nHello\r\n1A\r\n, a chunked page of bytes!\r\n0\r\nX-Checksum: 12\r\nX-Other: y\r\n\r\n",
            FakeNetwork.END_KEEP);
        k.fetch(PAGE);
        k.assertDone();
        assertEquals("Hello, a chunked page of bytes!", k.sink.text());
        assertEquals(1, k.client.idleConnections(), "chunked framing keeps the connection");
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void closeDelimitedBodyEndsAtFin(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.serve("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end", FakeNetwork.END_FIN);
        k.fetch(PAGE);
        k.assertDone();
        assertEquals("until the end", k.sink.text());
        assertEquals(0, k.client.idleConnections());
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void http10WithoutKeepAliveIsNotReused(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.serve("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nold", FakeNetwork.END_FIN);
        k.fetch(PAGE);
        k.assertDone();
        assertEquals(0, k.client.idleConnections());
        k.fetch(PAGE);
        k.assertDone();
        assertEquals(2, k.net.connects);
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void interimResponsesAreSkipped(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.serve("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody", FakeNetwork.END_KEEP);
        k.fetch(PAGE);
        k.assertDone();
        assertEquals(200, k.sink.status);
        assertEquals(1, k.sink.statusCalls);
        assertEquals("body", k.sink.text());
        assertEquals(2, k.client.counters().value("http.interim"));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void noBodyFor204And304AndHead(boolean dirty) {
        HttpTestKit k = kit(dirty);
        String[] replies = {
            "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", // to HEAD
        };
        int[] n = {0};
        k.net.server(IP, 80, (c, i) -> c.reply(ascii(replies[n[0]]), 0, FakeNetwork.END_KEEP));
        k.fetch(PAGE);
        k.assertDone();
        assertEquals(204, k.sink.status);
        assertEquals(0, k.sink.length);
        assertTrue(k.sink.complete);
        n[0] = 1;
        k.fetch(PAGE, HttpRequestWriter.METHOD_HEAD);
        k.assertDone();
        assertEquals(200, k.sink.status);
        assertEquals(0, k.sink.length);
        assertTrue(k.net.lastConn.request(1).startsWith("HEAD /index.html HTTP/1.1\r\n"));
        assertEquals(1, k.net.connects, "both on one kept-alive connection");
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void unsolicited304IsAFailureWithoutBody(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.serve("HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n", FakeNetwork.END_KEEP);
        k.fetch(PAGE);
        k.assertFailed("HTTP 304");
        assertEquals(0, k.sink.length);
        assertTrue(k.sink.complete);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void redirectChainRelativeAndAbsolute(boolean dirty) {
        HttpTestKit k = kit(dirty);
        // www: /index.html -> 301 ../a/b (relative) -> 302 /c?x=1 -> 307 to other host -> 200
        k.net.server(IP, 80, (c, i) -> {
            String req = c.request(i);
            if (req.startsWith("GET /index.html ")) {
                c.reply(ascii("HTTP/1.1 301 Moved\r\nLocation: ../a/b\r\nContent-Length: 9\r\n\r\nmoved it!"), 0, FakeNetwork.END_KEEP);
            } else if (req.startsWith("GET /a/b ")) {
                c.reply(ascii("HTTP/1.1 302 Found\r\nLocation: /c?x=1#frag\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"), 0, FakeNetwork.END_KEEP);
            } else if (req.startsWith("GET /c?x=1 ")) {
                c.reply(ascii("HTTP/1.1 307 Temporary\r\nLocation: http://other.example.test:80/final\r\nContent-Length: 0\r\n\r\n"), 0, FakeNetwork.END_KEEP);
            } else {
                c.reply(ascii("HTTP/1.1 400 Bad\r\nContent-Length: 0\r\n\r\n"), 0, FakeNetwork.END_KEEP);
            }
        });
        k.net.server(IP2, 80, (c, i) -> c.reply(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal"), 0, FakeNetwork.END_KEEP));
        k.fetch(PAGE);
        k.assertDone();
        assertEquals("final", k.sink.text(), "redirect bodies are never delivered");
        assertEquals(1, k.sink.statusCalls);
        assertEquals(3, k.client.redirects());
        assertEquals("http://other.example.test/final", k.client.url().toString());
        assertEquals(2, k.net.connects, "the three requests to www share one connection");
        assertEquals(2, k.net.resolves);
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void redirectLoopStops(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.net.server(IP, 80, (c, i) -> c.reply(ascii(c.request(i).startsWith("GET /index.html ")
            ? "HTTP/1.1 302 Found\r\nLocation: /other\r\nContent-Length: 0\r\n\r\n"
            : "HTTP/1.1 302 Found\r\nLocation: index.html\r\nContent-Length: 0\r\n\r\n"), 0, FakeNetwork.END_KEEP));
        k.fetch(PAGE);
        k.assertFailed("HTTP: redir loop");
        assertEquals(2, k.client.redirects());
        assertEquals(1, k.sink.endCalls);
        assertFalse(k.sink.complete);
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void fiveRedirectsAreFollowedButNotSix(boolean dirty) {
        for (int hops = 5; hops <= 6; hops++) {
            HttpTestKit k = kit(dirty);
            int last = hops;
            k.net.server(IP, 80, (c, i) -> {
                String req = c.request(i);
                int at = req.startsWith("GET /index.html ") ? 0 : req.charAt(6) - '0';
                c.reply(ascii(at < last
                    ? "HTTP/1.1 308 Permanent\r\nLocation: /r" + (at + 1) + "\r\nContent-Length: 0\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone"), 0, FakeNetwork.END_KEEP);
            });
            k.fetch(PAGE);
            if (hops == 5) {
                k.assertDone();
                assertEquals("done", k.sink.text());
            } else {
                k.assertFailed("HTTP: >5 redirs");
            }
            k.assertNoLeaks();
        }
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void redirectWithoutLocationOrToHttpsFails(boolean dirty) {
        HttpTestKit k = kit(dirty);
        String[] reply = {"HTTP/1.1 301 Moved\r\nContent-Length: 0\r\n\r\n"};
        k.net.server(IP, 80, (c, i) -> c.reply(ascii(reply[0]), 0, FakeNetwork.END_KEEP));
        k.fetch(PAGE);
        k.assertFailed("HTTP: bad redir");
        reply[0] = "HTTP/1.1 301 Moved\r\nLocation: https://www.example.test/\r\nContent-Length: 0\r\n\r\n";
        k.fetch(PAGE);
        k.assertFailed("HTTP: to https");
        reply[0] = "HTTP/1.1 301 Moved\r\nLocation: http://user@www.example.test/\r\nContent-Length: 0\r\n\r\n";
        k.fetch(PAGE);
        k.assertFailed("HTTP: bad redir");
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void notFoundDeliversItsBodyAndFailsWithHttp404(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.serve("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot here!", FakeNetwork.END_KEEP);
        k.fetch(PAGE);
        k.assertFailed("HTTP 404");
        assertEquals(404, k.client.status());
        assertEquals(404, k.sink.status);
        assertEquals("not here!", k.sink.text());
        assertTrue(k.sink.complete);
        assertEquals(1, k.client.idleConnections(), "a 404 does not spoil the connection");
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void refusedConnectionFailsFast(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.net.server(IP, 80, null).mode = FakeNetwork.REFUSE;
        long t0 = k.now;
        k.fetch(PAGE);
        k.assertFailed("TCP: refused");
        assertEquals(HttpClient.PHASE_CONNECT, k.client.phase());
        assertTrue(k.now - t0 < 10 * MS, "refused fails at once, not at a deadline");
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void dnsFailuresNameTheirCause(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.net.nameFails("silent.test", HttpNetwork.RESOLVE_NO_REPLY, 6 * S);
        k.net.nameFails("nx.test", HttpNetwork.RESOLVE_NO_SUCH_NAME, 5 * MS);
        k.net.nameFails("nodata.test", HttpNetwork.RESOLVE_NO_ADDRESS, 5 * MS);
        k.net.nameFails("servfail.test", HttpNetwork.RESOLVE_FAILED, 5 * MS);
        k.fetch(HttpUrl.of("http://silent.test/"));
        k.assertFailed("DNS: no reply");
        assertEquals(HttpClient.PHASE_DNS, k.client.phase());
        k.fetch(HttpUrl.of("http://nx.test/"));
        k.assertFailed("DNS: no such name");
        k.fetch(HttpUrl.of("http://nodata.test/"));
        k.assertFailed("DNS: no address");
        k.fetch(HttpUrl.of("http://servfail.test/"));
        k.assertFailed("DNS: failed");
        assertEquals(0, k.net.connects);
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void everyPhaseHasItsDeadline(boolean dirty) {
        HttpClient.Config cfg = new HttpClient.Config();
        cfg.dnsTimeoutNs = 2 * S;
        cfg.arpTimeoutNs = 3 * S;
        cfg.connectTimeoutNs = 4 * S;
        cfg.firstByteTimeoutNs = 5 * S;
        cfg.bodyIdleTimeoutNs = 6 * S;
        cfg.totalTimeoutNs = 60 * S;
        // DNS: a name nobody answers
        HttpTestKit k = new HttpTestKit(SEED, dirty, cfg);
        long t0 = k.now;
        k.fetch(HttpUrl.of("http://unknown.test/"));
        k.assertFailed("DNS: timeout");
        assertEquals(2 * S, k.now - t0);
        k.assertNoLeaks();
        // ARP: the next hop never answers
        k = new HttpTestKit(SEED, dirty, cfg);
        k.net.server(IP, 80, null).mode = FakeNetwork.NO_ARP;
        t0 = k.now;
        k.fetch(PAGE);
        k.assertFailed("ARP: timeout");
        assertEquals(HttpClient.PHASE_ARP, k.client.phase());
        assertEquals(3 * MS + 3 * S, k.now - t0);
        k.assertNoLeaks();
        // connect: SYNs into a black hole
        k = new HttpTestKit(SEED, dirty, cfg);
        k.net.server(IP, 80, null).mode = FakeNetwork.BLACKHOLE;
        t0 = k.now;
        k.fetch(PAGE);
        k.assertFailed("TCP: timeout");
        assertEquals(3 * MS + 1 * MS + 4 * S, k.now - t0);
        k.assertNoLeaks();
        // first byte: the server reads the request and says nothing
        k = new HttpTestKit(SEED, dirty, cfg);
        k.net.server(IP, 80, null);
        t0 = k.now;
        k.fetch(PAGE);
        k.assertFailed("HTTP: no answer");
        assertEquals(HttpClient.PHASE_FIRST_BYTE, k.client.phase());
        assertEquals(6 * MS + 5 * S, k.now - t0);
        k.assertNoLeaks();
        // body: the headers come, then nothing
        k = new HttpTestKit(SEED, dirty, cfg);
        k.serve("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this", FakeNetwork.END_KEEP);
        k.fetch(PAGE);
        k.assertFailed("HTTP: stalled");
        assertEquals(HttpClient.PHASE_BODY, k.client.phase());
        assertEquals("only this", k.sink.text());
        assertFalse(k.sink.complete);
        k.assertNoLeaks();
        // overall: a slow drip that keeps every idle deadline happy
        k = new HttpTestKit(SEED, dirty, cfg);
        k.net.server(IP, 80, (c, i) -> {
            c.reply(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"), 100_000, FakeNetwork.END_KEEP);
            c.dripNs = 1 * S;
        });
        t0 = k.now;
        k.fetch(PAGE);
        k.assertFailed("Fetch: timeout");
        assertEquals(60 * S, k.now - t0);
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void arpFailureAndIcmpUnreachableAreNamed(boolean dirty) {
        HttpTestKit k = kit(dirty);
        FakeNetwork.Server s = k.net.server(IP, 80, null);
        s.mode = FakeNetwork.NO_ARP;
        s.failAfterNs = 1 * S;
        k.fetch(PAGE);
        k.assertFailed("ARP: no reply");
        s.mode = FakeNetwork.UNREACHABLE;
        s.failAfterNs = 5 * MS;
        k.fetch(PAGE);
        k.assertFailed("TCP: unreachable");
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void keepAliveReusesTheConnection(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.serve(OK_HEADERS + "Content-Length: 5\r\n\r\nfirst", FakeNetwork.END_KEEP);
        k.fetch(PAGE);
        k.assertDone();
        long t0 = k.now;
        k.fetch(HttpUrl.of("http://" + HOST + "/second"));
        k.assertDone();
        assertEquals(1, k.net.connects, "no new connect for the second fetch");
        assertEquals(2, k.net.lastConn.requests);
        assertEquals(0, k.client.connectNs());
        assertEquals(1, k.client.counters().value("http.keepalive.reused"));
        assertTrue(k.now - t0 <= 4 * MS, "only the (cached-by-resolver) DNS step and one exchange");
        // idle too long: closed, and the next fetch connects again
        k.idle(16 * S);
        assertEquals(0, k.client.idleConnections());
        assertEquals(0, k.net.openHandles());
        k.fetch(PAGE);
        k.assertDone();
        assertEquals(2, k.net.connects);
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void serverClosingTheIdleConnectionOrResettingItIsSurvived(boolean dirty) {
        HttpTestKit k = kit(dirty);
        int[] n = {0};
        k.net.server(IP, 80, (c, i) -> {
            n[0]++;
            if (n[0] == 2) {
                c.reply(new byte[0], 0, FakeNetwork.END_RST); // the kept connection dies under the request
            } else {
                c.reply(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), 0, FakeNetwork.END_KEEP);
            }
        });
        k.fetch(PAGE);
        k.assertDone();
        k.fetch(PAGE);
        k.assertDone();
        assertEquals("ok", k.sink.text());
        assertEquals(2, k.net.connects, "retried once on a new connection");
        assertEquals(1, k.client.counters().value("http.keepalive.retried"));
        // the server closes the idle connection: noticed, and a new one is made
        k.net.lastConn.end = FakeNetwork.END_FIN;
        k.idle(1 * S);
        assertEquals(0, k.client.idleConnections());
        k.fetch(PAGE);
        k.assertDone();
        assertEquals(3, k.net.connects);
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void conditionalGetServesA304FromTheCache(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.net.server(IP, 80, (c, i) -> {
            String req = c.request(i);
            if (req.contains("If-None-Match: \"v1\"\r\n") && req.contains("If-Modified-Since: Sat, 21 Nov 2026 06:00:00 GMT\r\n")) {
                c.reply(ascii("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n"), 0, FakeNetwork.END_KEEP);
            } else {
                c.reply(ascii("HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nLast-Modified: Sat, 21 Nov 2026 06:00:00 GMT\r\n"
                    + "Content-Length: 11\r\n\r\ncached page"), 0, FakeNetwork.END_KEEP);
            }
        });
        k.fetch(PAGE);
        k.assertDone();
        assertFalse(k.client.notModified());
        assertFalse(k.net.lastConn.request(0).contains("If-None-Match"));
        long rx1 = k.client.bytesReceived();
        k.fetch(PAGE);
        k.assertDone();
        assertTrue(k.client.notModified());
        assertEquals(304, k.client.status());
        assertEquals(200, k.sink.status);
        assertEquals("cached page", k.sink.text());
        assertTrue(k.sink.complete);
        assertTrue(k.client.bytesReceived() < rx1, "the second exchange is short");
        assertEquals(1, k.client.counters().value("http.cache.hits"));
        assertEquals(1, k.net.connects);
        // a HEAD never carries validators; another URL is not in the cache
        k.fetch(HttpUrl.of("http://" + HOST + "/other"));
        assertFalse(k.net.lastConn.request(2).contains("If-None-Match"));
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void pagesTooBigForTheCacheAreFetchedInFull(boolean dirty) {
        HttpClient.Config cfg = new HttpClient.Config();
        cfg.cacheBodyBytes = 100;
        HttpTestKit k = new HttpTestKit(SEED, dirty, cfg);
        k.net.server(IP, 80, (c, i) -> c.reply(ascii("HTTP/1.1 200 OK\r\nETag: \"big\"\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "c8\r\n" + "x".repeat(200) + "\r\n0\r\n\r\n"), 0, FakeNetwork.END_KEEP));
        k.fetch(PAGE);
        k.assertDone();
        k.fetch(PAGE);
        k.assertDone();
        assertFalse(k.net.lastConn.request(1).contains("If-None-Match"));
        assertEquals(200, k.sink.length);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void tenMebibytesStreamThroughFixedMemory(boolean dirty) {
        HttpTestKit k = kit(dirty);
        long size = 10L << 20;
        k.net.server(IP, 80, (c, i) -> c.reply(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n"), size, FakeNetwork.END_KEEP));
        k.sink.generatedFrom = 0;
        k.fetch(PAGE);
        k.assertDone();
        assertEquals(size, k.sink.length);
        assertEquals(size, k.client.bodyBytes());
        assertTrue(k.sink.generatedOk, "every byte as sent (seed " + SEED + ")");
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void busyAndUnsetUrlAreRefused(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.serve("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", FakeNetwork.END_KEEP);
        assertEquals(HttpClient.ERR_URL, k.client.start(new HttpUrl(), k.now));
        assertEquals(HttpClient.OK, k.client.start(PAGE, k.now));
        assertEquals(HttpClient.ERR_BUSY, k.client.start(PAGE, k.now));
        k.client.cancel(k.now);
        k.assertFailed("Cancelled");
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void noStoreResponsesAreNotCached(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.serve("HTTP/1.1 200 OK\r\nCache-Control: private, max-age=0, No-Store\r\nETag: \"v\"\r\nContent-Length: 1\r\n\r\nx",
            FakeNetwork.END_KEEP);
        k.fetch(PAGE);
        k.assertDone();
        k.fetch(PAGE);
        k.assertDone();
        assertFalse(k.net.lastConn.request(1).contains("If-None-Match"));
        assertEquals(0, k.client.counters().value("http.cache.stored"));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void sameOutcomeWhateverThePieces(boolean dirty) {
        // byte by byte, small and large random pieces, many seeds: the client sees the same page
        String expected = null;
        for (int maxPiece : new int[] {1, 3, 17, 200, 1500}) {
            for (long seed = 1; seed <= 12; seed++) {
                HttpTestKit k = new HttpTestKit(SEED + seed, dirty);
                k.net.maxPiece = maxPiece;
                k.net.server(IP, 80, (c, i) -> c.reply(ascii(i == 0
                    ? "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 301 Moved\r\nLocation: /b\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1a;x=y\r\nabcdefghijklmnopqrstuvwxyz\r\n3\r\n\r\n\n\r\n0\r\nT: v\r\n\r\n"),
                    0, FakeNetwork.END_KEEP));
                k.fetch(PAGE);
                k.assertDone();
                String got = k.sink.status + " " + k.sink.text() + " " + k.client.redirects() + " " + k.net.connects;
                if (expected == null) {
                    expected = got;
                }
                assertEquals(expected, got, "maxPiece " + maxPiece + ", seed " + (SEED + seed));
            }
        }
        assertEquals("200 abcdefghijklmnopqrstuvwxyz\r\n\n 1 1", expected);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void theListenerHearsEveryStepInOrder(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.net.server(IP, 80, (c, i) -> c.reply(ascii(i == 0
            ? "HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nend"), 0, FakeNetwork.END_KEEP));
        StringBuilder log = new StringBuilder();
        k.client.listener(new HttpClient.Listener() {
            @Override
            public void onPhase(int phase, long nowNs) {
                log.append(HttpClient.PHASE_NAMES[phase]).append(' ');
            }

            @Override
            public void onResolved(int ip, long nowNs) {
                log.append("resolved=").append(Integer.toHexString(ip)).append(' ');
            }

            @Override
            public void onConnection(int socket, int ip, int port, boolean reused, long nowNs) {
                log.append(reused ? "reuse " : "connect ");
            }

            @Override
            public void onRequest(byte[] b, int off, int len, long nowNs) {
                int e = off;
                while (b[e] != '\r') {
                    e++;
                }
                log.append('[').append(new String(b, off, e - off, java.nio.charset.StandardCharsets.US_ASCII)).append("] ");
            }

            @Override
            public void onResponse(int status, long nowNs) {
                log.append(status).append(' ');
            }

            @Override
            public void onRedirect(HttpUrl to, long nowNs) {
                log.append("-> ").append(to).append(' ');
            }

            @Override
            public void onEnd(int failure, int status, long bodyBytes, long nowNs) {
                log.append("end ").append(failure).append(' ').append(status).append(' ').append(bodyBytes);
            }
        });
        k.fetch(PAGE);
        k.assertDone();
        assertEquals("dns resolved=cb007150 connect arp connect first-byte [GET /index.html HTTP/1.1] body 302 "
            + "-> http://www.example.test/next reuse first-byte [GET /next HTTP/1.1] body 200 end 0 200 3", log.toString());
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void theSinkMayStartTheNextFetchFromOnEnd(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.serve("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", FakeNetwork.END_KEEP);
        int[] ends = {0};
        HttpClient[] self = {null};
        BodySink chaining = new BodySink() {
            @Override
            public void onStatus(int code) {
            }

            @Override
            public void onBody(byte[] b, int off, int len) {
            }

            @Override
            public void onEnd(boolean complete) {
                if (++ends[0] < 3) {
                    assertEquals(HttpClient.STATE_DONE, self[0].state());
                    assertEquals(HttpClient.OK, self[0].start(PAGE, k.now));
                }
            }
        };
        HttpClient c = new HttpClient(k.net, chaining, new HttpClient.Config());
        self[0] = c;
        c.start(PAGE, k.now);
        for (int i = 0; i < 10_000 && ends[0] < 3; i++) {
            k.net.nowNs = k.now;
            if (c.poll(k.now) == 0) {
                k.now += MS;
            }
        }
        assertEquals(3, ends[0]);
        assertEquals(HttpClient.STATE_DONE, c.state());
        assertEquals(3, k.net.lastConn.requests, "three fetches on one connection");
        assertEquals(1, k.net.connects);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void noFreeResolveSlotOrSocketIsNamed(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.net.server(IP, 80, null).mode = FakeNetwork.BLACKHOLE;
        // take every resolve slot and every socket of the fake
        for (int i = 0; i < 8; i++) {
            k.net.resolve(new byte[] {'x'}, 0, 1, k.now);
        }
        k.fetch(PAGE);
        k.assertFailed("DNS: busy");
        assertEquals(HttpClient.PHASE_DNS, k.client.phase());
        for (int i = 0; i < 8; i++) {
            k.net.releaseResolve(i);
        }
        for (int i = 0; i < 8; i++) {
            k.net.connect(IP, 80, k.now);
        }
        k.fetch(PAGE);
        k.assertFailed("TCP: no socket");
        assertEquals(HttpClient.PHASE_CONNECT, k.client.phase());
        assertEquals(0, k.net.openResolves());
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void aPeerThatDiesMidBodyIsATimeoutNotAReset(boolean dirty) {
        HttpTestKit k = kit(dirty);
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n";
        k.net.server(IP, 80, (c, i) -> {
            c.reply(ascii(head), 5000, FakeNetwork.END_KEEP);
            c.rstAt = head.length() + 100;
            c.failWith = HttpNetwork.ERROR_TIMEOUT; // TCP gave up retransmitting (R2)
        });
        k.fetch(PAGE);
        k.assertFailed("TCP: timeout");
        assertEquals(HttpClient.PHASE_BODY, k.client.phase());
        assertEquals(100, k.sink.length);
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void aSendRingSmallerThanTheRequestStillGetsAllOfIt(boolean dirty) {
        HttpTestKit k = kit(dirty);
        k.serve(OK_HEADERS + "Content-Length: 2\r\n\r\nok", FakeNetwork.END_KEEP);
        k.net.sendLimit = 50;
        k.fetch(PAGE);
        k.assertDone();
        assertTrue(k.net.lastConn.request(0).endsWith("Connection: keep-alive\r\n\r\n"));
        assertEquals(1, k.client.counters().value("http.send.partial"));
        assertEquals("text/html", new String(k.client.contentTypeBytes(), 0, k.client.contentTypeLength(),
            java.nio.charset.StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void a304ForAnotherRepresentationDoesNotReviveTheKeptPage(boolean dirty) {
        HttpTestKit k = kit(dirty);
        int[] version = {1};
        k.net.server(IP, 80, (c, i) -> {
            String req = c.request(i);
            String tag = "\"v" + version[0] + "\"";
            if (req.contains("If-None-Match")) {
                // a confused server: 304 with the new tag although we asked about the old one
                c.reply(ascii("HTTP/1.1 304 Not Modified\r\nETag: W/" + tag + "\r\n\r\n"), 0, FakeNetwork.END_KEEP);
            } else {
                c.reply(ascii("HTTP/1.1 200 OK\r\nETag: " + tag + "\r\nContent-Length: 2\r\n\r\nv" + version[0]), 0, FakeNetwork.END_KEEP);
            }
        });
        k.fetch(PAGE);
        k.assertDone();
        // same tag (weakly equal): a cache hit
        k.fetch(PAGE);
        k.assertDone();
        assertTrue(k.client.notModified());
        assertEquals("v1", k.sink.text());
        // another tag: not a hit; asked again without validators, the new page delivered
        version[0] = 2;
        k.fetch(PAGE);
        k.assertDone();
        assertFalse(k.client.notModified());
        assertEquals("v2", k.sink.text());
        assertEquals(1, k.sink.statusCalls);
        assertFalse(k.net.lastConn.request(3).contains("If-None-Match"));
        assertEquals(4, k.net.lastConn.requests);
        assertEquals(1, k.net.connects);
    }
}
