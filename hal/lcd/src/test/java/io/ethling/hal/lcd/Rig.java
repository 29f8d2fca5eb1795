package io.ethling.hal.lcd;

import io.ethling.hal.Counters;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.lcd.Hd44780Model;
import io.ethling.hal.emulator.Misuse;
import io.ethling.hal.emulator.lcd.Mcp23017LcdEmulator;
import io.ethling.hal.emulator.lcd.Pcf8574LcdEmulator;

/** A display under test: the driver, its bus and the emulator it talks to, on a virtual clock. */
final class Rig {

    enum Kind { PCF8574, PLATE }

    final Kind kind;
    final VirtualClock clock = new VirtualClock();
    final Pcf8574LcdEmulator pcf;
    final Mcp23017LcdEmulator mcp;
    final LcdBus bus;
    final Hd44780 lcd;

    Rig(Kind kind) {
        this(kind, 16, 2);
    }

    Rig(Kind kind, int columns, int rows) {
        this(kind, columns, rows, true);
    }

    Rig(Kind kind, int columns, int rows, boolean strict) {
        this.kind = kind;
        if (kind == Kind.PCF8574) {
            pcf = new Pcf8574LcdEmulator(0x27, columns, rows, clock, strict);
            mcp = null;
            bus = new Pcf8574Backpack(pcf);
        } else {
            pcf = null;
            mcp = new Mcp23017LcdEmulator(0x20, columns, rows, clock, strict);
            bus = new Mcp23017Plate(mcp);
        }
        lcd = new Hd44780(bus, clock, columns, rows);
    }

    Hd44780Model model() {
        return pcf != null ? pcf.lcd() : mcp.lcd();
    }

    String row(int r) {
        return model().row(r);
    }

    String text() {
        return model().text();
    }

    boolean backlightOn() {
        return pcf != null ? pcf.backlightOn() : mcp.backlightOn();
    }

    Misuse misuse() {
        return pcf != null ? pcf.misuse() : mcp.misuse();
    }

    void connected(boolean c) {
        if (pcf != null) {
            pcf.connected(c);
        } else {
            mcp.connected(c);
        }
    }

    /** I2C transactions the emulator acknowledged. */
    long transactions() {
        Counters c = pcf != null ? pcf.counters() : mcp.counters();
        return c.value(0);
    }
}
