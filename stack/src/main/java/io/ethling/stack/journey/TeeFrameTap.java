package io.ethling.stack.journey;

import io.ethling.stack.iface.FrameTap;

/** Hands every frame to two taps in turn (the stack has one hook: pcap and journey both want it). */
public final class TeeFrameTap implements FrameTap {

    private final FrameTap first;
    private final FrameTap second;

    public TeeFrameTap(FrameTap first, FrameTap second) {
        if (first == null || second == null) {
            throw new IllegalArgumentException("both taps are required");
        }
        this.first = first;
        this.second = second;
    }

    @Override
    public void onFrame(boolean outbound, byte[] frame, int off, int len, long nowNs) {
        first.onFrame(outbound, frame, off, len, nowNs);
        second.onFrame(outbound, frame, off, len, nowNs);
    }
}
