package io.ethling.stack.http;

import io.ethling.stack.util.Prng;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.ethling.stack.http.HttpTestKit.HOST;
import static io.ethling.stack.http.HttpTestKit.IP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded mutations of good responses (bit flips, bytes replaced by CR, LF, NUL, ':' or digits,
 * insertions, deletions, truncation), fed to the parser in random pieces and to the whole
 * client: nothing throws, every fetch ends in DONE or FAILED with a line, the body never holds
 * more bytes than the server sent, and no socket or resolve handle is left behind
 * (RELIABILITY.md G2; a quick per-build run, the seed printed on failure).
 */
class HttpMutationFuzzTest {

    private static final long SEED = Long.getLong("http.fuzz.seed", 0xF022L);

    private static final String[] SEEDS = {
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\nETag: \"x\"\r\n\r\nHello, world",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nHello\r\n7\r\n, world\r\n0\r\nT: v\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\nmissing",
        "HTTP/1.1 301 Moved\r\nLocation: /elsewhere?x=1\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc",
        "HTTP/1.1 204 No Content\r\nLast-Modified: Sat, 21 Nov 2026 06:00:00 GMT\r\n\r\n",
    };

    private static byte[] mutate(Prng r, byte[] in) {
        byte[] b = new byte[in.length + 8];
        int n = in.length;
        System.arraycopy(in, 0, b, 0, n);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && n > 0; e++) {
            int at = r.nextInt(n);
            switch (r.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) "\r\n\0: 9-;\t".charAt(r.nextInt(9));
                case 2 -> {
                    if (n < b.length) {
                        System.arraycopy(b, at, b, at + 1, n - at);
                        b[at] = (byte) r.nextInt(256);
                        n++;
                    }
                }
                case 3 -> {
                    System.arraycopy(b, at + 1, b, at, n - at - 1);
                    n--;
                }
                case 4 -> n = at; // truncation
                default -> b[at] = (byte) ('0' + r.nextInt(10));
            }
        }
        return java.util.Arrays.copyOf(b, n);
    }

    @Test
    void theParserAlwaysStopsWithinItsInput() {
        Prng r = new Prng(SEED);
        HttpResponseParser p = new HttpResponseParser(8192, 100, 16, 10, 1300, 128);
        long[] body = {0};
        p.sink(new BodySink() {
            @Override
            public void onStatus(int code) {
            }

            @Override
            public void onBody(byte[] b, int off, int len) {
                body[0] += len;
            }

            @Override
            public void onEnd(boolean complete) {
            }
        });
        for (int i = 0; i < 30_000; i++) {
            byte[] in = mutate(r, SEEDS[r.nextInt(SEEDS.length)].getBytes(StandardCharsets.ISO_8859_1));
            body[0] = 0;
            p.reset(r.nextInt(8) == 0);
            int at = 0;
            int steps = 0;
            try {
                while (at < in.length) {
                    int piece = Math.min(in.length - at, 1 + r.nextInt(20));
                    // each piece flush against the end of its own array: a read past it throws
                    byte[] buf = java.util.Arrays.copyOfRange(in, at, at + piece);
                    int off = 0;
                    while (off < piece) {
                        int c = p.feed(buf, off, piece - off);
                        off += c;
                        int s = p.state();
                        if (s == HttpResponseParser.STATE_HEADERS) {
                            p.startBody();
                        } else if (s == HttpResponseParser.STATE_COMPLETE || s == HttpResponseParser.STATE_ERROR) {
                            break;
                        } else if (c == 0) {
                            fail("stalled (seed " + SEED + ", case " + i + ")");
                        }
                        if (++steps > 10_000) {
                            fail("unbounded (seed " + SEED + ", case " + i + ")");
                        }
                    }
                    at += off;
                    if (p.state() == HttpResponseParser.STATE_COMPLETE || p.state() == HttpResponseParser.STATE_ERROR) {
                        break;
                    }
                }
                int end = p.finish(at > 0);
                assertTrue(end == HttpResponseParser.STATE_COMPLETE || end == HttpResponseParser.STATE_ERROR, "seed " + SEED + ", case " + i);
                assertTrue(body[0] <= in.length, "more body than input (seed " + SEED + ", case " + i + ")");
                if (end == HttpResponseParser.STATE_ERROR) {
                    assertTrue(p.error() > 0 && p.error() < HttpFailure.COUNT);
                }
            } catch (RuntimeException e) {
                throw new AssertionError("case " + i + " threw (seed " + SEED + "): "
                    + new String(in, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n"), e);
            }
        }
    }

    @Test
    void theClientAlwaysEndsAndGivesEverythingBack() {
        Prng r = new Prng(SEED + 1);
        HttpTestKit k = new HttpTestKit(SEED, true);
        byte[][] reply = {new byte[0]};
        int[] end = {0};
        k.net.server(IP, 80, (c, i) -> c.reply(i == 0 ? reply[0] : "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz".getBytes(StandardCharsets.US_ASCII),
            0, end[0]));
        HttpUrl url = HttpUrl.of("http://" + HOST + "/");
        int done = 0;
        for (int i = 0; i < 3_000; i++) {
            reply[0] = mutate(r, SEEDS[r.nextInt(SEEDS.length)].getBytes(StandardCharsets.ISO_8859_1));
            end[0] = r.nextInt(3);
            k.net.maxPiece = 1 + r.nextInt(100);
            k.client.clearCache();
            k.client.closeAll(k.now);
            int state = k.fetch(url);
            assertTrue(state == HttpClient.STATE_DONE || state == HttpClient.STATE_FAILED, "seed " + SEED + ", case " + i);
            assertEquals(1, k.sink.endCalls, "one end per fetch (seed " + SEED + ", case " + i + ")");
            assertTrue(k.sink.length <= reply[0].length, "seed " + SEED + ", case " + i);
            if (state == HttpClient.STATE_FAILED) {
                assertTrue(!k.client.failureText().isEmpty());
            } else {
                done++;
            }
            assertTrue(k.net.openHandles() <= 1, "seed " + SEED + ", case " + i);
            k.assertNoLeaks();
        }
        assertTrue(done > 0 && done < 3_000, "the mutations reach both outcomes: " + done);
    }
}
