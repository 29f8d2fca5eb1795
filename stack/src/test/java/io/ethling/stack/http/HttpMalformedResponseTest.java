package io.ethling.stack.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ethling.stack.http.HttpTestKit.HOST;
import static io.ethling.stack.http.HttpTestKit.IP;
import static io.ethling.stack.http.HttpTestKit.S;
import static io.ethling.stack.http.HttpTestKit.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RELIABILITY.md §1.3 "HTTP/1.1 client", P1–P15, through the whole client and a scripted server,
 * each run with a clean and with a dirty receive buffer (§0.2(6)). Beside each case's own
 * expectation, every run checks the standard ones that apply to a client: no exception escapes,
 * the failure is named in one LCD line, the socket and the resolve handle are given back, the
 * bad connection is never kept for reuse, no second request goes out on it, and the client
 * fetches a good page right afterwards. Zero allocation on these paths is checked by
 * {@link HttpAllocationTest}.
 */
class HttpMalformedResponseTest {

    private static final long SEED = 0xBADF00DL;
    private static final HttpUrl PAGE = HttpUrl.of("http://" + HOST + "/");
    private static final String GOOD = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngood";
    private static final String OK = "HTTP/1.1 200 OK\r\n";

    /** A server that sends {@code bad} first, then good pages. */
    private static HttpTestKit badThenGood(boolean dirty, String bad, int end) {
        HttpTestKit k = new HttpTestKit(SEED, dirty);
        byte[] b = ascii(bad);
        byte[] g = ascii(GOOD);
        int[] n = {0};
        k.net.server(IP, 80, (c, i) -> {
            if (n[0]++ == 0) {
                c.reply(b, 0, end);
            } else {
                c.reply(g, 0, FakeNetwork.END_KEEP);
            }
        });
        return k;
    }

    /** Fetches once (the bad response), expects {@code line}, then checks the standard things. */
    private static HttpTestKit expectRejected(boolean dirty, String bad, int end, String line) {
        return expectRejected(dirty, bad, end, line, "");
    }

    /** As above; {@code bodyBefore} is what the sink may have seen before the fault showed. */
    private static HttpTestKit expectRejected(boolean dirty, String bad, int end, String line, String bodyBefore) {
        HttpTestKit k = badThenGood(dirty, bad, end);
        k.fetch(PAGE);
        k.assertFailed(line);
        assertEquals(bodyBefore, k.sink.text(), "body delivered before the fault");
        assertFalse(k.sink.complete, "a rejected response is never complete");
        assertEquals(1, k.sink.endCalls);
        assertEquals(0, k.client.idleConnections(), "a connection that carried junk is not kept");
        assertEquals(1, k.net.lastConn.requests, "nothing more is sent on it");
        k.assertNoLeaks();
        recovers(k);
        return k;
    }

