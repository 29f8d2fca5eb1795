package io.ethling.tools.net;

import io.ethling.hal.emulator.FrameSink;
import io.ethling.stack.iface.NetStack;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.tcp.NetStackTransport;
import io.ethling.stack.tcp.Tcp;
import io.ethling.stack.tcp.TcpConfig;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;

/**
 * The built-in user-mode network, the default when no --tap is given (no privileges needed): a
 * gateway on the emulated wire — Ethling's own stack at 10.0.2.2/24 — with a DHCP server (leases
 * from 10.0.2.15), DNS answered through the host's resolver, answers to ARP and ping, and TCP:
 * connections to any address are terminated by Ethling's own TCP on the gateway (its NetStack in
 * gateway mode) and relayed to host sockets ({@link TcpRelay}). 10.0.2.2 stands for the host's
 * loopback: {@code ethling fetch http://10.0.2.2:8000/} reaches a server on 127.0.0.1:8000.
 */
public final class UserNet implements AutoCloseable {

    public static final int NETWORK = Ipv4Packet.parse("10.0.2.0");
    public static final int GATEWAY = Ipv4Packet.parse("10.0.2.2");
    public static final int FIRST_LEASE = Ipv4Packet.parse("10.0.2.15");
    public static final long GATEWAY_MAC = 0x52_55_0A_00_02_02L;
    /** Connections the gateway relays at once (and TCP records it keeps for them). */
    public static final int RELAY_CONNECTIONS = 32;
    /** How long a host connect may take before the board's SYN is left unanswered. */
    public static final long RELAY_CONNECT_TIMEOUT_NS = 10_000_000_000L;

    private final FrameDevice device;
    private final NetStack net;
    private final DhcpServer dhcp;
    private final DnsProxy dns;
    private final Tcp tcp;
    private final TcpRelay relay;

    public UserNet(long seed) {
        this(seed, RELAY_CONNECT_TIMEOUT_NS);
    }

    /** With another connect timeout for the relay's host sockets (tests). */
    public UserNet(long seed, long relayConnectTimeoutNs) {
        device = new FrameDevice(GATEWAY_MAC, 64);
        Prng random = new Prng(seed);
        net = new NetStack(new StackConfig().macAddress(GATEWAY_MAC).address(GATEWAY, 24), device, random);
        net.setAddress(GATEWAY, 24, 0, 0);
        dhcp = new DhcpServer(net, GATEWAY, 0xFFFFFF00, FIRST_LEASE, 16, 86_400);
        dns = new DnsProxy(net, GATEWAY);
        // the gateway's TCP: only passive connections, pushed at once (the host's side already batches),
        // rings of 16 KiB (the board's window bounds the flow anyway), and the 200 ms minimum RTO of
        // the Linux server it stands in for (TCP_RTO_MIN; RFC 6298 §2.4 allows a lower bound than 1 s)
        tcp = new Tcp(new TcpConfig().sockets(RELAY_CONNECTIONS).serverConnections(RELAY_CONNECTIONS).listeners(2)
                .synBacklog(1).timeWaitEntries(RELAY_CONNECTIONS).sendBufferBytes(16384).receiveBufferBytes(16384)
                .minRtoNs(200_000_000L).nagle(false), new NetStackTransport(net), random);
        net.tcpHandler(tcp);
        net.gatewayMode(true);
        relay = new TcpRelay(tcp, RELAY_CONNECTIONS, GATEWAY, NETWORK, 24, relayConnectTimeoutNs);
    }

    /** Where the gateway's frames go (the wire toward the board). */
    public void connect(FrameSink wire) {
        device.connect(wire);
    }

    /** Frames from the board arrive here. */
    public FrameSink input() {
        return device;
    }

    /** Wakes the caller's loop when the DNS worker has an answer or a host socket is ready (called from other threads). */
    public void wakeup(Runnable r) {
        dns.wakeup(r);
        relay.wakeup(r);
    }

    public int poll(long nowNs) {
        int work = net.poll(nowNs);
        work += tcp.poll(nowNs);
        work += dns.poll(nowNs);
        work += relay.poll(nowNs);
        if (work > 0) {
            work += net.poll(nowNs);                         // send what the relay and the proxy queued
        }
        return work;
    }

    public long pollAtNs(long nowNs) {
        if (dns.hasAnswers() || relay.hasWork()) {
            return nowNs;
        }
        long at = Math.min(net.pollAtNs(nowNs), relay.pollAtNs(nowNs));
        long t = tcp.pollAtNs(nowNs);
        return t == Long.MAX_VALUE || at - t < 0 ? at : t;
    }

    public NetStack net() {
        return net;
    }

    public int dhcpAcks() {
        return dhcp.acks;
    }

    /** The gateway's TCP (the board's connections end here). */
    public Tcp tcp() {
        return tcp;
    }

    /** Connections the relay carries now (connecting or open). */
    public int relayedConnections() {
        return relay.active();
    }

    /** Relay counters, one line: accepted, connected, refused, timed out, resets, finished, bytes each way. */
    public String relayStats() {
        return "relay accepted=" + relay.accepted + " connected=" + relay.connected + " refused=" + relay.refused
                + " timedout=" + relay.timedOut + " resets=" + relay.resets + " finished=" + relay.finished
                + " bytes.to.board=" + relay.bytesToBoard + " bytes.to.host=" + relay.bytesToHost;
    }

    /** Closes every host socket the relay holds and stops its helper thread and the DNS worker. */
    @Override
    public void close() {
        relay.close();
        dns.close();
    }
}
