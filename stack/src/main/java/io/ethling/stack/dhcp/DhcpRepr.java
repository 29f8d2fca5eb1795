package io.ethling.stack.dhcp;

import io.ethling.stack.wire.Bytes;

/**
 * The parsed content of one server reply: a reusable holder, one per client, overwritten by
 * every {@link #parse}. Fields are primitives and arrays sized once.
 *
 * <p>The option walk (RFC 2132 §2, RELIABILITY.md H1–H4, H8, H9, H13) is bounded by the bytes
 * received: every option's length byte and body must lie inside the area being walked, or the
 * whole message is refused ({@link #ERR_OPTION_OVERRUN}); each step advances at least one byte,
 * so the walk ends after at most {@code length} steps. Rules:
 * <ul>
 * <li>Pad (0) is skipped; End (255) stops the walk of that area. A missing End is not an error:
 *     the walk stops at the area's end (H2) and the caller checks the required options.</li>
 * <li>The first instance of an option wins; later instances are skipped unread (H4). Options
 *     split across several instances (RFC 3396 concatenation) are therefore <em>not</em> joined:
 *     only the first part is used. This is a defined, documented choice.</li>
 * <li>Fixed-size options (1, 51, 52, 53, 54, 58, 59) with a wrong length refuse the message
 *     ({@link #ERR_OPTION_LENGTH}); router (3) needs at least 4 bytes and keeps the first.</li>
 * <li>DNS servers (6): {@code length / 4} addresses, the first {@code maxDns} kept; a length that
 *     is not a multiple of 4 is trimmed down, 0 gives none (H9).</li>
 * <li>Hostname (12) and domain name (15): copied up to {@link #NAME_CAPACITY} bytes, stopping at a
 *     NUL; never read past the option (H13).</li>
 * <li>Option overload (52, RFC 2132 §9.3; RFC 2131 §4.1), only honoured in the main options
 *     field: 1 = 'file' holds options, 2 = 'sname', 3 = both; walked after the options field,
 *     'file' first then 'sname', each bounded by its own 128/64 bytes. Any other value, or a
 *     length other than 1, refuses the message ({@link #ERR_OVERLOAD}, H3). An overload option
 *     inside 'file'/'sname' is ignored.</li>
 * <li>Domain search (119) and everything else unknown is skipped unread (H8).</li>
 * </ul>
 */
public final class DhcpRepr {

    public static final int NAME_CAPACITY = 64;

    public static final int OK = 0;
    public static final int ERR_OPTION_OVERRUN = 1;
    public static final int ERR_OPTION_LENGTH = 2;
    public static final int ERR_OVERLOAD = 3;

    // presence bits
    public static final int HAS_MESSAGE_TYPE = 1;
    public static final int HAS_SERVER_ID = 1 << 1;
    public static final int HAS_SUBNET_MASK = 1 << 2;
    public static final int HAS_ROUTER = 1 << 3;
    public static final int HAS_DNS = 1 << 4;
    public static final int HAS_LEASE_TIME = 1 << 5;
    public static final int HAS_RENEWAL_TIME = 1 << 6;
    public static final int HAS_REBINDING_TIME = 1 << 7;
    public static final int HAS_HOSTNAME = 1 << 8;
    public static final int HAS_DOMAIN_NAME = 1 << 9;
    public static final int HAS_OVERLOAD = 1 << 10;

    /** Which options were seen (HAS_* bits). */
    public int present;
    public int messageType;
    public int serverId;
    public int subnetMask;
    public int router;
    public final int[] dnsServers;
    public int dnsCount;
    /** Seconds, unsigned 32-bit values widened to long. */
    public long leaseSeconds;
    public long renewalSeconds;
    public long rebindingSeconds;
    public final byte[] hostname = new byte[NAME_CAPACITY];
    public int hostnameLength;
    public final byte[] domainName = new byte[NAME_CAPACITY];
    public int domainNameLength;
    public int overload;
    // fixed fields, copied for convenience
    public int xid;
    public int yiaddr;
    public int siaddr;
    public long chaddr;

    /** @param maxDnsServers how many DNS servers to keep from option 6 */
    public DhcpRepr(int maxDnsServers) {
        this.dnsServers = new int[maxDnsServers];
    }

    public boolean has(int bit) {
        return (present & bit) != 0;
    }

    /**
     * Walks the options of {@code msg}, which must already have passed
     * {@link DhcpMessage#checkReply()}. Clears every field first, so nothing of a previous message
     * survives. Returns {@link #OK} or the reason the message must be refused.
     */
    public int parse(DhcpMessage msg) {
        clear();
        byte[] b = msg.buffer();
        int base = msg.offset();
        xid = msg.xid();
        yiaddr = msg.yiaddr();
        siaddr = msg.siaddr();
        chaddr = msg.chaddrMac();
        int status = walk(b, base + DhcpMessage.OPTIONS_OFFSET, base + msg.length(), true);
        if (status != OK) {
            return status;
        }
        if ((overload & 1) != 0) {
            status = walk(b, base + DhcpMessage.FILE_OFFSET, base + DhcpMessage.FILE_OFFSET + DhcpMessage.FILE_LENGTH, false);
            if (status != OK) {
                return status;
            }
        }
        if ((overload & 2) != 0) {
            status = walk(b, base + DhcpMessage.SNAME_OFFSET, base + DhcpMessage.SNAME_OFFSET + DhcpMessage.SNAME_LENGTH, false);
        }
        return status;
    }

