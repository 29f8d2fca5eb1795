package io.ethling.hal.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Loud detection of driver misuse (the Misuse class). */
class MisuseTest {

    static Chip ready() {
        Chip c = new Chip(new EmulatorConfig());
        c.clock.advanceNanos(2_000_000);
        return c;
    }

    static void assertRecorded(Chip c, String text) {
        assertTrue(c.emu.misuse().contains(text), "expected '" + text + "' in " + c.emu.misuse().lines());
    }

    @Test
    void bfsOnMacRegisterIsFlaggedAndIgnored() {
        Chip c = ready();
        c.wcr(2, 0x02, 0x32);
        c.bank(2);
        c.bfs(0x02, 0x01);
        assertRecorded(c, "BFS on MAC/MII register MACON3 (bank 2 0x02)");
        assertEquals(0x32, c.rcrMac(2, 0x02));
        c.bank(3);
        c.bfc(0x0A, 0x01);
        assertRecorded(c, "BFC on MAC/MII register MISTAT");
    }

    @Test
    void bfsOnEthRegisterInBank3IsFine() {
        Chip c = ready();
        c.bank(3);
        c.bfs(0x17, 0x01); // EFLOCON is an ETH register
        assertEquals(0x01, c.rcr(3, 0x17));
        assertEquals(0, c.emu.misuse().count(), c.emu.misuse().lines().toString());
    }

    @Test
    void extraBytesAfterWriteAndRead() {
        Chip c = ready();
        c.tx[0] = 0x40 | 0x1B;
        c.tx[1] = 0x00;
        c.tx[2] = 0x00;
        c.emu.transfer(c.tx, 0, c.rx, 0, 3);
        assertRecorded(c, "extra bytes after WCR EIE");
        c.emu.misuse().clear();
        c.tx[0] = 0x1D;
        c.emu.transfer(c.tx, 0, c.rx, 0, 4);
        assertRecorded(c, "extra bytes after RCR ESTAT");
    }

    @Test
    void incompleteInstruction() {
        Chip c = ready();
        c.tx[0] = 0x40 | 0x1B;
        c.emu.transfer(c.tx, 0, c.rx, 0, 1);
        assertRecorded(c, "incomplete WCR");
    }

    @Test
    void ringChangedWhileRxen() {
        Chip c = RxTest.initialised(new EmulatorConfig());
        c.wcr16(0, 0x0A, 0x0FFF);
        assertRecorded(c, "ERXND changed while RXEN=1");
        c.wcr16(0, 0x08, 0x0000);
        assertRecorded(c, "ERXST changed while RXEN=1");
    }

    @Test
    void wbmIntoTheRingWhileReceiving() {
        Chip c = RxTest.initialised(new EmulatorConfig());
        c.wcr16(0, 0x02, 0x0100);
        c.wbm((byte) 1);
        assertRecorded(c, "WBM into the RX ring while RXEN=1");
    }

    @Test
    void rbmPastWritePointerOfPartialRing() {
        Chip c = RxTest.initialised(new EmulatorConfig());
        byte[] f = Chip.frame(RxTest.MAC, RxTest.PEER, 0x0800, 46, 1);
        c.emu.receive(f, 0, f.length);
        c.wcr16(0, 0x00, 0);
        c.rbm(6 + 64); // exactly the packet: fine
        assertEquals(0, c.emu.misuse().count(), c.emu.misuse().lines().toString());
        c.rbm(2); // the next "header" is not there yet
        assertRecorded(c, "RBM read past ERXWRPT");
    }

    @Test
    void pktdecWithNothingPending() {
        Chip c = RxTest.initialised(new EmulatorConfig());
        c.bfs(0x1E, 0x40);
        assertRecorded(c, "PKTDEC with EPKTCNT=0");
    }

    @Test
    void strictModeThrows() {
        Chip c = new Chip(new EmulatorConfig().strict(true));
        c.clock.advanceNanos(2_000_000);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.wcr16(0, 0x0C, 0x0100));
        assertTrue(e.getMessage().contains("errata #14"), e.getMessage());
        assertEquals(1, c.emu.misuse().count());
    }

    @Test
    void macAccessBeforeClkrdy() {
        Chip c = new Chip(new EmulatorConfig().advanceClockOnSpi(false));
        c.rcrMac(2, 0x00);
        assertRecorded(c, "before ESTAT.CLKRDY");
    }

    @Test
    void clearForgets() {
        Chip c = ready();
        c.wcr(1, 0x19, 1);
        assertEquals(1, c.emu.misuse().count());
        c.emu.misuse().clear();
        assertEquals(0, c.emu.misuse().count());
        assertTrue(c.emu.misuse().lines().isEmpty());
    }

    @Test
    void linesAreCapped() {
        Chip c = ready();
        for (int i = 0; i < Misuse.MAX_LINES + 50; i++) {
            c.wcr(1, 0x19, 1);
        }
        assertEquals(Misuse.MAX_LINES + 50, c.emu.misuse().count());
        assertEquals(Misuse.MAX_LINES, c.emu.misuse().lines().size());
    }
}
