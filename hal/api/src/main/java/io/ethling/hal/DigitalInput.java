package io.ethling.hal;

/**
 * A GPIO input, for example the ENC28J60's active-low INT line or a push button.
 *
 * <p>The wake-up is how the poll loop sleeps without a busy wait: the loop registers one
 * long-lived {@link Runnable} (created once, never per call) that unparks it. The wake-up runs on
 * whatever thread the platform delivers edges on (a Pi4J thread on the board, the emulator's
 * caller on the desktop); it must only signal, never run stack code.
 */
public interface DigitalInput {

    /** Which edges wake the loop. */
    enum Edge { FALLING, RISING, BOTH }

    /** The current level. */
    boolean isHigh();

    /**
     * Registers the single wake-up run on each matching edge, replacing any earlier one;
     * {@code null} removes it.
     */
    void onEdge(Edge edge, Runnable wakeup);
}
