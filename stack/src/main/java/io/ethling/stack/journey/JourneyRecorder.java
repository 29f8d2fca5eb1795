package io.ethling.stack.journey;

import io.ethling.stack.dns.DnsResolver;
import io.ethling.stack.iface.FrameTap;
import io.ethling.stack.iface.NetStack;

/**
 * The journey with its recorders in one piece, for the application: a {@link Journey}, the
 * {@link JourneyTap} on the interface's frame hook (beside another tap such as a pcap writer),
 * and the resolver's {@link JourneyDnsListener}. {@link #attach} at setup; {@link #begin} at the
 * start of each fetch (a new story), then the TCP state machine and the HTTP client report to
 * {@link #journey()}. Allocation-free after {@link #attach}.
 */
public final class JourneyRecorder {

    private final Journey journey;
    private final JourneyTap tap;

    public JourneyRecorder(int capacity) {
        this.journey = new Journey(capacity);
        this.tap = new JourneyTap(journey);
    }

    public Journey journey() {
        return journey;
    }

    public JourneyTap tap() {
        return tap;
    }

    /**
     * Installs the recorders (setup time): the tap on {@code net}'s frame hook, with {@code alsoTap}
     * (a pcap writer, or null) seeing every frame first, and the listener on {@code dns} (or none if null).
     */
    public void attach(NetStack net, DnsResolver dns, FrameTap alsoTap) {
        if (net == null) {
            throw new IllegalArgumentException("the interface (NetStack) is required");
        }
        net.frameTap(alsoTap == null ? tap : new TeeFrameTap(alsoTap, tap));
        if (dns != null) {
            dns.setListener(new JourneyDnsListener(journey, dns));
        }
    }

    /** Starts a new story for a fetch of {@code url} (ASCII): earlier events and connections are forgotten. */
    public void begin(byte[] url, int off, int len, long nowNs) {
        journey.clear();
        tap.reset();
        journey.fetchStart(url, off, len, nowNs);
    }
}
