package io.ethling.hal.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void initReceiveOneFrame() {
        Chip c = new Chip(new EmulatorConfig().strict(true));
        c.init(0x19FF, 0x020000000001L);
        assertEquals(0x06, c.rcr(3, 0x12));
        byte[] f = Chip.frame(0x020000000001L, 0x020000000002L, 0x0800, 100, 1);
        c.emu.receive(f, 0, f.length);
        assertEquals(1, c.rcr(1, 0x19));
    }
}
