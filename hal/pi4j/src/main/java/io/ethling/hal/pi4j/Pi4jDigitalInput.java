package io.ethling.hal.pi4j;

import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import java.util.Objects;

/**
 * {@link io.ethling.hal.DigitalInput} on a Pi4J digital input (provider
 * {@code gpiod-digital-input} on the board).
 *
 * <p>The Pi4J listener is created once, here, and does only one thing: if the new state matches
 * the registered edge it runs the registered wake-up. It runs on Pi4J's event thread (the gpiod
 * event monitor; for the mock, the thread calling {@code mockState}), so nothing else may happen
 * there (DESIGN.md "The loop"; PLATFORM.md §1.5). Pi4J dispatches a state only when it differs from
 * the last one dispatched, so a state event is an edge: LOW means a falling edge, HIGH a rising one.
 *
 * <p>Debounce is in microseconds and is done by Pi4J's gpiod provider in Java, adding that much
 * latency (PLATFORM.md §1.5). The ENC28J60 INT line needs 0; a push button something like 30 ms.
 */
public final class Pi4jDigitalInput implements io.ethling.hal.DigitalInput, AutoCloseable {

    /** Debounce for the ENC28J60 INT line: none (PLATFORM.md §1.5). */
    public static final long DEBOUNCE_INT_US = 0L;
    /** A typical debounce for a mechanical push button: 30 ms. */
    public static final long DEBOUNCE_BUTTON_US = 30_000L;

    private final com.pi4j.io.gpio.digital.DigitalInput input;
    private final DigitalStateChangeListener listener;
    private volatile Runnable wakeup;
    /** Bit 0: wake on a falling edge (state LOW); bit 1: wake on a rising edge (state HIGH). */
    private volatile int edgeMask;
    private volatile long edges;
    private volatile long wakeups;

    /** Wraps a Pi4J input; {@link Pi4jBoard} creates it with the right provider and settings. */
    public Pi4jDigitalInput(com.pi4j.io.gpio.digital.DigitalInput input) {
        this.input = Objects.requireNonNull(input, "input");
        this.listener = new EdgeListener(this);
        input.addListener(listener);
    }

    @Override
    public boolean isHigh() {
        return input.state() == DigitalState.HIGH;
    }

    @Override
    public void onEdge(Edge edge, Runnable wakeup) {
        if (wakeup == null) {
            this.wakeup = null;
            this.edgeMask = 0;
            return;
        }
        final int mask = switch (Objects.requireNonNull(edge, "edge")) {
            case FALLING -> 1;
            case RISING -> 2;
            case BOTH -> 3;
        };
        // Publish the mask before the runnable: the listener reads the runnable first.
        this.edgeMask = mask;
        this.wakeup = wakeup;
    }

    /** How many state changes Pi4J delivered (matching the edge or not). */
    public long edges() {
        return edges;
    }

    /** How many times the wake-up ran. */
    public long wakeups() {
        return wakeups;
    }

    /** The Pi4J input (tests and diagnostics). */
    com.pi4j.io.gpio.digital.DigitalInput pi4j() {
        return input;
    }

    /** Stops delivering edges to the wake-up. The line itself is released with the context. */
    @Override
    public void close() {
        wakeup = null;
        edgeMask = 0;
        input.removeListener(listener);
    }

    private void onState(DigitalState state) {
        edges++; // single writer: Pi4J's dispatch thread
        final Runnable w = wakeup;
        if (w == null) {
            return;
        }
        final int bit = state == DigitalState.LOW ? 1 : state == DigitalState.HIGH ? 2 : 0;
        if ((edgeMask & bit) != 0) {
            wakeups++;
            w.run();
        }
    }

    /** Not a lambda, so it is plainly one object made once. */
    private static final class EdgeListener implements DigitalStateChangeListener {
        private final Pi4jDigitalInput owner;

        EdgeListener(Pi4jDigitalInput owner) {
            this.owner = owner;
        }

        @Override
        public void onDigitalStateChange(DigitalStateChangeEvent event) {
            owner.onState(event.state());
        }
    }
}
