package io.ethling.tools;

import io.ethling.hal.Clock;
import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.Enc28j60Emulator;
import io.ethling.hal.enc28j60.Enc28j60;
import io.ethling.hal.enc28j60.Enc28j60Config;
import io.ethling.stack.iface.NetStack;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.util.Prng;

import java.util.function.BooleanSupplier;

/** The board in the lab: real stack, real driver, emulated chip, its wire on the lab's TAP; real time. */
final class LabBoard {

    final Enc28j60Emulator chip;
    final Enc28j60 driver;
    final NetStack stack;
    final TapBridge bridge;

    LabBoard(Lab lab, StackConfig config, long seed) {
        chip = new Enc28j60Emulator(Clock.SYSTEM, new EmulatorConfig().seed(seed).strict(true));
        driver = new Enc28j60(chip, chip.interruptPin(), null, Clock.SYSTEM,
                new Enc28j60Config().macAddress(config.macAddress()));
        bridge = new TapBridge(lab.tap, chip);
        if (driver.init() != EthernetDevice.OK) {
            throw new IllegalStateException("ENC28J60 init failed");
        }
        stack = new NetStack(config, driver, new Prng(seed));
    }

    /** The loop, as the firmware runs it, until {@code done} or the timeout. @return whether done */
    boolean runUntil(BooleanSupplier done, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() - deadline < 0) {
            bridge.pump(1);
            chip.tick();
            stack.poll(System.nanoTime());
            if (done.getAsBoolean()) {
                return true;
            }
        }
        return done.getAsBoolean();
    }
}
