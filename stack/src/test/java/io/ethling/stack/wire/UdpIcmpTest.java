package io.ethling.stack.wire;

import org.junit.jupiter.api.Test;

import static io.ethling.stack.wire.WireTestSupport.DIRTY_OFFSET;
import static io.ethling.stack.wire.WireTestSupport.dirty;
import static io.ethling.stack.wire.WireTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UdpIcmpTest {

    private static final int SRC = Ipv4Packet.parse("203.0.113.2");
    private static final int DST = Ipv4Packet.parse("203.0.113.1");

    private final UdpDatagram udp = new UdpDatagram();
    private final IcmpPacket icmp = new IcmpPacket();

    /** A DNS query for example.com A from port 49152 to 53, emitted over a junk-filled buffer. */
    private byte[] dnsQuery() {
        byte[] query = hex("1234 0100 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001");
        byte[] b = new byte[8 + query.length + 10];
        java.util.Arrays.fill(b, (byte) 0xC3);
        System.arraycopy(query, 0, b, 8, query.length);
        int len = udp.wrap(b, 0, 8 + query.length).emit(SRC, DST, 49152, 53, query.length);
        assertEquals(8 + query.length, len);
        return java.util.Arrays.copyOf(b, len);
    }

    private int check(byte[] d, int len) {
        int clean = udp.wrap(d, 0, len).check(SRC, DST);
        assertEquals(clean, udp.wrap(dirty(d), DIRTY_OFFSET, len).check(SRC, DST), "dirty-buffer run differs");
        return clean;
    }

    @Test
    void emittedDatagramChecksOut() {
        byte[] d = dnsQuery();
        assertEquals(UdpDatagram.OK, check(d, d.length));
        assertEquals(49152, udp.sourcePort());
        assertEquals(53, udp.destinationPort());
        assertEquals(d.length - 8, udp.dataLength());
        // an independent sum: pseudo-header + datagram with its checksum folds to 0xFFFF
        long sum = Checksum.addPseudoHeader(0, SRC, DST, 17, d.length);
        assertEquals(0, Checksum.finish(Checksum.add(sum, d, 0, d.length)));
    }

    @Test
    void u1LengthFieldBelowEight() {
        for (int l = 0; l < 8; l++) {
            byte[] d = dnsQuery();
            Bytes.put16(d, 4, l);
            assertEquals(UdpDatagram.ERR_LENGTH, check(d, d.length), "length " + l);
        }
        assertEquals(UdpDatagram.ERR_TRUNCATED, check(dnsQuery(), 7));
    }

    @Test
    void u2LengthLargerDroppedSmallerTrims() {
        byte[] d = dnsQuery();
        Bytes.put16(d, 4, d.length + 1);
        assertEquals(UdpDatagram.ERR_LENGTH, check(d, d.length));
        byte[] padded = java.util.Arrays.copyOf(dnsQuery(), 100); // IP payload longer than UDP length
        assertEquals(UdpDatagram.OK, check(padded, 100));
        assertEquals(dnsQuery().length - 8, udp.dataLength());
    }

    @Test
    void u3ZeroChecksumAcceptedWrongOneDropped() {
        byte[] d = dnsQuery();
        Bytes.put16(d, 6, 0);
        assertEquals(UdpDatagram.OK, check(d, d.length));
        byte[] e = dnsQuery();
        e[e.length - 1] ^= 0x01;
        assertEquals(UdpDatagram.ERR_CHECKSUM, check(e, e.length));
    }

    @Test
    void u5PortZero() {
        byte[] d = dnsQuery();
        Bytes.put16(d, 0, 0);
        assertEquals(UdpDatagram.ERR_PORT, check(d, d.length));
        byte[] e = dnsQuery();
        Bytes.put16(e, 2, 0);
        assertEquals(UdpDatagram.ERR_PORT, check(e, e.length));
    }

    @Test
    void icmpEchoRoundTripAndMalformed() {
        byte[] b = new byte[8 + 56];
        for (int i = 8; i < b.length; i++) {
            b[i] = (byte) i;
        }
        icmp.wrap(b, 0, b.length).emit(IcmpPacket.TYPE_ECHO_REQUEST, 0, (0x1234 << 16) | 7);
        assertEquals(IcmpPacket.OK, icmp.wrap(b, 0, b.length).check());
        assertEquals(IcmpPacket.OK, icmp.wrap(dirty(b), DIRTY_OFFSET, b.length).check());
        assertEquals(0x1234, icmp.identifier());
        assertEquals(7, icmp.sequence());
        assertEquals(56, icmp.dataLength());
        for (int len = 0; len < 8; len++) {
            assertEquals(IcmpPacket.ERR_TRUNCATED, icmp.wrap(b, 0, len).check(), "C1 length " + len);
        }
        b[20] ^= 0x40;
        assertEquals(IcmpPacket.ERR_CHECKSUM, icmp.wrap(b, 0, b.length).check(), "C3");
    }
}
