package io.ethling.hal.pi4j;

/** The bias an input line is requested with; maps to Pi4J's {@code PullResistance}. */
public enum Pull {
    /** No bias: the ENC28J60's INT output drives the line (PLATFORM.md §1.5). */
    OFF,
    /** Pull-up: a button to ground. */
    UP,
    /** Pull-down: a button to 3.3 V. */
    DOWN
}
