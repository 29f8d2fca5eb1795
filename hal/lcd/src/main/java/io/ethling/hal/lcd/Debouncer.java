package io.ethling.hal.lcd;

import io.ethling.hal.Buttons;

/**
 * Debounce by time, one button at a time: a change of a raw sample counts only once it has stayed
 * the same for {@code debounceNs} (contacts bounce for a few ms; 20 ms is the usual figure). The
 * debounced state, the edges of the last update and the listener live here, shared by
 * {@link GpioButtons} and {@link Mcp23017Plate}. Allocates nothing.
 */
final class Debouncer {

    private final long debounceNs;
    private final long[] rawSinceNs = new long[Buttons.COUNT];
    private int raw;
    private int held;
    private int pressedEdges;
    private int releasedEdges;
    private Buttons.Listener listener;

    Debouncer(long debounceNs) {
        if (debounceNs < 0) {
            throw new IllegalArgumentException("debounce time must be >= 0 ns, not " + debounceNs);
        }
        this.debounceNs = debounceNs;
    }

    /** Feeds a raw sample (a mask of buttons that read pressed now); returns the debounced mask. */
    int update(int rawMask, long nowNs) {
        pressedEdges = 0;
        releasedEdges = 0;
        int changed = rawMask ^ raw;
        raw = rawMask;
        for (int i = 0; i < Buttons.COUNT; i++) {
            int bit = 1 << i;
            if ((changed & bit) != 0) {
                rawSinceNs[i] = nowNs;
            }
            if (((raw ^ held) & bit) != 0 && nowNs - rawSinceNs[i] >= debounceNs) {
                held ^= bit;
                if ((held & bit) != 0) {
                    pressedEdges |= bit;
                } else {
                    releasedEdges |= bit;
                }
            }
        }
        Buttons.Listener l = listener;
        if (l != null && (pressedEdges | releasedEdges) != 0) {
            for (int i = 0; i < Buttons.COUNT; i++) {
                int bit = 1 << i;
                if (((pressedEdges | releasedEdges) & bit) != 0) {
                    l.onButton(bit, (pressedEdges & bit) != 0, nowNs);
                }
            }
        }
        return held;
    }

    /** Marks a failed sample: no edges this time, the state is kept. */
    void noSample() {
        pressedEdges = 0;
        releasedEdges = 0;
    }

    /** When a pending change becomes stable, or {@link Long#MAX_VALUE} when none is pending. */
    long settleAtNs() {
        int pending = raw ^ held;
        long at = Long.MAX_VALUE;
        boolean any = false;
        for (int i = 0; i < Buttons.COUNT; i++) {
            if ((pending & 1 << i) != 0) {
                long t = rawSinceNs[i] + debounceNs;
                if (!any || t - at < 0) {
                    at = t;
                    any = true;
                }
            }
        }
        return at;
    }

    int held() {
        return held;
    }

    int pressedEdges() {
        return pressedEdges;
    }

    int releasedEdges() {
        return releasedEdges;
    }

    void listener(Buttons.Listener listener) {
        this.listener = listener;
    }
}
