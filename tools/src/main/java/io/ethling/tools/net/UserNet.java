package io.ethling.tools.net;

import io.ethling.hal.emulator.FrameSink;
import io.ethling.stack.iface.NetStack;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;

/**
 * The built-in user-mode network, the default when no --tap is given (no privileges needed): a
 * gateway on the emulated wire — Ethling's own stack at 10.0.2.2/24 — with a DHCP server (leases
 * from 10.0.2.15), DNS answered through the host's resolver, and answers to ARP and ping. 10.0.2.2
 * stands for the host's loopback. (TCP relaying to host sockets comes with the TCP stack.)
 */
public final class UserNet {

    public static final int NETWORK = Ipv4Packet.parse("10.0.2.0");
    public static final int GATEWAY = Ipv4Packet.parse("10.0.2.2");
    public static final int FIRST_LEASE = Ipv4Packet.parse("10.0.2.15");
    public static final long GATEWAY_MAC = 0x52_55_0A_00_02_02L;

    private final FrameDevice device;
    private final NetStack net;
    private final DhcpServer dhcp;
    private final DnsProxy dns;

    public UserNet(long seed) {
        device = new FrameDevice(GATEWAY_MAC, 64);
        net = new NetStack(new StackConfig().macAddress(GATEWAY_MAC).address(GATEWAY, 24), device, new Prng(seed));
        net.setAddress(GATEWAY, 24, 0, 0);
        dhcp = new DhcpServer(net, GATEWAY, 0xFFFFFF00, FIRST_LEASE, 16, 86_400);
        dns = new DnsProxy(net, GATEWAY);
    }

    /** Where the gateway's frames go (the wire toward the board). */
    public void connect(FrameSink wire) {
        device.connect(wire);
    }

    /** Frames from the board arrive here. */
    public FrameSink input() {
        return device;
    }

    /** Wakes the caller's loop when the DNS worker has an answer (called from another thread). */
    public void wakeup(Runnable r) {
        dns.wakeup(r);
    }

    public int poll(long nowNs) {
        int work = net.poll(nowNs);
        work += dns.poll(nowNs);
        if (work > 0) {
            work += net.poll(nowNs);
        }
        return work;
    }

    public long pollAtNs(long nowNs) {
        return dns.hasAnswers() ? nowNs : net.pollAtNs(nowNs);
    }

    public NetStack net() {
        return net;
    }

    public int dhcpAcks() {
        return dhcp.acks;
    }
}
