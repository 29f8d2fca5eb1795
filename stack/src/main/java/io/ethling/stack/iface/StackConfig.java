package io.ethling.stack.iface;

import io.ethling.stack.wire.Ipv4Packet;

/**
 * Everything that sizes and tunes the stack, validated once before anything is allocated
 * (DESIGN.md "Allocation-free steady state"). Fluent setters; {@link #validate()} names the first
 * bad field in one line.
 */
public final class StackConfig {

    long mac;
    int ip;
    int prefixLength = 24;
    int gateway;
    int maxFramesPerPoll = 8;
    int txRingSlots = 8;
    int arpEntries = 16;
    long arpLifetimeNs = 300_000_000_000L;      // 5 min (RFC 1122 §2.3.2.1 leaves it to the host)
    long arpRefreshBeforeNs = 30_000_000_000L;   // refresh a used entry in its last 30 s
    long arpRetryNs = 1_000_000_000L;            // at most one request per second per address (RFC 1122 §2.3.2.1)
    int arpMaxTries = 3;
    long arpFailHoldNs = 3_000_000_000L;         // "unreachable" remembered this long
    int udpSockets = 8;
    int udpQueueSlots = 4;
    int udpMaxPayload = 1472;
    int icmpErrorsPerSecond = 10;                // RFC 1122 §3.2.2: rate-limit ICMP errors
    int echoRepliesPerSecond = 50;               // RELIABILITY.md C10
    int ephemeralFrom = 49152;                   // RFC 6335 dynamic range (RFC 6056 §3.2)
    int ephemeralTo = 65535;

    public StackConfig macAddress(long mac) {
        this.mac = mac;
        return this;
    }

    /** A static address; 0 leaves the interface unaddressed until DHCP (or {@code NetStack.setAddress}) sets one. */
    public StackConfig address(int ip, int prefixLength) {
        this.ip = ip;
        this.prefixLength = prefixLength;
        return this;
    }

    public StackConfig gateway(int gateway) {
        this.gateway = gateway;
        return this;
    }

    public StackConfig maxFramesPerPoll(int n) {
        this.maxFramesPerPoll = n;
        return this;
    }

    public StackConfig txRingSlots(int n) {
        this.txRingSlots = n;
        return this;
    }

    public StackConfig arpEntries(int n) {
        this.arpEntries = n;
        return this;
    }

    public StackConfig arpLifetimeNs(long ns) {
        this.arpLifetimeNs = ns;
        return this;
    }

    public StackConfig arpRefreshBeforeNs(long ns) {
        this.arpRefreshBeforeNs = ns;
        return this;
    }

    public StackConfig arpRetryNs(long ns) {
        this.arpRetryNs = ns;
        return this;
    }

    public StackConfig arpMaxTries(int n) {
        this.arpMaxTries = n;
        return this;
    }

    public StackConfig udpSockets(int n) {
        this.udpSockets = n;
        return this;
    }

    public StackConfig udpQueueSlots(int n) {
        this.udpQueueSlots = n;
        return this;
    }

    public StackConfig icmpErrorsPerSecond(int n) {
        this.icmpErrorsPerSecond = n;
        return this;
    }

    public StackConfig echoRepliesPerSecond(int n) {
        this.echoRepliesPerSecond = n;
        return this;
    }

    public StackConfig ephemeralPorts(int from, int to) {
        this.ephemeralFrom = from;
        this.ephemeralTo = to;
        return this;
    }

    public long macAddress() {
        return mac;
    }

    public int address() {
        return ip;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public int gateway() {
        return gateway;
    }

    /** Throws IllegalArgumentException naming the first field that is out of range. */
    public StackConfig validate() {
        if (mac == 0 || (mac >>> 48) != 0 || (mac & 0x0100_0000_0000L) != 0) {
            fail("macAddress", String.format("%012x", mac), "must be a non-zero unicast 48-bit MAC");
        }
        if (prefixLength < 1 || prefixLength > 30) {
            fail("prefixLength", Integer.toString(prefixLength), "must be 1..30");
        }
        if (ip != 0 && !Ipv4Packet.isValidUnicastSource(ip)) {
            fail("address", Ipv4Packet.format(ip), "is not a usable unicast address");
        }
        if (gateway != 0 && ip != 0 && !sameSubnet(ip, gateway, prefixLength)) {
            fail("gateway", Ipv4Packet.format(gateway), "is not inside " + Ipv4Packet.format(ip) + "/" + prefixLength);
        }
        range("maxFramesPerPoll", maxFramesPerPoll, 1, 256);
        range("txRingSlots", txRingSlots, 1, 256);
        range("arpEntries", arpEntries, 2, 1024);
        range("arpMaxTries", arpMaxTries, 1, 20);
        range("udpSockets", udpSockets, 1, 1024);
        range("udpQueueSlots", udpQueueSlots, 1, 256);
        range("icmpErrorsPerSecond", icmpErrorsPerSecond, 0, 10_000);
        range("echoRepliesPerSecond", echoRepliesPerSecond, 0, 100_000);
        if (ephemeralFrom < 1024 || ephemeralTo > 65535 || ephemeralTo - ephemeralFrom < 1023) {
            fail("ephemeralPorts", ephemeralFrom + ".." + ephemeralTo, "must lie in 1024..65535 and span at least 1024 ports");
        }
        if (arpLifetimeNs < 1_000_000_000L || arpRefreshBeforeNs < 0 || arpRefreshBeforeNs >= arpLifetimeNs
                || arpRetryNs < 100_000_000L) {
            fail("arp timers", arpLifetimeNs + "/" + arpRefreshBeforeNs + "/" + arpRetryNs,
                    "need lifetime >= 1 s, 0 <= refresh < lifetime, retry >= 100 ms");
        }
        return this;
    }

    private static void range(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            fail(name, Integer.toString(v), "must be " + lo + ".." + hi);
        }
    }

    private static void fail(String field, String value, String why) {
        throw new IllegalArgumentException("stack config: " + field + " " + value + " " + why);
    }

    static boolean sameSubnet(int a, int b, int prefixLength) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (a & mask) == (b & mask);
    }
}