    private static void recovers(HttpTestKit k) {
        k.fetch(PAGE);
        k.assertDone();
        assertEquals("good", k.sink.text());
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p1ContentLengthThatIsNotDigitsIsRejected(boolean dirty) {
        for (String v : new String[] {"-1", "+5", "  5 ", "5x", "0x10"}) {
            expectRejected(dirty, OK + "Content-Length: " + v + "\r\n\r\nhello", FakeNetwork.END_KEEP, "HTTP: bad length");
        }
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p2ContentLengthOverflowIsDetected(boolean dirty) {
        expectRejected(dirty, OK + "Content-Length: 99999999999999999999\r\n\r\nhello", FakeNetwork.END_KEEP, "HTTP: bad length");
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p3DisagreeingContentLengthsAreRejected(boolean dirty) {
        expectRejected(dirty, OK + "Content-Length: 5\r\nContent-Length: 50\r\n\r\nhello", FakeNetwork.END_KEEP, "HTTP: 2 lengths");
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p4ChunkedWinsOverContentLengthAndTheConnectionIsClosed(boolean dirty) {
        HttpTestKit k = badThenGood(dirty, OK + "Content-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n", FakeNetwork.END_KEEP);
        k.fetch(PAGE);
        k.assertDone();
        assertEquals("abcde", k.sink.text());
        assertEquals(0, k.client.idleConnections(), "closed afterwards (RFC 9112 §6.3)");
        recovers(k);
        assertEquals(2, k.net.connects);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p5BadChunkFramingIsRejectedWithBoundedWork(boolean dirty) {
        String te = OK + "Transfer-Encoding: chunked\r\n\r\n";
        expectRejected(dirty, te + "FFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n", FakeNetwork.END_KEEP, "HTTP: bad chunk");
        expectRejected(dirty, te + "-5\r\nabcde\r\n0\r\n\r\n", FakeNetwork.END_KEEP, "HTTP: bad chunk");
        // the 3 data bytes go out before the missing CRLF shows
        expectRejected(dirty, te + "3\r\nabcXY0\r\n\r\n", FakeNetwork.END_KEEP, "HTTP: bad chunk", "abc");
        String hugeExt = te + "3;" + "x".repeat(100_000) + "\r\nabc\r\n0\r\n\r\n";
        HttpTestKit k = expectRejected(dirty, hugeExt, FakeNetwork.END_KEEP, "HTTP: chunk ext");
        assertTrue(k.net.delivered < 8192 + 2 * 1460 + 4 + 200, "stopped reading after " + k.net.delivered + " bytes");
        String hugeTrailer = te + "0\r\n" + "T: " + "y".repeat(100_000) + "\r\n\r\n";
        k = expectRejected(dirty, hugeTrailer, FakeNetwork.END_KEEP, "HTTP: bad trailer");
        assertTrue(k.net.delivered < 8192 + 2 * 1460 + 4 + 200, "stopped reading after " + k.net.delivered + " bytes");
        expectRejected(dirty, te + "0\r\n" + "T: 1\r\n".repeat(5_000) + "\r\n", FakeNetwork.END_KEEP, "HTTP: bad trailer");
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p6OverlongLinesAndTooManyHeadersAreRejected(boolean dirty) {
        HttpTestKit k = expectRejected(dirty, "HTTP/1.1 200 " + "O".repeat(9_000), FakeNetwork.END_KEEP, "HTTP: long status");
        assertTrue(k.net.delivered < 8192 + 2 * 1460 + 4, "bounded: " + k.net.delivered);
        expectRejected(dirty, OK + "X-Long: " + "v".repeat(9_000) + "\r\n\r\n", FakeNetwork.END_KEEP, "HTTP: long header");
        expectRejected(dirty, OK + "X: 1\r\n".repeat(101) + "Content-Length: 0\r\n\r\n", FakeNetwork.END_KEEP, "HTTP: many hdrs");
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p7ShortBodyIsIncompleteAndExtraBytesAreNeverBody(boolean dirty) {
        expectRejected(dirty, OK + "Content-Length: 20\r\n\r\n10 bytes..", FakeNetwork.END_FIN, "HTTP: incomplete", "10 bytes..");
        // longer than Content-Length: exactly the declared bytes, the rest dropped with the connection
        HttpTestKit k = badThenGood(dirty, OK + "Content-Length: 5\r\n\r\nhelloSMUGGLED", FakeNetwork.END_KEEP);
        k.net.maxPiece = 10_000; // one piece: the extra bytes arrive with the body
        k.fetch(PAGE);
        k.assertDone();
        assertEquals("hello", k.sink.text());
        assertEquals(1, k.client.counters().value("http.stray.bytes"));
        assertEquals(0, k.client.idleConnections());
        recovers(k);
        assertEquals(2, k.net.connects);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p8SlowlorisMeetsTheIdleAndTheOverallDeadline(boolean dirty) {
        for (int variant = 0; variant < 2; variant++) {
            HttpClient.Config cfg = new HttpClient.Config();
            cfg.bodyIdleTimeoutNs = variant == 0 ? 5 * S : 15 * S;
            cfg.firstByteTimeoutNs = 15 * S;
            cfg.totalTimeoutNs = 60 * S;
            HttpTestKit k = new HttpTestKit(SEED, dirty, cfg);
            k.net.server(IP, 80, (c, i) -> {
                c.reply(ascii(OK + "Content-Length: 1000\r\n\r\n"), 1000, FakeNetwork.END_KEEP);
                c.dripNs = 10 * S;
                c.nextDripNs = k.net.nowNs + 10 * S;
            });
            long t0 = k.now;
            k.fetch(PAGE);
            if (variant == 0) {
                k.assertFailed("HTTP: stalled");
                assertTrue(k.now - t0 > 15 * S && k.now - t0 < 15 * S + 100 * HttpTestKit.MS,
                    "first byte at 10 s, then 5 s idle: " + (k.now - t0));
            } else {
                k.assertFailed("Fetch: timeout");
                assertEquals(60 * S, k.now - t0);
            }
            assertEquals(0, k.net.openHandles(), "the socket is released");
            k.assertNoLeaks();
        }
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p9NonHttpAnswersAreRejected(boolean dirty) {
        expectRejected(dirty, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", FakeNetwork.END_KEEP, "HTTP: not HTTP");
        expectRejected(dirty, "<html><body>HTTP/0.9 page</body></html>", FakeNetwork.END_FIN, "HTTP: not HTTP");
        expectRejected(dirty, "HTTP/1.1 999 Whatever\r\nContent-Length: 0\r\n\r\n", FakeNetwork.END_KEEP, "HTTP: bad status");
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p10InterimResponsesAreSkippedUpToTen(boolean dirty) {
        String hundred = "HTTP/1.1 100 Continue\r\n\r\n";
        HttpTestKit k = badThenGood(dirty, hundred.repeat(10) + GOOD, FakeNetwork.END_KEEP);
        k.fetch(PAGE);
        k.assertDone();
        assertEquals("good", k.sink.text());
        expectRejected(dirty, hundred.repeat(11) + GOOD, FakeNetwork.END_KEEP, "HTTP: many 1xx");
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p11NulBareCrAndObsFoldAreRejected(boolean dirty) {
        expectRejected(dirty, OK + "X-A: a\u0000b\r\nContent-Length: 0\r\n\r\n", FakeNetwork.END_KEEP, "HTTP: bad header");
        expectRejected(dirty, OK + "X-A: a\rb\r\nContent-Length: 0\r\n\r\n", FakeNetwork.END_KEEP, "HTTP: bad CR/LF");
        expectRejected(dirty, OK + "X-A: a\r\n\tb\r\nContent-Length: 0\r\n\r\n", FakeNetwork.END_KEEP, "HTTP: folded hdr");
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p12CrOrLfFromTheApplicationIsRefusedBeforeSending(boolean dirty) {
        assertThrows(IllegalArgumentException.class, () -> HttpUrl.of("http://" + HOST + "/a\r\nX-Injected: 1"));
        assertThrows(IllegalArgumentException.class, () -> HttpUrl.of("http://" + HOST + "/a\nb"));
        HttpClient.Config cfg = new HttpClient.Config();
        cfg.userAgent = "ethling\r\nX-Injected: 1";
        HttpTestKit ok = new HttpTestKit(SEED, dirty);
        assertThrows(IllegalArgumentException.class, () -> new HttpClient(ok.net, ok.sink, cfg));
        // the writer double-checks every variable part (a validator from a server, say)
        HttpRequestWriter w = new HttpRequestWriter("ua", "*/*");
        byte[] dst = new byte[512];
        byte[] tag = ascii("\"a\"\r\nX-Injected: 1");
        assertEquals(HttpRequestWriter.ERR_INJECTION, w.write(dst, 0, dst.length, HttpRequestWriter.METHOD_GET, PAGE, true,
            tag, 0, tag.length, tag, 0, 0));
        // an encoded CR LF in a redirect stays encoded on the wire
        HttpTestKit k = new HttpTestKit(SEED, dirty);
        k.net.server(IP, 80, (c, i) -> c.reply(ascii(i == 0
            ? "HTTP/1.1 302 Found\r\nLocation: /a%0D%0AX-Injected:%201\r\nContent-Length: 0\r\n\r\n" : GOOD), 0, FakeNetwork.END_KEEP));
        k.fetch(PAGE);
        k.assertDone();
        String second = k.net.lastConn.request(1);
        assertTrue(second.startsWith("GET /a%0D%0AX-Injected:%201 HTTP/1.1\r\n"), second);
        assertFalse(second.contains("\r\nX-Injected"));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p13RedirectLoopsStopAfterFive(boolean dirty) {
        HttpTestKit k = new HttpTestKit(SEED, dirty);
        k.net.server(IP, 80, (c, i) -> c.reply(ascii("HTTP/1.1 301 Moved\r\nLocation: /\r\nContent-Length: 0\r\n\r\n"), 0, FakeNetwork.END_KEEP));
        k.fetch(PAGE);
        k.assertFailed("HTTP: redir loop");
        assertTrue(k.client.redirects() <= 5);
        // a loop through ever-new URLs is stopped by the count
        k = new HttpTestKit(SEED, dirty);
        k.net.server(IP, 80, (c, i) -> c.reply(ascii("HTTP/1.1 302 Found\r\nLocation: /n" + i + "\r\nContent-Length: 0\r\n\r\n"), 0, FakeNetwork.END_KEEP));
        k.fetch(PAGE);
        k.assertFailed("HTTP: >5 redirs");
        assertEquals(6, k.net.lastConn.requests, "the original request and five redirects, no more");
        k.assertNoLeaks();
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p14BytesAfterABodilessResponseAreNotBody(boolean dirty) {
        String[] bodiless = {
            "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nSTRAY",
            OK + "Content-Length: 5\r\n\r\nSTRAY", // to HEAD
        };
        for (int v = 0; v < bodiless.length; v++) {
            HttpTestKit k = badThenGood(dirty, bodiless[v], FakeNetwork.END_KEEP);
            k.net.maxPiece = 10_000; // the stray bytes arrive in the same read
            k.fetch(PAGE, v == 1 ? HttpRequestWriter.METHOD_HEAD : HttpRequestWriter.METHOD_GET);
            k.assertDone();
            assertEquals(0, k.sink.length, "no body");
            assertEquals(0, k.client.idleConnections(), "not reused after stray bytes");
            recovers(k); // the next response parses cleanly, on a new connection
            assertEquals(2, k.net.connects);
        }
        // stray bytes that arrive later, while the connection is idle: dropped before reuse
        HttpTestKit k = new HttpTestKit(SEED, dirty);
        int[] n = {0};
        k.net.server(IP, 80, (c, i) -> {
            if (n[0]++ == 0) {
                c.reply(ascii("HTTP/1.1 304 Not Modified\r\n\r\n"), 0, FakeNetwork.END_KEEP);
                c.late = ascii("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nEVIL");
            } else {
                c.reply(ascii(GOOD), 0, FakeNetwork.END_KEEP);
            }
        });
        k.fetch(PAGE);
        k.assertFailed("HTTP 304"); // unsolicited, not from our cache
        assertEquals(1, k.client.idleConnections());
        recovers(k);
        assertEquals(2, k.net.connects);
        assertEquals(1, k.client.counters().value("http.keepalive.stale"));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void p15ResetInTheMiddleOfTheBodyIsACleanError(boolean dirty) {
        String head = OK + "Content-Length: 10000\r\n\r\n";
        HttpTestKit k = new HttpTestKit(SEED, dirty);
        int[] n = {0};
        k.net.server(IP, 80, (c, i) -> {
            if (n[0]++ == 0) {
                c.reply(ascii(head), 10_000, FakeNetwork.END_KEEP);
                c.rstAt = head.length() + 3_000;
            } else {
                c.reply(ascii(GOOD), 0, FakeNetwork.END_KEEP);
            }
        });
        k.sink.generatedFrom = 0;
        k.fetch(PAGE);
        k.assertFailed("TCP: reset");
        assertEquals(HttpClient.PHASE_BODY, k.client.phase());
        assertEquals(3_000, k.sink.length, "every byte before the RST, none after");
        assertTrue(k.sink.generatedOk);
        assertFalse(k.sink.complete);
        assertEquals(0, k.net.openHandles(), "the socket went back");
        k.assertNoLeaks();
        k.sink.generatedFrom = -1;
        recovers(k);
    }
}
