package io.ethling.hal.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Linux init test vector of ENC28J60.md §7, and two chips on a virtual wire. */
class SmokeTest {

    @Test
    void linuxInitSequenceLeavesTheExpectedRegisters() {
        Chip c = new Chip(new EmulatorConfig().strict(true));
        c.init(0x19FF, 0x020000000001L);
        assertEquals(0x06, c.rcr(3, 0x12));
        assertEquals(0x0000, c.rcr16(0, 0x08), "ERXST");
        assertEquals(0x19FF, c.rcr16(0, 0x0A), "ERXND");
        assertEquals(0x19FF, c.rcr16(0, 0x0C), "ERXRDPT");
        assertEquals(0x0000, c.rcr16(0, 0x0E), "ERXWRPT follows ERXST");
        assertEquals(0x0D, c.rcrMac(2, 0x00), "MACON1");
        assertEquals(0x32, c.rcrMac(2, 0x02), "MACON3");
        assertEquals(0x40, c.rcrMac(2, 0x03), "MACON4");
        assertEquals(1518, c.rcrMac(2, 0x0A) | c.rcrMac(2, 0x0B) << 8, "MAMXFL");
        assertEquals(0x0100, c.phyRead(0x10), "PHCON2 HDLDIS");
        assertEquals(0x3476, c.phyRead(0x14), "PHLCON");
        assertEquals(0x0012, c.phyRead(0x12), "PHIE");
        assertEquals(0x02, c.rcrMac(3, 0x04), "MAADR1 = first octet");
        assertEquals(0x01, c.rcrMac(3, 0x01), "MAADR6 = last octet");
        assertEquals(0xDB, c.rcr(0, 0x1B), "EIE");
        assertEquals(0x04, c.rcr(0, 0x1F) & 0x04, "RXEN");
        assertEquals(0x88, c.rcr(0, 0x1E), "ECON2 AUTOINC|VRPS");
        assertTrue(c.emu.interruptPin().isHigh());
        assertEquals(0, c.emu.misuse().count(), c.emu.misuse().lines().toString());
    }

    @Test
    void twoChipsOverAVirtualWireWithDelay() {
        VirtualClock clock = new VirtualClock();
        Chip a = new Chip(clock, new EmulatorConfig().strict(true).seed(1));
        Chip b = new Chip(clock, new EmulatorConfig().strict(true).seed(2));
        a.init(0x19FF, 0x020000000001L);
        b.init(0x19FF, 0x020000000002L);
        VirtualWire wire = new VirtualWire(clock, WireFaults.none().delayNanos(30_000), 9);
        a.emu.connect(wire.portA());
        wire.attachA(a.emu.wireInput());
        b.emu.connect(wire.portB());
        wire.attachB(b.emu.wireInput());
        int next = 0;
        for (int i = 0; i < 50; i++) {
            byte[] f = Chip.frame(0x020000000002L, 0x020000000001L, 0x0800, 46 + i * 29, i);
            TxTest.send(a, 0x00, f);
            clock.advanceTo(a.emu.nextEventNs());
            a.emu.tick();
            assertEquals(0, b.emu.pendingPackets(), "still on the wire");
            assertEquals(clock.nanoTime() + 30_000, wire.nextDeliveryNs());
            clock.advanceTo(wire.nextDeliveryNs());
            assertEquals(1, wire.deliver());
            RxTest.Packet p = RxTest.readPacket(b, next, 0x19FF);
            assertArrayEquals(f, Arrays.copyOf(p.data, f.length), "frame " + i);
            next = p.next;
        }
        assertEquals(50, wire.counters().value("delivered"));
        assertEquals(50, b.emu.counters().value("rx.frames"));
    }
}
