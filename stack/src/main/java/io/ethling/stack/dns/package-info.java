/**
 * The DNS stub resolver: names to IPv4 addresses, the first step of every fetch's story.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.ethling.stack.dns.DnsName}: encode dotted names, decode compressed names with the
 *       RFC 9267 checks, compare case-insensitively (ASCII only).</li>
 *   <li>{@link io.ethling.stack.dns.DnsMessage} (flyweight) and
 *       {@link io.ethling.stack.dns.DnsRecord} (reused holder): header, question and record walk
 *       bounded by the bytes present; the query writer (RD, one question, optional EDNS(0) OPT).</li>
 *   <li>{@link io.ethling.stack.dns.HostsTable}: static names, /etc/hosts format, loaded at setup.</li>
 *   <li>{@link io.ethling.stack.dns.DnsCache}: fixed-size TTL cache, LRU, negative entries, stale
 *       entries kept for serve-stale.</li>
 *   <li>{@link io.ethling.stack.dns.DnsResolver}: query slots, retries, failover, server health,
 *       matching (RFC 5452), CNAME chains, results with their source.</li>
 *   <li>{@link io.ethling.stack.dns.DnsTransport}: what the resolver needs from UDP.</li>
 * </ul>
 *
 * <h2>Wiring (for the interface core)</h2>
 * <pre>{@code
 * HostsTable hosts = new HostsTable(config.hostsEntries);   // hosts.load(text) from --hosts FILE
 * DnsCache cache = new DnsCache(config.dnsCacheEntries);
 * DnsResolver dns = new DnsResolver(transport, prng, hosts, cache, dnsConfig);
 * dns.setServers(ips, n);               // static --dns, or DHCP option 6 on bind/renew
 *
 * // DnsTransport over the UDP socket table:
 * //   bind(port)   -> claim local UDP port `port` for DNS replies; false if in use
 * //   send(port, serverIp, buf, off, len, nowNs) -> UDP from port to serverIp:53; 0 or negative
 * //   unbind(port) -> release it
 * // Every datagram arriving on a port bound this way goes to
 * //   dns.onDatagram(srcIp, srcPort, dstPort, payload, off, len, nowNs)
 * // with the UDP payload only (checksum and lengths already checked by the UDP layer).
 * // The payload buffer may be reused after the call; nothing is kept.
 *
 * // In the stack's poll:       work += dns.poll(nowNs);
 * // In the stack's pollAtNs:   long t = dns.pollAtNs(nowNs);  // DnsResolver.NO_DEADLINE if idle
 *
 * int h = dns.resolve("example.com", nowNs);     // >= 0 handle, or a negative status
 * ... dns.state(h) == DnsResolver.STATE_DONE -> dns.address(h), dns.source(h), dns.dnsId(h),
 *     dns.answerServerIp(h), dns.tries(h); STATE_FAILED -> dns.error(h)
 * dns.release(h);
 * }</pre>
 *
 * <p>The resolver picks source ports itself (uniform in 16384..65535 by default, fresh for every
 * try), so the transport must not substitute another port. It sends only from {@code poll}, never
 * from inside {@code onDatagram} or {@code resolve}. Replies of up to 1232 bytes are accepted
 * (the EDNS(0) size it advertises), so the UDP layer must deliver datagrams that large; 512 bytes
 * after an EDNS fallback or with {@code ednsUdpSize = 0}.
 */
package io.ethling.stack.dns;
