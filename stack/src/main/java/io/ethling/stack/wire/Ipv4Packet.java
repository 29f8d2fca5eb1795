package io.ethling.stack.wire;

/**
 * Flyweight over an IPv4 datagram (RFC 791 §3.1). {@link #check()} runs every header check
 * before any field is used for arithmetic (RELIABILITY.md I1–I7, I10): version, IHL, header and
 * total length against the bytes actually received, the header checksum, the option list, and
 * fragments (which Ethling does not reassemble: counted and dropped; everything it sends has DF).
 */
public final class Ipv4Packet {

    public static final int MIN_HEADER_LENGTH = 20;
    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;
    public static final int DEFAULT_TTL = 64;

    public static final int OK = 0;
    public static final int ERR_TRUNCATED = 1;
    public static final int ERR_VERSION = 2;
    public static final int ERR_HEADER_LENGTH = 3;
    public static final int ERR_TOTAL_LENGTH = 4;
    public static final int ERR_CHECKSUM = 5;
    public static final int ERR_OPTIONS = 6;
    public static final int ERR_FRAGMENT = 7;
    public static final int ERR_TRANSPORT_LENGTH = 8;

    /** Names of the statuses above, for counters (index = status). */
    public static final String[] STATUS_NAMES = {"ok", "truncated", "version", "header.length",
        "total.length", "checksum", "options", "fragment", "transport.length"};

    private static final int VER_IHL = 0;
    private static final int TOTAL_LENGTH = 2;
    private static final int IDENT = 4;
    private static final int FLAGS_FRAG = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int CHECKSUM = 10;
    private static final int SRC = 12;
    private static final int DST = 16;
    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int FRAG_OFFSET_MASK = 0x1FFF;

    private byte[] buffer;
    private int offset;
    private int length;

    /** Wraps {@code length} bytes that arrived (the Ethernet payload, possibly padded). */
    public Ipv4Packet wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** {@link #OK} or the first check that failed, in the order RFC 1122 §3.2.1 implies. */
    public int check() {
        if (length < MIN_HEADER_LENGTH) {
            return ERR_TRUNCATED;
        }
        int verIhl = Bytes.u8(buffer, offset + VER_IHL);
        if ((verIhl >>> 4) != 4) {
            return ERR_VERSION;                       // RFC 1122 §3.2.1.1
        }
        int headerLength = (verIhl & 0x0F) * 4;
        if (headerLength < MIN_HEADER_LENGTH || headerLength > length) {
            return ERR_HEADER_LENGTH;                 // I2, I3
        }
        int total = Bytes.u16(buffer, offset + TOTAL_LENGTH);
        if (total < headerLength || total > length) {
            return ERR_TOTAL_LENGTH;                  // I4, I5: before any payload arithmetic
        }
        if (Checksum.compute(buffer, offset, headerLength) != 0) {
            return ERR_CHECKSUM;                      // RFC 1122 §3.2.1.2
        }
        if (!optionsWellFormed(headerLength)) {
            return ERR_OPTIONS;                       // I7
        }
        int frag = Bytes.u16(buffer, offset + FLAGS_FRAG);
        if ((frag & FLAG_MF) != 0 || (frag & FRAG_OFFSET_MASK) != 0) {
            return ERR_FRAGMENT;                      // no reassembly: I10–I13 cannot arise
        }
        int protocol = protocol();
        int minimum = protocol == PROTOCOL_TCP ? 20 : protocol == PROTOCOL_UDP || protocol == PROTOCOL_ICMP ? 8 : 0;
        if (total - headerLength < minimum) {
            return ERR_TRANSPORT_LENGTH;              // I5
        }
        return OK;
    }

    /** RFC 791 §3.1 options: EOL (0) ends, NOP (1) is one byte, others carry a length >= 2 inside the header. */
    private boolean optionsWellFormed(int headerLength) {
        int i = offset + MIN_HEADER_LENGTH;
        int end = offset + headerLength;
        while (i < end) {                             // each step advances by >= 1: bounded by 40 bytes
            int kind = buffer[i] & 0xFF;
            if (kind == 0) {
                return true;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return false;
            }
            int optLen = buffer[i + 1] & 0xFF;
            if (optLen < 2 || i + optLen > end) {
                return false;
            }
            i += optLen;
        }
        return true;
    }

    public int headerLength() {
        return (Bytes.u8(buffer, offset + VER_IHL) & 0x0F) * 4;
    }

    public int totalLength() {
        return Bytes.u16(buffer, offset + TOTAL_LENGTH);
    }

    public int identification() {
        return Bytes.u16(buffer, offset + IDENT);
    }

    public boolean dontFragment() {
        return (Bytes.u16(buffer, offset + FLAGS_FRAG) & FLAG_DF) != 0;
    }

    public int ttl() {
        return Bytes.u8(buffer, offset + TTL);
    }

    public int protocol() {
        return Bytes.u8(buffer, offset + PROTOCOL);
    }

    public int source() {
        return Bytes.i32(buffer, offset + SRC);
    }

    public int destination() {
        return Bytes.i32(buffer, offset + DST);
    }

    /** Start of the payload; valid after {@link #check()} returned OK. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    /** Payload bytes per the total length (Ethernet padding excluded); valid after {@link #check()}. */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /**
     * Writes a 20-byte header with DF set (Ethling never fragments: RFC 791 §3.2; RFC 1191 path
     * MTU discovery works with it) and its checksum.
     *
     * @return {@link #MIN_HEADER_LENGTH}
     */
    public int emitHeader(int source, int destination, int protocol, int payloadLength, int identification, int ttl) {
        Bytes.put8(buffer, offset + VER_IHL, 0x45);
        Bytes.put8(buffer, offset + 1, 0);
        Bytes.put16(buffer, offset + TOTAL_LENGTH, MIN_HEADER_LENGTH + payloadLength);
        Bytes.put16(buffer, offset + IDENT, identification);
        Bytes.put16(buffer, offset + FLAGS_FRAG, FLAG_DF);
        Bytes.put8(buffer, offset + TTL, ttl);
        Bytes.put8(buffer, offset + PROTOCOL, protocol);
        Bytes.put16(buffer, offset + CHECKSUM, 0);
        Bytes.put32(buffer, offset + SRC, source);
        Bytes.put32(buffer, offset + DST, destination);
        Bytes.put16(buffer, offset + CHECKSUM, Checksum.compute(buffer, offset, MIN_HEADER_LENGTH));
        return MIN_HEADER_LENGTH;
    }

    /** 0.0.0.0, 255.255.255.255, 127/8, 224/4 and 240/4 are never a valid unicast source (RFC 1122 §3.2.1.3). */
    public static boolean isValidUnicastSource(int ip) {
        int first = ip >>> 24;
        return ip != 0 && ip != -1 && first != 127 && first < 224;
    }

    /** Formats a.b.c.d (cold path). */
    public static String format(int ip) {
        return (ip >>> 24) + "." + ((ip >>> 16) & 0xFF) + "." + ((ip >>> 8) & 0xFF) + "." + (ip & 0xFF);
    }

    /** Parses a.b.c.d; -1 is a valid result (255.255.255.255), so errors throw (configuration only). */
    public static int parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("bad IPv4 address '" + text + "': expected a.b.c.d");
        }
        int ip = 0;
        for (String p : parts) {
            int v;
            try {
                v = p.isEmpty() || p.length() > 3 ? -1 : Integer.parseInt(p);
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("bad IPv4 address '" + text + "': '" + p + "' is not 0..255");
            }
            ip = (ip << 8) | v;
        }
        return ip;
    }
}
