package io.ethling.hal;

/**
 * An Ethernet MAC that moves whole frames (destination MAC through payload, without the FCS)
 * between the wire and arrays the caller owns.
 *
 * <p>Single-threaded: every method is called from the poll loop. No method allocates or blocks
 * beyond a short, bounded wait; none throws for conditions that happen in service (a bad frame, a
 * full buffer, a missing link, a chip that stopped answering): they return a status and count it.
 */
public interface EthernetDevice {

    /** {@link #transmit} succeeded. */
    int OK = 0;
    /** The link is down; nothing was sent. */
    int ERR_LINK_DOWN = -1;
    /** The previous transmission is still in progress; try again after {@link #poll}. */
    int ERR_BUSY = -2;
    /** The frame is shorter than 14 bytes or longer than {@link #maxFrameLength()}. */
    int ERR_LENGTH = -3;
    /** The device is not answering or is being re-initialised; the driver is recovering it. */
    int ERR_DEVICE = -4;
    /** The frame could not be sent (aborted, retries used up, or timed out). */
    int ERR_TX_FAILED = -5;
    /** A received frame did not fit in {@code cap} bytes; it was dropped and counted. */
    int ERR_TOO_SMALL = -6;

    /** The largest frame this device sends or delivers, without FCS: 1514 for Ethernet II. */
    default int maxFrameLength() {
        return 1514;
    }

    /**
     * Copies the next received frame into {@code dst[off..off+cap)}.
     *
     * @return the frame length (14..{@link #maxFrameLength()}), 0 when nothing is pending, or a
     *     negative status
     */
    int receive(byte[] dst, int off, int cap);

    /**
     * Sends one frame of {@code len} bytes (no FCS; the device appends it and pads short frames to
     * the 60-byte minimum).
     *
     * @return {@link #OK} or a negative status
     */
    int transmit(byte[] src, int off, int len);

    /**
     * Housekeeping: interrupt flags, link changes, transmit completion, error recovery and the
     * supervisor that notices a deaf or reset chip. Bounded work; call it every loop iteration.
     *
     * @return how much work was done (0 when idle)
     */
    int poll(long nowNs);

    /** The latest instant by which {@link #poll} wants to run again, or {@link Long#MAX_VALUE}. */
    long pollAtNs(long nowNs);

    /** The station address, the six octets in wire order in the low 48 bits (first octet highest). */
    long macAddress();

    /** Whether the PHY reports a link. */
    boolean linkUp();

    /** The device's named counters. */
    Counters counters();
}
