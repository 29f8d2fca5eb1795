package io.ethling.stack.journey;

import io.ethling.stack.http.HttpClient;
import io.ethling.stack.http.HttpUrl;
import io.ethling.stack.iface.NetStack;
import io.ethling.stack.tcp.Tcp;
import io.ethling.stack.tcp.TcpState;
import io.ethling.stack.tcp.TcpTrace;

/**
 * Feeds a fetch's own events into the journey, beside what {@link JourneyTap} reads off the
 * wire: every TCP state change with its sequence numbers (TcpState's order is the journey's
 * TCP_* numbering, RFC 9293 §3.3.2), the HTTP client's phases, the ARP cache hit when a
 * connection's next hop was already known, and the end of the fetch with its one-line outcome.
 * Install once: {@code tcp.trace(tracer); client.listener(tracer)}. Allocation-free.
 */
public final class FetchTracer implements TcpTrace, HttpClient.Listener {

    private final Journey journey;
    private final NetStack net;
    private final Tcp tcp;
    private HttpClient client;
    private final byte[] line = new byte[64];

    public FetchTracer(Journey journey, NetStack net, Tcp tcp) {
        this.journey = journey;
        this.net = net;
        this.tcp = tcp;
    }

    /** The client whose failure line {@link #onEnd} records. */
    public void client(HttpClient client) {
        this.client = client;
    }

    @Override
    public void onTransition(int handle, TcpState from, TcpState to, int sndUna, int sndNxt, int rcvNxt, long nowNs) {
        int peer = handle >= 0 ? tcp.remoteIp(handle) : 0;
        journey.stateChange(handle, peer, from.ordinal(), to.ordinal(), sndNxt, rcvNxt, nowNs);
    }

    @Override
    public void onConnection(int socket, int ip, int port, boolean reused, long nowNs) {
        if (reused) {
            journey.httpPhase(socket, Journey.HTTP_REUSED, port, nowNs);
            return;
        }
        int prefix = net.prefixLength();
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        int hop = (ip & mask) == (net.address() & mask) ? ip : net.gateway();
        long mac = net.arp().macOf(hop);
        if (mac >= 0) {
            journey.arpCacheHit(hop, mac, nowNs);
        }
    }

    @Override
    public void onRequest(byte[] b, int off, int len, long nowNs) {
        int end = off;
        while (end < off + len && b[end] != '\r') {
            end++;
        }
        journey.httpPhase(-1, Journey.HTTP_REQUEST_SENT, len, b, off, end - off, nowNs);
    }

    @Override
    public void onResponse(int status, long nowNs) {
        journey.httpPhase(-1, Journey.HTTP_STATUS_RECEIVED, status, nowNs);
    }

    @Override
    public void onRedirect(HttpUrl to, long nowNs) {
        journey.httpPhase(-1, Journey.HTTP_REDIRECT, 0, nowNs);
    }

    @Override
    public void onEnd(int failure, int status, long bodyBytes, long nowNs) {
        int n = client != null ? client.failureLine(line, 0) : 0;
        journey.fetchEnd(failure, bodyBytes, line, 0, n, nowNs);
    }
}
