package io.ethling.stack.http;

/**
 * What the HTTP client needs from the stack: name resolution and TCP, by {@code int} handles,
 * poll-driven and allocation-free. The lead adapts the stack's {@code DnsResolver} and TCP
 * sockets to it (see the package documentation for the mapping).
 *
 * <p>Socket life: {@link #connect} returns a handle in {@link #SOCKET_ARP} (next-hop MAC being
 * resolved) or {@link #SOCKET_CONNECTING} (SYN sent); it becomes {@link #SOCKET_ESTABLISHED},
 * then {@link #SOCKET_PEER_CLOSED} when the peer's FIN has arrived (data may remain to be read);
 * {@link #SOCKET_FAILED} with a {@link #socketError} on RST, timeout or unreachable. A handle is
 * given back with {@link #close} (graceful FIN) or {@link #abort} (RST, at once); after either the
 * client never uses it again.
 */
public interface HttpNetwork {

    /** {@link #resolveState}: still waiting for an answer. */
    int RESOLVE_PENDING = 0;
    /** {@link #resolveState}: {@link #resolvedAddress} holds the address. */
    int RESOLVE_DONE = 1;
    /** {@link #resolveState}: every server was asked and none answered. */
    int RESOLVE_NO_REPLY = -1;
    /** {@link #resolveState}: the name does not exist (NXDOMAIN). */
    int RESOLVE_NO_SUCH_NAME = -2;
    /** {@link #resolveState}: the name exists but has no IPv4 address (NODATA). */
    int RESOLVE_NO_ADDRESS = -3;
    /** {@link #resolveState}: another failure (SERVFAIL, REFUSED, no servers, ...). */
    int RESOLVE_FAILED = -4;

    /** {@link #resolve} result: the resolver refused the name. */
    int RESOLVE_ERR_BAD_NAME = -1;
    /** {@link #resolve} result: no free query slot. */
    int RESOLVE_ERR_BUSY = -2;

    int SOCKET_ARP = 1;
    int SOCKET_CONNECTING = 2;
    int SOCKET_ESTABLISHED = 3;
    int SOCKET_PEER_CLOSED = 4;
    int SOCKET_CLOSED = 5;
    int SOCKET_FAILED = 6;

    int ERROR_NONE = 0;
    /** RST in answer to our SYN (RFC 9293 §3.10.7.3). */
    int ERROR_REFUSED = 1;
    /** SYN retransmissions or data retransmissions gave up (RFC 9293 §3.8.3, R2). */
    int ERROR_TIMEOUT = 2;
    /** No ARP reply for the next hop (RFC 1122 §2.3.2.2). */
    int ERROR_NO_ARP = 3;
    /** ICMP destination unreachable (RFC 1122 §4.2.3.9). */
    int ERROR_UNREACHABLE = 4;
    /** RST on an established connection. */
    int ERROR_RESET = 5;

    /** {@link #receive} result: the peer's FIN was reached, no more data. */
    int EOF = -1;
    /** {@link #receive} / {@link #send} result: the connection failed; see {@link #socketError}. */
    int FAILED = -2;

    /** Starts resolving a host name given as ASCII text; a handle (>= 0) or {@code RESOLVE_ERR_*}. */
    int resolve(byte[] host, int off, int len, long nowNs);

    /** {@code RESOLVE_PENDING}, {@code RESOLVE_DONE} or a negative {@code RESOLVE_*} failure. */
    int resolveState(int handle);

    int resolvedAddress(int handle);

    void releaseResolve(int handle);

    /** Opens a TCP connection; a socket handle (>= 0) or negative when no socket is free. */
    int connect(int ip, int port, long nowNs);

    /** One of the {@code SOCKET_*} states. */
    int socketState(int handle);

    /** One of the {@code ERROR_*} codes, meaningful in {@link #SOCKET_FAILED}. */
    int socketError(int handle);

    /** Queues bytes for sending; how many were accepted (>= 0), or {@link #FAILED}. */
    int send(int handle, byte[] src, int off, int len, long nowNs);

    /** Reads received bytes: how many (> 0), 0 when none are waiting, {@link #EOF} or {@link #FAILED}. */
    int receive(int handle, byte[] dst, int off, int cap, long nowNs);

    /** Graceful close (FIN); the handle is given back. */
    void close(int handle, long nowNs);

    /** Abortive close (RST); the handle is given back at once. */
    void abort(int handle, long nowNs);
}
