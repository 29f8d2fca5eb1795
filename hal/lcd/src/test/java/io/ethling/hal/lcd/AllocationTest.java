package io.ethling.hal.lcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.ethling.hal.Buttons;
import io.ethling.hal.DigitalInput;
import io.ethling.hal.emulator.lcd.VirtualButton;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Zero bytes per character written and per button poll after warm-up, driver and emulator
 * together, read from the JVM's per-thread allocation counter. The JIT may allocate a few bytes
 * once while compiling, so several rounds are measured and one clean round is required; a real
 * per-iteration allocation fails every round.
 */
class AllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int ROUNDS = 8;
    private static final int ITERATIONS = 2_000;

    private final String[] titles = {"Example Domain", "Ethling status", "404 Not Found", "DNS..."};
    private final byte[] line = "scrolling text of a page body that is longer than sixteen".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final int[] sink = new int[1];

    @Test
    void characterWritesAllocateNothing() {
        for (Rig.Kind kind : Rig.Kind.values()) {
            Rig r = new Rig(kind);
            r.lcd.init();
            long[] perRound = measure(() -> {
                for (int i = 0; i < ITERATIONS; i++) {
                    r.lcd.printRow(0, titles[i & 3]);
                    r.lcd.printRow(1, line, i % 40, 16); // a scrolling line: most cells change
                    r.lcd.setCursor(i & 15, 1);
                    r.lcd.write(line, 0, 3);
                }
            });
            requireACleanRound(kind + " printRow/write", perRound);
            assertEquals(0, r.misuse().count());
        }
    }

    @Test
    void buttonPollsAllocateNothing() {
        Rig r = new Rig(Rig.Kind.PLATE);
        r.lcd.init();
        Mcp23017Plate plate = (Mcp23017Plate) r.bus;
        Buttons.Listener counting = (button, pressed, nowNs) -> sink[0]++;
        plate.listener(counting);
        VirtualButton select = new VirtualButton();
        GpioButtons gpio = new GpioButtons(new DigitalInput[] {null, null, null, null, select}, true, 20_000_000L, 10_000_000L);
        gpio.listener(counting);
        long[] t = {0};
        long[] perRound = measure(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                t[0] += 5_000_000L;
                boolean press = (i & 16) != 0;
                r.mcp.buttons(press ? Buttons.SELECT | Buttons.UP : 0);
                select.set(press);
                sink[0] += plate.poll(t[0]);
                sink[0] += gpio.poll(t[0]);
                sink[0] += (int) (plate.pollAtNs(t[0]) + gpio.pollAtNs(t[0]));
            }
        });
        requireACleanRound("button polls", perRound);
    }

    private static long[] measure(Runnable work) {
        work.run(); // warm-up
        work.run();
        long[] perRound = new long[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            work.run();
            perRound[round] = THREADS.getCurrentThreadAllocatedBytes() - before;
        }
        return perRound;
    }

    private static void requireACleanRound(String what, long[] perRound) {
        for (long bytes : perRound) {
            if (bytes == 0) {
                return;
            }
        }
        fail(what + ": no round without allocation, bytes per round " + java.util.Arrays.toString(perRound));
    }
}
