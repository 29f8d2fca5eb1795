package io.ethling.stack.tcp;

import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.Checksum;
import io.ethling.stack.wire.Ipv4Packet;

/**
 * Flyweight over a TCP segment (RFC 9293 §3.1). Wrap it with the IP payload length;
 * {@link #check} validates the data offset against the bytes that really exist and the checksum
 * with the pseudo-header before anything else reads the segment; after that no accessor can go
 * out of bounds. The option walk ({@link #mssOption}) is bounded by the header end.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (data offset - 5 words)            |
 * </pre>
 */
public final class TcpSegment {

    public static final int HEADER_LENGTH = 20;
    public static final int MSS_OPTION_LENGTH = 4;

    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int SEQ_OFFSET = 4;
    public static final int ACK_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_OFFSET = 18;

    public static final int FLAG_FIN = 0x01;
    public static final int FLAG_SYN = 0x02;
    public static final int FLAG_RST = 0x04;
    public static final int FLAG_PSH = 0x08;
    public static final int FLAG_ACK = 0x10;
    public static final int FLAG_URG = 0x20;
    public static final int FLAG_ECE = 0x40;
    public static final int FLAG_CWR = 0x80;

    public static final int OK = 0;
    public static final int ERR_TRUNCATED = 1;
    public static final int ERR_DATA_OFFSET = 2;
    public static final int ERR_CHECKSUM = 3;
    public static final int ERR_PORT = 4;
    /** Names of the {@link #check} statuses, by value (for counters and the journey). */
    public static final String[] STATUS_NAMES = {"ok", "truncated", "data offset", "checksum", "port 0"};

    /** {@link #mssOption}: no MSS option present. */
    public static final int NO_MSS = -1;
    /** {@link #mssOption}: the option list is malformed (the walk stopped there). */
    public static final int BAD_OPTIONS = -2;

    private static final int OPT_EOL = 0;
    private static final int OPT_NOP = 1;
    private static final int OPT_MSS = 2;

    private byte[] buffer;
    private int offset;
    private int length;

