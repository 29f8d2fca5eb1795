package io.ethling.hal.enc28j60;

import java.util.Arrays;

/**
 * Configuration of the {@link Enc28j60} driver: fluent setters that return {@code this}, getters of
 * the same name. {@link #validate()} checks everything at once and names the bad field.
 *
 * <p>Defaults: half duplex (the ENC28J60 has no auto-negotiation, so an auto-negotiating switch
 * sees 10 Mb/s half duplex — ENC28J60.md §6), receive ring 0x0000–0x19FF (6656 bytes; ERXST = 0
 * because of errata #5, odd end because of errata #14), one transmit buffer at 0x1A00–0x1FFF
 * (control byte + 1514 + 7-byte status vector = 1522 bytes fit), SPI clock tuned at start-up over
 * {20, 16, 12, 10, 8} MHz, 16 late-collision retries (errata #13), 100 ms transmit time-out, a
 * supervisor check every second, and a deaf-receiver guard after 30 s.
 */
public final class Enc28j60Config {

    /** Smallest allowed odd receive-ring end: the ring must hold at least one 1518-byte frame. */
    public static final int MIN_RX_BUFFER_END = 0x07FF;
    /**
     * Largest allowed odd receive-ring end: the transmit buffer after it needs 1 control byte +
     * 1514 frame bytes + 7 status-vector bytes (ENC28J60.md §4.2) below 0x2000.
     */
    public static final int MAX_RX_BUFFER_END = 0x2000 - 1522 - 1;

    private long macAddress = -1;
    private boolean fullDuplex;
    private int rxBufferEnd = 0x19FF;
    private int[] spiClockCandidatesHz = {20_000_000, 16_000_000, 12_000_000, 10_000_000, 8_000_000};
    private boolean tuneSpiClock = true;
    private int maxLateCollisionRetries = 16;
    private long txTimeoutNs = 100_000_000L;
    private long deafTimeoutNs = 30_000_000_000L;
    private long supervisorIntervalNs = 1_000_000_000L;
    private boolean multicast;

    /** The station address (required): 48 bits, first octet on the wire in bits 47..40. */
    public Enc28j60Config macAddress(long mac) {
        this.macAddress = mac;
        return this;
    }

    public long macAddress() {
        return macAddress;
    }

    /** Full duplex (only works if the partner is forced to 10 Mb/s full duplex). Default false. */
    public Enc28j60Config fullDuplex(boolean b) {
        this.fullDuplex = b;
        return this;
    }

    public boolean fullDuplex() {
        return fullDuplex;
    }

    /** The last (odd) address of the receive ring, which always starts at 0 (errata #5, #14). */
    public Enc28j60Config rxBufferEnd(int oddAddress) {
        this.rxBufferEnd = oddAddress;
        return this;
    }

    public int rxBufferEnd() {
        return rxBufferEnd;
    }

    /** SPI clocks to try at start-up, any order (the driver tries the fastest first). */
    public Enc28j60Config spiClockCandidatesHz(int... hz) {
        this.spiClockCandidatesHz = hz == null ? null : hz.clone();
        return this;
    }

    /** A copy of the candidates as given. */
    public int[] spiClockCandidatesHz() {
        return spiClockCandidatesHz == null ? null : spiClockCandidatesHz.clone();
    }

    /** Whether to probe the candidates at start-up; without it the fastest candidate is used. */
    public Enc28j60Config tuneSpiClock(boolean b) {
        this.tuneSpiClock = b;
        return this;
    }

    public boolean tuneSpiClock() {
        return tuneSpiClock;
    }

    /** How often a frame aborted by a late collision is sent again (errata #13). Default 16. */
    public Enc28j60Config maxLateCollisionRetries(int n) {
        this.maxLateCollisionRetries = n;
        return this;
    }

    public int maxLateCollisionRetries() {
        return maxLateCollisionRetries;
    }

    /** After this long on the wire a transmission is cancelled and the TX logic reset. */
    public Enc28j60Config txTimeoutNs(long ns) {
        this.txTimeoutNs = ns;
        return this;
    }

    public long txTimeoutNs() {
        return txTimeoutNs;
    }

