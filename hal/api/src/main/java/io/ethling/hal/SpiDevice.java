package io.ethling.hal;

/**
 * A full-duplex SPI slave behind one chip select.
 *
 * <p>One call is one transaction: chip select falls, {@code len} bytes are clocked out of
 * {@code tx} while {@code len} bytes are clocked into {@code rx}, chip select rises. Every
 * ENC28J60 instruction (RCR, RBM, WCR, WBM, BFS, BFC, SRC) is exactly one call, because the chip
 * ends an instruction when chip select rises (ENC28J60 data sheet DS39662E §4).
 *
 * <p>The arrays belong to the caller; implementations must not keep them past the call and must
 * not allocate per call. {@code tx} and {@code rx} may be the same array with the same offset
 * (in-place transfer). {@code rx} may be {@code null} when the caller does not want the bytes that
 * came back (a write).
 */
public interface SpiDevice {

    /** The transfer failed at the bus level (the bytes in {@code rx} are meaningless). */
    int ERR_IO = -1;

    /**
     * Runs one chip-select-framed transaction.
     *
     * @return {@code len} on success, or a negative status ({@link #ERR_IO})
     */
    int transfer(byte[] tx, int txOff, byte[] rx, int rxOff, int len);

    /** The SCK frequency this device clocks at, in hertz. */
    int clockHz();

    /**
     * Asks for a different SCK frequency. Implementations that cannot change the clock return the
     * clock they keep. Never called on the data path.
     *
     * @return the clock now in effect (may be lower than requested: the Pi's divider rounds down)
     */
    int clockHz(int requestedHz);
}
