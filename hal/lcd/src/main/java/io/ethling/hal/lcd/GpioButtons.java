package io.ethling.hal.lcd;

import io.ethling.hal.Buttons;
import io.ethling.hal.DigitalInput;

/**
 * Push buttons on GPIO pins (beside a PCF8574 LCD, which has none), debounced by time.
 *
 * <p>Each button is a {@link DigitalInput}; {@code activeLow} (a button to ground with a pull-up,
 * the usual wiring) means a low level is "pressed". {@link #poll(long)} samples every pin and feeds
 * the time-based debouncer: a change counts once it has lasted {@code debounceNs}. Between changes
 * nothing needs sampling if the pins wake the loop ({@link #wakeOnEdges}); then {@link #pollAtNs}
 * returns {@link Long#MAX_VALUE} unless a change is settling. Without edge wake-ups it asks for a
 * sample every {@code samplePeriodNs}. Allocates nothing per poll.
 */
public final class GpioButtons implements Buttons {

    private final DigitalInput[] inputs = new DigitalInput[COUNT];
    private final boolean activeLow;
    private final Debouncer debouncer;
    private final long samplePeriodNs;
    private final int available;
    private boolean edgeWakeups;
    private boolean sampled;
    private long lastSampleNs;

    /**
     * @param byButton the input of each button, indexed by bit number (0 UP, 1 DOWN, 2 LEFT,
     *        3 RIGHT, 4 SELECT); {@code null} entries are buttons that are not wired; length ≤ 5
     * @param activeLow whether a low level means pressed
     * @param debounceNs how long a change must last, >= 0
     * @param samplePeriodNs the sample period without edge wake-ups, > 0
     */
    public GpioButtons(DigitalInput[] byButton, boolean activeLow, long debounceNs, long samplePeriodNs) {
        if (byButton.length > COUNT) {
            throw new IllegalArgumentException("at most " + COUNT + " buttons, not " + byButton.length);
        }
        if (samplePeriodNs <= 0) {
            throw new IllegalArgumentException("button sample period must be > 0 ns, not " + samplePeriodNs);
        }
        int a = 0;
        for (int i = 0; i < byButton.length; i++) {
            inputs[i] = byButton[i];
            if (byButton[i] != null) {
                a |= 1 << i;
            }
        }
        if (a == 0) {
            throw new IllegalArgumentException("no button input given");
        }
        this.available = a;
        this.activeLow = activeLow;
        this.debouncer = new Debouncer(debounceNs);
        this.samplePeriodNs = samplePeriodNs;
    }

    /**
     * Registers {@code wakeup} (one long-lived object, it only signals the loop) on both edges of
     * every button input, so the loop need not sample idle buttons.
     */
    public void wakeOnEdges(Runnable wakeup) {
        for (int i = 0; i < COUNT; i++) {
            if (inputs[i] != null) {
                inputs[i].onEdge(DigitalInput.Edge.BOTH, wakeup);
            }
        }
        edgeWakeups = wakeup != null;
    }

    @Override
    public int poll(long nowNs) {
        sampled = true;
        lastSampleNs = nowNs;
        int raw = 0;
        for (int i = 0; i < COUNT; i++) {
            DigitalInput in = inputs[i];
            if (in != null && in.isHigh() != activeLow) {
                raw |= 1 << i;
            }
        }
        return debouncer.update(raw, nowNs);
    }

    @Override
    public long pollAtNs(long nowNs) {
        long settle = debouncer.settleAtNs();
        if (edgeWakeups) {
            return settle;
        }
        long next = sampled ? lastSampleNs + samplePeriodNs : nowNs;
        return settle != Long.MAX_VALUE && settle - next < 0 ? settle : next;
    }

    @Override
    public int held() {
        return debouncer.held();
    }

    @Override
    public int pressedEdges() {
        return debouncer.pressedEdges();
    }

    @Override
    public int releasedEdges() {
        return debouncer.releasedEdges();
    }

    @Override
    public int available() {
        return available;
    }

    @Override
    public void listener(Listener listener) {
        debouncer.listener(listener);
    }
}
