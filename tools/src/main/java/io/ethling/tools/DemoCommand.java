package io.ethling.tools;

import io.ethling.hal.Counters;
import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.SpiStats;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.VirtualWire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * Two emulated boards (real driver + emulated chip each) on a virtual wire: initialise both,
 * send frames from A to B, let B echo each back, check every byte, and print what the driver,
 * the chips and the wire counted.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Runs the ENC28J60 driver against two emulated chips on a virtual wire:",
            "initialise, send frames A -> B, B echoes them, check every byte, print counters."})
final class DemoCommand implements Callable<Integer> {

    /** IEEE 802 local experimental EtherType 1, so the frames mean nothing to anyone else. */
    static final int ETHERTYPE = 0x88B5;
    static final long MAC_A = 0x02_00_00_00_00_0AL;
    static final long MAC_B = 0x02_00_00_00_00_0BL;

    @Option(names = "--frames", paramLabel = "N", description = "frames to send (default ${DEFAULT-VALUE})")
    int frames = 20;

    @Option(names = "--all-counters", description = "print every counter, also the zero ones")
    boolean allCounters;

    @Option(names = "--trace", paramLabel = "FILE", description = "write board A's SPI trace (one line per transaction) to FILE")
    String traceFile;

    @Mixin
    WireOptions wireOptions = new WireOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (frames < 1 || frames > 1_000_000) {
            throw new IllegalArgumentException("--frames " + frames + ": must be 1..1000000");
        }
        PrintWriter out = spec.commandLine().getOut();
        VirtualClock clock = new VirtualClock();
        long seed = wireOptions.seed();
        VirtualWire wire = new VirtualWire(clock, wireOptions.faults(), seed);
        EmulatedBoard a = new EmulatedBoard("A", clock, MAC_A, seed * 31 + 1, true);
        EmulatedBoard b = new EmulatedBoard("B", clock, MAC_B, seed * 31 + 2, true);
        a.chip.connect(wire.portA());
        wire.attachA(a.chip.wireInput());
        b.chip.connect(wire.portB());
        wire.attachB(b.chip.wireInput());

