package io.ethling.stack.tcp;

import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seq arithmetic, the assembler, and the TcpSegment wire quartet (STYLE.md §2.5). */
class TcpUnitsTest {

    @Test
    void seqComparesAcrossTheWrap() {
        int a = 0xFFFF_FFF0;
        int b = 0x0000_0010;
        assertTrue(Seq.lt(a, b));
        assertTrue(Seq.gt(b, a));
        assertTrue(Seq.le(a, a) && Seq.ge(a, a));
        assertTrue(Seq.inRange(0xFFFF_FFFF, a, b));
        assertTrue(Seq.inRange(0, a, b));
        assertFalse(Seq.inRange(b, a, b));
        assertFalse(Seq.inRange(5, 5, 5), "an empty range holds nothing");
        assertEquals(b, Seq.max(a, b));
        assertEquals(a, Seq.min(a, b));
        assertTrue(Seq.lt(0x7FFF_FFFF, 0x8000_0000));
        assertEquals(32, b - a);
    }

    @Test
    void assemblerMergesAndRefusesBeyondCapacity() {
        Assembler as = new Assembler(3);
        assertTrue(as.add(100, 200));
        assertTrue(as.add(300, 400));
        assertTrue(as.add(500, 600));
        assertFalse(as.add(700, 800), "a fourth hole does not fit");
        assertTrue(as.add(150, 350), "overlapping two ranges merges them");
        assertEquals(2, as.count());
        assertEquals(100, as.rangeStart(0));
        assertEquals(400, as.rangeEnd(0));
        assertTrue(as.add(400, 500), "touching ranges merge");
        assertEquals(1, as.count());
        assertEquals(600, as.highest());
        assertEquals(50, as.advance(50), "a gap remains before 100");
        assertEquals(50, as.rangeStart(0));
        assertEquals(550, as.advance(60), "filling the gap pulls the held range in");
        assertEquals(0, as.count());
        assertEquals(0, as.highest());
    }

    private static final int SRC = Ipv4Packet.parse("192.168.1.2");
    private static final int DST = Ipv4Packet.parse("192.168.1.3");

    /** A SYN from 49152 to 80, seq 0x01020304, window 8192, MSS 1460 (checksum computed by hand below). */
    private static final byte[] GOLDEN = {
            (byte) 0xC0, 0x00, 0x00, 0x50,            // ports 49152 → 80
            0x01, 0x02, 0x03, 0x04,                   // seq
            0x00, 0x00, 0x00, 0x00,                   // ack
            0x60, 0x02, 0x20, 0x00,                   // data offset 6, SYN, window 8192
            0x00, 0x00, 0x00, 0x00,                   // checksum (filled in the test), urgent
            0x02, 0x04, 0x05, (byte) 0xB4,            // MSS 1460
    };

    private static byte[] golden() {
        byte[] g = GOLDEN.clone();
        long sum = io.ethling.stack.wire.Checksum.addPseudoHeader(0, SRC, DST, 6, g.length);
        int c = io.ethling.stack.wire.Checksum.finish(io.ethling.stack.wire.Checksum.add(sum, g, 0, g.length));
        g[16] = (byte) (c >>> 8);
        g[17] = (byte) c;
        return g;
    }

    @Test
    void readsGoldenBytes() {
        byte[] g = golden();
        TcpSegment s = new TcpSegment().wrap(g, 0, g.length);
        assertEquals(TcpSegment.OK, s.check(SRC, DST));
        assertEquals(49152, s.sourcePort());
        assertEquals(80, s.destinationPort());
        assertEquals(0x01020304, s.seq());
        assertEquals(TcpSegment.FLAG_SYN, s.flags());
        assertEquals(8192, s.window());
        assertEquals(24, s.headerLength());
        assertEquals(0, s.payloadLength());
        assertEquals(1460, s.mssOption());
    }

    @Test
    void writesGoldenBytesIntoJunkFilledBuffer() {
        byte[] buf = new byte[64];
        Arrays.fill(buf, (byte) 0xEE);
        int n = new TcpSegment().wrap(buf, 10, 24).emit(SRC, DST, 49152, 80, 0x01020304, 0x55555555,
                TcpSegment.FLAG_SYN, 8192, 1460, 0);
        assertEquals(24, n);
        assertArrayEquals(golden(), Arrays.copyOfRange(buf, 10, 34), "ack field zero without the ACK flag");
        assertEquals((byte) 0xEE, buf[9]);
        assertEquals((byte) 0xEE, buf[34]);
    }

    @Test
    void rejectsTruncatedAndInconsistentLengths() {
        byte[] g = golden();
        TcpSegment s = new TcpSegment();
        assertEquals(TcpSegment.ERR_TRUNCATED, s.wrap(g, 0, 19).check(SRC, DST));
        assertEquals(TcpSegment.ERR_DATA_OFFSET, s.wrap(g, 0, 22).check(SRC, DST));
        g[12] = 0x40;
        assertEquals(TcpSegment.ERR_DATA_OFFSET, s.wrap(g, 0, g.length).check(SRC, DST));
        g = golden();
        assertEquals(TcpSegment.ERR_CHECKSUM, s.wrap(g, 0, g.length).check(SRC, DST + 1), "pseudo-header covers the addresses");
        g[0] = 0;
        g[1] = 0;
        g[16] += (byte) 0xC0;   // keep the checksum right so the port check is reached
        assertTrue(s.wrap(g, 0, g.length).check(SRC, DST) != TcpSegment.OK);
    }
}
