package io.ethling.hal;

import java.util.concurrent.locks.LockSupport;

/**
 * Monotonic time in nanoseconds, and a way to wait on it.
 *
 * <p>Nothing in Ethling reads a wall clock: the board uses {@link #SYSTEM}, the desktop emulator
 * and the tests use a virtual clock that jumps to the next event, so a 2 ms reset wait or a
 * 2-hour lease costs no real time. Compare instants by subtraction ({@code deadline - now < 0}),
 * which survives wrap-around.
 */
public interface Clock {

    /** The current instant in nanoseconds; only differences mean anything. */
    long nanoTime();

    /**
     * Waits at least {@code ns} nanoseconds. Only for short, bounded waits that a procedure
     * requires (the ENC28J60's 1 ms after a soft reset, an MII operation's 10.24 µs); the poll
     * loop never sleeps through this. A virtual clock simply advances.
     */
    void sleepNanos(long ns);

    /** The JVM's monotonic clock ({@link System#nanoTime()}); sleeps park the thread. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long ns) {
            final long deadline = System.nanoTime() + ns;
            long left = ns;
            while (left > 0) {
                LockSupport.parkNanos(left);
                left = deadline - System.nanoTime();
            }
        }

        @Override
        public String toString() {
            return "Clock.SYSTEM";
        }
    };
}
