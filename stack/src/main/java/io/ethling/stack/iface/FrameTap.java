package io.ethling.stack.iface;

/**
 * Sees every frame the stack receives and sends, whole, at the moment it passes (for pcap and
 * the journey). Must not keep the array; called on the loop thread.
 */
public interface FrameTap {

    void onFrame(boolean outbound, byte[] frame, int off, int len, long nowNs);
}
