package io.ethling.stack;

import io.ethling.stack.http.ResolverNetwork;
import io.ethling.stack.iface.ArpCache;
import io.ethling.stack.iface.NetStack;
import io.ethling.stack.tcp.Tcp;
import io.ethling.stack.tcp.TcpState;

/**
 * The HTTP client's network on a {@link Host}: names through the host's resolver (hosts, cache,
 * servers), connections through its TCP. A connection that waits for the next hop's ARP reply
 * reports {@link #SOCKET_ARP}, so the client can give ARP its own deadline and name it when it
 * fails. Nagle is off on every connection: the client writes a request in one send and must not
 * wait for an ACK to flush it (no stall; issue 5's "no wasted round trips"). Allocation-free.
 */
public final class HostNetwork extends ResolverNetwork {

    private final Host host;
    private final Tcp tcp;
    private final NetStack net;

    public HostNetwork(Host host) {
        super(host.dns());
        this.host = host;
        this.tcp = host.tcp();
        this.net = host.net();
    }

    @Override
    public int connect(int ip, int port, long nowNs) {
        int h = tcp.connect(ip, port, nowNs);
        if (h >= 0) {
            tcp.noDelay(h, true);
        }
        return h;
    }

    private int nextHop(int ip) {
        int prefix = net.prefixLength();
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return (ip & mask) == (net.address() & mask) ? ip : net.gateway();
    }

    @Override
    public int socketState(int handle) {
        TcpState s = tcp.state(handle);
        switch (s) {
            case SYN_SENT:
                return net.arp().status(nextHop(tcp.remoteIp(handle)), 0) == ArpCache.PENDING
                        ? SOCKET_ARP : SOCKET_CONNECTING;
            case SYN_RECEIVED:
                return SOCKET_CONNECTING;
            case ESTABLISHED:
            case FIN_WAIT_1:
            case FIN_WAIT_2:
                return SOCKET_ESTABLISHED;
            case CLOSE_WAIT:
            case CLOSING:
            case LAST_ACK:
                return SOCKET_PEER_CLOSED;
            default:
                return tcp.error(handle) == Tcp.ERROR_NONE ? SOCKET_CLOSED : SOCKET_FAILED;
        }
    }

    @Override
    public int socketError(int handle) {
        switch (tcp.error(handle)) {
            case Tcp.ERROR_NONE:
                return ERROR_NONE;
            case Tcp.ERROR_REFUSED:
                return ERROR_REFUSED;
            case Tcp.ERROR_TIMEOUT:
                return ERROR_TIMEOUT;
            case Tcp.ERROR_UNREACHABLE:
                return net.arp().status(nextHop(tcp.remoteIp(handle)), 0) == ArpCache.UNREACHABLE
                        ? ERROR_NO_ARP : ERROR_UNREACHABLE;
            default:
                return ERROR_RESET;
        }
    }

    @Override
    public int send(int handle, byte[] src, int off, int len, long nowNs) {
        int n = tcp.send(handle, src, off, len, nowNs);
        return n >= 0 ? n : FAILED;
    }

    @Override
    public int receive(int handle, byte[] dst, int off, int cap, long nowNs) {
        int n = tcp.receive(handle, dst, off, cap, nowNs);
        if (n >= 0) {
            return n;
        }
        return n == Tcp.END_OF_STREAM ? EOF : FAILED;
    }

    @Override
    public void close(int handle, long nowNs) {
        tcp.close(handle, nowNs);
    }

    @Override
    public void abort(int handle, long nowNs) {
        tcp.abort(handle, nowNs);
    }

    public Host host() {
        return host;
    }
}
