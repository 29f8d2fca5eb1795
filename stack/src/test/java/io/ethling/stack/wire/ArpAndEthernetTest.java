package io.ethling.stack.wire;

import org.junit.jupiter.api.Test;

import static io.ethling.stack.wire.WireTestSupport.DIRTY_OFFSET;
import static io.ethling.stack.wire.WireTestSupport.dirty;
import static io.ethling.stack.wire.WireTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArpAndEthernetTest {

    /** Who has 203.0.113.2? Tell 203.0.113.1 — as the Linux kernel sends it (42 bytes, unpadded on a TAP). */
    static final String ARP_REQUEST_FRAME =
            "ffffffffffff 5e15def2ed46 0806"
            + "0001 0800 06 04 0001 5e15def2ed46 cb007101 000000000000 cb007102";

    private final EthernetFrame eth = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();

    @Test
    void goldenArpRequestParsesCleanAndDirty() {
        byte[] f = hex(ARP_REQUEST_FRAME);
        for (byte[] buf : new byte[][] {f, dirty(f)}) {
            int off = buf == f ? 0 : DIRTY_OFFSET;
            eth.wrap(buf, off, f.length);
            assertTrue(eth.hasHeader());
            assertEquals(EthernetFrame.BROADCAST, eth.destination());
            assertEquals(0x5e15def2ed46L, eth.source());
            assertEquals(EthernetFrame.ETHERTYPE_ARP, eth.etherType());
            arp.wrap(buf, eth.payloadOffset(), eth.payloadLength());
            assertEquals(ArpPacket.OK, arp.check());
            assertEquals(ArpPacket.OP_REQUEST, arp.operation());
            assertEquals(0x5e15def2ed46L, arp.senderMac());
            assertEquals(Ipv4Packet.parse("203.0.113.1"), arp.senderIp());
            assertEquals(0L, arp.targetMac());
            assertEquals(Ipv4Packet.parse("203.0.113.2"), arp.targetIp());
        }
    }

    @Test
    void emitIntoJunkReproducesGoldenBytes() {
        byte[] junk = new byte[60];
        java.util.Arrays.fill(junk, (byte) 0x5A);
        eth.wrap(junk, 0, 42).header(EthernetFrame.BROADCAST, 0x5e15def2ed46L, EthernetFrame.ETHERTYPE_ARP);
        arp.wrap(junk, 14, 28).emit(ArpPacket.OP_REQUEST, 0x5e15def2ed46L, Ipv4Packet.parse("203.0.113.1"),
                0L, Ipv4Packet.parse("203.0.113.2"));
        assertArrayEquals(hex(ARP_REQUEST_FRAME), java.util.Arrays.copyOf(junk, 42));
        assertEquals((byte) 0x5A, junk[42]);
    }

    @Test
    void a1WrongTypesLengthsAndOpcodes() {
        int[][] edits = {{14, 0x00, 0x06}, {16, 0x86, 0xdd}, {18, 8, -1}, {19, 16, -1}, {20, 0, 0}, {20, 0, 3}};
        for (int[] e : edits) {
            byte[] f = hex(ARP_REQUEST_FRAME);
            f[e[0]] = (byte) e[1];
            if (e[2] >= 0) {
                f[e[0] + 1] = (byte) e[2];
            }
            int status = arp.wrap(f, 14, f.length - 14).check();
            assertTrue(status == ArpPacket.ERR_FORMAT || status == ArpPacket.ERR_OPCODE, "edit at " + e[0] + " -> " + status);
            assertEquals(status, arp.wrap(dirty(f), DIRTY_OFFSET + 14, f.length - 14).check());
        }
    }

    @Test
    void a2TruncatedPayloads() {
        byte[] f = hex(ARP_REQUEST_FRAME);
        for (int len : new int[] {27, 20, 8, 0}) {
            assertEquals(ArpPacket.ERR_TRUNCATED, arp.wrap(f, 14, len).check(), "length " + len);
            // a dirty buffer holds plausible bytes past the end: still truncated, nothing read past it
            assertEquals(ArpPacket.ERR_TRUNCATED, arp.wrap(dirty(f), DIRTY_OFFSET + 14, len).check());
        }
    }

    @Test
    void e1ShortFramesHaveNoHeader() {
        byte[] f = new byte[14];
        for (int len : new int[] {0, 1, 13}) {
            assertFalse(eth.wrap(f, 0, len).hasHeader(), "length " + len);
        }
        assertTrue(eth.wrap(f, 0, 14).hasHeader());
        assertEquals(0, eth.payloadLength());
    }

    @Test
    void multicastBit() {
        assertTrue(EthernetFrame.isMulticast(EthernetFrame.BROADCAST));
        assertTrue(EthernetFrame.isMulticast(0x01005e000001L));
        assertFalse(EthernetFrame.isMulticast(0x02000000000aL));
    }
}
