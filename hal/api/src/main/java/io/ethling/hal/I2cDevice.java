package io.ethling.hal;

/**
 * One device on an I2C bus (a fixed 7-bit address). Each call is one bus transaction, so a
 * multi-byte write is one START … STOP: a PCF8574 takes a whole nibble strobe in one call.
 * Arrays belong to the caller; implementations do not allocate per call.
 */
public interface I2cDevice {

    /** The transaction failed (no ACK from the device, or a bus error). */
    int ERR_IO = -1;

    /** The 7-bit address of the device. */
    int address();

    /** Writes {@code len} bytes in one transaction. @return {@code len}, or {@link #ERR_IO} */
    int write(byte[] src, int off, int len);

    /** Reads {@code len} bytes in one transaction. @return {@code len}, or {@link #ERR_IO} */
    int read(byte[] dst, int off, int len);

    /**
     * Writes {@code txLen} bytes, then reads {@code rxLen} bytes after a repeated START (a
     * register read). @return {@code rxLen}, or {@link #ERR_IO}
     */
    int writeRead(byte[] tx, int txOff, int txLen, byte[] rx, int rxOff, int rxLen);
}
