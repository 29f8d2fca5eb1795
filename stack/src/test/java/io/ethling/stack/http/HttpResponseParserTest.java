package io.ethling.stack.http;

import io.ethling.stack.util.Prng;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The response parser alone: every response of a corpus (good ones and every malformed kind of
 * RELIABILITY.md §1.3 P1–P11, P14) gives its expected outcome, and the same outcome whether it
 * is fed whole, byte by byte, or in seeded random pieces — each piece placed in a dirty array
 * (junk after it) or flush against the end of an exactly sized array, so any read past the
 * bytes given would either change the result or throw.
 */
class HttpResponseParserTest {

    private static final long SEED = 0xB0D1E5L;

    /** One response, how it was asked for, and what must come of it. */
    private record Case(String name, String response, boolean head, boolean fin, String expected) {
    }

    private static final String OK = "HTTP/1.1 200 OK\r\n";

    private static List<Case> corpus() {
        List<Case> c = new ArrayList<>();
        // good ones: state, status, body, body mode, keep-alive, bytes consumed
        c.add(new Case("length", OK + "Content-Length: 5\r\n\r\nhello", false, false, "COMPLETE 200 body=hello mode=1 keep=true used=43"));
        c.add(new Case("length no space", OK + "content-length:5\r\n\r\nhello", false, false, "COMPLETE 200 body=hello mode=1 keep=true used=42"));
        c.add(new Case("same length twice", OK + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", false, false, "COMPLETE 200 body=hello mode=1 keep=true used=62"));
        c.add(new Case("zero length", OK + "Content-Length: 0\r\n\r\n", false, false, "COMPLETE 200 body= mode=1 keep=true used=38"));
        c.add(new Case("chunked", OK + "Transfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n", false, false,
            "COMPLETE 200 body=Wikipedia in\r\n\r\nchunks. mode=2 keep=true used=90"));
        c.add(new Case("chunked ext trailer", OK + "Transfer-Encoding: Chunked\r\n\r\n3 ;a=b;c\r\nabc\r\n0\r\nT: 1\r\nU: 2\r\n\r\n", false, false,
            "COMPLETE 200 body=abc mode=2 keep=true used=79"));
        c.add(new Case("chunked upper hex", OK + "Transfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n000\r\n\r\n", false, false,
            "COMPLETE 200 body=0123456789 mode=2 keep=true used=69"));
        c.add(new Case("P4 chunked wins", OK + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n", false, false,
            "COMPLETE 200 body=abcde mode=2 keep=false used=81"));
        c.add(new Case("close delimited", OK + "\r\nto the end", false, true, "COMPLETE 200 body=to the end mode=3 keep=false used=29"));
        c.add(new Case("connection close", OK + "Connection: foo, Close\r\nContent-Length: 1\r\n\r\nx", false, false, "COMPLETE 200 body=x mode=1 keep=false used=63"));
        c.add(new Case("http/1.0 keep-alive", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", false, false, "COMPLETE 200 body=x mode=1 keep=true used=63"));
        c.add(new Case("http/1.0", "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", false, false, "COMPLETE 200 body=x mode=1 keep=false used=39"));
        c.add(new Case("no reason", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", false, false, "COMPLETE 200 body= mode=1 keep=true used=35"));
        c.add(new Case("empty reason", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", false, false, "COMPLETE 200 body= mode=1 keep=true used=36"));
        c.add(new Case("interim", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n" + OK + "Content-Length: 1\r\n\r\nz", false, false,
            "COMPLETE 200 body=z mode=1 keep=true used=91"));
        c.add(new Case("P14 204 then stray", "HTTP/1.1 204 No Content\r\nContent-Length: 4\r\n\r\nJUNK", false, false, "COMPLETE 204 body= mode=0 keep=true used=46"));
        c.add(new Case("P14 304 then stray", "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nJUNK!", false, false, "COMPLETE 304 body= mode=0 keep=true used=57"));
        c.add(new Case("P14 HEAD then stray", OK + "Content-Length: 4\r\n\r\nJUNK", true, false, "COMPLETE 200 body= mode=0 keep=true used=38"));
        c.add(new Case("P7 longer than length", OK + "Content-Length: 3\r\n\r\nabcdef", false, false, "COMPLETE 200 body=abc mode=1 keep=true used=41"));
        c.add(new Case("404", "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno", false, false, "COMPLETE 404 body=no mode=1 keep=true used=47"));
        c.add(new Case("obs-text in value", OK + "X: caf\u00e9\r\nContent-Length: 0\r\n\r\n", false, false, "COMPLETE 200 body= mode=1 keep=true used=47"));
        // malformed: ERROR and the failure
        String err = "ERROR ";
        for (String v : new String[] {"-1", "+5", "  5 ", "5 ", "5x", "0x10", "", "5, 5", "5.0", "\t\t5"}) {
            c.add(new Case("P1 Content-Length [" + v + "]", OK + "Content-Length:" + (v.startsWith(" ") || v.startsWith("\t") ? "" : " ") + v + "\r\n\r\nhello", false, false, err + "HTTP: bad length"));
        }
        c.add(new Case("P2 overflow", OK + "Content-Length: 99999999999999999999\r\n\r\n", false, false, err + "HTTP: bad length"));
        c.add(new Case("P2 just over long", OK + "Content-Length: 9223372036854775808\r\n\r\n", false, false, err + "HTTP: bad length"));
        c.add(new Case("P3 two lengths", OK + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", false, false, err + "HTTP: 2 lengths"));
        c.add(new Case("P5 chunk size overflow", OK + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n", false, false, err + "HTTP: bad chunk"));
        c.add(new Case("P5 negative chunk", OK + "Transfer-Encoding: chunked\r\n\r\n-5\r\nabcde\r\n0\r\n\r\n", false, false, err + "HTTP: bad chunk"));
        c.add(new Case("P5 no CRLF after data", OK + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n", false, false, err + "HTTP: bad chunk"));
        c.add(new Case("P5 empty chunk size", OK + "Transfer-Encoding: chunked\r\n\r\n\r\n", false, false, err + "HTTP: bad chunk"));
        c.add(new Case("P5 chunk size junk", OK + "Transfer-Encoding: chunked\r\n\r\n3x\r\nabc\r\n", false, false, err + "HTTP: bad chunk"));
        c.add(new Case("P5 100 KB extension", OK + "Transfer-Encoding: chunked\r\n\r\n3;" + "e".repeat(100_000) + "\r\nabc\r\n0\r\n\r\n", false, false, err + "HTTP: chunk ext"));
        c.add(new Case("P5 100 KB trailer", OK + "Transfer-Encoding: chunked\r\n\r\n0\r\n" + "T: " + "t".repeat(100_000) + "\r\n\r\n", false, false, err + "HTTP: bad trailer"));
        c.add(new Case("P5 many trailers", OK + "Transfer-Encoding: chunked\r\n\r\n0\r\n" + "T: 1\r\n".repeat(17) + "\r\n", false, false, err + "HTTP: bad trailer"));
        c.add(new Case("P6 long status", "HTTP/1.1 200 " + "O".repeat(9000), false, false, err + "HTTP: long status"));
        c.add(new Case("P6 long header", OK + "X: " + "v".repeat(9000) + "\r\n\r\n", false, false, err + "HTTP: long header"));
        c.add(new Case("P6 long header name", OK + "X".repeat(9000) + ": v\r\n\r\n", false, false, err + "HTTP: long header"));
        c.add(new Case("P6 101 headers", OK + "X: 1\r\n".repeat(101) + "\r\n", false, false, err + "HTTP: many hdrs"));
        c.add(new Case("P7 short body", OK + "Content-Length: 20\r\n\r\nten bytes!", false, true, err + "HTTP: incomplete"));
        c.add(new Case("P7 chunked cut", OK + "Transfer-Encoding: chunked\r\n\r\n10\r\nabc", false, true, err + "HTTP: incomplete"));
        c.add(new Case("P7 headers cut", OK + "Content-Le", false, true, err + "HTTP: incomplete"));
        c.add(new Case("P9 ssh banner", "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", false, false, err + "HTTP: not HTTP"));
        c.add(new Case("P9 http/0.9", "<html><body>hi</body></html>", false, true, err + "HTTP: not HTTP"));
        c.add(new Case("P9 status 999", "HTTP/1.1 999 Nope\r\n\r\n", false, false, err + "HTTP: bad status"));
        c.add(new Case("P9 status 099", "HTTP/1.1 099 Low\r\n\r\n", false, false, err + "HTTP: bad status"));
        c.add(new Case("P9 status 2xx", "HTTP/1.1 2x0 OK\r\n\r\n", false, false, err + "HTTP: bad status"));
        c.add(new Case("P9 status 4 digits", "HTTP/1.1 2000 OK\r\n\r\n", false, false, err + "HTTP: bad status"));
        c.add(new Case("P9 http/2", "HTTP/2 200\r\n\r\n", false, false, err + "HTTP: bad version"));
        c.add(new Case("P9 http/1.10", "HTTP/1.10 200 OK\r\n\r\n", false, false, err + "HTTP: bad version"));
        c.add(new Case("P9 lower case", "http/1.1 200 OK\r\n\r\n", false, false, err + "HTTP: not HTTP"));
        c.add(new Case("P10 eleven 100s", "HTTP/1.1 100 Continue\r\n\r\n".repeat(11) + OK + "Content-Length: 0\r\n\r\n", false, false, err + "HTTP: many 1xx"));
        c.add(new Case("P10 101", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", false, false, err + "HTTP: upgrade"));
        c.add(new Case("P11 NUL in value", OK + "X: a\u0000b\r\nContent-Length: 0\r\n\r\n", false, false, err + "HTTP: bad header"));
        c.add(new Case("P11 NUL in name", OK + "X\u0000: a\r\n\r\n", false, false, err + "HTTP: bad header"));
        c.add(new Case("P11 bare CR", OK + "X: a\rb\r\nContent-Length: 0\r\n\r\n", false, false, err + "HTTP: bad CR/LF"));
        c.add(new Case("P11 bare LF", OK + "X: a\nContent-Length: 0\r\n\r\n", false, false, err + "HTTP: bad CR/LF"));
        c.add(new Case("P11 bare LF status", "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", false, false, err + "HTTP: bad CR/LF"));
        c.add(new Case("P11 obs-fold", OK + "X: a\r\n  folded\r\nContent-Length: 0\r\n\r\n", false, false, err + "HTTP: folded hdr"));
        c.add(new Case("P11 space before colon", OK + "Content-Length : 0\r\n\r\n", false, false, err + "HTTP: bad header"));
        c.add(new Case("P11 DEL in value", OK + "X: a\u007fb\r\n\r\n", false, false, err + "HTTP: bad header"));
        c.add(new Case("TE gzip", OK + "Transfer-Encoding: gzip, chunked\r\n\r\n", false, false, err + "HTTP: bad coding"));
        c.add(new Case("TE chunked twice", OK + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", false, false, err + "HTTP: bad coding"));
        c.add(new Case("TE not last", OK + "Transfer-Encoding: chunked, identity\r\n\r\n", false, false, err + "HTTP: bad coding"));
        c.add(new Case("TE empty", OK + "Transfer-Encoding: \r\n\r\n", false, false, err + "HTTP: bad coding"));
        c.add(new Case("no response", "", false, true, err + "HTTP: no response"));
        return c;
    }

    /** Feeds the response in the given piece sizes; each piece in its own array (dirty or flush). */
    private static String run(Case k, int[] pieces, boolean dirty, long seed) {
        byte[] all = k.response.getBytes(StandardCharsets.ISO_8859_1);
        HttpResponseParser p = new HttpResponseParser(8192, 100, 16, 10, 1300, 128);
        StringBuilder body = new StringBuilder();
        p.sink(new BodySink() {
            @Override
            public void onStatus(int code) {
            }

            @Override
            public void onBody(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    body.append((char) (b[off + i] & 0xFF));
                }
            }

            @Override
            public void onEnd(boolean complete) {
            }
        });
        p.reset(k.head);
        int at = 0;
        int used = 0;
        int pi = 0;
        Prng junk = new Prng(seed);
        outer:
        while (at < all.length) {
            int n = Math.min(pieces[pi++ % pieces.length], all.length - at);
            byte[] buf;
            int off;
            if (dirty) {
                buf = new byte[n + 64];
                off = 32;
                for (int i = 0; i < buf.length; i++) {
                    buf[i] = (byte) (junk.nextInt() & 1) == 0 ? (byte) '\r' : (byte) junk.nextInt();
                }
            } else {
                buf = new byte[n];
                off = 0;
            }
            System.arraycopy(all, at, buf, off, n);
            at += n;
            int o = off;
            int left = n;
            while (left > 0) {
                int c = p.feed(buf, o, left);
                o += c;
                left -= c;
                used += c;
                int s = p.state();
                if (s == HttpResponseParser.STATE_HEADERS) {
                    p.startBody();
                } else if (s == HttpResponseParser.STATE_COMPLETE || s == HttpResponseParser.STATE_ERROR) {
                    break outer;
                } else if (c == 0) {
                    throw new AssertionError("parser stalled in state " + s);
                }
            }
        }
        if (p.state() == HttpResponseParser.STATE_HEADERS) {
            p.startBody();
        }
        if (k.fin && p.state() != HttpResponseParser.STATE_COMPLETE && p.state() != HttpResponseParser.STATE_ERROR) {
            p.finish(used > 0);
        }
        switch (p.state()) {
            case HttpResponseParser.STATE_COMPLETE:
                return "COMPLETE " + p.status() + " body=" + body + " mode=" + p.bodyMode() + " keep=" + p.keepAlive()
                    + " used=" + used;
            case HttpResponseParser.STATE_ERROR:
                return "ERROR " + HttpFailure.text(p.error(), p.status());
            default:
                return "UNFINISHED state=" + p.state();
        }
    }

    @Test
    void everyCaseGivesItsOutcomeWholeByteByByteAndInRandomPiecesCleanAndDirty() {
        Prng rnd = new Prng(SEED);
        for (Case k : corpus()) {
            String why = k.name + " (seed " + SEED + ")";
            int len = Math.max(1, k.response.length());
            assertEquals(k.expected, run(k, new int[] {len}, false, SEED), why + " whole");
            assertEquals(k.expected, run(k, new int[] {len}, true, SEED), why + " whole, dirty");
            assertEquals(k.expected, run(k, new int[] {1}, false, SEED), why + " byte by byte");
            assertEquals(k.expected, run(k, new int[] {1}, true, SEED), why + " byte by byte, dirty");
            for (int round = 0; round < 8; round++) {
                int[] pieces = new int[16];
                for (int i = 0; i < pieces.length; i++) {
                    pieces[i] = 1 + rnd.nextInt(round < 4 ? 7 : 300);
                }
                assertEquals(k.expected, run(k, pieces, (round & 1) == 1, SEED + round), why + " random pieces, round " + round);
            }
        }
    }

    @Test
    void limitsAreExactlyWhereTheySay() {
        Case hundred = new Case("100 headers", OK + "X: 1\r\n".repeat(99) + "Content-Length: 0\r\n\r\n", false, false, "");
        assertTrue(run(hundred, new int[] {5}, false, SEED).startsWith("COMPLETE 200"));
        // 8192 bytes of status line (without CRLF) pass, 8193 do not
        String status = "HTTP/1.1 200 " + "O".repeat(8192 - 13);
        assertTrue(run(new Case("", status + "\r\nContent-Length: 0\r\n\r\n", false, false, ""), new int[] {999}, false, SEED).startsWith("COMPLETE"));
        assertEquals("ERROR HTTP: long status", run(new Case("", status + "O\r\n\r\n", false, false, ""), new int[] {999}, false, SEED));
        String header = "X: " + "v".repeat(8192 - 3);
        assertTrue(run(new Case("", OK + header + "\r\nContent-Length: 0\r\n\r\n", false, false, ""), new int[] {999}, false, SEED).startsWith("COMPLETE"));
        assertEquals("ERROR HTTP: long header", run(new Case("", OK + header + "v\r\n\r\n", false, false, ""), new int[] {999}, false, SEED));
        // ten interim responses are fine, the eleventh is not (P10)
        assertTrue(run(new Case("", "HTTP/1.1 100 Continue\r\n\r\n".repeat(10) + OK + "Content-Length: 0\r\n\r\n", false, false, ""),
            new int[] {3}, false, SEED).startsWith("COMPLETE 200"));
        // the largest chunk size we take: 15 hex digits
        HttpResponseParser p = new HttpResponseParser(8192, 100, 16, 10, 1300, 128);
        byte[] big = (OK + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFF\r\nabc").getBytes(StandardCharsets.US_ASCII);
        p.reset(false);
        int used = p.feed(big, 0, big.length);
        p.startBody();
        used += p.feed(big, used, big.length - used);
        assertEquals(big.length, used);
        assertEquals(HttpResponseParser.STATE_BODY, p.state());
        assertEquals(3, p.bodyBytes());
    }

    @Test
    void boundedWorkOnHugeFraming() {
        // P5/P6: the parser gives up within its limits, however much more the server has
        byte[] ext = (OK + "Transfer-Encoding: chunked\r\n\r\n1;" + "e".repeat(1_000_000)).getBytes(StandardCharsets.US_ASCII);
        HttpResponseParser p = new HttpResponseParser(8192, 100, 16, 10, 1300, 128);
        p.reset(false);
        int used = p.feed(ext, 0, ext.length);
        p.startBody();
        used += p.feed(ext, used, ext.length - used);
        assertEquals(HttpResponseParser.STATE_ERROR, p.state());
        assertTrue(used < 8192 + 100, "stopped after " + used + " bytes");
    }

    @Test
    void capturesTheHeadersTheClientNeeds() {
        byte[] r = ("HTTP/1.1 301 Moved\r\nLOCATION:   /new/place?x=1  \r\nETag: W/\"abc\"\r\n"
            + "Last-Modified: Sat, 21 Nov 2026 06:00:00 GMT\r\nContent-Type: text/html; charset=utf-8\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        HttpResponseParser p = new HttpResponseParser(8192, 100, 16, 10, 1300, 128);
        p.reset(false);
        p.feed(r, 0, r.length);
        assertEquals(HttpResponseParser.STATE_HEADERS, p.state());
        assertEquals(301, p.status());
        assertEquals("/new/place?x=1", new String(p.locationBytes(), 0, p.locationLength(), StandardCharsets.US_ASCII));
        assertEquals("W/\"abc\"", new String(p.etagBytes(), 0, p.etagLength(), StandardCharsets.US_ASCII));
        assertEquals("Sat, 21 Nov 2026 06:00:00 GMT", new String(p.lastModifiedBytes(), 0, p.lastModifiedLength(), StandardCharsets.US_ASCII));
        assertEquals("text/html; charset=utf-8", new String(p.contentTypeBytes(), 0, p.contentTypeLength(), StandardCharsets.US_ASCII));
        assertEquals(0, p.contentLength());
        // a validator too long to keep is not kept (so never sent back cut short)
        byte[] longTag = (OK + "ETag: \"" + "t".repeat(200) + "\"\r\nLocation: " + "/l".repeat(700) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        p.reset(false);
        p.feed(longTag, 0, longTag.length);
        assertEquals(0, p.etagLength());
        assertTrue(!p.hasLocation(), "a Location longer than the buffer is not used");
    }
}
