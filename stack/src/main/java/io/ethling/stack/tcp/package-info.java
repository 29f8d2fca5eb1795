/**
 * TCP (RFC 9293) for a small client and a small server, allocation-free after construction.
 *
 * <h2>Parts</h2>
 * <ul>
 * <li>{@link io.ethling.stack.tcp.Tcp}: the socket API by {@code int} handle and the tables;
 *     implements {@code iface.IpHandler} (segments in) and sends through a
 *     {@link io.ethling.stack.tcp.TcpTransport} ({@link io.ethling.stack.tcp.NetStackTransport}).</li>
 * <li>{@code TcpInput} (segment arrival, RFC 9293 §3.10.7 with RFC 5961), {@code TcpOutput}
 *     (what to send: SYN/SYN-ACK with MSS, data under min(SND.WND, cwnd), SWS and Nagle, FIN, ACKs,
 *     resets, probes), {@code TcpTimers} (RFC 6298 RTO with Karn and backoff, R1/R2, persist,
 *     delayed ACK, keep-alive, FIN-WAIT-2 and server idle timeouts).</li>
 * <li>{@code Tcb}: one connection record with its send and receive rings and its out-of-order
 *     {@code Assembler}; {@code SynBacklog} (half-open passive connections, apart from the records)
 *     and {@code TimeWaitTable} (2·MSL, apart from the records) are parallel primitive arrays.</li>
 * <li>{@link io.ethling.stack.tcp.Seq} (sequence arithmetic), {@link io.ethling.stack.tcp.TcpState},
 *     {@link io.ethling.stack.tcp.TcpSegment} (flyweight with a bounded option walk),
 *     {@link io.ethling.stack.tcp.SipHash} (RFC 6528 ISNs, RFC 6056 ports),
 *     {@link io.ethling.stack.tcp.TcpTrace}/{@link io.ethling.stack.tcp.TcpTransitionLog} (the journey).</li>
 * </ul>
 *
 * <h2>Wiring</h2>
 * <pre>
 * NetStack net = new NetStack(config, device, prng);
 * Tcp tcp = new Tcp(new TcpConfig(), new NetStackTransport(net), prng);
 * net.tcpHandler(tcp);
 * // loop: net.poll(now); tcp.poll(now); sleep until min(net.pollAtNs(now), tcp.pollAtNs(now))
 * </pre>
 * {@code io.ethling.stack.Host} does exactly this ({@code Host.tcp()}).
 *
 * <h2>Gateway mode (the desktop's user-mode network, never a board)</h2>
 * A stack that stands in for a whole network terminates every connection itself:
 * {@code net.gatewayMode(true)} hands TCP segments for ANY unicast destination to TCP with their
 * destination address, and {@link io.ethling.stack.tcp.Tcp#listenAll} accepts a SYN to any address
 * and port. Each SYN waits in SYN-RECEIVED (no SYN-ACK yet) and is handed out by {@code accept} at
 * once; {@code localIp}/{@code localPort} say where the peer wanted to go; the application answers
 * with {@code acceptSyn} (the SYN-ACK leaves) or {@code refuse} (RST, ACK as from a closed port, so
 * the peer sees "refused"), and {@code abort} forgets it silently. Every segment of such a
 * connection leaves from the address the peer connected to
 * ({@link io.ethling.stack.tcp.TcpTransport#sendSegment(int, int, byte[], int, int, long)}, which
 * {@link io.ethling.stack.tcp.NetStackTransport} maps onto {@code NetStack.sendIpFrom}), and
 * connections are told apart by both sockets, our address included (RFC 9293 §3.2).
 * {@code Tcp.shutdown} half-closes without giving the handle up, so a relay reads the peer's last
 * bytes after its own FIN.
 *
 * <h2>Deliberate choices</h2>
 * <ul>
 * <li>No window scaling, SACK or timestamps (the rings are at most 64 KiB); the options are ignored.</li>
 * <li>Urgent data is delivered in band; the urgent pointer is never used (RFC 9293 §3.8.5 allows it).</li>
 * <li>After an RTO the sender goes back to SND.UNA (go-back-N under cwnd = 1 SMSS).</li>
 * <li>The backed-off RTO is kept until a new valid sample (RFC 6298 §5, Karn), so cells with 20–30 %
 *     loss are slow but always complete.</li>
 * <li>Zero-window probes and keep-alives are SEG.SEQ = SND.UNA − 1 without data (as Linux does).</li>
 * </ul>
 */
package io.ethling.stack.tcp;
