package io.ethling.hal.emulator;

import io.ethling.hal.Clock;

/**
 * Virtual time for tests and the desktop: time moves only when someone advances it, so a 2 ms
 * reset wait or a 10.24 µs MII operation costs no real time. Single-threaded, like the loop.
 */
public final class VirtualClock implements Clock {

    private long now;

    /** A clock that starts at instant 0. */
    public VirtualClock() {
        this(0L);
    }

    /** A clock that starts at {@code startNs}. */
    public VirtualClock(long startNs) {
        this.now = startNs;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** Advances time by {@code ns}; {@code ns <= 0} is a no-op. */
    @Override
    public void sleepNanos(long ns) {
        advanceNanos(ns);
    }

    /** Advances time by {@code ns}; {@code ns <= 0} is a no-op. */
    public void advanceNanos(long ns) {
        if (ns > 0) {
            now += ns;
        }
    }

    /** Moves time forward to {@code instantNs}; a no-op if that instant is not in the future. */
    public void advanceTo(long instantNs) {
        if (instantNs - now > 0) {
            now = instantNs;
        }
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now + " ns]";
    }
}
