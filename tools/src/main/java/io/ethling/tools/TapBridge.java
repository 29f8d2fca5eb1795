package io.ethling.tools;

import io.ethling.hal.emulator.Enc28j60Emulator;
import io.ethling.hal.emulator.FrameSink;
import io.ethling.hal.emulator.TapDevice;

/**
 * Puts an emulated ENC28J60's wire on a Linux TAP device: what the chip transmits is written to
 * the TAP, what the kernel sends on the TAP arrives at the chip as if from the cable. The caller
 * runs {@link #pump(int)} from its loop; nothing here allocates per frame.
 */
public final class TapBridge implements FrameSink {

    private final TapDevice tap;
    private final Enc28j60Emulator chip;
    private final byte[] frame = new byte[2048];
    private long toTap;
    private long fromTap;
    private long writeErrors;

    public TapBridge(TapDevice tap, Enc28j60Emulator chip) {
        this.tap = tap;
        this.chip = chip;
        chip.connect(this);
    }

    /** A frame the chip put on the wire. */
    @Override
    public void frame(byte[] buf, int off, int len) {
        if (tap.write(buf, off, len) == len) {
            toTap++;
        } else {
            writeErrors++;
        }
    }

    /**
     * Waits up to {@code timeoutMs} for the kernel to send, then hands every frame waiting on the
     * TAP to the chip. @return frames moved
     */
    public int pump(int timeoutMs) {
        int moved = 0;
        if (!tap.awaitReadable(timeoutMs)) {
            return 0;
        }
        int n;
        while ((n = tap.read(frame, 0, frame.length)) > 0) {
            chip.receive(frame, 0, n);
            fromTap++;
            moved++;
        }
        return moved;
    }

    public long framesToTap() {
        return toTap;
    }

    public long framesFromTap() {
        return fromTap;
    }

    public long writeErrors() {
        return writeErrors;
    }
}
