package io.ethling.hal.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Driver misuse an emulated device noticed (the ENC28J60, the LCD expanders): each a readable
 * line. In strict mode recording also throws {@link IllegalStateException}, so a driver test fails
 * at the offending transaction.
 */
public final class Misuse {

    /** Lines the ENC28J60 keeps; beyond the cap only the count grows (a looping driver must not exhaust memory). */
    static final int MAX_LINES = 1000;

    private final String device;
    private final boolean strict;
    private final int maxLines;
    private final List<String> lines = new ArrayList<>();
    private int count;

    Misuse(boolean strict) {
        this("ENC28J60", strict, MAX_LINES);
    }

    /** For an emulated {@code device} (named in the exception), keeping at most {@code maxLines} lines. */
    public Misuse(String device, boolean strict, int maxLines) {
        this.device = device;
        this.strict = strict;
        this.maxLines = maxLines;
    }

    /** Whether recording throws. */
    public boolean strict() {
        return strict;
    }

    /** How many misuses were recorded since the last {@link #clear()}. */
    public int count() {
        return count;
    }

    /** The recorded lines (at most the cap), oldest first; unmodifiable view. */
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

    /** Records one misuse (called by the emulators; tests read it). */
    public void record(String line) {
        count++;
        if (lines.size() < maxLines) {
            lines.add(line);
        }
        if (strict) {
            throw new IllegalStateException(device + " misuse: " + line);
        }
    }

    @Override
    public String toString() {
        return "Misuse" + lines;
    }
}
