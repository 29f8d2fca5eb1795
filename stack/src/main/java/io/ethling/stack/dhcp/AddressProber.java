package io.ethling.stack.dhcp;

/**
 * RFC 5227 address-conflict detection, implemented by the interface core's ARP layer. The DHCP
 * client calls {@link #startProbe} once it holds an ACK, polls {@link #probeResult} from its own
 * {@code poll}, and calls {@link #announce} when it binds. Implementations must not allocate.
 */
public interface AddressProber {

    /** Still probing (RFC 5227 §2.1: PROBE_WAIT 0–1 s, then 3 probes 1–2 s apart, ANNOUNCE_WAIT 2 s). */
    int PROBING = 0;
    /** The probes went unanswered: the address may be used. */
    int FREE = 1;
    /** Another host answered or probed for the same address (RFC 5227 §2.1.1). */
    int CONFLICT = 2;

    /** Starts RFC 5227 probing of {@code ip} (ARP requests with sender IP 0.0.0.0). */
    void startProbe(int ip, long nowNs);

    /** {@link #PROBING}, {@link #FREE} or {@link #CONFLICT} for the probe of {@code ip}. */
    int probeResult(int ip);

    /** Announces {@code ip} once bound (gratuitous ARP, RFC 5227 §2.3). */
    void announce(int ip, long nowNs);
}
