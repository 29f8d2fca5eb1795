package io.ethling.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ethling.hal.Buttons;
import io.ethling.hal.CharacterDisplay;
import io.ethling.hal.DigitalInput;
import io.ethling.hal.I2cDevice;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.lcd.Mcp23017LcdEmulator;
import io.ethling.hal.emulator.lcd.Pcf8574LcdEmulator;
import io.ethling.hal.emulator.lcd.VirtualButton;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every board file drives its LCD and buttons, each against the emulator of its hardware. */
class BoardDisplayTest {

    private static final long MS = 1_000_000L;

    @Test
    void everyBoardFileDrivesItsDisplayAndButtons() throws Exception {
        for (Path file : BoardFileTest.boardFiles()) {
            BoardFile board = BoardFile.load(file);
            String where = file.toString();
            VirtualClock clock = new VirtualClock();
            Pcf8574LcdEmulator pcf = null;
            Mcp23017LcdEmulator mcp = null;
            VirtualButton[] pressable = new VirtualButton[Buttons.COUNT];
            BoardDisplay d;
            if (board.lcdType() == BoardFile.LcdType.PCF8574) {
                pcf = new Pcf8574LcdEmulator(board.lcdI2cAddress(), board.lcdColumns(), board.lcdRows(), clock, true);
                DigitalInput[] inputs = new DigitalInput[Buttons.COUNT];
                for (int i = 0; i < Buttons.COUNT; i++) {
                    if (board.buttonGpio(1 << i) >= 0) {
                        inputs[i] = pressable[i] = new VirtualButton(board.buttonsActiveLow());
                    }
                }
                d = BoardDisplay.build(board, pcf, inputs, clock);
            } else {
                int address = board.lcdType() == BoardFile.LcdType.EMULATED ? 0x20 : board.lcdI2cAddress();
                mcp = new Mcp23017LcdEmulator(address, board.lcdColumns(), board.lcdRows(), clock, true);
                d = BoardDisplay.build(board, mcp, null, clock);
            }
            assertEquals(CharacterDisplay.OK, d.init(), where);
            d.display().printRow(0, board.model().key());
            d.display().printRow(1, "SELECT fetches");
            String text = pcf != null ? pcf.text() : mcp.text();
            assertEquals((board.model().key() + " ".repeat(16)).substring(0, 16) + "\nSELECT fetches  ", text, where);

            Buttons buttons = d.buttons();
            long t = clock.nanoTime();
            buttons.poll(t);
            if (pcf != null) {
                pressable[4].press();
            } else {
                mcp.press(Buttons.SELECT);
            }
            buttons.poll(t += 1 * MS);
            assertEquals(0, buttons.held(), where + ": not yet debounced");
            buttons.poll(t + board.buttonsDebounceNs() + 1 * MS);
            assertEquals(Buttons.SELECT, buttons.held(), where);
            assertEquals(Buttons.SELECT, buttons.pressedEdges(), where);
        }
    }

    @Test
    void devicesThatDoNotMatchTheBoardFileAreRefused() throws Exception {
        BoardFile pcfBoard = BoardFile.load(Path.of("..", "boards", "pi4b", "pcf8574.properties"));
        VirtualClock clock = new VirtualClock();
        I2cDevice at3f = new Pcf8574LcdEmulator(0x3F, clock);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BoardDisplay.build(pcfBoard, at3f, new DigitalInput[5], clock));
        assertTrue(e.getMessage().endsWith("lcd.i2c.address is 0x27, but the I2C device given answers at 0x3F"), e.getMessage());
        I2cDevice at27 = new Pcf8574LcdEmulator(0x27, clock);
        e = assertThrows(IllegalArgumentException.class, () -> BoardDisplay.build(pcfBoard, at27, new DigitalInput[5], clock));
        assertTrue(e.getMessage().endsWith("buttons.up.gpio is GPIO5, but no input was given for it"), e.getMessage());

        BoardFile headless = BoardFile.parse("h.properties", """
                board.name = headless
                board.model = pi4b
                spi.bus = 0
                spi.cs = 0
                enc28j60.int.gpio = 25
                lcd.type = none
                """);
        BoardDisplay none = BoardDisplay.build(headless, null, null, clock);
        assertNull(none.display());
        assertNull(none.buttons());
        assertEquals(CharacterDisplay.OK, none.init());
    }
}
