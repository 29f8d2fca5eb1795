package io.ethling.stack.dns;

import io.ethling.stack.wire.Bytes;

/**
 * Flyweight over a DNS message (RFC 1035 §4.1): the array, an offset and a length, nothing else.
 * {@link #wrap} re-targets it; {@link #check} makes sure the 12-byte header is there, after which
 * the header accessors cannot go out of bounds. Questions and records are read with
 * {@link #readQuestion} and {@link #readRecord} into a reused {@link DnsRecord}; both bound every
 * read by the wrapped length (RFC 9267 §5–§6), so a lying count or RDLENGTH ends in a status.
 * Positions ("pos") are relative to the start of the message, like compression pointers.
 *
 * <pre>
 *   0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                      ID                       |  0
 * |QR|  Opcode   |AA|TC|RD|RA|  Z     |   RCODE   |  2
 * |                    QDCOUNT                    |  4
 * |                    ANCOUNT                    |  6
 * |                    NSCOUNT                    |  8
 * |                    ARCOUNT                    | 10
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * </pre>
 *
 * {@link #writeQuery} writes a recursive query (RD set, one question) into a buffer, optionally
 * with an EDNS(0) OPT record advertising a UDP payload size (RFC 6891 §6.1.2).
 */
public final class DnsMessage {

    public static final int HEADER_LENGTH = 12;
    public static final int ID_OFFSET = 0;
    public static final int FLAGS_OFFSET = 2;
    public static final int QDCOUNT_OFFSET = 4;
    public static final int ANCOUNT_OFFSET = 6;
    public static final int NSCOUNT_OFFSET = 8;
    public static final int ARCOUNT_OFFSET = 10;

    public static final int FLAG_QR = 0x8000;
    public static final int FLAG_AA = 0x0400;
    public static final int FLAG_TC = 0x0200;
    public static final int FLAG_RD = 0x0100;
    public static final int FLAG_RA = 0x0080;

    public static final int TYPE_A = 1;
    public static final int TYPE_NS = 2;
    public static final int TYPE_CNAME = 5;
    public static final int TYPE_SOA = 6;
    public static final int TYPE_AAAA = 28;
    public static final int TYPE_OPT = 41;
    public static final int CLASS_IN = 1;

    public static final int RCODE_NOERROR = 0;
    public static final int RCODE_FORMERR = 1;
    public static final int RCODE_SERVFAIL = 2;
    public static final int RCODE_NXDOMAIN = 3;
    public static final int RCODE_NOTIMP = 4;
    public static final int RCODE_REFUSED = 5;

    /** RFC 1035 §4.2.1: UDP messages are at most 512 bytes without EDNS. */
    public static final int MAX_UDP_LENGTH = 512;
    /** The EDNS(0) size that avoids fragmentation on common paths (DNS flag day 2020). */
    public static final int EDNS_UDP_SIZE = 1232;
    /** Fixed part of a record after its name: TYPE, CLASS, TTL, RDLENGTH. */
    public static final int RECORD_FIXED_LENGTH = 10;
    /** The largest query {@link #writeQuery} can produce (header, longest name, type, class, OPT). */
    public static final int MAX_QUERY_LENGTH = HEADER_LENGTH + DnsName.MAX_NAME_LENGTH + 4 + 11;

    public static final int OK = 0;
    public static final int ERR_SHORT = -20;
    public static final int ERR_RECORD_TRUNCATED = -21;
    public static final int ERR_RDATA_OVERRUN = -22;

    private byte[] buffer;
    private int offset;
    private int length;

