package io.ethling.hal.emulator;

/**
 * Seeded faults of a {@link VirtualWire}, applied per frame in both directions. Percentages run
 * from 0 to 100. Fluent; read when the wire is built.
 */
public final class WireFaults {

    private double drop;
    private double corrupt;
    private double duplicate;
    private double reorder;
    private long delayNanos;
    private boolean serialisation;

    /** No faults, no delay. */
    public static WireFaults none() {
        return new WireFaults();
    }

    /** Percentage of frames lost. */
    public WireFaults drop(double pct) {
        this.drop = pct;
        return this;
    }

    public double drop() {
        return drop;
    }

    /** Percentage of frames with one bit flipped (the stack's checksums must catch it). */
    public WireFaults corrupt(double pct) {
        this.corrupt = pct;
        return this;
    }

    public double corrupt() {
        return corrupt;
    }

    /** Percentage of frames delivered twice. */
    public WireFaults duplicate(double pct) {
        this.duplicate = pct;
        return this;
    }

    public double duplicate() {
        return duplicate;
    }

    /** Percentage of frames held back so that the next frames overtake them. */
    public WireFaults reorder(double pct) {
        this.reorder = pct;
        return this;
    }

    public double reorder() {
        return reorder;
    }

    /** One-way propagation delay in ns (default 0). */
    public WireFaults delayNanos(long oneWay) {
        this.delayNanos = oneWay;
        return this;
    }

    public long delayNanos() {
        return delayNanos;
    }

    /**
     * Adds the 10BASE-T serialisation time (preamble 8 + frame + FCS 4 + IFG 12 bytes, 0.8 µs per
     * byte, frames padded to 60) per frame and direction, queueing frames behind each other.
     * Default false.
     */
    public WireFaults serialisation(boolean on) {
        this.serialisation = on;
        return this;
    }

    public boolean serialisation() {
        return serialisation;
    }
}
