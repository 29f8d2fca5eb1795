package io.ethling.hal.emulator.lcd;

import io.ethling.hal.DigitalInput;

/**
 * A push button on a GPIO input, for tests and the emulated board: wired to ground with a pull-up
 * by default (reads high when released, low when pressed), or to 3.3 V with a pull-down. Each
 * level change runs the registered wake-up if the edge matches, as a Pi4J listener would.
 * {@link #set} may be called from another thread (a terminal's key reader): the level is volatile
 * and the wake-up only signals. Pressing from two threads at once is not supported.
 */
public final class VirtualButton implements DigitalInput {

    private final boolean activeLow;
    private volatile boolean pressed;
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
