package io.ethling.hal.lcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ethling.hal.Buttons;
import io.ethling.hal.DigitalInput;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.lcd.VirtualButton;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Debounce by time of GPIO buttons on a virtual clock. */
class GpioButtonsTest {

    private static final long MS = 1_000_000L;
    private static final long DEBOUNCE = 20 * MS;

    private final VirtualClock clock = new VirtualClock();
    private final VirtualButton up = new VirtualButton();
    private final VirtualButton down = new VirtualButton();
    private final VirtualButton select = new VirtualButton();
    private final GpioButtons buttons = new GpioButtons(new DigitalInput[] {up, down, null, null, select}, true, DEBOUNCE, 10 * MS);
    private final List<String> events = new ArrayList<>();
    private static final Runnable NOTHING = () -> { };

    GpioButtonsTest() {
        buttons.listener((button, pressed, nowNs) -> events.add(Buttons.name(button) + (pressed ? " down @" : " up @") + nowNs / MS));
    }

    private void pollAt(long ms) {
        clock.advanceTo(ms * MS);
        buttons.poll(clock.nanoTime());
    }

    @Test
    void aBouncingPressCountsOnceAfterItSettles() {
        // contacts bounce every millisecond for 5 ms, then stay closed
        for (int i = 0; i < 6; i++) {
            select.set(i % 2 == 0);
            pollAt(i);
        }
        assertEquals(List.of(), events);
        assertEquals(0, buttons.held());
        select.press();
        pollAt(6);
        assertEquals(16 * MS, buttons.pollAtNs(clock.nanoTime()), "the next periodic sample comes first");
        buttons.wakeOnEdges(NOTHING);
        assertEquals(26 * MS, buttons.pollAtNs(clock.nanoTime()), "with edge wake-ups: when it settles, 20 ms after the last change");
        pollAt(25);
        assertEquals(0, buttons.held());
        pollAt(26);
        assertEquals(Buttons.SELECT, buttons.held());
        assertEquals(Buttons.SELECT, buttons.pressedEdges());
        assertEquals(List.of("SELECT down @26"), events);
        pollAt(27);
        assertEquals(0, buttons.pressedEdges(), "an edge is reported once");
        // release, with bounce
        select.release();
        pollAt(100);
        select.press();
        pollAt(101);
        select.release();
        pollAt(102);
        pollAt(121);
        assertEquals(Buttons.SELECT, buttons.held());
        pollAt(122);
        assertEquals(0, buttons.held());
        assertEquals(Buttons.SELECT, buttons.releasedEdges());
        assertEquals(List.of("SELECT down @26", "SELECT up @122"), events);
    }

    @Test
    void aGlitchShorterThanTheDebounceTimeIsIgnored() {
        up.press();
        pollAt(0);
        up.release();
        pollAt(19);
        pollAt(60);
        assertEquals(List.of(), events);
    }

    @Test
    void buttonsDebounceIndependently() {
        up.press();
        pollAt(0);
        down.press();
        pollAt(10);
        pollAt(20);
        assertEquals(Buttons.UP, buttons.held());
        pollAt(30);
        assertEquals(Buttons.UP | Buttons.DOWN, buttons.held());
        assertEquals(Buttons.UP | Buttons.DOWN | Buttons.SELECT, buttons.available());
    }

    @Test
    void edgeWakeupsMakeIdlePollingUnnecessary() {
        int[] wakes = {0};
        Runnable wake = () -> wakes[0]++;
        assertEquals(0, buttons.pollAtNs(0), "never sampled: sample now");
        pollAt(0);
        assertEquals(10 * MS, buttons.pollAtNs(0), "no edge wake-ups: sample every period");
        buttons.wakeOnEdges(wake);
        assertEquals(Long.MAX_VALUE, buttons.pollAtNs(0));
        select.press();
        assertEquals(1, wakes[0]);
        pollAt(1);
        assertEquals(21 * MS, buttons.pollAtNs(1 * MS));
        pollAt(21);
        assertEquals(Long.MAX_VALUE, buttons.pollAtNs(21 * MS));
        select.release();
        assertEquals(2, wakes[0]);
    }

    @Test
    void activeHighButtons() {
        VirtualButton b = new VirtualButton(false);
        GpioButtons g = new GpioButtons(new DigitalInput[] {b}, false, 0, MS);
        assertEquals(0, g.poll(0));
        b.press();
        assertEquals(Buttons.UP, g.poll(1));
    }

    @Test
    void randomBounceNeverGivesMoreEdgesThanStablePresses() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        long t = 0;
        int presses = 0;
        for (int i = 0; i < 200; i++) {
            // bounce for up to 8 ms at 1 ms steps, then hold 30 ms pressed, then bounce and release 30 ms
            for (int k = rnd.nextInt(8); k > 0; k--) {
                select.set(rnd.nextBoolean());
                pollAt(++t);
            }
            select.press();
            for (int k = 0; k < 30; k++) {
                pollAt(++t);
            }
            presses++;
            for (int k = rnd.nextInt(8); k > 0; k--) {
                select.set(rnd.nextBoolean());
                pollAt(++t);
            }
            select.release();
            for (int k = 0; k < 30; k++) {
                pollAt(++t);
            }
        }
        long downs = events.stream().filter(e -> e.contains("down")).count();
        assertEquals(presses, downs, "seed " + seed);
        assertEquals(presses, events.size() - downs, "seed " + seed);
    }

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GpioButtons(new DigitalInput[6], true, 0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GpioButtons(new DigitalInput[] {up}, true, -1, 1));
        assertEquals("debounce time must be >= 0 ns, not -1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GpioButtons(new DigitalInput[5], true, 0, 1));
    }
}