        java.io.Writer trace = null;
        if (traceFile != null) {
            trace = java.nio.file.Files.newBufferedWriter(java.nio.file.Path.of(traceFile));
            a.chip.trace(trace);
        }
        try {
            out.printf("ethling demo: two emulated ENC28J60 boards on a virtual wire (seed %d)%n", seed);
            for (EmulatedBoard board : new EmulatedBoard[] {a, b}) {
                SpiStats s = board.chip.stats();
                long t0 = clock.nanoTime();
                board.init();
                out.printf("  %s %s  revision 0x%02x  SPI %.1f MHz  init: %d SPI transactions, %d bytes, %.2f ms bus time, %.2f ms%n",
                        board.name, EmulatedBoard.mac(board.driver.macAddress()), board.driver.revision(),
                        board.driver.spiClockHz() / 1e6, s.transactions(), s.bytes(), s.busNanos() / 1e6,
                        (clock.nanoTime() - t0) / 1e6);
            }
            Sim sim = new Sim(clock, wire, a, b);
            sim.runFor(5_000_000L); // let both links settle (the driver reads PHSTAT2)
            out.printf("  link: A %s, B %s%n", a.driver.linkUp() ? "up" : "down", b.driver.linkUp() ? "up" : "down");

            out.printf("sending %d frames A -> B (60..1514 bytes, EtherType 0x%04X); B echoes each back%n", frames, ETHERTYPE);
            java.util.Random rnd = new java.util.Random(seed);
            int echoedOk = 0;
            int mismatched = 0;
            byte[][] sent = new byte[frames][];
            for (int i = 0; i < frames; i++) {
                int len = i == 0 ? 60 : i == 1 ? 1514 : 60 + rnd.nextInt(1514 - 60 + 1);
                byte[] f = frame(MAC_B, MAC_A, i, len, rnd);
                sent[i] = f;
                sim.sendFromA(f);
                sim.runFor(2_000_000L);
            }
            sim.runFor(200_000_000L);
            boolean[] seen = new boolean[frames];
            for (byte[] echo : sim.echoesAtA) {
                int seq = seqOf(echo);
                if (seq < 0 || seq >= frames) {
                    mismatched++;
                    continue;
                }
                byte[] expect = sent[seq].clone();
                swapMacs(expect);
                if (Arrays.equals(expect, echo) && !seen[seq]) {
                    seen[seq] = true;
                    echoedOk++;
                } else if (!Arrays.equals(expect, echo)) {
                    mismatched++;
                }
            }
            int lost = frames - echoedOk;
            out.printf("result: %d sent, %d echoed byte-exact, %d lost, %d damaged, %.1f ms virtual time%n",
                    frames, echoedOk, lost, mismatched, clock.nanoTime() / 1e6);
            out.println("counters (non-zero" + (allCounters ? ", and zero" : "") + "):");
            print(out, "driver A", a.driver.counters());
            print(out, "driver B", b.driver.counters());
            print(out, "chip A", a.chip.counters());
            print(out, "chip B", b.chip.counters());
            print(out, "wire", wire.counters());
            out.printf("  SPI A: %d transactions, %d bytes, %.2f ms bus time;  SPI B: %d transactions, %d bytes, %.2f ms%n",
                    a.chip.stats().transactions(), a.chip.stats().bytes(), a.chip.stats().busNanos() / 1e6,
                    b.chip.stats().transactions(), b.chip.stats().bytes(), b.chip.stats().busNanos() / 1e6);
            int misuse = a.chip.misuse().count() + b.chip.misuse().count();
            if (misuse > 0) {
                out.println("driver misuse reported by the emulated chips:");
                a.chip.misuse().lines().forEach(l -> out.println("  A: " + l));
                b.chip.misuse().lines().forEach(l -> out.println("  B: " + l));
            }
            boolean faultsOn = wireOptions.anyLoss();
            if (misuse > 0 || (!faultsOn && (lost > 0 || mismatched > 0))) {
                spec.commandLine().getErr().println("ethling demo: " + (misuse > 0 ? misuse + " driver misuse reports" : lost + " frames lost, " + mismatched + " damaged on a clean wire"));
                return 1;
            }
            return 0;
        } finally {
            if (trace != null) {
                a.chip.trace(null);
                trace.close();
            }
        }
    }

    void print(PrintWriter out, String who, Counters c) {
        StringBuilder line = new StringBuilder("  ").append(who).append(':');
        for (int i = 0; i < c.size(); i++) {
            if (allCounters || c.value(i) != 0) {
                line.append(' ').append(c.name(i)).append('=').append(c.value(i));
            }
        }
        out.println(line);
    }

    static byte[] frame(long dst, long src, int seq, int len, java.util.Random rnd) {
        byte[] f = new byte[len];
        putMac(f, 0, dst);
        putMac(f, 6, src);
        f[12] = (byte) (ETHERTYPE >>> 8);
        f[13] = (byte) ETHERTYPE;
        f[14] = (byte) (seq >>> 24);
        f[15] = (byte) (seq >>> 16);
        f[16] = (byte) (seq >>> 8);
        f[17] = (byte) seq;
        for (int i = 18; i < len; i++) {
            f[i] = (byte) rnd.nextInt(256);
        }
        return f;
    }

    static int seqOf(byte[] f) {
        if (f.length < 18 || (f[12] & 0xFF) != (ETHERTYPE >>> 8) || (f[13] & 0xFF) != (ETHERTYPE & 0xFF)) {
            return -1;
        }
        return ((f[14] & 0xFF) << 24) | ((f[15] & 0xFF) << 16) | ((f[16] & 0xFF) << 8) | (f[17] & 0xFF);
    }

    static void putMac(byte[] f, int off, long mac) {
        for (int i = 0; i < 6; i++) {
            f[off + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }

    static void swapMacs(byte[] f) {
        for (int i = 0; i < 6; i++) {
            byte t = f[i];
            f[i] = f[6 + i];
            f[6 + i] = t;
        }
    }

    /** The two boards' poll loops and the wire, stepped event by event on the virtual clock. */
    static final class Sim {
        final VirtualClock clock;
        final VirtualWire wire;
        final EmulatedBoard a;
        final EmulatedBoard b;
        final ArrayDeque<byte[]> outA = new ArrayDeque<>();
        final ArrayDeque<byte[]> outB = new ArrayDeque<>();
        final java.util.List<byte[]> echoesAtA = new java.util.ArrayList<>();
        final byte[] rx = new byte[1514];

        Sim(VirtualClock clock, VirtualWire wire, EmulatedBoard a, EmulatedBoard b) {
            this.clock = clock;
            this.wire = wire;
            this.a = a;
            this.b = b;
        }

        void sendFromA(byte[] f) {
            outA.add(f);
        }

        /** Runs both boards for {@code ns} of virtual time, jumping from event to event. */
        void runFor(long ns) {
            long end = clock.nanoTime() + ns;
            while (clock.nanoTime() - end < 0) {
                step();
                long next = Math.min(wire.nextDeliveryNs(), Math.min(a.nextEventNs(), b.nextEventNs()));
                if (!outA.isEmpty() || !outB.isEmpty()) {
                    next = Math.min(next, clock.nanoTime() + 50_000L); // retry a busy transmitter soon
                }
                long now = clock.nanoTime();
                if (next - now <= 0) {
                    next = now + 1_000L;
                }
                clock.advanceTo(Math.min(next, end));
            }
        }

        void step() {
            long now = clock.nanoTime();
            wire.deliver();
            a.chip.tick();
            b.chip.tick();
            a.driver.poll(now);
            b.driver.poll(now);
            int n;
            while ((n = a.driver.receive(rx, 0, rx.length)) > 0) {
                echoesAtA.add(Arrays.copyOf(rx, n));
            }
            while ((n = b.driver.receive(rx, 0, rx.length)) > 0) {
                byte[] echo = Arrays.copyOf(rx, n);
                swapMacs(echo);
                outB.add(echo);
            }
            flush(a, outA);
            flush(b, outB);
        }

        private static void flush(EmulatedBoard board, ArrayDeque<byte[]> queue) {
            while (!queue.isEmpty()) {
                byte[] f = queue.peek();
                int rc = board.driver.transmit(f, 0, f.length);
                if (rc == EthernetDevice.ERR_BUSY) {
                    return;
                }
                queue.poll(); // sent, or failed and counted by the driver
            }
        }
    }
}
