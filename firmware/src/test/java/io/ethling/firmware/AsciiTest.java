package io.ethling.firmware;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AsciiTest {

    static String s(byte[] b, int n) {
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void writersAndClipping() {
        byte[] b = new byte[64];
        assertEquals("0", s(b, Ascii.number(b, 0, 64, 0)));
        assertEquals("-9223372036854775808", s(b, Ascii.number(b, 0, 64, Long.MIN_VALUE)));
        assertEquals("1234567890123", s(b, Ascii.number(b, 0, 64, 1234567890123L)));
        assertEquals("203.0.113.255", s(b, Ascii.ipv4(b, 0, 64, 0xCB0071FF)));
        assertEquals("02:45:00:00:00:0a", s(b, Ascii.mac(b, 0, 64, 0x02_45_00_00_00_0AL)));
        assertEquals("1d 0h 0m 5s", s(b, Ascii.duration(b, 0, 64, 86_405)));
        assertEquals("59m 59s", s(b, Ascii.duration(b, 0, 64, 3599)));
        assertEquals("0s", s(b, Ascii.duration(b, 0, 64, -4)));
        assertEquals("a&lt;b&gt;&amp;?", s(b, Ascii.html(b, 0, 64, "a<b>&\u00e9")));
        assertEquals("123", s(b, Ascii.number(b, 0, 3, 123456)));      // clipped at the end, never past it
        b[5] = 'Z';
        assertEquals(5, Ascii.text(b, 0, 5, "hello world"));
        assertEquals('Z', b[5]);
    }
}
