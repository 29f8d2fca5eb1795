package io.ethling.stack.wire;

/**
 * Flyweight over a UDP datagram (RFC 768). Wrap it with the IP payload length; {@link #check}
 * validates the UDP length against it (RELIABILITY.md U1, U2), the ports (U5) and the checksum
 * with the pseudo-header (U3: 0 means "none" in IPv4, RFC 768).
 */
public final class UdpDatagram {

    public static final int HEADER_LENGTH = 8;

    public static final int OK = 0;
    public static final int ERR_TRUNCATED = 1;
    public static final int ERR_LENGTH = 2;
    public static final int ERR_PORT = 3;
    public static final int ERR_CHECKSUM = 4;

    private byte[] buffer;
    private int offset;
    private int length;

    public UdpDatagram wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public int check(int srcIp, int dstIp) {
        if (length < HEADER_LENGTH) {
            return ERR_TRUNCATED;
        }
        int udpLength = Bytes.u16(buffer, offset + 4);
        if (udpLength < HEADER_LENGTH || udpLength > length) {
            return ERR_LENGTH;
        }
        if (sourcePort() == 0 || destinationPort() == 0) {
            return ERR_PORT;
        }
        if (Bytes.u16(buffer, offset + 6) != 0) {
            long sum = Checksum.addPseudoHeader(0, srcIp, dstIp, Ipv4Packet.PROTOCOL_UDP, udpLength);
            if (Checksum.finish(Checksum.add(sum, buffer, offset, udpLength)) != 0) {
                return ERR_CHECKSUM;
            }
        }
        return OK;
    }

    public int sourcePort() {
        return Bytes.u16(buffer, offset);
    }

    public int destinationPort() {
        return Bytes.u16(buffer, offset + 2);
    }

    /** The UDP length field (header + data); valid after {@link #check}. U2: trims the IP payload. */
    public int udpLength() {
        return Bytes.u16(buffer, offset + 4);
    }

    public int dataOffset() {
        return offset + HEADER_LENGTH;
    }

    public int dataLength() {
        return udpLength() - HEADER_LENGTH;
    }

    /** Writes the header for {@code dataLength} bytes already in place, with the checksum (never 0: RFC 768 sends 0xFFFF). */
    public int emit(int srcIp, int dstIp, int srcPort, int dstPort, int dataLength) {
        int udpLength = HEADER_LENGTH + dataLength;
        Bytes.put16(buffer, offset, srcPort);
        Bytes.put16(buffer, offset + 2, dstPort);
        Bytes.put16(buffer, offset + 4, udpLength);
        Bytes.put16(buffer, offset + 6, 0);
        long sum = Checksum.addPseudoHeader(0, srcIp, dstIp, Ipv4Packet.PROTOCOL_UDP, udpLength);
        int c = Checksum.finish(Checksum.add(sum, buffer, offset, udpLength));
        Bytes.put16(buffer, offset + 6, c == 0 ? 0xFFFF : c);
        return udpLength;
    }
}
