package io.ethling.stack.dns;

/**
 * A reused holder for one question or resource record read by {@link DnsMessage}: the owner
 * name decoded (uncompressed, at most 255 bytes), type, class, TTL (unsigned 32 bits) and where
 * the RDATA lies in the message. One per resolver; the name array is allocated once.
 */
public final class DnsRecord {

    /** The owner name, uncompressed wire form, ending with its 0 byte. */
    public final byte[] name = new byte[DnsName.MAX_NAME_LENGTH];
    public int type;
    public int recordClass;
    /** The raw TTL, 0..0xFFFFFFFF (clamp it before use: {@link DnsCache#clampTtlSeconds}). */
    public long ttl;
    /** Message position of the RDATA. */
    public int dataPos;
    /** RDLENGTH, already checked against the bytes present. */
    public int dataLength;
}
