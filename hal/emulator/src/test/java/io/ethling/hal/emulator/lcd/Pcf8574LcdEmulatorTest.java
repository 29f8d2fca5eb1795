package io.ethling.hal.emulator.lcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ethling.hal.I2cDevice;
import io.ethling.hal.emulator.VirtualClock;
import org.junit.jupiter.api.Test;

/**
 * The PCF8574 LCD emulator driven byte by byte, with port values written out by hand from the bit
 * map (P7–P4 data, P3 backlight, P2 E, P1 RW, P0 RS), not from the driver's constants.
 */
class Pcf8574LcdEmulatorTest {

    private static final int BL = 0x08;
    private static final int E = 0x04;
    private static final int RS = 0x01;

    private final VirtualClock clock = new VirtualClock();

    /** Hand-made driver: one transaction per nibble strobe, waits from fig. 24. */
    private static final class Hand {
        final Pcf8574LcdEmulator lcd;
        final VirtualClock clock;
        final byte[] b = new byte[2];

        Hand(Pcf8574LcdEmulator lcd, VirtualClock clock) {
            this.lcd = lcd;
            this.clock = clock;
        }

        void nibble(int rs, int n) {
            int v = n << 4 | BL | rs;
            b[0] = (byte) (v | E);
            b[1] = (byte) v;
            assertEquals(2, lcd.write(b, 0, 2));
        }

        void cmd(int c) {
            nibble(0, c >> 4);
            nibble(0, c & 15);
            clock.advanceNanos(c <= 3 ? 2_000_000 : 50_000);
        }

        void data(String s) {
            for (char ch : s.toCharArray()) {
                nibble(RS, ch >> 4);
                nibble(RS, ch & 15);
                clock.advanceNanos(50_000);
            }
        }

        void init() {
            clock.advanceNanos(50_000_000);
            nibble(0, 3);
            clock.advanceNanos(4_500_000);
            nibble(0, 3);
            clock.advanceNanos(150_000);
            nibble(0, 3);
            clock.advanceNanos(150_000);
            nibble(0, 2);
            cmd(0x28);
            cmd(0x08);
            cmd(0x01);
            cmd(0x06);
            cmd(0x0C);
        }
    }

    @Test
    void theInitSequenceLeavesABlankDisplayOnAndText_thenReadsBack() {
        Pcf8574LcdEmulator lcd = new Pcf8574LcdEmulator(0x27, clock);
        Hand h = new Hand(lcd, clock);
        h.init();
        assertTrue(lcd.lcd().initialised());
        assertTrue(lcd.lcd().displayOn());
        assertFalse(lcd.lcd().cursorOn());
        assertEquals(" ".repeat(16) + "\n" + " ".repeat(16), lcd.text());
        h.data("Hi there");
        h.cmd(0x80 | 0x40 | 3);
        h.data("row two");
        assertEquals("Hi there        ", lcd.row(0));
        assertEquals("   row two      ", lcd.row(1));
        assertEquals("+----------------+\n|Hi there        |\n|   row two      |\n+----------------+\n", lcd.lcd().frame());
        assertEquals(1, lcd.lcd().cursorRow());
        assertEquals(10, lcd.lcd().cursorColumn());
        assertTrue(lcd.backlightOn());
        h.cmd(0x08); // display off: a person sees nothing, DDRAM is kept
        assertEquals(" ".repeat(16), lcd.row(0));
        h.cmd(0x0C);
        assertEquals("Hi there        ", lcd.row(0));
        h.cmd(0x01);
        assertEquals(" ".repeat(16), lcd.row(0));
        assertEquals(0, lcd.lcd().address());
        assertEquals(0, lcd.misuse().count());
    }

    @Test
    void theInitTakesAtLeastTheDataSheetWaitsAndBusTimeIsCharged() {
        Pcf8574LcdEmulator lcd = new Pcf8574LcdEmulator(0x3F, clock);
        byte[] b = {(byte) BL};
        lcd.write(b, 0, 1);
        assertEquals(2 * 9 * 10_000, clock.nanoTime(), "address + 1 byte at 100 kHz");
        assertEquals(0x3F, lcd.address());
        assertTrue(lcd.backlightOn());
        b[0] = 0;
        lcd.write(b, 0, 1);
        assertFalse(lcd.backlightOn());
    }

    @Test
    void dataBeforeTheInitIsMisuse() {
        Pcf8574LcdEmulator lcd = new Pcf8574LcdEmulator(0x27, 16, 2, clock, false);
        Hand h = new Hand(lcd, clock);
        clock.advanceNanos(50_000_000);
        h.nibble(RS, 4);
        assertTrue(lcd.misuse().contains("8-bit mode"), lcd.misuse().toString());
        h.nibble(0, 0); // instruction 0x00 .. 0x0F in 8-bit mode: not a function set
        assertTrue(lcd.misuse().contains("before the 4-bit init"), lcd.misuse().toString());
        assertEquals(" ".repeat(16), lcd.row(0));
    }

