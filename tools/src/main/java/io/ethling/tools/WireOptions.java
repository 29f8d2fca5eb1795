package io.ethling.tools;

import io.ethling.hal.emulator.WireFaults;
import picocli.CommandLine.Option;

/** The seeded fault-injection options every network command shares (DESIGN.md). */
public final class WireOptions {

    @Option(names = "--drop", paramLabel = "P", description = "drop P %% of frames on the wire (default ${DEFAULT-VALUE})")
    double drop;

    @Option(names = "--corrupt", paramLabel = "P", description = "flip a bit in P %% of frames (default ${DEFAULT-VALUE})")
    double corrupt;

    @Option(names = "--duplicate", paramLabel = "P", description = "duplicate P %% of frames (default ${DEFAULT-VALUE})")
    double duplicate;

    @Option(names = "--reorder", paramLabel = "P", description = "hold back P %% of frames behind later ones (default ${DEFAULT-VALUE})")
    double reorder;

    @Option(names = "--delay", paramLabel = "MS", description = "one-way delay in milliseconds (default ${DEFAULT-VALUE})")
    double delayMs;

    @Option(names = "--seed", paramLabel = "N", description = "seed for the wire's faults (default 1) and, when given, for the stack's randomness too")
    Long seed;

    /** The seed for the wire's faults. */
    public long seed() {
        return seed == null ? 1 : seed;
    }

    /** Whether --seed was given (then the stack's randomness is seeded with it too, for a reproducible run). */
    public boolean seedGiven() {
        return seed != null;
    }

    /** Validates and converts to the emulator's wire faults; one clear line on a bad value. */
    public WireFaults faults() {
        percent("--drop", drop);
        percent("--corrupt", corrupt);
        percent("--duplicate", duplicate);
        percent("--reorder", reorder);
        if (!(delayMs >= 0) || delayMs > 60_000) {
            throw new IllegalArgumentException("--delay " + delayMs + ": must be 0..60000 ms");
        }
        return WireFaults.none().drop(drop).corrupt(corrupt).duplicate(duplicate).reorder(reorder)
                .delayNanos((long) (delayMs * 1_000_000L));
    }

    private static void percent(String name, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(name + " " + value + ": must be a percentage from 0 to 100");
        }
    }

    /** Whether any fault that loses or damages frames is on. */
    public boolean anyLoss() {
        return drop > 0 || corrupt > 0 || duplicate > 0 || reorder > 0;
    }
}