    public DnsMessage wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** {@link #OK} if the header is present (RELIABILITY.md D21), else {@link #ERR_SHORT}. */
    public int check() {
        return length < HEADER_LENGTH ? ERR_SHORT : OK;
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

    public int id() {
        return Bytes.u16(buffer, offset + ID_OFFSET);
    }

    public int flags() {
        return Bytes.u16(buffer, offset + FLAGS_OFFSET);
    }

    public boolean isResponse() {
        return (flags() & FLAG_QR) != 0;
    }

    public int opcode() {
        return (flags() >>> 11) & 0xF;
    }

    public boolean isTruncated() {
        return (flags() & FLAG_TC) != 0;
    }

    public int rcode() {
        return flags() & 0xF;
    }

    public int questionCount() {
        return Bytes.u16(buffer, offset + QDCOUNT_OFFSET);
    }

    public int answerCount() {
        return Bytes.u16(buffer, offset + ANCOUNT_OFFSET);
    }

    public int authorityCount() {
        return Bytes.u16(buffer, offset + NSCOUNT_OFFSET);
    }

    public int additionalCount() {
        return Bytes.u16(buffer, offset + ARCOUNT_OFFSET);
    }

    /**
     * Reads the question at {@code pos} (RFC 1035 §4.1.2): its name (decoded into
     * {@code into.name}), type and class. Nothing is read past the message end.
     *
     * @return the position after the question, or a negative status
     */
    public int readQuestion(int pos, DnsRecord into) {
        int p = DnsName.decode(buffer, offset, length, pos, into.name, 0);
        if (p < 0) {
            return p;
        }
        if (p + 4 > length) {
            return ERR_RECORD_TRUNCATED;
        }
        into.type = Bytes.u16(buffer, offset + p);
        into.recordClass = Bytes.u16(buffer, offset + p + 2);
        into.ttl = 0;
        into.dataPos = p + 4;
        into.dataLength = 0;
        return p + 4;
    }

    /**
     * Reads the resource record at {@code pos} (RFC 1035 §4.1.3): owner name into
     * {@code into.name}, type, class, TTL (raw unsigned 32 bits in a long), and where its RDATA
     * lies. RDLENGTH must fit in the bytes present (RFC 9267 §5; RELIABILITY.md D12).
     *
     * @return the position after the record, or a negative status
     */
    public int readRecord(int pos, DnsRecord into) {
        int p = DnsName.decode(buffer, offset, length, pos, into.name, 0);
        if (p < 0) {
            return p;
        }
        if (p + RECORD_FIXED_LENGTH > length) {
            return ERR_RECORD_TRUNCATED;
        }
        into.type = Bytes.u16(buffer, offset + p);
        into.recordClass = Bytes.u16(buffer, offset + p + 2);
        into.ttl = Bytes.i32(buffer, offset + p + 4) & 0xFFFF_FFFFL;
        int rdLength = Bytes.u16(buffer, offset + p + 8);
        int data = p + RECORD_FIXED_LENGTH;
        if (rdLength > length - data) {
            return ERR_RDATA_OVERRUN;
        }
        into.dataPos = data;
        into.dataLength = rdLength;
        return data + rdLength;
    }

    /**
     * Decodes a name embedded in record data at {@code pos} that must end exactly at
     * {@code limit} (the end of the RDATA): the uncompressed part may not cross the RDATA
     * boundary (RFC 9267 §5; RELIABILITY.md D14).
     *
     * @return the position after the name, or a negative status
     */
    public int readNameWithin(int pos, int limit, byte[] dst, int dstOff) {
        if (pos >= limit) {
            return ERR_RDATA_OVERRUN;
        }
        int p = DnsName.decode(buffer, offset, limit, pos, dst, dstOff);
        return p;
    }

    /** The 32-bit field at message position {@code pos} as an unsigned value. */
    public long u32(int pos) {
        return Bytes.i32(buffer, offset + pos) & 0xFFFF_FFFFL;
    }

    /** The 32-bit field at message position {@code pos} (an IPv4 address). */
    public int i32(int pos) {
        return Bytes.i32(buffer, offset + pos);
    }

    /**
     * Writes a standard recursive query (RFC 1035 §4.1.1: QR 0, opcode 0, RD 1) with one question
     * for {@code name} (a valid encoded name), {@code type}, class IN, and, if
     * {@code ednsUdpSize > 0}, an OPT pseudo-record in the additional section (RFC 6891 §6.1.2).
     * {@code buf} needs {@link #MAX_QUERY_LENGTH} bytes from {@code off}.
     *
     * @return the query length
     */
    public static int writeQuery(byte[] buf, int off, int id, byte[] name, int nameOff, int type, int ednsUdpSize) {
        Bytes.put16(buf, off + ID_OFFSET, id);
        Bytes.put16(buf, off + FLAGS_OFFSET, FLAG_RD);
        Bytes.put16(buf, off + QDCOUNT_OFFSET, 1);
        Bytes.put16(buf, off + ANCOUNT_OFFSET, 0);
        Bytes.put16(buf, off + NSCOUNT_OFFSET, 0);
        Bytes.put16(buf, off + ARCOUNT_OFFSET, ednsUdpSize > 0 ? 1 : 0);
        int p = off + HEADER_LENGTH;
        p += DnsName.copy(name, nameOff, buf, p);
        Bytes.put16(buf, p, type);
        Bytes.put16(buf, p + 2, CLASS_IN);
        p += 4;
        if (ednsUdpSize > 0) {
            buf[p] = 0; // root owner name
            Bytes.put16(buf, p + 1, TYPE_OPT);
            Bytes.put16(buf, p + 3, ednsUdpSize); // CLASS carries the requester's UDP payload size
            Bytes.put32(buf, p + 5, 0); // extended RCODE 0, version 0, DO 0
            Bytes.put16(buf, p + 9, 0); // no options
            p += 11;
        }
        return p - off;
    }
}
