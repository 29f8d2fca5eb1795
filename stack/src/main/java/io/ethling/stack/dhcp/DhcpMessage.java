package io.ethling.stack.dhcp;

import io.ethling.stack.wire.Bytes;

/**
 * Flyweight over a BOOTP/DHCP message (RFC 2131 §2, Figure 1), plus the writer for the four
 * messages a client sends (RFC 2131 §4.3.2 / Table 5). Holds only the array, an offset and a
 * length; {@link #checkReply()} validates the fixed part before any field is trusted, and the
 * option walk lives in {@link DhcpRepr#parse}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+---------------+---------------+
 * |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |
 * +---------------+---------------+---------------+---------------+
 * |                            xid (4)                            |
 * +-------------------------------+-------------------------------+
 * |           secs (2)            |           flags (2)           |
 * +-------------------------------+-------------------------------+
 * |                          ciaddr  (4)                          |
 * |                          yiaddr  (4)                          |
 * |                          siaddr  (4)                          |
 * |                          giaddr  (4)                          |
 * |                          chaddr  (16)                         |
 * |                          sname   (64)                         |
 * |                          file    (128)                        |
 * +---------------------------------------------------------------+  236
 * |                 magic cookie 99.130.83.99 (4)                 |  RFC 2131 §3, RFC 2132 §2
 * |                          options (variable)                   |  240..
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class DhcpMessage {

    public static final int OP_OFFSET = 0;
    public static final int HTYPE_OFFSET = 1;
    public static final int HLEN_OFFSET = 2;
    public static final int HOPS_OFFSET = 3;
    public static final int XID_OFFSET = 4;
    public static final int SECS_OFFSET = 8;
    public static final int FLAGS_OFFSET = 10;
    public static final int CIADDR_OFFSET = 12;
    public static final int YIADDR_OFFSET = 16;
    public static final int SIADDR_OFFSET = 20;
    public static final int GIADDR_OFFSET = 24;
    public static final int CHADDR_OFFSET = 28;
    public static final int CHADDR_LENGTH = 16;
    public static final int SNAME_OFFSET = 44;
    public static final int SNAME_LENGTH = 64;
    public static final int FILE_OFFSET = 108;
    public static final int FILE_LENGTH = 128;
    public static final int COOKIE_OFFSET = 236;
    public static final int OPTIONS_OFFSET = 240;
    /** The fixed BOOTP part (RFC 2131 §2). */
    public static final int FIXED_LENGTH = 236;
    /** Fixed part + magic cookie: the shortest message that can be a DHCP message. */
    public static final int MIN_LENGTH = OPTIONS_OFFSET;
    /** What we pad our own messages to: the BOOTP minimum (RFC 951 §3: a 64-byte vend field; RFC 1542 §2.1). */
    public static final int MIN_SEND_LENGTH = 300;
    /** Largest message this writer can produce (options we send are bounded, see {@link DhcpConfig}). */
    public static final int MAX_SEND_LENGTH = 576;

    public static final int MAGIC_COOKIE = 0x63825363;          // 99.130.83.99, RFC 2131 §3
    public static final int OP_BOOTREQUEST = 1;
    public static final int OP_BOOTREPLY = 2;
    public static final int HTYPE_ETHERNET = 1;                 // RFC 1700 hardware type
    public static final int HLEN_ETHERNET = 6;
    /** RFC 2131 §2 Figure 2: the leftmost bit of 'flags'. */
    public static final int FLAG_BROADCAST = 0x8000;

    // DHCP message types, option 53 (RFC 2132 §9.6)
    public static final int DHCPDISCOVER = 1;
    public static final int DHCPOFFER = 2;
    public static final int DHCPREQUEST = 3;
    public static final int DHCPDECLINE = 4;
    public static final int DHCPACK = 5;
    public static final int DHCPNAK = 6;
    public static final int DHCPRELEASE = 7;
    public static final int DHCPINFORM = 8;

    // option codes (RFC 2132)
    public static final int OPT_PAD = 0;                 // §3.1
    public static final int OPT_SUBNET_MASK = 1;         // §3.3
    public static final int OPT_ROUTER = 3;              // §3.5
    public static final int OPT_DNS = 6;                 // §3.8
    public static final int OPT_HOSTNAME = 12;           // §3.14
    public static final int OPT_DOMAIN_NAME = 15;        // §3.17
    public static final int OPT_REQUESTED_IP = 50;       // §9.1
    public static final int OPT_LEASE_TIME = 51;         // §9.2
    public static final int OPT_OVERLOAD = 52;           // §9.3
    public static final int OPT_MESSAGE_TYPE = 53;       // §9.6
    public static final int OPT_SERVER_ID = 54;          // §9.7
    public static final int OPT_PARAMETER_LIST = 55;     // §9.8
    public static final int OPT_MESSAGE = 56;            // §9.9
    public static final int OPT_MAX_MESSAGE_SIZE = 57;   // §9.10
    public static final int OPT_RENEWAL_TIME = 58;       // §9.11 (T1)
    public static final int OPT_REBINDING_TIME = 59;     // §9.12 (T2)
    public static final int OPT_CLIENT_ID = 61;          // §9.14
    public static final int OPT_DOMAIN_SEARCH = 119;     // RFC 3397: never parsed (H8)
    public static final int OPT_END = 255;               // §3.2

    /** The parameter request list we send (option 55): mask, router, DNS, domain, lease, T1, T2. */
    private static final int[] PARAMETER_REQUEST_LIST = {OPT_SUBNET_MASK, OPT_ROUTER, OPT_DNS,
        OPT_DOMAIN_NAME, OPT_LEASE_TIME, OPT_RENEWAL_TIME, OPT_REBINDING_TIME};

    /** Maximum DHCP message size we announce (option 57): the Ethernet MTU (RFC 2132 §9.10 minimum 576). */
    public static final int MAX_MESSAGE_SIZE = 1500;

    // checkReply() statuses
    public static final int OK = 0;
    public static final int ERR_TRUNCATED = 1;
    public static final int ERR_OP = 2;
    public static final int ERR_HARDWARE = 3;
    public static final int ERR_COOKIE = 4;

    // REQUEST variants, RFC 2131 §4.3.2 and Table 5
    public static final int REQUEST_SELECTING = 0;
    public static final int REQUEST_INIT_REBOOT = 1;
    public static final int REQUEST_RENEWING = 2;
    public static final int REQUEST_REBINDING = 3;

    private byte[] buffer;
    private int offset;
    private int length;

    /** Re-targets the view; no validation, no allocation. For writing, {@code length} is the capacity. */
    public DhcpMessage wrap(byte[] buffer, int offset, int length) {
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
     * Checks the fixed part of a server reply (RELIABILITY.md H5): at least 240 bytes, op
     * BOOTREPLY, htype 1 / hlen 6 (Ethernet), magic cookie (RFC 2131 §3). After {@link #OK} every
     * fixed-field accessor is in bounds. The xid and chaddr are matched by the client.
     */
    public int checkReply() {
        if (buffer == null || offset < 0 || length < MIN_LENGTH || length > buffer.length - offset) {
            return ERR_TRUNCATED;
        }
        if (op() != OP_BOOTREPLY) {
            return ERR_OP;
        }
        if (htype() != HTYPE_ETHERNET || hlen() != HLEN_ETHERNET) {
            return ERR_HARDWARE;
        }
        return cookie() == MAGIC_COOKIE ? OK : ERR_COOKIE;
    }

    public int op() {
        return Bytes.u8(buffer, offset + OP_OFFSET);
    }

    public int htype() {
        return Bytes.u8(buffer, offset + HTYPE_OFFSET);
    }

    public int hlen() {
        return Bytes.u8(buffer, offset + HLEN_OFFSET);
    }

    public int xid() {
        return Bytes.i32(buffer, offset + XID_OFFSET);
    }

    public int secs() {
        return Bytes.u16(buffer, offset + SECS_OFFSET);
    }

    public int flags() {
        return Bytes.u16(buffer, offset + FLAGS_OFFSET);
    }

    public int ciaddr() {
        return Bytes.i32(buffer, offset + CIADDR_OFFSET);
    }

    public int yiaddr() {
        return Bytes.i32(buffer, offset + YIADDR_OFFSET);
    }

    public int siaddr() {
        return Bytes.i32(buffer, offset + SIADDR_OFFSET);
    }

    public int giaddr() {
        return Bytes.i32(buffer, offset + GIADDR_OFFSET);
    }

    /** The first six bytes of chaddr as a MAC (meaningful when hlen is 6). */
    public long chaddrMac() {
        return Bytes.mac(buffer, offset + CHADDR_OFFSET);
    }

    public int cookie() {
        return Bytes.i32(buffer, offset + COOKIE_OFFSET);
    }

    // ------------------------------------------------------------------------------------------
    // Writer. The wrapped length is the capacity; it must be at least MAX_SEND_LENGTH.
    // Every method returns the message length (padded to MIN_SEND_LENGTH).
    // ------------------------------------------------------------------------------------------

    /**
     * DHCPDISCOVER (RFC 2131 §4.4.1, Table 5): ciaddr 0, requested IP optional (0 = none),
     * no server id.
     */
    public int emitDiscover(int xid, int secs, boolean broadcast, long mac, int requestedIp,
                            byte[] hostname, int hostnameLength) {
        int p = header(xid, secs, broadcast, 0, mac);
        p = putOption8(p, OPT_MESSAGE_TYPE, DHCPDISCOVER);
        p = putClientId(p, mac);
        if (requestedIp != 0) {
            p = putOption32(p, OPT_REQUESTED_IP, requestedIp);
        }
        p = putRequestOptions(p, hostname, hostnameLength);
        return finish(p);
    }

    /**
     * DHCPREQUEST in one of the four variants of RFC 2131 §4.3.2 (Table 5):
     * <ul>
     * <li>SELECTING: ciaddr 0, requested IP (50) = the offered address, server id (54) MUST;</li>
     * <li>INIT-REBOOT: ciaddr 0, requested IP MUST, server id MUST NOT;</li>
     * <li>RENEWING / REBINDING: ciaddr = our address, requested IP and server id MUST NOT.</li>
     * </ul>
     * {@code ip} is the requested address (SELECTING, INIT-REBOOT) or ciaddr (RENEWING, REBINDING).
     */
    public int emitRequest(int variant, int xid, int secs, boolean broadcast, long mac, int ip, int serverId,
                           byte[] hostname, int hostnameLength) {
        boolean bound = variant == REQUEST_RENEWING || variant == REQUEST_REBINDING;
        int p = header(xid, secs, broadcast, bound ? ip : 0, mac);
        p = putOption8(p, OPT_MESSAGE_TYPE, DHCPREQUEST);
        p = putClientId(p, mac);
        if (!bound) {
            p = putOption32(p, OPT_REQUESTED_IP, ip);
        }
        if (variant == REQUEST_SELECTING) {
            p = putOption32(p, OPT_SERVER_ID, serverId);
        }
        p = putRequestOptions(p, hostname, hostnameLength);
        return finish(p);
    }

    /**
     * DHCPDECLINE (RFC 2131 §4.4.1, Table 5): ciaddr 0, requested IP and server id MUST, no
     * parameter request list, no max size, secs 0.
     */
    public int emitDecline(int xid, long mac, int declinedIp, int serverId) {
        int p = header(xid, 0, false, 0, mac);
        p = putOption8(p, OPT_MESSAGE_TYPE, DHCPDECLINE);
        p = putClientId(p, mac);
        p = putOption32(p, OPT_REQUESTED_IP, declinedIp);
        p = putOption32(p, OPT_SERVER_ID, serverId);
        return finish(p);
    }

    /** DHCPRELEASE (RFC 2131 §4.4.6, Table 5): ciaddr = the address, server id MUST, secs 0. */
    public int emitRelease(int xid, long mac, int ip, int serverId) {
        int p = header(xid, 0, false, ip, mac);
        p = putOption8(p, OPT_MESSAGE_TYPE, DHCPRELEASE);
        p = putClientId(p, mac);
        p = putOption32(p, OPT_SERVER_ID, serverId);
        return finish(p);
    }

    /** Zeroes the fixed part (junk-filled buffers must not leak), writes it and the cookie; returns the options position. */
    private int header(int xid, int secs, boolean broadcast, int ciaddr, long mac) {
        byte[] b = buffer;
        int o = offset;
        for (int i = 0; i < OPTIONS_OFFSET; i++) {
            b[o + i] = 0;
        }
        Bytes.put8(b, o + OP_OFFSET, OP_BOOTREQUEST);
        Bytes.put8(b, o + HTYPE_OFFSET, HTYPE_ETHERNET);
        Bytes.put8(b, o + HLEN_OFFSET, HLEN_ETHERNET);
        Bytes.put32(b, o + XID_OFFSET, xid);
        Bytes.put16(b, o + SECS_OFFSET, secs < 0 ? 0 : Math.min(secs, 0xFFFF));
        Bytes.put16(b, o + FLAGS_OFFSET, broadcast ? FLAG_BROADCAST : 0);
        Bytes.put32(b, o + CIADDR_OFFSET, ciaddr);
        Bytes.putMac(b, o + CHADDR_OFFSET, mac);
        Bytes.put32(b, o + COOKIE_OFFSET, MAGIC_COOKIE);
        return o + OPTIONS_OFFSET;
    }

    /** Client identifier: type 1 (Ethernet) + MAC (RFC 2132 §9.14); the same in every message (RFC 2131 §4.2). */
    private int putClientId(int p, long mac) {
        byte[] b = buffer;
        b[p] = (byte) OPT_CLIENT_ID;
        b[p + 1] = 7;
        b[p + 2] = HTYPE_ETHERNET;
        Bytes.putMac(b, p + 3, mac);
        return p + 9;
    }

    /** Options 55, 57 and 12 that DISCOVER and REQUEST carry (and DECLINE/RELEASE MUST NOT, Table 5). */
    private int putRequestOptions(int p, byte[] hostname, int hostnameLength) {
        byte[] b = buffer;
        b[p] = (byte) OPT_PARAMETER_LIST;
        b[p + 1] = (byte) PARAMETER_REQUEST_LIST.length;
        for (int i = 0; i < PARAMETER_REQUEST_LIST.length; i++) {
            b[p + 2 + i] = (byte) PARAMETER_REQUEST_LIST[i];
        }
        p += 2 + PARAMETER_REQUEST_LIST.length;
        b[p] = (byte) OPT_MAX_MESSAGE_SIZE;
        b[p + 1] = 2;
        Bytes.put16(b, p + 2, MAX_MESSAGE_SIZE);
        p += 4;
        if (hostname != null && hostnameLength > 0) {
            int n = Math.min(hostnameLength, DhcpConfig.MAX_HOSTNAME_LENGTH);
            b[p] = (byte) OPT_HOSTNAME;
            b[p + 1] = (byte) n;
            System.arraycopy(hostname, 0, b, p + 2, n);
            p += 2 + n;
        }
        return p;
    }

    private int putOption8(int p, int code, int value) {
        buffer[p] = (byte) code;
        buffer[p + 1] = 1;
        buffer[p + 2] = (byte) value;
        return p + 3;
    }

    private int putOption32(int p, int code, int value) {
        buffer[p] = (byte) code;
        buffer[p + 1] = 4;
        Bytes.put32(buffer, p + 2, value);
        return p + 6;
    }

    /** End option, then zero padding up to the BOOTP minimum; returns the message length. */
    private int finish(int p) {
        buffer[p++] = (byte) OPT_END;
        int end = offset + MIN_SEND_LENGTH;
        while (p < end) {
            buffer[p++] = 0;
        }
        length = p - offset;
        return length;
    }
}