    /** With the link up and frames sent but nothing received for this long, reset the RX logic. */
    public Enc28j60Config deafTimeoutNs(long ns) {
        this.deafTimeoutNs = ns;
        return this;
    }

    public long deafTimeoutNs() {
        return deafTimeoutNs;
    }

    /** How often the supervisor checks revision, ECON1.RXEN, EIE, ESTAT, the ring and the link. */
    public Enc28j60Config supervisorIntervalNs(long ns) {
        this.supervisorIntervalNs = ns;
        return this;
    }

    public long supervisorIntervalNs() {
        return supervisorIntervalNs;
    }

    /** Accept multicast destinations (ERXFCON.MCEN). Default false. */
    public Enc28j60Config multicast(boolean b) {
        this.multicast = b;
        return this;
    }

    public boolean multicast() {
        return multicast;
    }

    /** @throws IllegalArgumentException with one line naming the first bad field */
    public void validate() {
        if (macAddress == -1) {
            throw new IllegalArgumentException("macAddress: required");
        }
        if ((macAddress >>> 48) != 0) {
            throw new IllegalArgumentException("macAddress: must fit in 48 bits, got 0x" + Long.toHexString(macAddress));
        }
        if (macAddress == 0) {
            throw new IllegalArgumentException("macAddress: must not be 00:00:00:00:00:00");
        }
        if ((macAddress & (1L << 40)) != 0) {
            throw new IllegalArgumentException("macAddress: must be a unicast address (first octet's low bit clear)");
        }
        if ((rxBufferEnd & 1) == 0) {
            throw new IllegalArgumentException("rxBufferEnd: must be odd (errata #14), got 0x" + Integer.toHexString(rxBufferEnd));
        }
        if (rxBufferEnd < MIN_RX_BUFFER_END || rxBufferEnd > MAX_RX_BUFFER_END) {
            throw new IllegalArgumentException("rxBufferEnd: must be in 0x" + Integer.toHexString(MIN_RX_BUFFER_END)
                    + "..0x" + Integer.toHexString(MAX_RX_BUFFER_END) + " (room for a 1522-byte TX buffer), got 0x"
                    + Integer.toHexString(rxBufferEnd));
        }
        if (spiClockCandidatesHz == null || spiClockCandidatesHz.length == 0) {
            throw new IllegalArgumentException("spiClockCandidatesHz: at least one clock is required");
        }
        for (int hz : spiClockCandidatesHz) {
            if (hz <= 0 || hz > 20_000_000) {
                throw new IllegalArgumentException("spiClockCandidatesHz: " + hz + " Hz is outside 1..20000000 (20 MHz is the chip's maximum)");
            }
        }
        if (maxLateCollisionRetries < 0 || maxLateCollisionRetries > 255) {
            throw new IllegalArgumentException("maxLateCollisionRetries: must be 0..255, got " + maxLateCollisionRetries);
        }
        if (txTimeoutNs <= 0) {
            throw new IllegalArgumentException("txTimeoutNs: must be positive, got " + txTimeoutNs);
        }
        if (deafTimeoutNs <= 0) {
            throw new IllegalArgumentException("deafTimeoutNs: must be positive, got " + deafTimeoutNs);
        }
        if (supervisorIntervalNs <= 0) {
            throw new IllegalArgumentException("supervisorIntervalNs: must be positive, got " + supervisorIntervalNs);
        }
    }

    @Override
    public String toString() {
        return "Enc28j60Config{mac=0x" + Long.toHexString(macAddress) + ", fullDuplex=" + fullDuplex
                + ", rxBufferEnd=0x" + Integer.toHexString(rxBufferEnd) + ", spiClockCandidatesHz="
                + Arrays.toString(spiClockCandidatesHz) + ", tuneSpiClock=" + tuneSpiClock
                + ", maxLateCollisionRetries=" + maxLateCollisionRetries + ", txTimeoutNs=" + txTimeoutNs
                + ", deafTimeoutNs=" + deafTimeoutNs + ", supervisorIntervalNs=" + supervisorIntervalNs
                + ", multicast=" + multicast + '}';
    }
}
