package io.ethling.stack.wire;

/**
 * Flyweight over an ARP packet for IPv4 over Ethernet (RFC 826): hardware type 1, protocol
 * 0x0800, lengths 6 and 4, 28 bytes. {@link #check()} validates all of it before any other
 * field is trusted (RELIABILITY.md A1, A2).
 */
public final class ArpPacket {

    public static final int LENGTH = 28;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    public static final int OK = 0;
    public static final int ERR_TRUNCATED = 1;
    public static final int ERR_FORMAT = 2;
    public static final int ERR_OPCODE = 3;

    private static final int HTYPE = 0;
    private static final int PTYPE = 2;
    private static final int HLEN = 4;
    private static final int PLEN = 5;
    private static final int OPER = 6;
    private static final int SHA = 8;
    private static final int SPA = 14;
    private static final int THA = 18;
    private static final int TPA = 24;

    private byte[] buffer;
    private int offset;
    private int length;

    public ArpPacket wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** {@link #OK}, or why the packet is not an Ethernet/IPv4 request or reply we can read. */
    public int check() {
        if (length < LENGTH) {
            return ERR_TRUNCATED;
        }
        if (Bytes.u16(buffer, offset + HTYPE) != 1 || Bytes.u16(buffer, offset + PTYPE) != EthernetFrame.ETHERTYPE_IPV4
                || Bytes.u8(buffer, offset + HLEN) != 6 || Bytes.u8(buffer, offset + PLEN) != 4) {
            return ERR_FORMAT;
        }
        int op = operation();
        return op == OP_REQUEST || op == OP_REPLY ? OK : ERR_OPCODE;
    }

    public int operation() {
        return Bytes.u16(buffer, offset + OPER);
    }

    public long senderMac() {
        return Bytes.mac(buffer, offset + SHA);
    }

    public int senderIp() {
        return Bytes.i32(buffer, offset + SPA);
    }

    public long targetMac() {
        return Bytes.mac(buffer, offset + THA);
    }

    public int targetIp() {
        return Bytes.i32(buffer, offset + TPA);
    }

    /** Writes a whole packet (fixed fields included) at the wrapped offset. @return {@link #LENGTH} */
    public int emit(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        Bytes.put16(buffer, offset + HTYPE, 1);
        Bytes.put16(buffer, offset + PTYPE, EthernetFrame.ETHERTYPE_IPV4);
        Bytes.put8(buffer, offset + HLEN, 6);
        Bytes.put8(buffer, offset + PLEN, 4);
        Bytes.put16(buffer, offset + OPER, operation);
        Bytes.putMac(buffer, offset + SHA, senderMac);
        Bytes.put32(buffer, offset + SPA, senderIp);
        Bytes.putMac(buffer, offset + THA, targetMac);
        Bytes.put32(buffer, offset + TPA, targetIp);
        return LENGTH;
    }
}