    private void clear() {
        present = 0;
        messageType = 0;
        serverId = 0;
        subnetMask = 0;
        router = 0;
        dnsCount = 0;
        for (int i = 0; i < dnsServers.length; i++) {
            dnsServers[i] = 0;
        }
        leaseSeconds = 0;
        renewalSeconds = 0;
        rebindingSeconds = 0;
        hostnameLength = 0;
        domainNameLength = 0;
        overload = 0;
        xid = 0;
        yiaddr = 0;
        siaddr = 0;
        chaddr = 0;
    }

    /** One bounded walk over [from, end) (RFC 2132 §2). */
    private int walk(byte[] b, int from, int end, boolean mainField) {
        int i = from;
        while (i < end) {
            int code = b[i] & 0xFF;
            if (code == DhcpMessage.OPT_PAD) {
                i++;
                continue;
            }
            if (code == DhcpMessage.OPT_END) {
                return OK;
            }
            if (i + 1 >= end) {
                return ERR_OPTION_OVERRUN;                     // H1: no room for the length byte
            }
            int len = b[i + 1] & 0xFF;
            int body = i + 2;
            if (len > end - body) {
                return ERR_OPTION_OVERRUN;                     // H1: body runs past the area
            }
            int status = option(code, b, body, len, mainField);
            if (status != OK) {
                return status;
            }
            i = body + len;
        }
        return OK;                                             // H2: no End, stopped at the area's end
    }

    private int option(int code, byte[] b, int p, int len, boolean mainField) {
        switch (code) {
            case DhcpMessage.OPT_MESSAGE_TYPE:
                if (has(HAS_MESSAGE_TYPE)) {
                    return OK;                                 // H4: the first wins
                }
                if (len != 1) {
                    return ERR_OPTION_LENGTH;
                }
                messageType = b[p] & 0xFF;
                present |= HAS_MESSAGE_TYPE;
                return OK;
            case DhcpMessage.OPT_SERVER_ID:
                if (has(HAS_SERVER_ID)) {
                    return OK;
                }
                if (len != 4) {
                    return ERR_OPTION_LENGTH;
                }
                serverId = Bytes.i32(b, p);
                present |= HAS_SERVER_ID;
                return OK;
            case DhcpMessage.OPT_SUBNET_MASK:
                if (has(HAS_SUBNET_MASK)) {
                    return OK;
                }
                if (len != 4) {
                    return ERR_OPTION_LENGTH;
                }
                subnetMask = Bytes.i32(b, p);
                present |= HAS_SUBNET_MASK;
                return OK;
            case DhcpMessage.OPT_ROUTER:
                if (has(HAS_ROUTER)) {
                    return OK;
                }
                if (len < 4) {
                    return ERR_OPTION_LENGTH;                  // RFC 2132 §3.5: minimum length 4
                }
                router = Bytes.i32(b, p);                      // the first router, in order of preference
                present |= HAS_ROUTER;
                return OK;
            case DhcpMessage.OPT_DNS:
                if (has(HAS_DNS)) {
                    return OK;
                }
                present |= HAS_DNS;
                int n = Math.min(len >>> 2, dnsServers.length); // H9: trimmed to whole addresses, first N
                for (int k = 0; k < n; k++) {
                    dnsServers[k] = Bytes.i32(b, p + 4 * k);
                }
                dnsCount = n;
                return OK;
            case DhcpMessage.OPT_LEASE_TIME:
                if (has(HAS_LEASE_TIME)) {
                    return OK;
                }
                if (len != 4) {
                    return ERR_OPTION_LENGTH;
                }
                leaseSeconds = Bytes.i32(b, p) & 0xFFFF_FFFFL;
                present |= HAS_LEASE_TIME;
                return OK;
            case DhcpMessage.OPT_RENEWAL_TIME:
                if (has(HAS_RENEWAL_TIME)) {
                    return OK;
                }
                if (len != 4) {
                    return ERR_OPTION_LENGTH;
                }
                renewalSeconds = Bytes.i32(b, p) & 0xFFFF_FFFFL;
                present |= HAS_RENEWAL_TIME;
                return OK;
            case DhcpMessage.OPT_REBINDING_TIME:
                if (has(HAS_REBINDING_TIME)) {
                    return OK;
                }
                if (len != 4) {
                    return ERR_OPTION_LENGTH;
                }
                rebindingSeconds = Bytes.i32(b, p) & 0xFFFF_FFFFL;
                present |= HAS_REBINDING_TIME;
                return OK;
            case DhcpMessage.OPT_HOSTNAME:
                if (!has(HAS_HOSTNAME)) {
                    hostnameLength = copyName(b, p, len, hostname);
                    present |= HAS_HOSTNAME;
                }
                return OK;
            case DhcpMessage.OPT_DOMAIN_NAME:
                if (!has(HAS_DOMAIN_NAME)) {
                    domainNameLength = copyName(b, p, len, domainName);
                    present |= HAS_DOMAIN_NAME;
                }
                return OK;
            case DhcpMessage.OPT_OVERLOAD:
                if (!mainField || has(HAS_OVERLOAD)) {
                    return OK;                                 // only the options field may overload
                }
                if (len != 1) {
                    return ERR_OVERLOAD;
                }
                int v = b[p] & 0xFF;
                if (v < 1 || v > 3) {
                    return ERR_OVERLOAD;                       // H3: RFC 2132 §9.3 defines 1, 2, 3 only
                }
                overload = v;
                present |= HAS_OVERLOAD;
                return OK;
            default:
                return OK;                                     // unknown, 119 included (H8): skipped
        }
    }

    /** H13: copies at most {@code dst.length} bytes and stops at a NUL; never reads past {@code len}. */
    private static int copyName(byte[] b, int p, int len, byte[] dst) {
        int n = Math.min(len, dst.length);
        int k = 0;
        while (k < n && b[p + k] != 0) {
            dst[k] = b[p + k];
            k++;
        }
        return k;
    }
}
