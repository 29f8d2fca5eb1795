package io.ethling.stack.dns;

import io.ethling.stack.dns.DnsTestSupport.Msg;
import io.ethling.stack.util.Prng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DnsNameTest {

    private static String hex(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }

    @Test
    void encodesGoldenBytesIntoAJunkFilledBuffer() {
        byte[] dst = new byte[300];
        Arrays.fill(dst, (byte) 0xA5);
        int n = DnsName.encode("www.Example.com", dst, 3);
        assertEquals(17, n);
        assertEquals("03777777074578616d706c6503636f6d00", hex(dst, 3, n));
        assertEquals((byte) 0xA5, dst[2]);
        assertEquals((byte) 0xA5, dst[20]);
        assertEquals(n, DnsName.length(dst, 3));
        assertEquals(3, DnsName.labelCount(dst, 3));
        // a final dot names the root explicitly and changes nothing
        byte[] abs = new byte[255];
        assertEquals(17, DnsName.encode("www.Example.com.", abs, 0));
        assertTrue(DnsName.equalsIgnoreCase(abs, 0, dst, 3));
    }

    @Test
    void encodeRefusesBadNamesWithOneReason() {
        byte[] d = new byte[255];
        assertEquals(DnsName.ERR_EMPTY, DnsName.encode("", d, 0));
        assertEquals(DnsName.ERR_EMPTY, DnsName.encode(".", d, 0));
        assertEquals(DnsName.ERR_EMPTY_LABEL, DnsName.encode("a..b", d, 0));
        assertEquals(DnsName.ERR_EMPTY_LABEL, DnsName.encode(".a", d, 0));
        assertEquals(DnsName.ERR_EMPTY_LABEL, DnsName.encode("a..", d, 0));
        assertEquals(DnsName.ERR_LABEL_TOO_LONG, DnsName.encode("a".repeat(64), d, 0));
        assertEquals(65, DnsName.encode("a".repeat(63), d, 0));
        assertEquals(DnsName.ERR_CHARACTER, DnsName.encode("caf\u20ac", d, 0));
        assertEquals(DnsName.ERR_CHARACTER, DnsName.encode("a\u0000b", d, 0));
        assertEquals(DnsName.ERR_BUFFER, DnsName.encode("a", new byte[10], 0));
        // 255 bytes exactly is fine, 256 is not: 3 labels of 63 + one of 61 = 4*1 + 250 + 1 = 255
        String max = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        assertEquals(255, DnsName.encode(max, d, 0));
        assertEquals(DnsName.ERR_NAME_TOO_LONG, DnsName.encode(max + "d", d, 0));
        for (int err = -1; err >= -12; err--) {
            assertFalse(DnsName.describe(err).startsWith("unknown"), "status " + err);
        }
    }

    @Test
    void decodesCompressedNamesAndReportsTheEndInPlace() {
        // question www.example.com at 12; answer owner = pointer to 16 ("example.com")
        byte[] m = new Msg().header(1, 0x8180, 1, 1, 0, 0).question("www.example.com", 1, 1)
            .ptr(16).rrTail(1, 1, 60, 4).u32(0).labels("mail").ptr(16).bytes();
        byte[] dst = new byte[DnsName.MAX_NAME_LENGTH];
        assertEquals(29, DnsName.decode(m, 0, m.length, 12, dst, 0));
        assertEquals("www.example.com", DnsName.toString(dst, 0));
        assertEquals(35, DnsName.decode(m, 0, m.length, 33, dst, 0));
        assertEquals("example.com", DnsName.toString(dst, 0));
        int mail = 33 + 2 + 10 + 4;
        assertEquals(mail + 7, DnsName.decode(m, 0, m.length, mail, dst, 0));
        assertEquals("mail.example.com", DnsName.toString(dst, 0));
        // the same message inside a junk-filled larger array decodes identically
        byte[] dirty = new byte[m.length + 40];
        Arrays.fill(dirty, (byte) 0xC0);
        System.arraycopy(m, 0, dirty, 9, m.length);
        assertEquals(mail + 7, DnsName.decode(dirty, 9, m.length, mail, dst, 0));
        assertEquals("mail.example.com", DnsName.toString(dst, 0));
    }

    @Test
    void presentationFormEscapesOpaqueBytes() {
        byte[] n = {5, 'a', '.', 'b', ' ', (byte) 0xE9, 1, '\\', 0};
        assertEquals("a\\.b\\032\\233.\\\\", DnsName.toString(n, 0));
        assertEquals(".", DnsName.toString(new byte[] {0}, 0));
    }

    @Test
    void isAtOrBelowComparesWholeLabels() {
        byte[] zone = DnsResolverTest.encoded("example.com");
        assertTrue(DnsName.isAtOrBelow(DnsResolverTest.encoded("a.b.EXAMPLE.com"), 0, zone, 0));
        assertTrue(DnsName.isAtOrBelow(DnsResolverTest.encoded("example.com"), 0, zone, 0));
        assertFalse(DnsName.isAtOrBelow(DnsResolverTest.encoded("badexample.com"), 0, zone, 0));
        assertFalse(DnsName.isAtOrBelow(DnsResolverTest.encoded("com"), 0, zone, 0));
    }

    /**
     * Random bytes (a crude fuzz, fixed seed): decode never throws, never reads outside the
     * message (the message sits flush against the end of its array), never loops, and whatever
     * it returns is a valid name of at most 255 bytes that re-encodes to itself.
     */
    @Test
    void randomMessagesNeverThrowAndYieldValidNames() {
        long seed = 0xF022L;
        Prng p = new Prng(seed);
        byte[] dst = new byte[DnsName.MAX_NAME_LENGTH];
        int ok = 0;
        for (int iter = 0; iter < 200_000; iter++) {
            int len = 12 + p.nextInt(80);
            byte[] m = new byte[len];
            for (int i = 0; i < len; i++) {
                int r = p.nextInt(8);
                // bias towards small lengths, pointers and terminators
                m[i] = (byte) (r == 0 ? 0 : r == 1 ? 0xC0 : r == 2 ? p.nextInt(12, len) : r == 3 ? p.nextInt(1, 4) : p.nextInt(256));
            }
            int pos = p.nextInt(12, len);
            int end;
            try {
                end = DnsName.decode(m, 0, len, pos, dst, 0);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + iter + ": " + HexFormat.of().formatHex(m), e);
            }
            if (end > 0) {
                ok++;
                assertTrue(end > pos && end <= len, "seed " + seed + " iteration " + iter);
                int n = DnsName.length(dst, 0);
                assertTrue(n <= 255);
                String text = DnsName.toString(dst, 0);
                assertTrue(text.length() > 0);
            }
        }
        assertTrue(ok > 1000, "the generator must produce some valid names (" + ok + ")");
    }
}
