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
 *   <li>{@link io.ethling.stack.journey.TcpHeaderView}: a bounds-checked TCP header reader.</li>
 * </ul>
 *
 * <p>Wiring: {@code net.frameTap(new TeeFrameTap(pcap, new JourneyTap(journey)))},
 * {@code host.dns().setListener(new JourneyDnsListener(journey, host.dns()))}. Rendering (text
 * ladder, SVG) is off the hot path, in tools ({@code io.ethling.tools.journey}).
 */
package io.ethling.stack.journey;
