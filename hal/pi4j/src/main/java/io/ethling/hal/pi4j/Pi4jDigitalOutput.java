package io.ethling.hal.pi4j;

import com.pi4j.io.gpio.digital.DigitalState;
import java.util.Objects;

/**
 * {@link io.ethling.hal.DigitalOutput} on a Pi4J digital output (provider
 * {@code gpiod-digital-output} on the board). For the ENC28J60's active-low RESET,
 * {@link Pi4jBoard#resetOutput} requests the line with initial HIGH and shutdown HIGH, so the
 * chip is not held in reset while the program starts or after it stops (PLATFORM.md §1.6).
 */
public final class Pi4jDigitalOutput implements io.ethling.hal.DigitalOutput {

    private final com.pi4j.io.gpio.digital.DigitalOutput output;
    private boolean high;

    /** Wraps a Pi4J output; the level last driven starts as the output's current state. */
    public Pi4jDigitalOutput(com.pi4j.io.gpio.digital.DigitalOutput output) {
        this.output = Objects.requireNonNull(output, "output");
        this.high = output.state() == DigitalState.HIGH;
    }

    @Override
    public void set(boolean high) {
        output.state(high ? DigitalState.HIGH : DigitalState.LOW);
        this.high = high;
    }

    @Override
    public boolean isHigh() {
        return high;
    }

    /** The Pi4J output (tests and diagnostics). */
    com.pi4j.io.gpio.digital.DigitalOutput pi4j() {
        return output;
    }
}
