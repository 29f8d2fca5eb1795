package io.ethling.hal;

/**
 * The plain {@link Counters} implementation: one {@code long[]} of values and the names given at
 * construction. Owners define their indices as {@code static final int} constants and bump them
 * with {@link #inc(int)}, which costs an array store and never allocates.
 */
public final class CounterSet implements Counters {

    private final String[] names;
    private final long[] values;

    /** @param names one per counter, in index order; copied */
    public CounterSet(String... names) {
        this.names = names.clone();
        this.values = new long[names.length];
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public String name(int index) {
        return names[index];
    }

    @Override
    public long value(int index) {
        return values[index];
    }

    /** Adds one to counter {@code index}. */
    public void inc(int index) {
        values[index]++;
    }

    /** Adds {@code delta} to counter {@code index}. */
    public void add(int index, long delta) {
        values[index] += delta;
    }

    /** Sets every counter to zero (tests and benchmarks only). */
    public void reset() {
        java.util.Arrays.fill(values, 0L);
    }

    /** Appends {@code name=value} lines for every counter (cold path). */
    public static StringBuilder appendTo(Counters counters, StringBuilder out, String prefix) {
        for (int i = 0; i < counters.size(); i++) {
            out.append(prefix).append(counters.name(i)).append('=').append(counters.value(i)).append('\n');
        }
        return out;
    }
}
