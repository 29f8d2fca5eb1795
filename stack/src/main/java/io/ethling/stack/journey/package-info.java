/**
 * The request's journey (DESIGN.md "the story every fetch tells"; issue 5 part 2): a fixed ring
 * of events recorded without allocation on the loop thread, and the recorders that feed it.
 *
 * <ul>
 *   <li>{@link io.ethling.stack.journey.Journey}: the ring (parallel primitive arrays, sequence
 *       numbers, a short text slot per event) and the API the TCP state machine
 *       ({@code stateChange}, {@code retransmissionTimeout}), the HTTP client
 *       ({@code httpPhase}, {@code fetchStart}, {@code fetchEnd}) and the ARP layer
 *       ({@code arpCacheHit}) call.</li>
 *   <li>{@link io.ethling.stack.journey.JourneyTap}: a {@code FrameTap} that decodes every frame
 *       in and out: ARP, DHCP, DNS, ICMP, TCP segments and retransmissions, HTTP first lines.</li>
 *   <li>{@link io.ethling.stack.journey.JourneyDnsListener}: where each name came from.</li>
 *   <li>{@link io.ethling.stack.journey.TeeFrameTap}: two taps on the one hook (pcap + journey).</li>
 * </ul>
 *
 * <p><b>Wiring.</b> {@code JourneyRecorder r = new JourneyRecorder(512);
 * r.attach(host.net(), host.dns(), pcapWriterOrNull);} at setup, {@code r.begin(url, 0, n, nowNs)}
 * when a fetch starts. Rendering (text ladder, SVG) and the {@code --stats} figures are off the
 * hot path, in tools ({@code io.ethling.tools.journey}).
 *
 * <p><b>What TCP and HTTP report</b> (plain method calls on {@link io.ethling.stack.journey.Journey},
 * allocation-free; the frames themselves are already decoded by the tap):
 * <ul>
 *   <li>the TCP state machine, on every transition (RFC 9293 §3.3.2): {@code stateChange(handle,
 *       remoteIp, from, to, sndNxt, rcvNxt, nowNs)} with states mapped one to one by name onto
 *       {@code Journey.TCP_CLOSED .. TCP_TIME_WAIT} (CLOSED, LISTEN, SYN-SENT, SYN-RECEIVED,
 *       ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT);</li>
 *   <li>the TCP retransmission timer, when it fires (RFC 6298 §5.4):
 *       {@code retransmissionTimeout(handle, remoteIp, sndUna, length, rtoNs, nowNs)};</li>
 *   <li>the HTTP client: {@code httpPhase(handle, HTTP_*, value, nowNs)} at request queued,
 *       status line, end of headers, first body byte, body done, redirect (text = Location),
 *       failure (text = the one-line reason), keep-alive kept / reused;</li>
 *   <li>the fetch: {@code fetchStart} (through {@code JourneyRecorder.begin}) and
 *       {@code fetchEnd(result, bodyBytes, line, ...)};</li>
 *   <li>the ARP layer or the connect path, once per connection when the next hop's MAC is
 *       already known: {@code arpCacheHit(ip, mac, nowNs)} (not per frame: it would fill the ring).</li>
 * </ul>
 */
package io.ethling.stack.journey;
