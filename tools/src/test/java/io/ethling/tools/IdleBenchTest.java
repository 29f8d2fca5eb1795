package io.ethling.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The idle board's loop (emulated ENC28J60, stack, user-mode network, DHCP bound) uses under 1 %
 * of a core: 10 s of real time here (issue 6 acceptance; {@code ethling bench idle} measures
 * 60 s for the README). The loop must also really run — the driver's supervisor wakes it about
 * once a second — and allocate nothing per wake-up.
 */
class IdleBenchTest {

    private static final long SEED = 11;

    @Test
    void idleLoopStaysUnderOnePercentOfACore() throws Exception {
        IdleBench.Result r = IdleBench.measure(10, 1, SEED);
        String figures = String.format(Locale.ROOT,
                "seed %d: %.1f s idle, loop CPU %.2f ms (%.3f %%), process CPU %.1f ms (%.3f %%), %d wake-ups, %d B allocated",
                SEED, r.seconds(), r.loopCpuNs() / 1e6, r.loopPercent(), r.processCpuNs() / 1e6, r.processPercent(),
                r.wakeups(), r.allocatedBytes());
        System.out.println(figures);
        assertTrue(r.seconds() >= 10 && r.seconds() < 11, figures);
        assertTrue(r.loopPercent() < 1.0, "idle loop above 1 % of a core: " + figures);
        // the loop ran: the supervisor checks the chip every second (Enc28j60Config)
        assertTrue(r.wakeups() >= 8, "the loop did not wake up: " + figures);
        // and it did not spin: a busy loop wakes thousands of times a second
        assertTrue(r.wakeupsPerSecond() < 100, "the loop wakes too often: " + figures);
        // an object per wake-up is at least 16 bytes; a few bytes once from the JIT are allowed
        assertTrue(r.allocatedBytes() < 16 * r.wakeups(), "the idle loop allocates: " + figures);
    }

    @Test
    void badSecondsIsOneLineExit2() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ethling.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("bench", "idle", "--seconds", "0.5");
        assertEquals(2, code);
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("--seconds 0.5"), err.toString());
    }
}
