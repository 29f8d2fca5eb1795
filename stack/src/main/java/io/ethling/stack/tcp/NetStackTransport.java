package io.ethling.stack.tcp;

import io.ethling.stack.iface.NetStack;
import io.ethling.stack.wire.Ipv4Packet;

/** {@link TcpTransport} over {@link NetStack#sendIp}; register the {@link Tcp} with {@code NetStack.tcpHandler}. */
public final class NetStackTransport implements TcpTransport {

    private final NetStack net;

    public NetStackTransport(NetStack net) {
        this.net = net;
    }

    @Override
    public int localAddress() {
        return net.address();
    }

    @Override
    public int sendSegment(int dstIp, byte[] src, int off, int len, long nowNs) {
        return net.sendIp(dstIp, Ipv4Packet.PROTOCOL_TCP, src, off, len, nowNs);
    }

    /** Any source: NetStack checks it is ours or that the interface is in gateway mode. */
    @Override
    public int sendSegment(int srcIp, int dstIp, byte[] src, int off, int len, long nowNs) {
        return net.sendIpFrom(srcIp, dstIp, Ipv4Packet.PROTOCOL_TCP, src, off, len, nowNs);
    }
}
