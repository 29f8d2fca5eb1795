package io.ethling.stack.dns;

/**
 * What the resolver needs from UDP; the interface core implements it over its socket table.
 * The resolver chooses every source port itself (uniform in its configured range, fresh for
 * every try: RFC 5452 §9.2), so the transport only binds what it is asked to and reports a port
 * already in use. Replies come back through
 * {@link DnsResolver#onDatagram(int, int, int, byte[], int, int, long)}, for every datagram that
 * arrives on a bound port (the resolver does all the matching). Implementations must not allocate.
 */
public interface DnsTransport {

    /** Binds {@code localPort} for replies; false if the port is in use (the resolver picks another). */
    boolean bind(int localPort);

    /**
     * Sends {@code buf[off..off+len)} from {@code localPort} to {@code serverIp}:53.
     *
     * @return 0 if sent or queued, or a negative status (the try then counts as lost and the
     *     resolver retries after its timeout)
     */
    int send(int localPort, int serverIp, byte[] buf, int off, int len, long nowNs);

    /** Releases a port bound with {@link #bind}; later datagrams to it are no longer delivered. */
    void unbind(int localPort);
}
