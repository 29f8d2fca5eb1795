package io.ethling.hal.emulator.lcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ethling.hal.Buttons;
import io.ethling.hal.emulator.VirtualClock;
import org.junit.jupiter.api.Test;

/**
 * The MCP23017 plate emulator driven with register writes made by hand from the data sheet's
 * register map and the plate's pin map (PLATFORM.md §3.3).
 */
class Mcp23017LcdEmulatorTest {

    private final VirtualClock clock = new VirtualClock();
    private final Mcp23017LcdEmulator plate = new Mcp23017LcdEmulator(0x20, 16, 2, clock, false);
    private final byte[] b = new byte[8];

    private void set(int reg, int value) {
        b[0] = (byte) reg;
        b[1] = (byte) value;
        assertEquals(2, plate.write(b, 0, 2));
    }

    private int get(int reg) {
        byte[] tx = {(byte) reg};
        byte[] rx = new byte[1];
        assertEquals(1, plate.writeRead(tx, 0, 1, rx, 0, 1));
        return rx[0] & 0xFF;
    }

    /** GPIOB (0x13) for RS and a nibble, reversed: D4 GPB4, D5 GPB3, D6 GPB2, D7 GPB1; E = GPB5. */
    private void nibble(boolean rs, int n) {
        int v = (rs ? 0x80 : 0) | ((n & 1) != 0 ? 0x10 : 0) | ((n & 2) != 0 ? 0x08 : 0)
                | ((n & 4) != 0 ? 0x04 : 0) | ((n & 8) != 0 ? 0x02 : 0);
        set(0x13, v | 0x20);
        set(0x13, v);
    }

    private void cmd(int c) {
        nibble(false, c >> 4);
        nibble(false, c & 15);
        clock.advanceNanos(c <= 3 ? 2_000_000 : 0);
    }

    private void init() {
        set(0x0C, 0x1F); // GPPUA
        set(0x14, 0x00); // OLATA: red, green on
        set(0x00, 0x1F); // IODIRA
        set(0x01, 0x00); // IODIRB
        clock.advanceNanos(50_000_000);
        nibble(false, 3);
        clock.advanceNanos(4_500_000);
        nibble(false, 3);
        clock.advanceNanos(150_000);
        nibble(false, 3);
        clock.advanceNanos(150_000);
        nibble(false, 2);
        cmd(0x28);
        cmd(0x08);
        cmd(0x01);
        cmd(0x06);
        cmd(0x0C);
    }

    @Test
    void reversedDataBitsDecodeToText() {
        init();
        for (char c : "Plate!".toCharArray()) {
            nibble(true, c >> 4);
            nibble(true, c & 15);
        }
        assertEquals("Plate!          ", plate.row(0));
        assertEquals(0, plate.misuse().count(), plate.misuse().toString());
    }

    @Test
    void powerOnRegistersAndPointerIncrement() {
        assertEquals(0xFF, get(0x00));
        assertEquals(0xFF, get(0x01));
        // sequential write from IPOLA: 0x02, 0x03 ...
        b[0] = 0x02;
        b[1] = 0x11;
        b[2] = 0x22;
        plate.write(b, 0, 3);
        assertEquals(0x11, plate.register(0x02));
        assertEquals(0x22, plate.register(0x03));
    }

    @Test
    void buttonsReadLowWhenPressedWithPullUpsAndFloatLowWithout() {
        set(0x00, 0x1F);
        assertEquals(0x00, get(0x12) & 0x1F, "no pull-ups: floating inputs read low, every button looks pressed");
        set(0x0C, 0x1F);
        assertEquals(0x1F, get(0x12) & 0x1F);
        plate.press(Buttons.SELECT);
        assertEquals(0x1E, get(0x12) & 0x1F);
        plate.buttons(Buttons.UP | Buttons.LEFT);
        assertEquals(0x1F & ~0x08 & ~0x10, get(0x12) & 0x1F);
        plate.buttons(Buttons.RIGHT | Buttons.DOWN);
        assertEquals(0x1F & ~0x02 & ~0x04, get(0x12) & 0x1F);
        set(0x02, 0x1F); // IPOLA inverts
        assertEquals(0x06, get(0x12) & 0x1F);
        assertEquals(Buttons.RIGHT | Buttons.DOWN, plate.buttonsHeld());
    }

    @Test
    void backlightIsActiveLowPerChannel() {
        assertEquals(0, plate.backlightColour(), "inputs after reset: no LED driven");
        set(0x14, 0x80); // green off, red on
        set(0x00, 0x1F);
        assertEquals(0xFF0000, plate.backlightColour());
        set(0x15, 0x00); // blue low
        set(0x01, 0x00);
        assertEquals(0xFF00FF, plate.backlightColour());
        set(0x14, 0xC0);
        set(0x15, 0x01);
        assertEquals(0, plate.backlightColour());
    }

    @Test
    void bank1AddressingAndByteModeToggle() {
        plate.leaveInBank1();
        // BANK=1: GPPUA at 0x06, IODIRA at 0x00, GPIOA at 0x09, IOCON at 0x05
        set(0x06, 0x1F);
        assertEquals(0x1F, plate.register(0x0C));
        set(0x05, 0x00); // back to BANK=0
        assertEquals(0, plate.register(0x0A));
        // BANK=0 with SEQOP=1: the pointer toggles between GPIOB and GPIOA
        set(0x0A, 0x20);
        b[0] = 0x13;
        b[1] = 0x01;
        b[2] = 0x40;
        b[3] = 0x03;
        plate.write(b, 0, 4);
        assertEquals(0x03, plate.register(0x15));
        assertEquals(0x40, plate.register(0x14));
    }

    @Test
    void strobingWithLcdLinesAsInputsIsMisuse() {
        set(0x15, 0x20);
        set(0x01, 0xDF); // only E is an output
        set(0x15, 0x00);
        assertTrue(plate.misuse().contains("IODIRB"), plate.misuse().toString());
    }
}
