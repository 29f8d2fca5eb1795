package io.ethling.hal.lcd;

import io.ethling.hal.Counters;

/**
 * How an {@link Hd44780} reaches its controller in 4-bit mode: a port expander that drives RS,
 * E and D7–D4 (RW held low: write only) and the backlight. One strobe is "lines set, E high,
 * E low"; the controller latches D7–D4 and RS on E's falling edge (HD44780U data sheet, bus
 * timing). Implementations allocate nothing per call.
 */
public interface LcdBus {

    /** Done. */
    int OK = 0;
    /** The I2C transaction failed. */
    int ERR_IO = -1;

    /** Puts the expander in a known state (pins as outputs, E and RW low, backlight as set). */
    int reset();

    /** One strobe of {@code nibble} (D7–D4 = bits 3–0) with RS = {@code data}. */
    int writeNibble(boolean data, int nibble);

    /** Two strobes, high nibble first (4-bit mode), with RS = {@code data}. */
    int writeByte(boolean data, int value);

    /** Whether the backlight has separately switchable red, green and blue LEDs. */
    boolean colourBacklight();

    /**
     * Sets the backlight: 0xRRGGBB, a channel lit when its byte is 0x80 or more; 0 is off. A
     * single-colour backlight is on for any non-zero value.
     */
    int backlight(int rgb);

    /** Transactions and errors of this bus. */
    Counters counters();
}
