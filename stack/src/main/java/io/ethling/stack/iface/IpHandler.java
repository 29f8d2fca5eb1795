package io.ethling.stack.iface;

/** A transport protocol above IPv4 (TCP registers one); called on the loop thread. */
public interface IpHandler {

    /** A datagram for us that passed every IPv4 check; {@code buf[off..off+len)} is the IP payload. */
    void onDatagram(int srcIp, int dstIp, byte[] buf, int off, int len, long nowNs);

    /**
     * An ICMP destination unreachable quoting a datagram of this protocol that we sent:
     * {@code quote} holds the inner IP header at {@code off} and at least 8 transport bytes.
     */
    default void onUnreachable(int code, byte[] quote, int off, int len, long nowNs) {
    }

    /** ARP gave up on next hop {@code ip} (RFC 1122 §2.3.2.1): connections through it may fail fast. */
    default void onNeighbourUnreachable(int ip, long nowNs) {
    }
}