    @Test
    void strictModeThrowsAtTheOffendingWrite() {
        Pcf8574LcdEmulator lcd = new Pcf8574LcdEmulator(0x27, clock);
        Hand h = new Hand(lcd, clock);
        clock.advanceNanos(50_000_000);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.nibble(RS, 4));
        assertTrue(e.getMessage().startsWith("LCD misuse: "), e.getMessage());
    }

    @Test
    void fourBitSwitchWithoutTheResetNibblesAndShortWaitsAreMisuse() {
        Pcf8574LcdEmulator lcd = new Pcf8574LcdEmulator(0x27, 16, 2, clock, false);
        Hand h = new Hand(lcd, clock);
        h.nibble(0, 3); // too early after power-on
        assertTrue(lcd.misuse().contains(">40 ms"), lcd.misuse().toString());
        h.nibble(0, 3); // too early after the first 0x3 (only bus time passed)
        assertTrue(lcd.misuse().contains(">4.1 ms"), lcd.misuse().toString());

        Pcf8574LcdEmulator other = new Pcf8574LcdEmulator(0x27, 16, 2, clock, false);
        Hand h2 = new Hand(other, clock);
        clock.advanceNanos(50_000_000);
        h2.nibble(0, 2);
        assertTrue(other.misuse().contains("0 of the three 0x3"), other.misuse().toString());
    }

    @Test
    void commandsBeforeTheFunctionSetAndWhileBusyAreMisuseAndLost() {
        Pcf8574LcdEmulator lcd = new Pcf8574LcdEmulator(0x27, 16, 2, clock, false);
        Hand h = new Hand(lcd, clock);
        clock.advanceNanos(50_000_000);
        h.nibble(0, 3);
        clock.advanceNanos(4_500_000);
        h.nibble(0, 3);
        clock.advanceNanos(150_000);
        h.nibble(0, 3);
        clock.advanceNanos(150_000);
        h.nibble(0, 2);
        h.cmd(0x0C); // display on before the function set
        assertTrue(lcd.misuse().contains("before the function set"), lcd.misuse().toString());
        assertFalse(lcd.lcd().displayOn());
        h.cmd(0x28);
        h.cmd(0x0C);
        h.cmd(0x06);
        lcd.misuse().clear();
        // clear, then a character at once: the controller is still busy for 1.52 ms
        h.nibble(0, 0);
        h.nibble(0, 1);
        h.nibble(RS, 4);
        h.nibble(RS, 1);
        assertTrue(lcd.misuse().contains("still busy"), lcd.misuse().toString());
        assertEquals(" ".repeat(16), lcd.row(0));
    }

    @Test
    void dataChangingWithTheFallingEdgeIsASetupViolation() {
        Pcf8574LcdEmulator lcd = new Pcf8574LcdEmulator(0x27, 16, 2, null, false);
        byte[] b = {(byte) (0x30 | E), (byte) 0x20};
        lcd.write(b, 0, 2);
        assertTrue(lcd.misuse().contains("setup time"), lcd.misuse().toString());
    }

    @Test
    void aReInitFromFourBitModeResynchronises() {
        Pcf8574LcdEmulator lcd = new Pcf8574LcdEmulator(0x27, clock);
        Hand h = new Hand(lcd, clock);
        h.init();
        h.data("x");
        h.init();
        assertTrue(lcd.lcd().initialised());
        assertEquals(" ".repeat(16), lcd.row(0));
        h.data("ok");
        assertEquals("ok" + " ".repeat(14), lcd.row(0));
    }

    @Test
    void cursorAndDisplayShiftAndEntryModes() {
        Pcf8574LcdEmulator lcd = new Pcf8574LcdEmulator(0x27, clock);
        Hand h = new Hand(lcd, clock);
        h.init();
        h.data("abcdef");
        h.cmd(0x18); // display shift left: the window moves to higher addresses
        assertEquals("bcdef           ", lcd.row(0));
        h.cmd(0x1C); // and right again
        h.cmd(0x1C);
        assertEquals(" abcdef         ", lcd.row(0), "net shift right: the window starts at DDRAM 0x27");
        h.cmd(0x02); // home: shift undone, address 0
        assertEquals("abcdef          ", lcd.row(0));
        h.cmd(0x14); // cursor right
        assertEquals(1, lcd.lcd().cursorColumn());
        h.cmd(0x04); // entry mode: decrement
        h.cmd(0x80 | 5);
        h.data("XY");
        assertEquals("abcdYX          ", lcd.row(0), "X at 5, then Y at 4");
        assertEquals(3, lcd.lcd().cursorColumn());
    }

    @Test
    void anUnpluggedBackpackDoesNotAcknowledge() {
        Pcf8574LcdEmulator lcd = new Pcf8574LcdEmulator(0x27, clock);
        lcd.connected(false);
        byte[] b = new byte[2];
        assertEquals(I2cDevice.ERR_IO, lcd.write(b, 0, 2));
        assertEquals(1, lcd.counters().value("i2c.nack"));
        lcd.connected(true);
        assertEquals(2, lcd.write(b, 0, 2));
    }

    @Test
    void badConfigurationIsRefusedWithOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Pcf8574LcdEmulator(0x30, clock));
        assertEquals("PCF8574 address must be 0x20-0x27 or 0x38-0x3F, not 0x30", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Pcf8574LcdEmulator(0x27, 30, 4, clock, true));
    }
}
