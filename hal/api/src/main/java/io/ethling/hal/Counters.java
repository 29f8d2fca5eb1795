package io.ethling.hal;

/**
 * A fixed set of named, monotonically increasing counters (frames, drops by reason, errors,
 * recoveries). Reading never allocates: names are created once when the owner is built, and
 * values are read by index. Every drop, error and recovery a device or layer can make has its own
 * counter, so nothing is lost silently.
 */
public interface Counters {

    /** How many counters there are; indices run from 0 to {@code size() - 1}. */
    int size();

    /** The stable, dotted name of counter {@code index}, e.g. {@code "rx.drop.crc"}. */
    String name(int index);

    /** The current value of counter {@code index}. */
    long value(int index);

    /** The value of the counter with this name, or -1 if there is none (a cold-path lookup). */
    default long value(String name) {
        for (int i = 0; i < size(); i++) {
            if (name(i).equals(name)) {
                return value(i);
            }
        }
        return -1;
    }
}
