package io.ethling.stack.wire;

/**
 * Flyweight over an Ethernet II frame (IEEE 802.3 §3.2, no FCS): destination, source, EtherType,
 * payload. Holds the array, offset and length only; {@link #wrap} never copies.
 */
public final class EthernetFrame {

    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int ETHERTYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;
    /** Shortest frame on the wire without FCS; shorter frames are padded by the MAC. */
    public static final int MIN_LENGTH = 60;
    public static final int MAX_LENGTH = 1514;

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_VLAN = 0x8100;
    /** Values below this are 802.3 lengths, not EtherTypes (IEEE 802.3 §3.2.6). */
    public static final int ETHERTYPE_MIN = 0x0600;

    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private byte[] buffer;
    private int offset;
    private int length;

    public EthernetFrame wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** Whether the wrapped bytes hold at least a whole header. */
    public boolean hasHeader() {
        return length >= HEADER_LENGTH;
    }

    public long destination() {
        return Bytes.mac(buffer, offset + DESTINATION_OFFSET);
    }

    public EthernetFrame destination(long mac) {
        Bytes.putMac(buffer, offset + DESTINATION_OFFSET, mac);
        return this;
    }

    public long source() {
        return Bytes.mac(buffer, offset + SOURCE_OFFSET);
    }

    public EthernetFrame source(long mac) {
        Bytes.putMac(buffer, offset + SOURCE_OFFSET, mac);
        return this;
    }

    public int etherType() {
        return Bytes.u16(buffer, offset + ETHERTYPE_OFFSET);
    }

    public EthernetFrame etherType(int type) {
        Bytes.put16(buffer, offset + ETHERTYPE_OFFSET, type);
        return this;
    }

    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /** Group bit: the least significant bit of the first octet (IEEE 802 §8.2). */
    public static boolean isMulticast(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /** Writes a header in one go. */
    public EthernetFrame header(long destination, long source, int etherType) {
        return destination(destination).source(source).etherType(etherType);
    }
}
