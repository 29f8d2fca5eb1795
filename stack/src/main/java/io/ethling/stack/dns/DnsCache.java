package io.ethling.stack.dns;

/**
 * A fixed-size TTL cache of answers for type A, class IN: positive (an address), and negative
 * (NXDOMAIN or "no data", RFC 2308 §5). Parallel arrays sized once: encoded names in one slab
 * with a stride of {@link DnsName#MAX_NAME_LENGTH}, address, expiry, kind, last use, the server
 * the answer came from. When full, the least recently used entry goes.
 *
 * <p>Expired entries are kept (until evicted, or until they are older than the stale limit) so
 * that the resolver can serve them, marked stale, when every server fails (RFC 8767 §4–§5).
 * TTLs are clamped (RFC 2181 §8: a TTL with the top bit set counts as 0; an upper bound of one
 * day for answers and three hours for negative answers, RFC 2308 §5). Times are {@code long}
 * nanoseconds compared by subtraction. Allocation-free after construction.
 */
public final class DnsCache {

    public static final int KIND_EMPTY = 0;
    public static final int KIND_ADDRESS = 1;
    public static final int KIND_NXDOMAIN = 2;
    public static final int KIND_NODATA = 3;

    /** Upper bound for a positive TTL (RELIABILITY.md D24: 0 s .. 1 day). */
    public static final long MAX_TTL_SECONDS = 86_400;
    /** Upper bound for a negative TTL (RFC 2308 §5 recommends 1..3 hours as the maximum). */
    public static final long MAX_NEGATIVE_TTL_SECONDS = 10_800;
    /** How long after expiry an answer may still be served stale (RFC 8767 §5 suggests 1..3 days). */
    public static final long DEFAULT_MAX_STALE_NS = 86_400L * 1_000_000_000L;

    private static final int STRIDE = DnsName.MAX_NAME_LENGTH;
    private static final long NS_PER_S = 1_000_000_000L;

    private final byte[] names;
    private final byte[] kinds;
    private final int[] addresses;
    private final int[] serverIps;
    private final long[] expiresAtNs;
    private final long[] lastUsedNs;
    private final long maxStaleNs;
    private int evictions;

    public DnsCache(int capacity) {
        this(capacity, DEFAULT_MAX_STALE_NS);
    }

    /** @param maxStaleNs how long past expiry an entry may be served stale; 0 disables serve-stale */
    public DnsCache(int capacity, long maxStaleNs) {
        if (capacity < 1 || capacity > 4096) {
            throw new IllegalArgumentException("DNS cache capacity must be 1..4096: " + capacity);
        }
        if (maxStaleNs < 0) {
            throw new IllegalArgumentException("maxStaleNs must be >= 0: " + maxStaleNs);
        }
        names = new byte[capacity * STRIDE];
        kinds = new byte[capacity];
        addresses = new int[capacity];
        serverIps = new int[capacity];
        expiresAtNs = new long[capacity];
        lastUsedNs = new long[capacity];
        this.maxStaleNs = maxStaleNs;
    }

    /**
     * RFC 2181 §8: a TTL is 0..2^31-1 and one received with the most significant bit set is
     * treated as 0; RFC 2181 §8 also lets us bound it, here by {@code max} seconds.
     */
    public static long clampTtlSeconds(long rawTtl, long max) {
        long ttl = rawTtl & 0xFFFF_FFFFL;
        if ((ttl & 0x8000_0000L) != 0) {
            return 0;
        }
        return Math.min(ttl, max);
    }

    public int capacity() {
        return kinds.length;
    }

    /** How many entries the LRU rule has pushed out so far. */
    public int evictions() {
        return evictions;
    }

    /** The entry for a valid encoded name, fresh or expired, or -1. */
    public int find(byte[] name, int off) {
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] != KIND_EMPTY && DnsName.equalsIgnoreCase(names, i * STRIDE, name, off)) {
                return i;
            }
        }
        return -1;
    }

    /** True while the entry's TTL has not run out. */
    public boolean isFresh(int entry, long nowNs) {
        return expiresAtNs[entry] - nowNs > 0;
    }

    /** True if the entry is expired but no more than the stale limit past its expiry (RFC 8767 §5). */
    public boolean isServableStale(int entry, long nowNs) {
        return !isFresh(entry, nowNs) && nowNs - expiresAtNs[entry] <= maxStaleNs && maxStaleNs > 0;
    }

    public int kind(int entry) {
        return kinds[entry];
    }

    public int address(int entry) {
        return addresses[entry];
    }

    /** The server whose answer filled the entry. */
    public int serverIp(int entry) {
        return serverIps[entry];
    }

    public long expiresAtNs(int entry) {
        return expiresAtNs[entry];
    }

    /** Seconds of TTL left (0 when expired), for the journey. */
    public long remainingTtlSeconds(int entry, long nowNs) {
        long left = expiresAtNs[entry] - nowNs;
        return left <= 0 ? 0 : left / NS_PER_S;
    }

    /** Marks the entry as just used (the LRU order). */
    public void touch(int entry, long nowNs) {
        lastUsedNs[entry] = nowNs;
    }

    /**
     * Stores an answer for a valid encoded name, replacing an entry with the same name or else an
     * empty one or else the least recently used one. {@code ttlSeconds} must already be clamped.
     *
     * @return the entry index
     */
    public int put(byte[] name, int off, int kind, int address, long ttlSeconds, int serverIp, long nowNs) {
        int e = find(name, off);
        if (e < 0) {
            e = victim(nowNs);
            DnsName.copy(name, off, names, e * STRIDE);
        }
        kinds[e] = (byte) kind;
        addresses[e] = kind == KIND_ADDRESS ? address : 0;
        serverIps[e] = serverIp;
        expiresAtNs[e] = nowNs + ttlSeconds * NS_PER_S;
        lastUsedNs[e] = nowNs;
        return e;
    }

    /** Forgets every entry (configuration changes, tests). */
    public void clear() {
        java.util.Arrays.fill(kinds, (byte) KIND_EMPTY);
    }

    private int victim(long nowNs) {
        int oldest = -1;
        long oldestAge = Long.MIN_VALUE;
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == KIND_EMPTY) {
                return i;
            }
            long age = nowNs - lastUsedNs[i];
            if (age > oldestAge) {
                oldestAge = age;
                oldest = i;
            }
        }
        evictions++;
        return oldest;
    }
}
