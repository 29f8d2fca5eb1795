package io.ethling.hal.emulator;

/**
 * Something that takes whole Ethernet frames: destination MAC through payload, without the FCS.
 * The array belongs to the caller and is only valid during the call: copy what you keep.
 */
@FunctionalInterface
public interface FrameSink {

    /** Takes one frame of {@code len} bytes at {@code buf[off..off+len)}. */
    void frame(byte[] buf, int off, int len);
}
