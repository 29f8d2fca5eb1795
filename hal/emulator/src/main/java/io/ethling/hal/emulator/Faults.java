package io.ethling.hal.emulator;

/**
 * Fault injection for one {@link Enc28j60Emulator}: the failure modes a driver must survive
 * (RELIABILITY.md E6–E10, ENC28J60.md §8). Every method arms or triggers a fault; random choices
 * use the emulator's seed.
 */
public final class Faults {

    /** A corruption of the next stored packet's header (RELIABILITY.md E6, E7). */
    public enum RxHeaderFault {
        /** Next Packet Pointer stored odd (E6). */
        NEXT_POINTER_ODD,
        /** Next Packet Pointer stored outside ERXST..ERXND (E6). */
        NEXT_POINTER_OUTSIDE_RING,
        /** RSV byte count 0 (E7). */
        BYTE_COUNT_ZERO,
        /** RSV byte count 3 (E7). */
        BYTE_COUNT_3,
        /** RSV byte count 1600 (E7). */
        BYTE_COUNT_1600,
        /** RSV bit 23 "Received OK" clear (E7). */
        RECEIVED_OK_CLEAR,
        /** RSV bit 20 "CRC error" set (and bit 23 clear) (E7). */
        CRC_ERROR_SET
    }

    private final Enc28j60Emulator chip;

    int rxOverflowFrames;
    RxHeaderFault nextHeaderFault;
    double headerFaultProbability;
    int abortTx;
    int lateCollisionTx;
    int stuckMiso = -1;

    Faults(Enc28j60Emulator chip) {
        this.chip = chip;
    }

    /**
     * The next {@code frames} incoming frames that pass the filters are dropped as if the ring
     * were full: EIR.RXERIF (+ INT if enabled), counted in rx.overflow; ring content untouched.
     */
    public void rxOverflow(int frames) {
        rxOverflowFrames += Math.max(0, frames);
    }

    /**
     * Stores minimal broadcast frames (60 bytes, EtherType 0x88B5, source = the station address)
     * straight into the RX FIFO, past the filters, until the next one would not fit or EPKTCNT is
     * 255. After this, any frame that passes the filters overflows for real (RXERIF). Equivalent:
     * send frames with {@link Enc28j60Emulator#receive} without the driver freeing space — the
     * emulator overflows naturally. Requires reception enabled (RXEN, MARXEN).
     *
     * @return how many frames were stored
     */
    public int fillRing() {
        return chip.fillRing();
    }

    /** Corrupts the header of the next stored packet (the ring still advances correctly). */
    public void corruptNextRxHeader(RxHeaderFault kind) {
        this.nextHeaderFault = kind;
    }

    /** EPKTCNT claims {@code n} more packets than the ring holds (E10). */
    public void phantomPackets(int n) {
        chip.phantomPackets(n);
    }

    /**
     * The INT pin is asserted once with nothing pending (E10): it falls now and rises again at the
     * end of the next SPI transaction. EIR and EPKTCNT are unchanged.
     */
    public void spuriousInterrupt() {
        chip.spuriousInterrupt();
    }

    /**
     * The next {@code n} transmissions end aborted (excessive collisions, TSV bit 28): TXIF,
     * TXERIF, ESTAT.TXABRT, TSV "done" clear. Then errata #12 (DS80349C): every further TXRTS
     * stalls (never completes) until ECON1.TXRST has been set and cleared.
     */
    public void abortNextTx(int n) {
        abortTx += Math.max(0, n);
    }

    /**
     * Errata #13 (DS80349C): the next {@code n} transmissions are aborted as late collisions (TSV
     * bit 29), TXIF, TXERIF, ESTAT.TXABRT; ESTAT.LATECOL is NOT set (errata #15). As any hardware
     * abort, this arms the errata #12 stall.
     */
    public void lateCollisionNextTx(int n) {
        lateCollisionTx += Math.max(0, n);
    }

    /** Link down now, back up {@code downNs} later (virtual time, applied by tick()). */
    public void linkFlap(long downNs) {
        chip.linkFlap(downNs);
    }

    /**
     * The chip resets itself (brown-out): like a power-on reset — every register to its reset
     * value (RXEN = 0 …), ESTAT.CLKRDY = 0 until the oscillator start-up time passed, PHY reset,
     * pending packets forgotten, buffer memory scrambled (seeded).
     */
    public void spontaneousReset() {
        chip.spontaneousReset();
    }

    /**
     * E9: every byte read back over SPI is {@code misoValue} (0x00 or 0xFF) and every write is
     * ignored; -1 ends the fault.
     */
    public void stuckSpi(int misoValue) {
        stuckMiso = misoValue < 0 ? -1 : misoValue & 0xFF;
    }

    /** Each stored packet gets a random {@link RxHeaderFault} with probability {@code p}. */
    public void rxHeaderFaultProbability(double p) {
        headerFaultProbability = p;
    }
}
