package io.ethling.hal;

/** A GPIO output, for example the ENC28J60's active-low RESET line. */
public interface DigitalOutput {

    /** Drives the line high ({@code true}) or low ({@code false}). */
    void set(boolean high);

    /** The level last driven. */
    boolean isHigh();
}
