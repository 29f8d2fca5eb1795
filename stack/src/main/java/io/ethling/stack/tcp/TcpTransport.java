package io.ethling.stack.tcp;

/**
 * What TCP needs from the layer below: our address (the pseudo-header source) and a way to send
 * one segment as the payload of an IPv4 datagram with protocol 6. {@link NetStackTransport}
 * adapts {@code NetStack}; tests plug in a scripted peer or a lossy wire.
 */
public interface TcpTransport {

    /** Our IPv4 address, 0 while unaddressed. */
    int localAddress();

    /**
     * Sends {@code src[off..off+len)} (a complete TCP segment with its checksum) to {@code dstIp}.
     * The segment is copied before the call returns. A negative status means the segment was not
     * sent; TCP treats that as loss and its timers recover.
     */
    int sendSegment(int dstIp, byte[] src, int off, int len, long nowNs);

    /** {@link #sendSegment(int, int, byte[], int, int, long)}: the source address is not ours. */
    int ERR_FOREIGN_SOURCE = -100;

    /**
     * Sends a segment from {@code srcIp}: our address, or — for a gateway that terminates
     * connections to any destination ({@link Tcp#listenAll}) — the address the peer connected to,
     * which the checksum's pseudo-header already covers (RFC 9293 §3.1). A transport that can only
     * send from its own address refuses any other source with {@link #ERR_FOREIGN_SOURCE}.
     */
    default int sendSegment(int srcIp, int dstIp, byte[] src, int off, int len, long nowNs) {
        return srcIp == localAddress() ? sendSegment(dstIp, src, off, len, nowNs) : ERR_FOREIGN_SOURCE;
    }
}
