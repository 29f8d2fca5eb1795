package io.ethling.tools;

import io.ethling.firmware.BoardLoop;
import io.ethling.hal.Clock;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.Enc28j60Emulator;
import io.ethling.hal.emulator.VirtualWire;
import io.ethling.hal.emulator.WireFaults;
import io.ethling.hal.enc28j60.Enc28j60;
import io.ethling.hal.enc28j60.Enc28j60Config;
import io.ethling.stack.Host;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BoardLoop#run()} on the real clock: an idle board (static address, nothing on the wire)
 * sleeps between deadlines instead of spinning, a wake-up gets a pass at once, stop() ends it.
 * The only real-time test of the loop; its bounds are loose (a spinning loop makes millions of
 * passes where this one makes a handful).
 */
class BoardLoopRealTimeTest {

    @Test
    void anIdleLoopSleepsAndWakesOnRequest() throws Exception {
        VirtualWire wire = new VirtualWire(Clock.SYSTEM, WireFaults.none(), 1);
        Enc28j60Emulator chip = new Enc28j60Emulator(Clock.SYSTEM, new EmulatorConfig().seed(2));
        chip.connect(wire.portA());
        wire.attachA(chip.wireInput());
        Enc28j60 driver = new Enc28j60(chip, chip.interruptPin(), chip.resetPin(), Clock.SYSTEM,
                new Enc28j60Config().macAddress(0x02_00_00_00_00_01L));
        assertEquals(0, driver.init());
        Host host = new Host(new StackConfig().macAddress(0x02_00_00_00_00_01L).address(Ipv4Packet.parse("10.9.9.2"), 24),
                new Host.Options().dhcp(false), driver, new Prng(3));
        BoardLoop loop = new BoardLoop(Clock.SYSTEM, host, null, null, null, null);
        chip.interruptPin().onEdge(io.ethling.hal.DigitalInput.Edge.FALLING, loop.wakeup());
        Thread t = Thread.ofPlatform().name("board-loop").start(loop::run);
        Thread.sleep(300);
        long passes = loop.passes();
        assertTrue(passes < 100, "an idle loop spins: " + passes + " passes in 300 ms");
        loop.wakeup().run();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (loop.passes() == passes && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        assertTrue(loop.passes() > passes, "a wake-up did not bring a pass");
        loop.stop();
        t.join(2000);
        assertFalse(t.isAlive(), "stop() did not end the loop");
    }
}
