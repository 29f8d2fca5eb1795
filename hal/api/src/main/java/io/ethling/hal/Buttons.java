package io.ethling.hal;

/**
 * A small set of push buttons (the LCD plate's five, or GPIO buttons beside the display), read by
 * polling: {@link #poll(long)} samples and debounces them and returns the mask of buttons held,
 * one bit per button ({@link #UP}, {@link #DOWN}, {@link #LEFT}, {@link #RIGHT}, {@link #SELECT}).
 *
 * <p>Edges of the last poll are kept ({@link #pressedEdges()}, {@link #releasedEdges()}) and are
 * also delivered to one long-lived {@link Listener}, created once (never a lambda made per call),
 * on the loop's thread inside {@code poll}. Nothing allocates per poll.
 */
public interface Buttons {

    /** Button bit: up. */
    int UP = 1;
    /** Button bit: down. */
    int DOWN = 1 << 1;
    /** Button bit: left. */
    int LEFT = 1 << 2;
    /** Button bit: right. */
    int RIGHT = 1 << 3;
    /** Button bit: select (the one that fetches). */
    int SELECT = 1 << 4;
    /** Every button bit. */
    int ALL = UP | DOWN | LEFT | RIGHT | SELECT;
    /** How many button bits there are. */
    int COUNT = 5;

    /** {@link #poll} could not read the buttons (bus failure); the previous state is kept. */
    int ERR_IO = -1;

    /** Receives debounced edges; runs on the thread that calls {@link #poll}. */
    interface Listener {
        /** {@code button} (one bit) went down ({@code pressed}) or up at {@code nowNs}. */
        void onButton(int button, boolean pressed, long nowNs);
    }

    /**
     * Samples the buttons at {@code nowNs}, debounces, updates the edges and calls the listener.
     *
     * @return the debounced mask of buttons held (0 when none), or {@link #ERR_IO}
     */
    int poll(long nowNs);

    /**
     * The latest instant by which {@link #poll} wants to run again (the end of a debounce
     * interval, or the next sample of a polled expander), or {@link Long#MAX_VALUE} when only an
     * edge wake-up can bring news.
     */
    long pollAtNs(long nowNs);

    /** The debounced mask of buttons held, as of the last poll. */
    int held();

    /** The buttons that went down during the last poll. */
    int pressedEdges();

    /** The buttons that went up during the last poll. */
    int releasedEdges();

    /** Which buttons exist on this hardware (a board may wire fewer than five). */
    int available();

    /** Sets the one listener, replacing any earlier one; {@code null} removes it. */
    void listener(Listener listener);

    /** The name of one button bit ("UP" … "SELECT"), for logs and tests (cold path). */
    static String name(int button) {
        return switch (button) {
            case UP -> "UP";
            case DOWN -> "DOWN";
            case LEFT -> "LEFT";
            case RIGHT -> "RIGHT";
            case SELECT -> "SELECT";
            default -> throw new IllegalArgumentException("not a single button bit: " + button);
        };
    }
}
