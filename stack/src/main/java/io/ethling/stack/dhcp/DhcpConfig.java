package io.ethling.stack.dhcp;

import java.nio.charset.StandardCharsets;

/**
 * Configuration of a {@link DhcpClient}, validated once at build time (cold path: it may
 * allocate and throw). Immutable.
 */
public final class DhcpConfig {

    /** Longest hostname we send in option 12 (one DNS label, RFC 1035 §2.3.4). */
    public static final int MAX_HOSTNAME_LENGTH = 63;
    /** Lease clamp defaults (H7): a 60 s floor keeps renewals from spinning; a year caps "infinite". */
    public static final long DEFAULT_MIN_LEASE_SECONDS = 60;
    public static final long DEFAULT_MAX_LEASE_SECONDS = 365L * 24 * 3600;

    final long mac;
    final byte[] hostname;
    final int maxDnsServers;
    final long initialDelayMaxNs;
    final boolean broadcastFlag;
    final long minLeaseSeconds;
    final long maxLeaseSeconds;

    /**
     * @param mac               our Ethernet address (chaddr and client id), low 48 bits, unicast
     * @param hostname          sent as option 12, ASCII, at most 63 bytes; null or empty for none
     * @param maxDnsServers     how many DNS servers to keep from option 6 (1..16, H9)
     * @param initialDelayMaxNs random delay before the first DISCOVER, 0..this (RFC 2131 §4.4.1
     *                          suggests 1–10 s to desynchronise a power-up; tests use 0)
     * @param broadcastFlag     set the BROADCAST flag while unbound (RFC 2131 §4.1: for clients
     *                          that cannot receive unicast before their address is configured)
     * @param minLeaseSeconds   leases shorter than this are raised to it (H7; 0 is always refused)
     * @param maxLeaseSeconds   leases longer than this, and 0xFFFFFFFF "infinity", are cut to it
     */
    public DhcpConfig(long mac, String hostname, int maxDnsServers, long initialDelayMaxNs, boolean broadcastFlag,
                      long minLeaseSeconds, long maxLeaseSeconds) {
        if ((mac & ~0xFFFF_FFFF_FFFFL) != 0 || mac == 0 || (mac & 0x0100_0000_0000L) != 0) {
            throw new IllegalArgumentException("DHCP client MAC must be a 48-bit unicast address: " + Long.toHexString(mac));
        }
        byte[] name = hostname == null ? new byte[0] : hostname.getBytes(StandardCharsets.US_ASCII);
        if (name.length > MAX_HOSTNAME_LENGTH) {
            throw new IllegalArgumentException("hostname longer than " + MAX_HOSTNAME_LENGTH + " bytes: " + hostname);
        }
        for (byte c : name) {
            if (c <= ' ' || c >= 0x7F) {
                throw new IllegalArgumentException("hostname must be printable ASCII without spaces: " + hostname);
            }
        }
        if (maxDnsServers < 1 || maxDnsServers > 16) {
            throw new IllegalArgumentException("maxDnsServers must be 1..16: " + maxDnsServers);
        }
        if (initialDelayMaxNs < 0 || initialDelayMaxNs > 60_000_000_000L) {
            throw new IllegalArgumentException("initialDelayMaxNs must be 0..60 s: " + initialDelayMaxNs);
        }
        if (minLeaseSeconds < 1 || maxLeaseSeconds < minLeaseSeconds || maxLeaseSeconds > 0xFFFF_FFFEL) {
            throw new IllegalArgumentException("lease clamp must satisfy 1 <= min <= max < 2^32-1: "
                + minLeaseSeconds + ".." + maxLeaseSeconds);
        }
        this.mac = mac;
        this.hostname = name;
        this.maxDnsServers = maxDnsServers;
        this.initialDelayMaxNs = initialDelayMaxNs;
        this.broadcastFlag = broadcastFlag;
        this.minLeaseSeconds = minLeaseSeconds;
        this.maxLeaseSeconds = maxLeaseSeconds;
    }

    /** Defaults: 3 DNS servers, 0–2 s start delay, broadcast flag set, leases clamped to 60 s .. 1 year. */
    public static DhcpConfig of(long mac, String hostname) {
        return new DhcpConfig(mac, hostname, 3, 2_000_000_000L, true, DEFAULT_MIN_LEASE_SECONDS,
            DEFAULT_MAX_LEASE_SECONDS);
    }

    public long mac() {
        return mac;
    }
}
