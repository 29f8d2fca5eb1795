package io.ethling.hal.lcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ethling.hal.CharacterDisplay;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The HD44780 driver over both buses against the LCD emulators: what a person would read. */
class Hd44780Test {

    private static final String BLANK = " ".repeat(16);

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void initLeavesABlankDisplayOn(Rig.Kind kind) {
        Rig r = new Rig(kind);
        assertEquals(CharacterDisplay.OK, r.lcd.init());
        assertTrue(r.model().initialised());
        assertTrue(r.model().fourBitMode());
        assertTrue(r.model().twoLines());
        assertTrue(r.model().displayOn());
        assertFalse(r.model().cursorOn());
        assertFalse(r.model().blinkOn());
        assertTrue(r.model().increment());
        assertEquals(BLANK + "\n" + BLANK, r.text());
        assertEquals(0, r.model().cursorRow());
        assertEquals(0, r.model().cursorColumn());
        assertTrue(r.backlightOn());
        assertTrue(r.clock.nanoTime() >= 40_000_000L + 4_100_000L + 100_000L, "the data sheet waits were slept");
        assertEquals(0, r.misuse().count());
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void helloOnRowZeroAndTextOnRowOneReadBackExactly(Rig.Kind kind) {
        Rig r = new Rig(kind);
        r.lcd.init();
        assertEquals(CharacterDisplay.OK, r.lcd.printRow(0, "Hello"));
        assertEquals(CharacterDisplay.OK, r.lcd.printRow(1, ascii("example.org 200"), 0, 15));
        assertEquals("Hello           ", r.row(0));
        assertEquals("example.org 200 ", r.row(1));
        // a shorter text replaces the longer one completely
        r.lcd.printRow(1, "ok");
        assertEquals("ok              ", r.row(1));
        assertEquals("Hello           ", r.row(0));
        // longer than the row: clipped, the other row untouched
        r.lcd.printRow(0, "This title is far too long for sixteen");
        assertEquals("This title is fa", r.row(0));
        assertEquals("ok              ", r.row(1));
        // characters outside the ROM's ASCII range show as '?'
        r.lcd.printRow(1, "caf\u00e9 ~");
        assertEquals("caf? ?          ", r.row(1));
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void cursorPositioningAndClipping(Rig.Kind kind) {
        Rig r = new Rig(kind);
        r.lcd.init();
        r.lcd.setCursor(5, 1);
        assertEquals(1, r.model().cursorRow());
        assertEquals(5, r.model().cursorColumn());
        r.lcd.write(ascii("abc"), 0, 3);
        assertEquals("     abc        ", r.row(1));
        assertEquals(8, r.model().cursorColumn());
        r.lcd.setCursor(15, 0);
        r.lcd.write(ascii("XYZ"), 0, 3);
        assertEquals("               X", r.row(0));
        assertEquals("     abc        ", r.row(1), "no wrap into the other row");
        r.lcd.setCursor(0, 0);
        r.lcd.write(ascii("--12--"), 2, 2);
        assertEquals("12             X", r.row(0));
        assertThrows(IllegalArgumentException.class, () -> r.lcd.setCursor(16, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.lcd.setCursor(0, 2));
        assertEquals("LCD row must be 0..1, not 2", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void clearBlanksEverythingAndHomesTheCursor(Rig.Kind kind) {
        Rig r = new Rig(kind);
        r.lcd.init();
        r.lcd.printRow(0, "one");
        r.lcd.printRow(1, "two");
        long before = r.clock.nanoTime();
        assertEquals(CharacterDisplay.OK, r.lcd.clear());
        assertTrue(r.clock.nanoTime() - before >= 1_520_000L, "clear waited 1.52 ms");
        assertEquals(BLANK + "\n" + BLANK, r.text());
        assertEquals(0, r.model().cursorColumn());
        r.lcd.write(ascii("X"), 0, 1);
        assertEquals("X" + " ".repeat(15), r.row(0));
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void backlightOffAndOn(Rig.Kind kind) {
        Rig r = new Rig(kind);
        r.lcd.init();
        r.lcd.printRow(0, "lit");
        assertEquals(CharacterDisplay.OK, r.lcd.backlight(false));
        assertFalse(r.backlightOn());
        assertFalse(r.lcd.backlightOn());
        r.lcd.printRow(1, "still dark");
        assertFalse(r.backlightOn(), "writing text keeps the backlight off");
        assertEquals("still dark      ", r.row(1));
        r.lcd.backlight(true);
        assertTrue(r.backlightOn());
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void displayControlShowsCursorAndHidesText(Rig.Kind kind) {
        Rig r = new Rig(kind);
        r.lcd.init();
        r.lcd.printRow(0, "shown");
        r.lcd.displayControl(true, true, true);
        assertTrue(r.model().cursorOn());
        assertTrue(r.model().blinkOn());
        r.lcd.displayControl(false, false, false);
        assertEquals(BLANK, r.row(0));
        r.lcd.displayControl(true, false, false);
        assertEquals("shown           ", r.row(0));
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void unchangedCellsAreNotResent(Rig.Kind kind) {
        Rig r = new Rig(kind);
        r.lcd.init();
        r.lcd.printRow(0, "Loading page...");
        long t0 = r.transactions();
        r.lcd.printRow(0, "Loading page...");
        assertEquals(t0, r.transactions(), "identical row: nothing sent");
        r.lcd.printRow(0, "Loading page..!");
        long perChar = kind == Rig.Kind.PCF8574 ? 1 : 4;
        assertEquals(t0 + 2 * perChar, r.transactions(), "one cell changed: a cursor move and one character");
        assertEquals("Loading page..! ", r.row(0));
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void aBusFailureIsReportedAndTheNextPrintRepairsTheDisplay(Rig.Kind kind) {
        Rig r = new Rig(kind);
        r.lcd.init();
        r.lcd.printRow(0, "before");
        r.connected(false);
        assertEquals(CharacterDisplay.ERR_IO, r.lcd.printRow(0, "during"));
        assertEquals(1, r.lcd.counters().value("lcd.err.io"));
        r.connected(true);
        assertEquals(CharacterDisplay.OK, r.lcd.printRow(0, "after"));
        assertEquals("after           ", r.row(0));
        // an unplug that lost the controller's state entirely: init() recovers from 4-bit mode
        assertEquals(CharacterDisplay.OK, r.lcd.init());
        r.lcd.printRow(1, "again");
        assertEquals(BLANK + "\n" + "again" + " ".repeat(11), r.text());
        assertEquals(0, r.misuse().count());
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void customGlyphsAreStoredAndTheCursorKept(Rig.Kind kind) {
        Rig r = new Rig(kind);
        r.lcd.init();
        r.lcd.setCursor(3, 1);
        byte[] bell = {0x04, 0x0E, 0x0E, 0x0E, 0x1F, 0x00, 0x04, 0x00};
        assertEquals(CharacterDisplay.OK, r.lcd.createChar(2, bell, 0));
        for (int i = 0; i < 8; i++) {
            assertEquals(bell[i], r.model().glyphRow(2, i));
        }
        r.lcd.write(new byte[] {2}, 0, 1);
        assertEquals(2, r.model().cell(1, 3));
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void randomRowsAndWritesMatchAReferenceGrid(Rig.Kind kind) {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        Rig r = new Rig(kind);
        r.lcd.init();
        char[][] expected = {BLANK.toCharArray(), BLANK.toCharArray()};
        for (int step = 0; step < 300; step++) {
            int row = rnd.nextInt(2);
            int len = rnd.nextInt(20);
            char[] text = new char[len];
            for (int i = 0; i < len; i++) {
                text[i] = (char) (0x20 + rnd.nextInt(0x5E));
            }
            if (rnd.nextBoolean()) {
                r.lcd.printRow(row, new String(text));
                for (int c = 0; c < 16; c++) {
                    expected[row][c] = c < len ? text[c] : ' ';
                }
            } else {
                int col = rnd.nextInt(16);
                r.lcd.setCursor(col, row);
                r.lcd.write(new String(text).getBytes(StandardCharsets.US_ASCII), 0, len);
                for (int i = 0; i < len && col + i < 16; i++) {
                    expected[row][col + i] = text[i];
                }
            }
            String want = new String(expected[0]) + "\n" + new String(expected[1]);
            assertEquals(want, r.text(), "seed " + seed + " step " + step);
        }
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void fourLineDisplaysAddressRowsTwoAndThree(Rig.Kind kind) {
        Rig r = new Rig(kind, 20, 4);
        r.lcd.init();
        for (int row = 0; row < 4; row++) {
            r.lcd.printRow(row, "row " + row);
        }
        for (int row = 0; row < 4; row++) {
            assertEquals(("row " + row + " ".repeat(20)).substring(0, 20), r.row(row));
        }
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void oneLineDisplaysUseOneLineMode(Rig.Kind kind) {
        Rig r = new Rig(kind, 16, 1);
        r.lcd.init();
        assertFalse(r.model().twoLines());
        r.lcd.printRow(0, "single line");
        assertEquals("single line     ", r.text());
        assertThrows(IllegalArgumentException.class, () -> r.lcd.printRow(1, "x"));
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void colourIsForThePlateOnly(Rig.Kind kind) {
        Rig r = new Rig(kind);
        r.lcd.init();
        int s = r.lcd.backlightColour(CharacterDisplay.VIOLET);
        if (kind == Rig.Kind.PCF8574) {
            assertEquals(CharacterDisplay.ERR_UNSUPPORTED, s);
            assertTrue(r.backlightOn());
        } else {
            assertEquals(CharacterDisplay.OK, s);
            assertEquals(0xFF00FF, r.mcp.backlightColour());
            r.lcd.backlight(false);
            assertEquals(0, r.mcp.backlightColour());
            r.lcd.backlight(true);
            assertEquals(0xFF00FF, r.mcp.backlightColour(), "on again in the colour last set");
            r.lcd.backlightColour(CharacterDisplay.GREEN);
            r.lcd.printRow(0, "green");
            assertEquals(0x00FF00, r.mcp.backlightColour(), "text keeps the colour (blue is on port B)");
        }
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void badSizesAreRefused(Rig.Kind kind) {
        Rig r = new Rig(kind);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Hd44780(r.bus, r.clock, 16, 3));
        assertEquals("LCD rows must be 1, 2 or 4, not 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Hd44780(r.bus, r.clock, 24, 4));
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void scrollingAWindowOverALongLineSendsOnlyWhatMoved(Rig.Kind kind) {
        Rig r = new Rig(kind);
        r.lcd.init();
        String body = "This domain is for use in documentation examples.";
        for (int from = 0; from < body.length() + 2; from++) {
            r.lcd.printRow(1, body, from);
            String want = (from < body.length() ? body.substring(from) : "") + " ".repeat(16);
            assertEquals(want.substring(0, 16), r.row(1), "from " + from);
        }
        long skipped = r.lcd.counters().value("lcd.cells.skipped");
        assertTrue(skipped > 0, "cells that did not change were skipped: " + skipped);
        assertThrows(IllegalArgumentException.class, () -> r.lcd.printRow(1, body, -1));
    }

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void initRecoversTheDisplayFromAnyStateGarbageLeftItIn(Rig.Kind kind) {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 40; trial++) {
            Rig r = new Rig(kind, 16, 2, false);
            r.lcd.init();
            r.lcd.printRow(0, "before");
            // a glitch: random bytes on the bus (random port values / register writes)
            byte[] junk = new byte[1 + rnd.nextInt(24)];
            rnd.nextBytes(junk);
            if (kind == Rig.Kind.PCF8574) {
                r.pcf.write(junk, 0, junk.length);
            } else {
                junk[0] = (byte) rnd.nextInt(0x16);
                r.mcp.write(junk, 0, junk.length);
            }
            r.clock.advanceNanos(rnd.nextInt(3_000_000));
            assertEquals(CharacterDisplay.OK, r.lcd.init(), "seed " + seed + " trial " + trial);
            int before = r.misuse().count();
            r.lcd.printRow(0, "Hello");
            r.lcd.printRow(1, "recovered");
            assertEquals("Hello           \nrecovered       ", r.text(), "seed " + seed + " trial " + trial + " " + r.misuse());
            assertEquals(before, r.misuse().count(), "seed " + seed + " trial " + trial + " " + r.misuse());
            assertTrue(r.model().initialised());
            assertTrue(r.backlightOn(), "seed " + seed + " trial " + trial);
        }
    }
}
