/**
 * The HTTP/1.1 client (RFC 9110, RFC 9112): URLs ({@link io.ethling.stack.http.HttpUrl}), the
 * request writer ({@link io.ethling.stack.http.HttpRequestWriter}), the byte-at-a-time response
 * parser ({@link io.ethling.stack.http.HttpResponseParser}) and the fetch state machine
 * ({@link io.ethling.stack.http.HttpClient}) with redirects, keep-alive, conditional GET and
 * per-phase deadlines; every failure is one short line ({@link io.ethling.stack.http.HttpFailure}).
 * Allocation-free after construction; bad responses are RELIABILITY.md §1.3 P1–P15.
 *
 * <p><b>Wiring.</b> The client reaches DNS and TCP only through
 * {@link io.ethling.stack.http.HttpNetwork}; the adapter maps it as follows:
 * <ul>
 * <li>Names: done — {@link io.ethling.stack.http.ResolverNetwork} maps the DNS methods onto the
 *     stack's {@code DnsResolver}; extend it and add the TCP methods. For reference:
 *     {@code resolve(host bytes)} → {@code DnsResolver.resolve(CharSequence, nowNs)} through a
 *     reused view of the bytes; {@code DnsName.ERR_*} → {@code RESOLVE_ERR_BAD_NAME},
 *     {@code ERR_NO_SLOT} → {@code RESOLVE_ERR_BUSY}.
 * <li>{@code resolveState}: {@code STATE_PENDING} → {@code RESOLVE_PENDING}; {@code STATE_DONE}
 *     (also a stale answer) → {@code RESOLVE_DONE}; {@code STATE_FAILED} by {@code error()}:
 *     {@code ERROR_TIMEOUT} → {@code RESOLVE_NO_REPLY}, {@code ERROR_NXDOMAIN} →
 *     {@code RESOLVE_NO_SUCH_NAME}, {@code ERROR_NO_DATA} → {@code RESOLVE_NO_ADDRESS}, the rest →
 *     {@code RESOLVE_FAILED}. {@code resolvedAddress} → {@code address}, {@code releaseResolve} →
 *     {@code release}.
 * <li>Sockets: {@code connect} → the TCP active open; {@code socketState}: waiting for the next
 *     hop's ARP reply → {@code SOCKET_ARP}, SYN-SENT → {@code SOCKET_CONNECTING}, ESTABLISHED →
 *     {@code SOCKET_ESTABLISHED}, CLOSE-WAIT (FIN received) → {@code SOCKET_PEER_CLOSED}, CLOSED
 *     after a reset or a timeout → {@code SOCKET_FAILED} with {@code ERROR_REFUSED} (RST to our
 *     SYN), {@code ERROR_TIMEOUT}, {@code ERROR_NO_ARP}, {@code ERROR_UNREACHABLE} (ICMP) or
 *     {@code ERROR_RESET}; {@code send}/{@code receive} → the socket's ring write and read
 *     ({@code EOF} once the FIN is reached and the ring is empty); {@code close} → FIN,
 *     {@code abort} → RST and free.
 * </ul>
 * The request is written with a single {@code send}: the TCP side should push it at once (no
 * Nagle delay on a lone request, RFC 1122 §4.2.3.4 allows sending immediately).
 */
package io.ethling.stack.http;
