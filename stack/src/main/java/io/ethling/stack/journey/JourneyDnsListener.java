package io.ethling.stack.journey;

import io.ethling.hal.Counters;
import io.ethling.stack.dns.DnsName;
import io.ethling.stack.dns.DnsResolver;

/**
 * The first step of the story, from the resolver itself: where each name came from (hosts table,
 * cache, which server, a stale answer: RFC 8767), every try with its server, DNS id and port
 * (RFC 5452 §9.2), timeouts and dropped replies. Install with
 * {@code resolver.setListener(new JourneyDnsListener(journey, resolver))}. Reads the resolver's
 * results through its getters and never calls anything that changes it; allocation-free.
 */
public final class JourneyDnsListener implements DnsResolver.Listener {

    private final Journey journey;
    private final DnsResolver resolver;
    private final byte[] name = new byte[DnsName.MAX_NAME_LENGTH];
    private final byte[][] counterNames;

    public JourneyDnsListener(Journey journey, DnsResolver resolver) {
        if (journey == null || resolver == null) {
            throw new IllegalArgumentException("journey and resolver are required");
        }
        this.journey = journey;
        this.resolver = resolver;
        Counters c = resolver.counters();
        counterNames = new byte[c.size()][];
        for (int i = 0; i < c.size(); i++) {
            counterNames[i] = c.name(i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    @Override
    public void querySent(int handle, byte[] encodedName, int nameOff, int serverIp, int localPort, int dnsId,
            int tryNumber, int sendStatus, long nowNs) {
        journey.record(Journey.DNS_QUERY_SENT, Journey.LOCAL, serverIp, handle, dnsId, tryNumber, localPort, sendStatus,
                nowNs);
        journey.appendName(encodedName, nameOff, Math.min(encodedName.length, nameOff + DnsName.MAX_NAME_LENGTH));
    }

    @Override
    public void timedOut(int handle, int serverIp, int dnsId, long nowNs) {
        journey.record(Journey.DNS_TIMEOUT, Journey.LOCAL, serverIp, handle, dnsId, 0, 0, 0, nowNs);
    }

    @Override
    public void replyDropped(int handle, int counter, long nowNs) {
        journey.record(Journey.DNS_REPLY_DROPPED, Journey.LOCAL, 0, handle, counter, handle, 0, 0, nowNs);
        if (counter >= 0 && counter < counterNames.length) {
            journey.appendText(counterNames[counter], 0, counterNames[counter].length);
        }
    }

    @Override
    public void finished(int handle, long nowNs) {
        long detail = (resolver.error(handle) & 0xFF) | ((long) (resolver.tries(handle) & 0xFF) << 8)
                | ((long) (resolver.cnameCount(handle) & 0xFF) << 16) | (resolver.ttlSeconds(handle) << 32);
        journey.record(Journey.DNS_RESULT, Journey.LOCAL, resolver.answerServerIp(handle), handle,
                resolver.source(handle), resolver.address(handle) & 0xFFFF_FFFFL, detail, resolver.dnsId(handle), nowNs);
        int n = resolver.name(handle, name, 0);
        if (n > 0) {
            journey.appendName(name, 0, n);
        }
    }
}
