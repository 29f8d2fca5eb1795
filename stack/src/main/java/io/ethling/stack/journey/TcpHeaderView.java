package io.ethling.stack.journey;

import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.Checksum;
import io.ethling.stack.wire.Ipv4Packet;

/**
 * A read-only view of a TCP header (RFC 9293 §3.1), just enough for the journey: ports, sequence
 * and acknowledgment numbers, data offset, flags, window and where the payload lies. Wrap it with
 * the IP payload (length from the IP total length, never the frame); {@link #check} validates
 * the data offset against the bytes present (RELIABILITY.md T1–T3, K1) and the checksum with the
 * pseudo-header before anything else is read. This is not the stack's TCP and makes no decisions.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |          Source Port          |       Destination Port        |
 * +-------------------------------+-------------------------------+
 * |                        Sequence Number                        |
 * +---------------------------------------------------------------+
 * |                    Acknowledgment Number                      |
 * +-------+-------+---------------+-------------------------------+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * +-------+-------+---------------+-------------------------------+
 * |           Checksum            |         Urgent Pointer        |
 * +-------------------------------+-------------------------------+
 * </pre>
 */
public final class TcpHeaderView {

    public static final int MIN_HEADER_LENGTH = 20;
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;

    public static final int OK = 0;
    public static final int ERR_TRUNCATED = 1;
    public static final int ERR_DATA_OFFSET = 2;
    public static final int ERR_CHECKSUM = 3;
    public static final int ERR_PORT = 4;
    /** Names of the statuses above (index = status). */
    public static final String[] STATUS_NAMES = {"ok", "truncated", "data offset", "checksum", "port 0"};

    private byte[] buffer;
    private int offset;
    private int length;

    /** Wraps the TCP segment: {@code length} is the IP payload length. */
    public TcpHeaderView wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * {@link #OK}, or the first problem: fewer than 20 bytes, a data offset below 5 words or past
     * the segment (RFC 9293 §3.1), a zero port, or a wrong checksum over the pseudo-header, header
     * and data (RFC 9293 §3.1).
     */
    public int check(int srcIp, int dstIp) {
        if (length < MIN_HEADER_LENGTH) {
            return ERR_TRUNCATED;
        }
        int headerLength = headerLength();
        if (headerLength < MIN_HEADER_LENGTH || headerLength > length) {
            return ERR_DATA_OFFSET;
        }
        if (sourcePort() == 0 || destinationPort() == 0) {
            return ERR_PORT;
        }
        long sum = Checksum.addPseudoHeader(0, srcIp, dstIp, Ipv4Packet.PROTOCOL_TCP, length);
        if (Checksum.finish(Checksum.add(sum, buffer, offset, length)) != 0) {
            return ERR_CHECKSUM;
        }
        return OK;
    }

    public int sourcePort() {
        return Bytes.u16(buffer, offset + SOURCE_PORT_OFFSET);
    }

    public int destinationPort() {
        return Bytes.u16(buffer, offset + DESTINATION_PORT_OFFSET);
    }

    /** The sequence number (32 bits, compare by subtraction: RFC 9293 §3.4). */
    public int sequence() {
        return Bytes.i32(buffer, offset + SEQUENCE_OFFSET);
    }

    public int acknowledgment() {
        return Bytes.i32(buffer, offset + ACKNOWLEDGMENT_OFFSET);
    }

    /** Header length in bytes from the data offset field (valid after {@link #check}). */
    public int headerLength() {
        return ((buffer[offset + DATA_OFFSET_OFFSET] & 0xFF) >>> 4) * 4;
    }

    /** The eight flag bits CWR..FIN. */
    public int flags() {
        return buffer[offset + FLAGS_OFFSET] & 0xFF;
    }

    public int window() {
        return Bytes.u16(buffer, offset + WINDOW_OFFSET);
    }

    public int payloadOffset() {
        return offset + headerLength();
    }

    public int payloadLength() {
        return length - headerLength();
    }

    /** Sequence space the segment occupies: data, plus one each for SYN and FIN (RFC 9293 §3.4). */
    public int sequenceLength() {
        int f = flags();
        return payloadLength() + ((f & Journey.FLAG_SYN) != 0 ? 1 : 0) + ((f & Journey.FLAG_FIN) != 0 ? 1 : 0);
    }
}