    public TcpSegment wrap(byte[] buffer, int offset, int length) {
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

    /**
     * {@link #OK} or the first failed check, lengths before the checksum so no sum ever runs over
     * a length taken from the packet (RELIABILITY.md T1–T3, T12, T13).
     */
    public int check(int srcIp, int dstIp) {
        if (length < HEADER_LENGTH) {
            return ERR_TRUNCATED;                                     // T13
        }
        int hl = headerLength();
        if (hl < HEADER_LENGTH || hl > length) {
            return ERR_DATA_OFFSET;                                   // T1, T2, T3
        }
        long sum = Checksum.addPseudoHeader(0, srcIp, dstIp, Ipv4Packet.PROTOCOL_TCP, length);
        if (Checksum.finish(Checksum.add(sum, buffer, offset, length)) != 0) {
            return ERR_CHECKSUM;                                      // RFC 9293 MUST-3, T12
        }
        if (sourcePort() == 0 || destinationPort() == 0) {
            return ERR_PORT;
        }
        return OK;
    }

    public int sourcePort() {
        return Bytes.u16(buffer, offset + SOURCE_PORT_OFFSET);
    }

    public int destinationPort() {
        return Bytes.u16(buffer, offset + DESTINATION_PORT_OFFSET);
    }

    public int seq() {
        return Bytes.i32(buffer, offset + SEQ_OFFSET);
    }

    public int ack() {
        return Bytes.i32(buffer, offset + ACK_OFFSET);
    }

    /** Data offset × 4: the header length the segment claims (validated by {@link #check}). */
    public int headerLength() {
        return ((buffer[offset + DATA_OFFSET_OFFSET] & 0xFF) >>> 4) * 4;
    }

    public int flags() {
        return buffer[offset + FLAGS_OFFSET] & 0xFF;
    }

    /** The window field, unsigned (MUST-1). */
    public int window() {
        return Bytes.u16(buffer, offset + WINDOW_OFFSET);
    }

    public int checksum() {
        return Bytes.u16(buffer, offset + CHECKSUM_OFFSET);
    }

    /** The urgent pointer: a number for the application, never an index (T10). */
    public int urgentPointer() {
        return Bytes.u16(buffer, offset + URGENT_OFFSET);
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
        return payloadLength() + ((f & FLAG_SYN) != 0 ? 1 : 0) + ((f & FLAG_FIN) != 0 ? 1 : 0);
    }

    /**
     * Walks the options (RFC 9293 §3.2) up to the header end: EOL ends, NOP is one byte, every
     * other kind carries a length >= 2 that must fit inside the header (MUST-7, T4–T6). An MSS
     * option of any length other than 4 is ignored (T7). No alignment is assumed (MUST-64, T9).
     * Every step advances at least one byte, so the walk ends within 40 steps.
     *
     * @return the MSS value, {@link #NO_MSS}, or {@link #BAD_OPTIONS} when the walk had to stop
     */
    public int mssOption() {
        int i = offset + HEADER_LENGTH;
        int end = offset + headerLength();
        int mss = NO_MSS;
        while (i < end) {
            int kind = buffer[i] & 0xFF;
            if (kind == OPT_EOL) {
                break;
            }
            if (kind == OPT_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return BAD_OPTIONS;                                   // T6: no length byte inside the header
            }
            int optLen = buffer[i + 1] & 0xFF;
            if (optLen < 2 || optLen > end - i) {
                return BAD_OPTIONS;                                   // T4, T5, T6
            }
            if (kind == OPT_MSS && optLen == MSS_OPTION_LENGTH) {
                mss = Bytes.u16(buffer, i + 2);
            }
            i += optLen;
        }
        return mss;
    }

    /**
     * Writes a header (with an MSS option when {@code mss >= 0}) for {@code payloadLength} bytes
     * already in place after it, and fills the checksum (MUST-2). The caller must have wrapped a
     * range long enough for header and payload.
     *
     * @return the segment length
     */
    public int emit(int srcIp, int dstIp, int srcPort, int dstPort, int seq, int ack, int flags, int window,
                    int mss, int payloadLength) {
        int hl = mss >= 0 ? HEADER_LENGTH + MSS_OPTION_LENGTH : HEADER_LENGTH;
        int total = hl + payloadLength;
        byte[] b = buffer;
        int o = offset;
        Bytes.put16(b, o + SOURCE_PORT_OFFSET, srcPort);
        Bytes.put16(b, o + DESTINATION_PORT_OFFSET, dstPort);
        Bytes.put32(b, o + SEQ_OFFSET, seq);
        Bytes.put32(b, o + ACK_OFFSET, (flags & FLAG_ACK) != 0 ? ack : 0);
        b[o + DATA_OFFSET_OFFSET] = (byte) ((hl / 4) << 4);
        b[o + FLAGS_OFFSET] = (byte) flags;
        Bytes.put16(b, o + WINDOW_OFFSET, window);
        Bytes.put16(b, o + CHECKSUM_OFFSET, 0);
        Bytes.put16(b, o + URGENT_OFFSET, 0);
        if (mss >= 0) {
            b[o + HEADER_LENGTH] = OPT_MSS;
            b[o + HEADER_LENGTH + 1] = MSS_OPTION_LENGTH;
            Bytes.put16(b, o + HEADER_LENGTH + 2, mss);
        }
        long sum = Checksum.addPseudoHeader(0, srcIp, dstIp, Ipv4Packet.PROTOCOL_TCP, total);
        Bytes.put16(b, o + CHECKSUM_OFFSET, Checksum.finish(Checksum.add(sum, b, o, total)));
        return total;
    }

    /** tcpdump-style flag letters (cold path, tests and traces). */
    public static StringBuilder appendFlags(StringBuilder out, int flags) {
        if ((flags & FLAG_SYN) != 0) {
            out.append('S');
        }
        if ((flags & FLAG_FIN) != 0) {
            out.append('F');
        }
        if ((flags & FLAG_RST) != 0) {
            out.append('R');
        }
        if ((flags & FLAG_PSH) != 0) {
            out.append('P');
        }
        if ((flags & FLAG_URG) != 0) {
            out.append('U');
        }
        if ((flags & FLAG_ACK) != 0) {
            out.append('.');
        }
        return out;
    }
}
