package io.ethling.stack.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpUrlTest {

    private static String host(HttpUrl u) {
        return new String(u.hostBytes(), 0, u.hostLength(), StandardCharsets.US_ASCII);
    }

    private static String path(HttpUrl u) {
        return new String(u.pathBytes(), 0, u.pathLength(), StandardCharsets.US_ASCII);
    }

    @Test
    void parsesNamesLiteralsPortsAndPaths() {
        HttpUrl u = HttpUrl.of("http://Example.COM/a/b?c=d#frag");
        assertEquals("example.com", host(u));
        assertFalse(u.isLiteral());
        assertEquals(80, u.port());
        assertEquals("/a/b?c=d", path(u));

        u = HttpUrl.of("HTTP://203.0.113.80:8080");
        assertTrue(u.isLiteral());
        assertEquals(0xCB007150, u.address());
        assertEquals(8080, u.port());
        assertEquals("/", path(u));

        assertEquals("/", path(HttpUrl.of("http://h:/")));
        assertEquals(80, HttpUrl.of("http://h:/").port());
        assertEquals("/x?", path(HttpUrl.of("http://h/x?")));
        assertEquals("/?q", path(HttpUrl.of("http://h?q")));
        assertEquals("/b/", path(HttpUrl.of("http://h/a/../b/./")));
        assertEquals("/%41%2f", path(HttpUrl.of("http://h/%41%2f")));
        assertEquals("http://10.0.2.2:8000/x", HttpUrl.of("http://10.0.2.2:8000/x").toString());
        assertEquals("host_name-1.example", host(HttpUrl.of("http://host_name-1.example/")));
        assertEquals(65535, HttpUrl.of("http://h:65535/").port());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "https://example.com/|https is not supported",
        "HTTPS://example.com/|https is not supported",
        "ftp://example.com/|only http:// URLs are supported",
        "example.com/index.html|missing scheme (expected http://)",
        "/index.html|missing scheme (expected http://)",
        "http:example.com|missing // after http:",
        "http://user:pw@example.com/|user info not allowed",
        "http://user@example.com/|user info not allowed",
        "http://[::1]/|IPv6 literals are not supported",
        "http:///path|missing host",
        "http://:80/|missing host",
        "http://exa mple.com/|host may contain only letters, digits, '-', '_' and '.'",
        "http://exa%41mple.com/|host may contain only letters, digits, '-', '_' and '.'",
        "http://a..b/|host has an empty label or one longer than 63 characters",
        "http://example.com./|host has an empty label or one longer than 63 characters",
        "http://256.1.1.1/|bad IPv4 address (expected four decimal numbers 0-255, no leading zeros)",
        "http://1.2.3/|bad IPv4 address (expected four decimal numbers 0-255, no leading zeros)",
        "http://01.2.3.4/|bad IPv4 address (expected four decimal numbers 0-255, no leading zeros)",
        "http://1.2.3.4.5/|bad IPv4 address (expected four decimal numbers 0-255, no leading zeros)",
        "http://2130706433/|bad IPv4 address (expected four decimal numbers 0-255, no leading zeros)",
        "http://h:8o/|port is not a number",
        "http://h:-1/|port is not a number",
        "http://h:70000/|port 70000 out of range (1-65535)",
        "http://h:0/|port 0 out of range (1-65535)",
        "http://h:99999999999999/|port 99999999999999 out of range (1-65535)",
        "http://h/a b|path contains a space or control character",
        "http://h/a%zz|bad percent-encoding in path",
        "http://h/a%4|bad percent-encoding in path",
        "http://h/caf\u00e9|URL contains a non-ASCII character (percent-encode it)",
    })
    void refusesWithOneClearLine(String url, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpUrl.of(url));
        assertTrue(e.getMessage().endsWith(": " + reason), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void refusesCrLfAndNulInThePathBeforeAnythingIsSent() {
        // P12: header injection through the request target
        for (String bad : new String[] {"http://h/a\r\nX-Evil: 1", "http://h/a\nb", "http://h/a\u0000", "http://h/\t"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpUrl.of(bad));
            assertTrue(e.getMessage().contains("space or control character"), e.getMessage());
            assertTrue(e.getMessage().contains("\\x"), "control characters are shown escaped: " + e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> HttpUrl.of(""));
        assertThrows(IllegalArgumentException.class, () -> HttpUrl.of(null));
    }

    @Test
    void hostAndPathLimits() {
        String label = "a".repeat(63);
        HttpUrl.of("http://" + label + ".b/");
        assertThrows(IllegalArgumentException.class, () -> HttpUrl.of("http://" + label + "a.b/"));
        String longHost = (label + ".").repeat(4).substring(0, 253);
        assertEquals(253, HttpUrl.of("http://" + longHost + "/").hostLength());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpUrl.of("http://" + longHost + "x/"));
        assertTrue(e.getMessage().endsWith("host name longer than 253 characters"));
        HttpUrl.of("http://h/" + "p".repeat(HttpUrl.MAX_PATH_LENGTH - 1));
        e = assertThrows(IllegalArgumentException.class, () -> HttpUrl.of("http://h/" + "p".repeat(HttpUrl.MAX_PATH_LENGTH)));
        assertTrue(e.getMessage().endsWith("path longer than 1024 bytes"));
    }

    /** RFC 3986 §5.4.1 and §5.4.2, with the base http://a/b/c/d;p?q (fragments are dropped). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "g|http://a/b/c/g",
        "./g|http://a/b/c/g",
        "g/|http://a/b/c/g/",
        "/g|http://a/g",
        "//g|http://g/",
        "?y|http://a/b/c/d;p?y",
        "g?y|http://a/b/c/g?y",
        "#s|http://a/b/c/d;p?q",
        "g#s|http://a/b/c/g",
        "g?y#s|http://a/b/c/g?y",
        ";x|http://a/b/c/;x",
        "g;x|http://a/b/c/g;x",
        "g;x?y#s|http://a/b/c/g;x?y",
        "''|http://a/b/c/d;p?q",
        ".|http://a/b/c/",
        "./|http://a/b/c/",
        "..|http://a/b/",
        "../|http://a/b/",
        "../g|http://a/b/g",
        "../..|http://a/",
        "../../|http://a/",
        "../../g|http://a/g",
        "../../../g|http://a/g",
        "../../../../g|http://a/g",
        "/./g|http://a/g",
        "/../g|http://a/g",
        "g.|http://a/b/c/g.",
        ".g|http://a/b/c/.g",
        "g..|http://a/b/c/g..",
        "..g|http://a/b/c/..g",
        "./../g|http://a/b/g",
        "./g/.|http://a/b/c/g/",
        "g/./h|http://a/b/c/g/h",
        "g/../h|http://a/b/c/h",
        "g;x=1/./y|http://a/b/c/g;x=1/y",
        "g;x=1/../y|http://a/b/c/y",
        "g?y/./x|http://a/b/c/g?y/./x",
        "g?y/../x|http://a/b/c/g?y/../x",
        "g#s/./x|http://a/b/c/g",
        "g#s/../x|http://a/b/c/g",
        "http://a/b/c/g|http://a/b/c/g",
        "HTTP://A:8080/./x/../y|http://a:8080/y",
    })
    void resolvesReferencesAsRfc3986Section54(String ref, String expected) {
        HttpUrl base = HttpUrl.of("http://a/b/c/d;p?q");
        HttpUrl out = new HttpUrl();
        byte[] r = ref.getBytes(StandardCharsets.US_ASCII);
        // a dirty array: the reference sits between junk, which must never be read
        byte[] dirty = new byte[r.length + 20];
        java.util.Arrays.fill(dirty, (byte) '/');
        System.arraycopy(r, 0, dirty, 7, r.length);
        assertEquals(HttpUrl.OK, out.resolve(base, dirty, 7, r.length));
        assertEquals(expected, out.toString());
        HttpUrl flush = new HttpUrl();
        assertEquals(HttpUrl.OK, flush.resolve(base, r, 0, r.length));
        assertTrue(flush.sameAs(out));
        assertEquals(flush.hash(), out.hash());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "g:h|-3",
        "https://a/|-2",
        "http:g|-5",
        "//u@g/|-6",
        "a b|-15",
        "%zz|-16",
    })
    void refusesBadReferencesWithAStatus(String ref, int status) {
        HttpUrl base = HttpUrl.of("http://a/b/c/d;p?q");
        HttpUrl out = HttpUrl.of("http://previous/");
        byte[] r = ref.getBytes(StandardCharsets.US_ASCII);
        assertEquals(status, out.resolve(base, r, 0, r.length));
        assertFalse(out.isSet(), "a failed resolution leaves the holder unset");
    }

    @Test
    void longRelativeReferenceIsRefusedNotOverflowed() {
        HttpUrl base = HttpUrl.of("http://a/" + "d/".repeat(400));
        HttpUrl out = new HttpUrl();
        byte[] r = "x".repeat(900).getBytes(StandardCharsets.US_ASCII);
        assertEquals(HttpUrl.ERR_PATH_LENGTH, out.resolve(base, r, 0, r.length));
        byte[] huge = ("/" + "y".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(HttpUrl.ERR_PATH_LENGTH, out.resolve(base, huge, 0, huge.length));
    }

    @Test
    void identityAndHash() {
        HttpUrl a = HttpUrl.of("http://EXAMPLE.com:80/x");
        HttpUrl b = HttpUrl.of("http://example.com/x");
        assertTrue(a.sameAs(b));
        assertEquals(a.hash(), b.hash());
        HttpUrl c = HttpUrl.of("http://example.com:81/x");
        assertFalse(a.sameAs(c));
        assertTrue(a.sameHost(c));
        assertNotEquals(a.hash(), c.hash());
        HttpUrl d = new HttpUrl();
        d.copyFrom(c);
        assertTrue(d.sameAs(c));
    }
}
