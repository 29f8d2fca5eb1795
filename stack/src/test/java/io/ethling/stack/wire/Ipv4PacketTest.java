package io.ethling.stack.wire;

import org.junit.jupiter.api.Test;

import static io.ethling.stack.wire.WireTestSupport.DIRTY_OFFSET;
import static io.ethling.stack.wire.WireTestSupport.dirty;
import static io.ethling.stack.wire.WireTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4PacketTest {

    /** The classic worked example: UDP 192.168.0.1 -> 192.168.0.199, total 115, DF, TTL 64, checksum b861. */
    static final String GOLDEN_HEADER = "450000730000400040 11b861c0a80001c0a800c7";

    static byte[] datagram(String header, int total) {
        byte[] h = hex(header);
        byte[] d = new byte[Math.max(total, h.length)];
        System.arraycopy(h, 0, d, 0, h.length);
        for (int i = h.length; i < d.length; i++) {
            d[i] = (byte) i;
        }
        return d;
    }

    private final Ipv4Packet ip = new Ipv4Packet();

    private int check(byte[] d, int len) {
        int clean = ip.wrap(d, 0, len).check();
        int dirty = ip.wrap(dirty(d), DIRTY_OFFSET, len).check();
        assertEquals(clean, dirty, "dirty-buffer run differs");
        return clean;
    }

    private static void fixChecksum(byte[] d) {
        int ihl = (d[0] & 0x0F) * 4;
        d[10] = 0;
        d[11] = 0;
        int c = Checksum.compute(d, 0, Math.min(ihl, d.length));
        d[10] = (byte) (c >>> 8);
        d[11] = (byte) c;
    }

    @Test
    void goldenHeaderParses() {
        byte[] d = datagram(GOLDEN_HEADER, 115);
        assertEquals(Ipv4Packet.OK, check(d, d.length));
        assertEquals(20, ip.headerLength());
        assertEquals(115, ip.totalLength());
        assertEquals(Ipv4Packet.PROTOCOL_UDP, ip.protocol());
        assertEquals(Ipv4Packet.parse("192.168.0.1"), ip.source());
        assertEquals(Ipv4Packet.parse("192.168.0.199"), ip.destination());
        assertTrue(ip.dontFragment());
        assertEquals(64, ip.ttl());
        assertEquals(95, ip.payloadLength());
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] d = datagram(GOLDEN_HEADER, 200); // 85 bytes of padding behind the datagram
        assertEquals(Ipv4Packet.OK, check(d, d.length));
        assertEquals(95, ip.payloadLength());
    }

    @Test
    void emitIntoJunkReproducesGoldenBytes() {
        byte[] junk = new byte[40];
        java.util.Arrays.fill(junk, (byte) 0xEE);
        ip.wrap(junk, 3, 20).emitHeader(Ipv4Packet.parse("192.168.0.1"), Ipv4Packet.parse("192.168.0.199"),
                Ipv4Packet.PROTOCOL_UDP, 95, 0, 64);
        assertArrayEquals(hex(GOLDEN_HEADER), java.util.Arrays.copyOfRange(junk, 3, 23));
        assertEquals((byte) 0xEE, junk[2]);
        assertEquals((byte) 0xEE, junk[23]);
    }

    @Test
    void i1BadVersions() {
        for (int v : new int[] {0, 5, 6, 15}) {
            byte[] d = datagram(GOLDEN_HEADER, 115);
            d[0] = (byte) ((v << 4) | 5);
            fixChecksum(d);
            assertEquals(Ipv4Packet.ERR_VERSION, check(d, d.length), "version " + v);
        }
    }

    @Test
    void i2HeaderLengthBelowFive() {
        for (int ihl = 0; ihl <= 4; ihl++) {
            byte[] d = datagram(GOLDEN_HEADER, 115);
            d[0] = (byte) (0x40 | ihl);
            assertEquals(Ipv4Packet.ERR_HEADER_LENGTH, check(d, d.length), "IHL " + ihl);
        }
    }

    @Test
    void i3HeaderLongerThanWhatArrived() {
        byte[] d = datagram("4f0000140000400040110000c0a80001c0a800c7", 20);
        assertEquals(Ipv4Packet.ERR_HEADER_LENGTH, check(d, 20));
        byte[] e = datagram("460000140000400040110000c0a80001c0a800c7", 24); // IHL 6, total 20
        fixChecksum(e);
        assertEquals(Ipv4Packet.ERR_TOTAL_LENGTH, check(e, 24));
    }

    @Test
    void i4TotalLengthLargerThanTheFrame() {
        byte[] d = datagram("450005dc0000400040110000c0a80001c0a800c7", 60);
        fixChecksum(d);
        assertEquals(Ipv4Packet.ERR_TOTAL_LENGTH, check(d, 60));
    }

    @Test
    void i5TotalLengthBelowHeaderOrTransportMinimum() {
        for (int total : new int[] {0, 19}) {
            byte[] d = datagram(GOLDEN_HEADER, 115);
            Bytes.put16(d, 2, total);
            fixChecksum(d);
            assertEquals(Ipv4Packet.ERR_TOTAL_LENGTH, check(d, d.length), "total " + total);
        }
        int[][] cases = {{17, 27}, {1, 27}, {6, 39}};
        for (int[] c : cases) {
            byte[] d = datagram(GOLDEN_HEADER, 115);
            d[9] = (byte) c[0];
            Bytes.put16(d, 2, c[1]);
            fixChecksum(d);
            assertEquals(Ipv4Packet.ERR_TRANSPORT_LENGTH, check(d, d.length), "protocol " + c[0] + " total " + c[1]);
        }
    }

    @Test
    void i6OneBitChecksumError() {
        byte[] d = datagram(GOLDEN_HEADER, 115);
        d[11] ^= 1;
        assertEquals(Ipv4Packet.ERR_CHECKSUM, check(d, d.length));
        d[11] ^= 1;
        d[8] ^= 0x10; // TTL bit flipped, checksum now stale
        assertEquals(Ipv4Packet.ERR_CHECKSUM, check(d, d.length));
    }

    @Test
    void i7Options() {
        String[] good = {"01010100", "86040000"}; // NOP NOP NOP EOL; unknown option length 4
        for (String opt : good) {
            byte[] d = datagram("46000077000040004011" + "0000c0a80001c0a800c7" + opt, 119);
            fixChecksum(d);
            assertEquals(Ipv4Packet.OK, check(d, d.length), opt);
        }
        String[] bad = {"86000000", "86010000", "01018608"}; // length 0; length 1; length past IHL*4
        for (String opt : bad) {
            byte[] d = datagram("46000077000040004011" + "0000c0a80001c0a800c7" + opt, 119);
            fixChecksum(d);
            assertEquals(Ipv4Packet.ERR_OPTIONS, check(d, d.length), opt);
        }
    }

    @Test
    void fragmentsAreRefused() {
        byte[] mf = datagram(GOLDEN_HEADER, 115);
        Bytes.put16(mf, 6, 0x2000);
        fixChecksum(mf);
        assertEquals(Ipv4Packet.ERR_FRAGMENT, check(mf, mf.length));
        byte[] tail = datagram(GOLDEN_HEADER, 115);
        Bytes.put16(tail, 6, 8189); // I10: offset 65,512
        fixChecksum(tail);
        assertEquals(Ipv4Packet.ERR_FRAGMENT, check(tail, tail.length));
    }

    @Test
    void truncatedBelowTwentyBytes() {
        byte[] d = datagram(GOLDEN_HEADER, 115);
        for (int len = 0; len < 20; len++) {
            assertEquals(Ipv4Packet.ERR_TRUNCATED, check(d, len), "length " + len);
        }
    }

    @Test
    void sourceSanityAndAddressText() {
        assertFalse(Ipv4Packet.isValidUnicastSource(0));
        assertFalse(Ipv4Packet.isValidUnicastSource(-1));
        assertFalse(Ipv4Packet.isValidUnicastSource(Ipv4Packet.parse("127.0.0.1")));
        assertFalse(Ipv4Packet.isValidUnicastSource(Ipv4Packet.parse("224.0.0.1")));
        assertFalse(Ipv4Packet.isValidUnicastSource(Ipv4Packet.parse("240.0.0.1")));
        assertTrue(Ipv4Packet.isValidUnicastSource(Ipv4Packet.parse("203.0.113.1")));
        assertEquals("203.0.113.254", Ipv4Packet.format(Ipv4Packet.parse("203.0.113.254")));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.parse("203.0.113"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.parse("203.0.113.256"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.parse("a.b.c.d"));
    }
}
