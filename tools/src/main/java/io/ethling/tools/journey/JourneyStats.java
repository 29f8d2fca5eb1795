package io.ethling.tools.journey;

import io.ethling.stack.journey.Journey;

import java.util.Locale;

/**
 * The figures of one fetch read off its journey, for {@code fetch --stats} (DESIGN.md: one
 * {@code key=value} line; times from the start of the step named, total from the first frame of
 * the fetch to its last byte). A figure the journey cannot give is -1.
 *
 * <ul>
 *   <li>{@code dns.ms}: from the fetch's start (or the first resolver try) to the resolver's result;</li>
 *   <li>{@code connect.ms}: from the first SYN sent to the SYN-ACK received (RFC 9293 §3.5);</li>
 *   <li>{@code ttfb.ms}: from the first segment carrying the request line to the first segment of the response;</li>
 *   <li>{@code total.ms}: from the first frame after the fetch's start to the last segment with data received;</li>
 *   <li>{@code bytes}: body bytes (the HTTP client's count), else TCP payload received;</li>
 *   <li>{@code mbps}: bytes × 8 over total; {@code retransmits}: segments sent again, both directions.</li>
 * </ul>
 */
public record JourneyStats(long bytes, double dnsMs, double connectMs, double ttfbMs, double totalMs, double mbps,
                           int retransmits) {

    /** Reads the figures of the fetch the journey holds (off the hot path). */
    public static JourneyStats of(Journey j) {
        long start = Long.MIN_VALUE;
        long dnsStart = Long.MIN_VALUE;
        long dnsEnd = Long.MIN_VALUE;
        long synAt = Long.MIN_VALUE;
        long synAckAt = Long.MIN_VALUE;
        long requestAt = Long.MIN_VALUE;
        long firstResponseAt = Long.MIN_VALUE;
        long firstFrame = Long.MIN_VALUE;
        long lastData = Long.MIN_VALUE;
        long body = -1;
        long tcpIn = 0;
        int retransmits = 0;
        for (long s = j.firstSequence(); s < j.nextSequence(); s++) {
            int kind = j.kind(s);
            int dir = j.direction(s);
            long t = j.timeNs(s);
            if (dir != Journey.LOCAL && firstFrame == Long.MIN_VALUE) {
                firstFrame = t;
            }
            switch (kind) {
                case Journey.FETCH_START -> {
                    if (start == Long.MIN_VALUE) {
                        start = t;
                    }
                }
                case Journey.FETCH_END -> body = j.b(s);
                case Journey.DNS_QUERY_SENT -> {
                    if (dnsStart == Long.MIN_VALUE) {
                        dnsStart = t;
                    }
                }
                case Journey.DNS_RESULT -> {
                    if (dnsEnd == Long.MIN_VALUE) {
                        dnsEnd = t;
                    }
                }
                case Journey.HTTP_PHASE -> {
                    if (j.a(s) == Journey.HTTP_BODY_DONE) {
                        body = j.b(s);
                    }
                }
                case Journey.TCP_RETRANSMISSION -> retransmits++;
                case Journey.TCP_SEGMENT -> {
                    int flags = (int) (j.c(s) & 0xFF);
                    long len = (j.c(s) >>> 16) & 0xFFFF;
                    boolean syn = (flags & Journey.FLAG_SYN) != 0;
                    boolean ack = (flags & Journey.FLAG_ACK) != 0;
                    if (dir == Journey.OUT && syn && !ack && synAt == Long.MIN_VALUE) {
                        synAt = t;
                    } else if (dir == Journey.IN && syn && ack && synAckAt == Long.MIN_VALUE) {
                        synAckAt = t;
                    }
                    if (dir == Journey.IN && len > 0) {
                        tcpIn += len;
                        lastData = t;
                        if (firstResponseAt == Long.MIN_VALUE && requestAt != Long.MIN_VALUE) {
                            firstResponseAt = t;
                        }
                    }
                }
                case Journey.HTTP_REQUEST -> {
                    if (dir == Journey.OUT && requestAt == Long.MIN_VALUE) {
                        requestAt = t;
                    }
                }
                default -> {
                }
            }
        }
        long dnsFrom = start != Long.MIN_VALUE ? start : dnsStart;
        long bytes = body >= 0 ? body : tcpIn;
        double total = ms(firstFrame, lastData);
        double mbps = total > 0 ? bytes * 8 / (total * 1000.0) : -1;
        return new JourneyStats(bytes, ms(dnsFrom, dnsEnd), ms(synAt, synAckAt), ms(requestAt, firstResponseAt), total,
                mbps, retransmits);
    }

    private static double ms(long from, long to) {
        return from == Long.MIN_VALUE || to == Long.MIN_VALUE ? -1 : (to - from) / 1e6;
    }

    /** {@code stats bytes=… dns.ms=… connect.ms=… ttfb.ms=… total.ms=… mbps=… retransmits=…} */
    public String kvLine() {
        return String.format(Locale.ROOT, "stats bytes=%d dns.ms=%s connect.ms=%s ttfb.ms=%s total.ms=%s mbps=%s retransmits=%d",
                bytes, figure(dnsMs), figure(connectMs), figure(ttfbMs), figure(totalMs), figure(mbps), retransmits);
    }

    private static String figure(double v) {
        return v < 0 ? "-1" : String.format(Locale.ROOT, "%.3f", v);
    }
}
