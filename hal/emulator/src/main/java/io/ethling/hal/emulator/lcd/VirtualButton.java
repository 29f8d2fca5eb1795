package io.ethling.hal.emulator.lcd;

import io.ethling.hal.DigitalInput;

/**
 * A push button on a GPIO input, for tests and the emulated board: wired to ground with a pull-up
 * by default (reads high when released, low when pressed), or to 3.3 V with a pull-down. Each
 * level change runs the registered wake-up if the edge matches, as a Pi4J listener would.
 * Not thread-safe.
 */
public final class VirtualButton implements DigitalInput {

    private final boolean activeLow;
    private boolean pressed;
    private Edge edge;
    private Runnable wakeup;
    private int edges;

    /** A button to ground with a pull-up (pressed = low). */
    public VirtualButton() {
        this(true);
    }

    /** @param activeLow true: pressed = low (pull-up); false: pressed = high (pull-down) */
    public VirtualButton(boolean activeLow) {
        this.activeLow = activeLow;
    }

    /** Presses (true) or releases the button; a change is an edge. */
    public void set(boolean pressed) {
        if (pressed == this.pressed) {
            return;
        }
        this.pressed = pressed;
        edges++;
        boolean rising = isHigh();
        Runnable w = wakeup;
        if (w != null && (edge == Edge.BOTH || (edge == Edge.RISING) == rising)) {
            w.run();
        }
    }

    /** Presses the button. */
    public void press() {
        set(true);
    }

    /** Releases the button. */
    public void release() {
        set(false);
    }

    /** Whether the button is held. */
    public boolean pressed() {
        return pressed;
    }

    /** How many level changes there were. */
    public int edges() {
        return edges;
    }

    @Override
    public boolean isHigh() {
        return pressed != activeLow;
    }

    @Override
    public void onEdge(Edge edge, Runnable wakeup) {
        this.edge = edge;
        this.wakeup = wakeup;
    }
}
