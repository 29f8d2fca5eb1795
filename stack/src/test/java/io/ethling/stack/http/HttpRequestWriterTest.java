package io.ethling.stack.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Golden requests written into junk-filled buffers (STYLE.md §2.5), limits and injection checks. */
class HttpRequestWriterTest {

    private static final byte[] NONE = new byte[0];

    private static String write(HttpRequestWriter w, int method, HttpUrl url, boolean keepAlive, String etag, String lm) {
        byte[] dst = new byte[1024];
        Arrays.fill(dst, (byte) 0xEE);
        byte[] e = etag.getBytes(StandardCharsets.US_ASCII);
        byte[] l = lm.getBytes(StandardCharsets.US_ASCII);
        int n = w.write(dst, 10, dst.length - 10, method, url, keepAlive, e, 0, e.length, l, 0, l.length);
        assertTrue(n > 0, "write returned " + n);
        for (int i = 0; i < 10; i++) {
            assertEquals((byte) 0xEE, dst[i], "nothing written before the offset");
        }
        assertEquals((byte) 0xEE, dst[10 + n], "nothing written past the request");
        return new String(dst, 10, n, StandardCharsets.US_ASCII);
    }

    @Test
    void writesGoldenRequestsIntoJunkFilledBuffers() {
        HttpRequestWriter w = new HttpRequestWriter("ethling/0.1", "*/*");
        assertEquals("GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: ethling/0.1\r\nAccept: */*\r\n"
                + "Accept-Encoding: identity\r\nConnection: keep-alive\r\n\r\n",
            write(w, HttpRequestWriter.METHOD_GET, HttpUrl.of("http://Example.com/index.html"), true, "", ""));
        assertEquals("HEAD /?q=1 HTTP/1.1\r\nHost: 10.0.2.2:8000\r\nUser-Agent: ethling/0.1\r\nAccept: */*\r\n"
                + "Accept-Encoding: identity\r\nConnection: close\r\n\r\n",
            write(w, HttpRequestWriter.METHOD_HEAD, HttpUrl.of("http://10.0.2.2:8000?q=1"), false, "", ""));
        assertEquals("GET / HTTP/1.1\r\nHost: h:1\r\nUser-Agent: ethling/0.1\r\nAccept: */*\r\n"
                + "Accept-Encoding: identity\r\nConnection: keep-alive\r\nIf-None-Match: W/\"x\"\r\n"
                + "If-Modified-Since: Sat, 21 Nov 2026 06:00:00 GMT\r\n\r\n",
            write(w, HttpRequestWriter.METHOD_GET, HttpUrl.of("http://h:1/"), true, "W/\"x\"", "Sat, 21 Nov 2026 06:00:00 GMT"));
        assertTrue(write(w, 0, HttpUrl.of("http://h:65535/"), true, "", "").contains("Host: h:65535\r\n"));
        assertTrue(write(w, 0, HttpUrl.of("http://h:10000/"), true, "", "").contains("Host: h:10000\r\n"));
        assertTrue(write(w, 0, HttpUrl.of("http://h:80/"), true, "", "").contains("Host: h\r\n"));
    }

    @Test
    void refusesWhatDoesNotFitAndWhatWouldInject() {
        HttpRequestWriter w = new HttpRequestWriter("ua", "*/*");
        HttpUrl url = HttpUrl.of("http://example.com/" + "p".repeat(1000));
        byte[] dst = new byte[1100];
        assertEquals(HttpRequestWriter.ERR_TOO_LONG, w.write(dst, 0, dst.length, 0, url, true, NONE, 0, 0, NONE, 0, 0));
        assertEquals(HttpRequestWriter.ERR_INJECTION, w.write(dst, 0, dst.length, 0, new HttpUrl(), true, NONE, 0, 0, NONE, 0, 0));
        byte[] bad = "Sat\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(HttpRequestWriter.ERR_INJECTION, w.write(dst, 0, dst.length, 0, HttpUrl.of("http://h/"), true, NONE, 0, 0, bad, 0, bad.length));
        byte[] nul = {'"', 0, '"'};
        assertEquals(HttpRequestWriter.ERR_INJECTION, w.write(dst, 0, dst.length, 0, HttpUrl.of("http://h/"), true, nul, 0, 3, NONE, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HttpRequestWriter("a\r\nb", "*/*"));
        assertEquals("userAgent contains a control or non-ASCII character at index 1 (CR, LF and NUL would inject headers)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HttpRequestWriter("ua", ""));
        assertThrows(IllegalArgumentException.class, () -> new HttpRequestWriter("ua ", "*/*"));
    }
}
