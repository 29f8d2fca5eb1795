package io.ethling.hal.lcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ethling.hal.Buttons;
import io.ethling.hal.CharacterDisplay;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.lcd.Mcp23017LcdEmulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plate's buttons and register setup against the MCP23017 emulator. */
class Mcp23017PlateTest {

    private static final long MS = 1_000_000L;

    private final VirtualClock clock = new VirtualClock();
    private final Mcp23017LcdEmulator emu = new Mcp23017LcdEmulator(clock);
    private final Mcp23017Plate plate = new Mcp23017Plate(emu);
    private final Hd44780 lcd = new Hd44780(plate, clock);

    @Test
    void eachButtonReadsAsPressedWhenTheTestPressesIt() {
        assertEquals(CharacterDisplay.OK, lcd.init());
        int[] buttons = {Buttons.UP, Buttons.DOWN, Buttons.LEFT, Buttons.RIGHT, Buttons.SELECT};
        long t = 1000 * MS;
        for (int b : buttons) {
            emu.buttons(b);
            plate.poll(t);
            t += 25 * MS;
            assertEquals(b, plate.poll(t), Buttons.name(b));
            assertEquals(b, plate.pressedEdges(), Buttons.name(b));
            emu.buttons(0);
            plate.poll(t += 1 * MS);
            assertEquals(0, plate.poll(t += 25 * MS), Buttons.name(b) + " released");
            assertEquals(b, plate.releasedEdges());
        }
        emu.buttons(Buttons.UP | Buttons.SELECT);
        plate.poll(t);
        assertEquals(Buttons.UP | Buttons.SELECT, plate.poll(t + 20 * MS));
    }

    @Test
    void aPressShorterThanTheDebounceTimeIsIgnored() {
        lcd.init();
        List<String> events = new ArrayList<>();
        plate.listener((button, pressed, nowNs) -> events.add(Buttons.name(button) + (pressed ? " down" : " up")));
        emu.press(Buttons.SELECT);
        plate.poll(0);
        emu.release(Buttons.SELECT);
        plate.poll(5 * MS);
        plate.poll(30 * MS);
        assertEquals(0, plate.held());
        assertTrue(events.isEmpty(), events.toString());
        emu.press(Buttons.SELECT);
        plate.poll(40 * MS);
        assertEquals(40 * MS + Mcp23017Plate.DEFAULT_DEBOUNCE_NS, plate.pollAtNs(40 * MS), "the settle time comes before the next sample");
        plate.poll(60 * MS);
        assertEquals(List.of("SELECT down"), events);
    }

    @Test
    void pollAtAsksForASampleEveryPeriod() {
        assertEquals(7L, plate.pollAtNs(7L), "never sampled: now");
        plate.poll(100 * MS);
        assertEquals(100 * MS + Mcp23017Plate.DEFAULT_SAMPLE_PERIOD_NS, plate.pollAtNs(101 * MS));
    }

    @Test
    void aChipLeftInBank1IsBroughtBack() {
        emu.leaveInBank1();
        assertEquals(CharacterDisplay.OK, lcd.init());
        lcd.printRow(0, "bank 0 again");
        assertEquals("bank 0 again    ", emu.row(0));
        assertEquals(0, emu.register(Mcp23017LcdEmulator.IOCON));
    }

    @Test
    void registersAfterReset() {
        lcd.init();
        assertEquals(0x1F, emu.register(Mcp23017LcdEmulator.IODIRA));
        assertEquals(0x00, emu.register(Mcp23017LcdEmulator.IODIRB));
        assertEquals(0x1F, emu.register(Mcp23017LcdEmulator.GPPUA));
        assertEquals(0xFFFFFF, emu.backlightColour());
    }

    @Test
    void aFailedSampleKeepsTheStateAndReportsIo() {
        lcd.init();
        emu.press(Buttons.DOWN);
        plate.poll(0);
        plate.poll(30 * MS);
        emu.connected(false);
        assertEquals(Buttons.ERR_IO, plate.poll(40 * MS));
        assertEquals(Buttons.DOWN, plate.held());
        assertEquals(0, plate.pressedEdges());
        assertEquals(1, plate.counters().value("i2c.err.io"));
    }
}
