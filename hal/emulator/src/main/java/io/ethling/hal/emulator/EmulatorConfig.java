package io.ethling.hal.emulator;

/**
 * Options for {@link Enc28j60Emulator}. Fluent setters return {@code this}; the getter of each
 * option has the same name without arguments. Read once, when the emulator is built.
 */
public final class EmulatorConfig {

    private int revision = 0x06;
    private long seed = 1L;
    private boolean advanceClockOnSpi = true;
    private boolean unreliablePktif = true;
    private double pktifMissRate = 0.3;
    private boolean strict;
    private int reliableSpiHz = 20_000_000;
    private double bitErrorRate = 0.05;
    private boolean linkUp = true;
    private long oscillatorStartNs = 300_000L;
    private long resetSettleNs = 1_000_000L;

    /** EREVID value; default 0x06 (silicon B7; ENC28J60.md §2.5). */
    public EmulatorConfig revision(int eRevId) {
        this.revision = eRevId & 0xFF;
        return this;
    }

    public int revision() {
        return revision;
    }

    /** Seed for every random choice (errata #6 misses, bit errors, faults); default 1. */
    public EmulatorConfig seed(long seed) {
        this.seed = seed;
        return this;
    }

    public long seed() {
        return seed;
    }

    /**
     * Default true: when the clock is a {@link VirtualClock}, every SPI transaction advances it by
     * its bus time (8 SCK periods per byte).
     */
    public EmulatorConfig advanceClockOnSpi(boolean b) {
        this.advanceClockOnSpi = b;
        return this;
    }

    public boolean advanceClockOnSpi() {
        return advanceClockOnSpi;
    }

    /**
     * Default true: errata #6 (DS80349C) — EIR.PKTIF read over SPI is sometimes 0 while EPKTCNT &gt;
     * 0 (seeded, see {@link #pktifMissRate(double)}). The INT pin stays correct.
     */
    public EmulatorConfig unreliablePktif(boolean b) {
        this.unreliablePktif = b;
        return this;
    }

    public boolean unreliablePktif() {
        return unreliablePktif;
    }

    /** How often an EIR read shows PKTIF = 0 although packets are pending (default 0.3). */
    public EmulatorConfig pktifMissRate(double p) {
        this.pktifMissRate = p;
        return this;
    }

    public double pktifMissRate() {
        return pktifMissRate;
    }

    /** Default false: misuse is recorded; true: misuse also throws IllegalStateException. */
    public EmulatorConfig strict(boolean b) {
        this.strict = b;
        return this;
    }

    public boolean strict() {
        return strict;
    }

    /** Above this SCK (default 20 MHz, the data-sheet maximum) bytes read back get bit errors. */
    public EmulatorConfig reliableSpiHz(int hz) {
        this.reliableSpiHz = hz;
        return this;
    }

    public int reliableSpiHz() {
        return reliableSpiHz;
    }

    /** Probability per byte read back of one flipped bit above {@link #reliableSpiHz()} (0.05). */
    public EmulatorConfig bitErrorRate(double perByte) {
        this.bitErrorRate = perByte;
        return this;
    }

    public double bitErrorRate() {
        return bitErrorRate;
    }

    /** Whether the PHY sees a link when the emulator is built (default true). */
    public EmulatorConfig linkUp(boolean up) {
        this.linkUp = up;
        return this;
    }

    public boolean linkUp() {
        return linkUp;
    }

    /** Oscillator start-up time after a power-on reset until ESTAT.CLKRDY = 1 (300 µs). */
    public EmulatorConfig oscillatorStartNs(long ns) {
        this.oscillatorStartNs = ns;
        return this;
    }

    public long oscillatorStartNs() {
        return oscillatorStartNs;
    }

    /** Time after SRC during which MAC/MII/PHY are not ready (errata #2; default 1 ms). */
    public EmulatorConfig resetSettleNs(long ns) {
        this.resetSettleNs = ns;
        return this;
    }

    public long resetSettleNs() {
        return resetSettleNs;
    }
}
