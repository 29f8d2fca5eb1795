package io.ethling.firmware;

import io.ethling.hal.Buttons;
import io.ethling.hal.CharacterDisplay;
import io.ethling.hal.Clock;
import io.ethling.stack.Host;
import io.ethling.stack.http.HttpClient;

import java.util.concurrent.locks.LockSupport;

/**
 * The board's single thread (DESIGN.md "The loop"): poll the {@link Host}, the {@link HttpClient},
 * the {@link StatusPage}, the {@link Buttons} (when due) and the {@link FetchApp}'s timers; then
 * sleep until the earliest deadline any of them names, or until {@link #wakeup()} runs — the
 * ENC28J60's INT pin or a button's GPIO edge ({@link io.ethling.hal.DigitalInput#onEdge}) —
 * never a busy loop. Any part may be null (a headless board has no display or buttons, a serve
 * loop no app).
 *
 * <p>{@link #step(long)} is one pass, for loops that own their time (the desktop's Session, tests
 * on a virtual clock); {@link #run} is the board's own loop on a real clock. Allocation-free.
 */
public final class BoardLoop {

    /** The longest sleep without a deadline (a safety net; the wake-ups do the real work). */
    public static final long MAX_SLEEP_NS = 1_000_000_000L;
    /** Passes in a row that did work before the loop yields once (a flood cannot starve the rest). */
    private static final int MAX_BUSY_PASSES = 64;

    private final Clock clock;
    private final Host host;
    private final HttpClient client;
    private final StatusPage statusPage;
    private final Buttons buttons;
    private final FetchApp app;
    private final Runnable wakeup;
    private volatile Thread thread;
    private volatile boolean woken;
    private volatile boolean stopped;
    private long passes;
    private long sleeps;

    public BoardLoop(Clock clock, Host host, HttpClient client, StatusPage statusPage, Buttons buttons, FetchApp app) {
        if (clock == null || host == null) {
            throw new IllegalArgumentException("BoardLoop needs a clock and a host");
        }
        this.clock = clock;
        this.host = host;
        this.client = client;
        this.statusPage = statusPage;
        this.buttons = buttons;
        this.app = app;
        this.wakeup = new Runnable() {
            @Override
            public void run() {
                woken = true;
                Thread t = thread;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        };
        if (buttons != null && app != null) {
            buttons.listener(app);
        }
    }

    /** The one wake-up to register on the INT pin and the button inputs (only signals; any thread). */
    public Runnable wakeup() {
        return wakeup;
    }

    /** Ends {@link #run} after its current pass (any thread). */
    public void stop() {
        stopped = true;
        wakeup.run();
    }

    /** One pass. @return the work done (0: nothing happened) */
    public int step(long nowNs) {
        passes++;
        boolean wasWoken = woken;                    // an edge: the buttons may have news (an INT needs no flag:
        woken = false;                               // the host's poll reads the chip anyway)
        int work = host.poll(nowNs);
        if (client != null && client.poll(nowNs) > 0) {
            work++;
            work += host.poll(nowNs);               // send what the client queued at once
        }
        if (statusPage != null && statusPage.poll(nowNs) > 0) {
            work++;
            work += host.poll(nowNs);
        }
        if (buttons != null && (wasWoken || buttons.pollAtNs(nowNs) - nowNs <= 0)) {
            if (buttons.poll(nowNs) > 0 && buttons.pressedEdges() != 0) {
                work++;                              // the app ran in the listener; its fetch may have begun
                work += host.poll(nowNs);
            }
        }
        if (app != null) {
            work += app.poll(nowNs);
        }
        return work;
    }

    /** The earliest instant any part wants to run again. */
    public long nextDeadlineNs(long nowNs) {
        long at = host.pollAtNs(nowNs);
        if (client != null) {
            at = earlier(at, client.pollAtNs(nowNs), nowNs);
        }
        if (statusPage != null) {
            at = earlier(at, statusPage.pollAtNs(nowNs), nowNs);
        }
        if (buttons != null) {
            at = earlier(at, buttons.pollAtNs(nowNs), nowNs);
        }
        if (app != null) {
            at = earlier(at, app.pollAtNs(nowNs), nowNs);
        }
        return at;
    }

    /** Deadlines are compared by subtraction; Long.MAX_VALUE means "none" and loses to any other. */
    private static long earlier(long a, long b, long nowNs) {
        if (a == Long.MAX_VALUE) {
            return b;
        }
        if (b == Long.MAX_VALUE) {
            return a;
        }
        return b - a < 0 ? b : a;
    }

    /** Runs on the calling thread until {@link #stop()}: poll, then park until the deadline or a wake-up. */
    public void run() {
        thread = Thread.currentThread();
        int busy = 0;
        while (!stopped) {
            long now = clock.nanoTime();
            int work = step(now);
            if (work > 0 && ++busy < MAX_BUSY_PASSES) {
                continue;                            // more may be waiting (frames in the chip, a reply queued)
            }
            busy = 0;
            long next = nextDeadlineNs(now);
            long wait = next == Long.MAX_VALUE ? MAX_SLEEP_NS : Math.min(MAX_SLEEP_NS, next - clock.nanoTime());
            if (wait > 0 && !woken && !stopped) {
                sleeps++;
                LockSupport.parkNanos(this, wait);
            }
        }
        thread = null;
    }

    /** Passes so far (for the idle-CPU figure). */
    public long passes() {
        return passes;
    }

    /** Sleeps so far. */
    public long sleeps() {
        return sleeps;
    }

    /** Draws a one-line message on row 0 of {@code lcd} (start-up, fatal errors), ignoring bus errors. */
    public static void message(CharacterDisplay lcd, String row0, String row1) {
        if (lcd != null) {
            lcd.printRow(0, row0);
            lcd.printRow(1, row1);
        }
    }
}
