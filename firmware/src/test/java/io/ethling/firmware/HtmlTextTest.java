package io.ethling.firmware;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlTextTest {

    static final long SEED = 77;
    final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static HtmlText feed(String html, int chunk) {
        HtmlText t = new HtmlText(32, 256);
        t.reset();
        byte[] b = html.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += chunk) {
            t.onBody(b, i, Math.min(chunk, b.length - i));
        }
        t.onEnd(true);
        return t;
    }

    @Test
    void titleTextEntitiesAndWhitespace() {
        String html = "<!DOCTYPE html><HTML><head><TITLE>\n  A &amp; B\t</title><script>var x = '<b>hidden</b>';</script>"
                + "<style>p{}</style></head><body><h1>Head</h1><p>one&nbsp;two &lt;3&gt; &#65;&#x42; &quot;q&quot; &bogus; a&b"
                + "<br>next<!-- c > d -- e --> <a href=\"x>y\" title='z>w'>link</a> caf\u00e9 \u20ac2 1 < 2</p></body></html>";
        for (int chunk : new int[] {1, 2, 3, 7, 1000}) {
            HtmlText t = feed(html, chunk);
            assertEquals("A & B", t.titleString(), "chunk " + chunk);
            assertEquals("Head one two <3> AB \"q\" &bogus; a&b next link caf? ?2 1 < 2", t.textString(), "chunk " + chunk);
        }
    }

    @Test
    void plainTextOnlyCollapsesWhitespace() {
        HtmlText t = new HtmlText(8, 64);
        t.reset();
        t.plain(true);
        byte[] b = "  <b>not a tag</b> &amp;\n\n end ".getBytes(StandardCharsets.US_ASCII);
        t.onBody(b, 0, b.length);
        t.onEnd(true);
        assertEquals("<b>not a tag</b> &amp; end", t.textString());
        assertEquals(0, t.titleLength());
    }

    @Test
    void boundedTextCountsWhatDidNotFit() {
        HtmlText t = new HtmlText(4, 10);
        t.reset();
        byte[] b = "<title>long title</title>0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        t.onBody(b, 0, b.length);
        assertEquals("long", t.titleString());
        assertEquals("0123456789", t.textString());
        assertEquals(6, t.droppedBytes());
    }

    /** RELIABILITY.md §0.2(6): junk in, clean; the same from a dirty buffer; reset leaves nothing behind. */
    @Test
    void randomBytesNeverEscapeTheBuffersAndShowOnlyLcdCharacters() {
        Random r = new Random(SEED);
        HtmlText t = new HtmlText(16, 128);
        byte[] dirty = new byte[4096];
        for (int round = 0; round < 500; round++) {
            r.nextBytes(dirty);                               // the buffer around the body is junk too
            int len = r.nextInt(2048);
            int off = r.nextInt(dirty.length - len);
            byte[] alphabet = "<>&;#x/!-'\"abtitle \n".getBytes(StandardCharsets.US_ASCII);
            for (int i = off; i < off + len; i++) {
                if (r.nextBoolean()) {
                    dirty[i] = alphabet[r.nextInt(alphabet.length)];
                }
            }
            t.reset();
            t.onBody(dirty, off, len);
            t.onEnd(r.nextBoolean());
            assertTrue(t.titleLength() <= 16 && t.textLength() <= 128, "seed " + SEED + " round " + round);
            for (int i = 0; i < t.textLength(); i++) {
                int c = t.text()[i];
                assertTrue(c >= 0x20 && c <= 0x7D, "seed " + SEED + " round " + round + ": byte " + c);
            }
            for (int i = 0; i < t.titleLength(); i++) {
                int c = t.title()[i];
                assertTrue(c >= 0x20 && c <= 0x7D, "seed " + SEED + " round " + round + ": title byte " + c);
            }
            assertTrue(t.textLength() == 0 || t.text()[0] != ' ', "no leading space");
        }
        // after junk, a reset page reads cleanly
        t.reset();
        byte[] ok = "<title>T</title>x".getBytes(StandardCharsets.US_ASCII);
        t.onBody(ok, 0, ok.length);
        assertEquals("T", t.titleString());
        assertEquals("x", t.textString());
    }

    @Test
    void noAllocationPerPage() {
        byte[] page = ("<html><head><title>Warm &amp; page</title></head><body>" + "<p>text &lt;here&gt; &#8212; more</p>".repeat(100)
                + "</body></html>").getBytes(StandardCharsets.UTF_8);
        HtmlText t = new HtmlText(64, 1024);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 20; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            t.reset();
            for (int i = 0; i < page.length; i += 100) {
                t.onBody(page, i, Math.min(100, page.length - i));
            }
            t.onEnd(true);
            best = Math.min(best, mx.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, best);
        assertEquals("Warm & page", t.titleString());
        assertTrue(t.textString().startsWith("text <here> - more text"), t.textString());
        assertTrue(Arrays.equals(Arrays.copyOf(t.text(), 4), "text".getBytes(StandardCharsets.US_ASCII)));
    }
}
