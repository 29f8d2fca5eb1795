package io.ethling.hal.emulator.lcd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Protocol misuse an LCD emulator noticed (a command before the 4-bit initialisation, a data write
 * while the controller is still in 8-bit mode, a write while the controller is busy, expander pins
 * left as inputs): each a readable line. In strict mode, the default, recording also throws
 * {@link IllegalStateException}, so a driver test fails at the offending I2C transaction.
 */
public final class LcdMisuse {

    /** Lines kept; beyond this only the count grows. */
    static final int MAX_LINES = 200;

    private final boolean strict;
    private final List<String> lines = new ArrayList<>();
    private int count;

    LcdMisuse(boolean strict) {
        this.strict = strict;
    }

    /** Whether recording throws. */
    public boolean strict() {
        return strict;
    }

    /** How many misuses were recorded since the last {@link #clear()}. */
    public int count() {
        return count;
    }

    /** The recorded lines (at most {@value #MAX_LINES}), oldest first; unmodifiable view. */
    public List<String> lines() {
        return Collections.unmodifiableList(lines);
    }

    /** Forgets everything recorded. */
    public void clear() {
        lines.clear();
        count = 0;
    }

    /** Whether any recorded line contains {@code text}. */
    public boolean contains(String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return true;
            }
        }
        return false;
    }

    void record(String line) {
        count++;
        if (lines.size() < MAX_LINES) {
            lines.add(line);
        }
        if (strict) {
            throw new IllegalStateException("LCD misuse: " + line);
        }
    }

    @Override
    public String toString() {
        return "LcdMisuse" + lines;
    }
}
