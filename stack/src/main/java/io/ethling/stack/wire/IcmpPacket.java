package io.ethling.stack.wire;

/**
 * Flyweight over an ICMPv4 message (RFC 792). The wrapped length is the IP payload length from
 * the IP total length, never the frame length, so padding is never echoed (RELIABILITY.md E5, C2).
 */
public final class IcmpPacket {

    public static final int HEADER_LENGTH = 8;
    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DEST_UNREACHABLE = 3;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;

    public static final int OK = 0;
    public static final int ERR_TRUNCATED = 1;
    public static final int ERR_CHECKSUM = 2;

    private byte[] buffer;
    private int offset;
    private int length;

    public IcmpPacket wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Length and checksum over exactly the wrapped bytes (C1, C3). */
    public int check() {
        if (length < HEADER_LENGTH) {
            return ERR_TRUNCATED;
        }
        return Checksum.compute(buffer, offset, length) == 0 ? OK : ERR_CHECKSUM;
    }

    public int type() {
        return Bytes.u8(buffer, offset);
    }

    public int code() {
        return Bytes.u8(buffer, offset + 1);
    }

    /** Echo identifier (RFC 792, echo messages). */
    public int identifier() {
        return Bytes.u16(buffer, offset + 4);
    }

    public int sequence() {
        return Bytes.u16(buffer, offset + 6);
    }

    public int length() {
        return length;
    }

    public int dataOffset() {
        return offset + HEADER_LENGTH;
    }

    public int dataLength() {
        return length - HEADER_LENGTH;
    }

    /** Writes type, code, the 4 rest-of-header bytes, and the checksum over header + the data already in place. */
    public void emit(int type, int code, int restOfHeader) {
        Bytes.put8(buffer, offset, type);
        Bytes.put8(buffer, offset + 1, code);
        Bytes.put16(buffer, offset + 2, 0);
        Bytes.put32(buffer, offset + 4, restOfHeader);
        Bytes.put16(buffer, offset + 2, Checksum.compute(buffer, offset, length));
    }
}
