package io.ethling.hal.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Driver misuse the emulator noticed: each a readable line. In strict mode recording also throws
 * {@link IllegalStateException}, so a driver test fails at the offending transaction.
 */
public final class Misuse {

    /** Lines kept; beyond this only the count grows (a looping driver must not exhaust memory). */
    static final int MAX_LINES = 1000;

    private final boolean strict;
    private final List<String> lines = new ArrayList<>();
    private int count;

    Misuse(boolean strict) {
        this.strict = strict;
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

    /** Whether any recorded line contains {@code text} (test convenience). */
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
            throw new IllegalStateException("ENC28J60 misuse: " + line);
        }
    }

    @Override
    public String toString() {
        return "Misuse" + lines;
    }
}
