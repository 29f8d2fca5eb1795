package io.ethling.hal.enc28j60.emu;

import io.ethling.hal.CounterSet;
import io.ethling.hal.SpiDevice;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.Enc28j60Emulator;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.enc28j60.Enc28j60;
import io.ethling.hal.enc28j60.Enc28j60Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One emulated board: virtual clock, strict emulated chip, the real driver, a loop. */
final class Board {

    /**
     * Copies tx before handing it to the emulator. The SpiDevice contract allows tx and rx to be the
     * same array (in-place transfer); the first emulator build overwrote tx bytes with rx bytes
     * before reading them. Fixed in later builds; kept for running against such a build
     * ({@code -Dethling.copyingSpi=true}). Pre-allocated: adds no allocation.
     */
    static final class CopyingSpi implements SpiDevice {
        final Enc28j60Emulator chip;
        private final byte[] copy = new byte[8192];

        CopyingSpi(Enc28j60Emulator chip) {
            this.chip = chip;
        }

        @Override
        public int transfer(byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
            System.arraycopy(tx, txOff, copy, 0, len);
            return chip.transfer(copy, 0, rx, rxOff, len);
        }

        @Override
        public int clockHz() {
            return chip.clockHz();
        }

        @Override
        public int clockHz(int requestedHz) {
            return chip.clockHz(requestedHz);
        }
    }

    final long seed;
    final VirtualClock clock;
    final Enc28j60Emulator chip;
    final Enc28j60 drv;
    final byte[] rxBuf = new byte[1514];
    final List<byte[]> received = new ArrayList<>();
    final List<byte[]> wire = new ArrayList<>();
    boolean keepReceived = true;
    TailTrace tail;
    int lastRx;

    Board(long seed, Enc28j60Config cfg, boolean withIntPin) {
        this(seed, new VirtualClock(), new EmulatorConfig().seed(seed).strict(true), cfg, withIntPin);
    }

    Board(long seed, VirtualClock clock, EmulatorConfig ec, Enc28j60Config cfg, boolean withIntPin) {
        this.seed = seed;
        this.clock = clock;
        this.chip = new Enc28j60Emulator(clock, ec);
        SpiDevice spi = Boolean.getBoolean("ethling.copyingSpi") ? new CopyingSpi(chip) : chip;
        this.drv = withIntPin ? new Enc28j60(spi, chip.interruptPin(), chip.resetPin(), clock, cfg)
                : new Enc28j60(spi, null, chip.resetPin(), clock, cfg);
    }

    static Enc28j60Config config(long mac) {
        return new Enc28j60Config().macAddress(mac);
    }

    void captureWire() {
        chip.connect((b, o, l) -> wire.add(Arrays.copyOfRange(b, o, o + l)));
    }

    /** One loop iteration: chip events, driver housekeeping, drain received frames. */
    int step() {
        chip.tick();
        long now = clock.nanoTime();
        int work = drv.poll(now);
        for (int i = 0; i < 64; i++) {
            int n = drv.receive(rxBuf, 0, rxBuf.length);
            lastRx = n;
            if (n <= 0) {
                break;
            }
            work++;
            if (keepReceived) {
                received.add(Arrays.copyOf(rxBuf, n));
            }
        }
        chip.tick();
        return work;
    }

    /** When this board wants to run next (driver or chip). */
    long nextNs() {
        long now = clock.nanoTime();
        long a = drv.pollAtNs(now);
        long b = chip.nextEventNs();
        return a - b < 0 ? a : b;
    }

    /** Runs the loop for {@code ns} of virtual time, sleeping to the next event each time. */
    void run(long ns) {
        long end = clock.nanoTime() + ns;
        int guard = 0;
        while (clock.nanoTime() - end < 0) {
            step();
            long next = nextNs();
            long now = clock.nanoTime();
            if (next - now <= 0) {
                if (++guard > 10_000) {
                    throw new AssertionError("loop spins at " + now + " seed=" + seed + " " + drv + " drvAt=" + drv.pollAtNs(now)
                            + " chipAt=" + chip.nextEventNs() + " int=" + drv.interruptPending() + "\n" + counters()
                            + (tail == null ? "" : "\ntrace tail:\n" + tail));
                }
                continue;
            }
            guard = 0;
            clock.advanceTo(next - end < 0 ? next : end);
        }
        step();
    }

    String counters() {
        StringBuilder sb = new StringBuilder();
        CounterSet.appendTo(drv.counters(), sb, "drv ");
        CounterSet.appendTo(chip.counters(), sb, "chip ");
        sb.append("misuse=").append(chip.misuse().lines());
        return sb.toString();
    }

    long c(String name) {
        return drv.counters().value(name);
    }
}
