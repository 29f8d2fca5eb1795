package io.ethling.stack.dns;

import io.ethling.stack.wire.Ipv4Packet;

/**
 * Static names, consulted before the cache and the servers (like /etc/hosts). A fixed number of
 * entries, sized once: encoded names in one slab with a stride of {@link DnsName#MAX_NAME_LENGTH},
 * addresses in an {@code int[]}. Filled at setup ({@link #add}, {@link #load}), which may throw;
 * {@link #find} is allocation-free. The first entry for a name wins, as in the C library's
 * files lookup. Names compare ASCII-case-insensitively (RFC 4343).
 */
public final class HostsTable {

    private static final int STRIDE = DnsName.MAX_NAME_LENGTH;

    private final byte[] names;
    private final int[] addresses;
    private final byte[] scratch = new byte[STRIDE];
    private int size;

    public HostsTable(int capacity) {
        if (capacity < 0 || capacity > 4096) {
            throw new IllegalArgumentException("hosts capacity must be 0..4096: " + capacity);
        }
        names = new byte[capacity * STRIDE];
        addresses = new int[capacity];
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return addresses.length;
    }

    /**
     * Adds {@code name -> ip} (setup only). A name already present keeps its first address.
     *
     * @throws IllegalArgumentException if the name is invalid (the reason is in the message) or
     *     the table is full
     */
    public void add(CharSequence name, int ip) {
        int n = DnsName.encode(name, scratch, 0);
        if (n < 0) {
            throw new IllegalArgumentException("bad host name '" + name + "': " + DnsName.describe(n));
        }
        if (find(scratch, 0) >= 0) {
            return;
        }
        if (size == addresses.length) {
            throw new IllegalArgumentException("hosts table full (" + addresses.length + " entries) at '" + name + "'");
        }
        System.arraycopy(scratch, 0, names, size * STRIDE, n);
        addresses[size++] = ip;
    }

    /**
     * Loads /etc/hosts-format text (setup only): per line an address and one or more names,
     * separated by spaces or tabs; '#' starts a comment; blank lines are skipped. Lines whose
     * address is IPv6 (contains ':') are skipped, as this stack speaks IPv4 only.
     *
     * @throws IllegalArgumentException naming the line number and what is wrong
     */
    public void load(CharSequence text) {
        String s = text.toString();
        String[] lines = s.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("[ \t]+");
            int lineNo = i + 1;
            if (fields[0].indexOf(':') >= 0) {
                continue;
            }
            if (fields.length < 2) {
                throw new IllegalArgumentException("hosts line " + lineNo + ": address '" + fields[0] + "' without a name");
            }
            int ip;
            try {
                ip = parseIpv4(fields[0]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("hosts line " + lineNo + ": " + e.getMessage(), e);
            }
            for (int f = 1; f < fields.length; f++) {
                try {
                    add(fields[f], ip);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("hosts line " + lineNo + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static int parseIpv4(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                throw new IllegalArgumentException("bad IPv4 address '" + text + "': only digits and dots");
            }
        }
        return Ipv4Packet.parse(text);
    }

    /** The index of the entry for a valid encoded name, or -1. Allocation-free. */
    public int find(byte[] name, int off) {
        for (int i = 0; i < size; i++) {
            if (DnsName.equalsIgnoreCase(names, i * STRIDE, name, off)) {
                return i;
            }
        }
        return -1;
    }

    /** The address of entry {@code index}. */
    public int address(int index) {
        return addresses[index];
    }
}
