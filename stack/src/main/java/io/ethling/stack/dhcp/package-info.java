/**
 * The DHCP client (RFC 2131, options RFC 2132): {@link io.ethling.stack.dhcp.DhcpClient} with
 * its wire view {@link io.ethling.stack.dhcp.DhcpMessage} and parsed holder
 * {@link io.ethling.stack.dhcp.DhcpRepr}. It knows nothing of the interface core; it talks to it
 * through three small interfaces the core implements.
 *
 * <h2>Wiring (the interface core's side)</h2>
 * <pre>
 * DhcpClient dhcp = new DhcpClient(DhcpConfig.of(mac, "ethling"), prng, transport, prober, listener);
 * dhcp.start(nowNs);                                    // once, when DHCP is configured
 *
 * // UDP ingress: every valid UDP datagram to port 68 (checksum already checked), whatever its
 * // IP destination (255.255.255.255, or our future address before we have one):
 * dhcp.onDatagram(ipSource, udpSourcePort, frame, udpDataOffset, udpDataLength, nowNs);
 *
 * // the loop:
 * work += dhcp.poll(nowNs);
 * next = min(next, dhcp.pollAtNs(nowNs));               // DhcpClient.NO_DEADLINE = Long.MAX_VALUE: nothing due
 *
 * // link state changes from the driver:
 * dhcp.linkDown();  dhcp.linkUp(nowNs);
 * </pre>
 * <ul>
 * <li>{@link io.ethling.stack.dhcp.DhcpTransport#send}: UDP 68 → {@code dstIp}:67 with IP source
 *     {@code srcIp} (0.0.0.0 while unbound). For 255.255.255.255 use the Ethernet broadcast MAC
 *     without ARP; for the server's unicast address (RENEWING, RELEASE) route and ARP as usual.
 *     Copy the bytes during the call.</li>
 * <li>{@link io.ethling.stack.dhcp.AddressProber}: the ARP layer's RFC 5227 probe
 *     (PROBING/FREE/CONFLICT) and announcement.</li>
 * <li>{@link io.ethling.stack.dhcp.DhcpListener}: {@code onBound} applies (or refreshes, after
 *     every renewal) address, mask, router and DNS servers; {@code onLeaseLost} removes them. A link
 *     flap does not call {@code onLeaseLost}: the address stays until INIT-REBOOT confirms or
 *     refuses it, or the lease ends.</li>
 * </ul>
 * The client never calls the transport, prober or listener from {@code onDatagram}, only from
 * {@code poll} (and {@code release}).
 */
package io.ethling.stack.dhcp;
