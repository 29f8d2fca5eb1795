package io.ethling.hal.lcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the display costs on the bus, counted by the emulators (transactions) and their 100 kHz
 * bus-time model (virtual clock): the figures in hal/lcd/README.md.
 */
class BusCostTest {

    @ParameterizedTest
    @EnumSource(Rig.Kind.class)
    void transactionsAndBusTimePerCharacterAndPerRedraw(Rig.Kind kind) {
        Rig r = new Rig(kind);
        long t0 = r.clock.nanoTime();
        r.lcd.init();
        long initNs = r.clock.nanoTime() - t0;

        long tx = r.transactions();
        long t = r.clock.nanoTime();
        r.lcd.printRow(0, "0123456789abcdef");
        r.lcd.printRow(1, "fedcba9876543210");
        long redrawTx = r.transactions() - tx;
        long redrawNs = r.clock.nanoTime() - t;

        tx = r.transactions();
        t = r.clock.nanoTime();
        r.lcd.printRow(1, "fedcba9876543211"); // one cell changes
        long oneCellTx = r.transactions() - tx;
        long oneCellNs = r.clock.nanoTime() - t;

        tx = r.transactions();
        Mcp23017Plate plate = r.bus instanceof Mcp23017Plate p ? p : null;
        if (plate != null) {
            plate.poll(r.clock.nanoTime());
            assertEquals(1, r.transactions() - tx, "a button sample is one write-read transaction");
        }

        System.out.printf("%s: init %.1f ms, full 16x2 redraw %d transactions %.1f ms, one cell %d transactions %.2f ms%n",
                kind, initNs / 1e6, redrawTx, redrawNs / 1e6, oneCellTx, oneCellNs / 1e6);
        // one byte (instruction or character): PCF8574 one 4-byte write; plate four 2-byte writes
        long perByte = kind == Rig.Kind.PCF8574 ? 1 : 4;
        assertEquals(2 * (1 + 16) * perByte, redrawTx, "two rows: a DDRAM address and 16 characters each");
        assertEquals(2 * perByte, oneCellTx, "a DDRAM address and one character");
        long perByteNs = kind == Rig.Kind.PCF8574 ? 5 * 90_000L : 4 * 3 * 90_000L;
        assertEquals(2 * 17 * perByteNs, redrawNs);
    }
}
