package io.ethling.tools;

import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.FrameSink;
import io.ethling.hal.emulator.SpiStats;
import io.ethling.hal.emulator.VirtualClock;

/**
 * Measures what the driver costs on the SPI bus per frame in steady state, counted by the
 * emulated chip: the real driver, the INT pin wired as on the board, frames arriving (or leaving)
 * at 10BASE-T pace on a virtual clock. Everything the driver does in that time is charged to the
 * frames — including its supervisor's periodic checks — so the figures are what a board pays.
 */
public final class SpiCost {

    /** Linux enc28j60.c, per frame (ENC28J60.md §9): RX 17 transactions / len+38 bytes (len with FCS), TX 18 / len+35. */
    public static final int LINUX_RX_TRANSACTIONS = 17;
    public static final int LINUX_TX_TRANSACTIONS = 18;

    public static int linuxRxBytes(int frameLen) {
        return frameLen + 4 + 38;
    }

    public static int linuxTxBytes(int frameLen) {
        return frameLen + 35;
    }

    /** 10BASE-T time of one frame: preamble 8 + frame + FCS 4 + inter-frame gap 12 bytes, 0.8 µs each (§10). */
    public static long wireNanos(int frameLen) {
        int onWire = Math.max(frameLen, 60) + 4;
        return (8L + onWire + 12L) * 800L;
    }

    /** Per-frame averages. */
    public record Result(int frameLength, int frames, double transactions, double bytes) {

        /** Frames per second the SPI bus alone allows at {@code hz}, 8 clocks per byte. */
        public double spiFramesPerSecond(int hz) {
            return hz / (bytes * 8.0);
        }

        /** Frames per second allowed by SPI and by the 10BASE-T wire together. */
        public double framesPerSecond(int hz) {
            return Math.min(spiFramesPerSecond(hz), 1e9 / wireNanos(frameLength));
        }
    }

    private SpiCost() {
    }

    /** Receive cost: {@code frames} frames of {@code len} bytes (without FCS) after a warm-up. */
    public static Result receive(int len, int warmup, int frames, long seed) {
        VirtualClock clock = new VirtualClock();
        EmulatedBoard board = new EmulatedBoard("bench", clock, 0x02_00_00_00_00_01L, seed, true);
        board.init();
        byte[] frame = DemoCommand.frame(board.driver.macAddress(), 0x02_00_00_00_00_02L, 0, len,
                new java.util.Random(seed));
        byte[] rx = new byte[1514];
        settle(board);
        int delivered = 0;
        for (int i = 0; i < warmup; i++) {
            delivered += rxOne(board, frame, rx);
        }
        SpiStats stats = board.chip.stats();
        stats.reset();
        delivered = 0;
        for (int i = 0; i < frames; i++) {
            delivered += rxOne(board, frame, rx);
        }
        if (delivered != frames) {
            throw new IllegalStateException("receive bench: " + delivered + " of " + frames
                    + " frames of " + len + " bytes were delivered; counters: " + board.driver.counters());
        }
        return new Result(len, frames, stats.transactions() / (double) frames, stats.bytes() / (double) frames);
    }

    private static int rxOne(EmulatedBoard board, byte[] frame, byte[] rx) {
        board.chip.receive(frame, 0, frame.length);
        int got = 0;
        long now = board.clock.nanoTime();
        board.chip.tick();
        board.driver.poll(now);
        int n;
        while ((n = board.driver.receive(rx, 0, rx.length)) != 0) {
            if (n > 0) {
                got++;
            }
            if (n < 0 && n != EthernetDevice.ERR_TOO_SMALL) {
                break;
            }
        }
        // The next frame arrives one wire time later; the loop sleeps until then or its deadline.
        runIdleUntil(board, board.clock.nanoTime() + wireNanos(frame.length));
        return got;
    }

    /** Transmit cost: {@code frames} frames of {@code len} bytes after a warm-up. */
    public static Result transmit(int len, int warmup, int frames, long seed) {
        VirtualClock clock = new VirtualClock();
        EmulatedBoard board = new EmulatedBoard("bench", clock, 0x02_00_00_00_00_01L, seed, true);
        int[] sent = new int[1];
        board.chip.connect(new FrameSink() {
            @Override
            public void frame(byte[] buf, int off, int n) {
                sent[0]++;
            }
        });
        board.init();
        byte[] frame = DemoCommand.frame(0x02_00_00_00_00_02L, board.driver.macAddress(), 0, len,
                new java.util.Random(seed));
        settle(board);
        for (int i = 0; i < warmup; i++) {
            txOne(board, frame);
        }
        runIdleUntil(board, clock.nanoTime() + 10 * wireNanos(len));
        SpiStats stats = board.chip.stats();
        stats.reset();
        sent[0] = 0;
        for (int i = 0; i < frames; i++) {
            txOne(board, frame);
        }
        runIdleUntil(board, clock.nanoTime() + 10 * wireNanos(len));
        if (sent[0] != frames) {
            throw new IllegalStateException("transmit bench: " + sent[0] + " of " + frames
                    + " frames of " + len + " bytes reached the wire; counters: " + board.driver.counters());
        }
        return new Result(len, frames, stats.transactions() / (double) frames, stats.bytes() / (double) frames);
    }

    private static void txOne(EmulatedBoard board, byte[] frame) {
        for (int attempt = 0; ; attempt++) {
            int rc = board.driver.transmit(frame, 0, frame.length);
            if (rc != EthernetDevice.ERR_BUSY) {
                if (rc != EthernetDevice.OK) {
                    throw new IllegalStateException("transmit bench: transmit returned " + rc);
                }
                break;
            }
            if (attempt > 1000) {
                throw new IllegalStateException("transmit bench: transmitter stayed busy");
            }
            runIdleUntil(board, board.clock.nanoTime() + 100_000L);
        }
        runIdleUntil(board, board.clock.nanoTime() + wireNanos(frame.length));
    }

    /** SPI transactions per second of an idle board (INT pin wired, no traffic). */
    public static double idleTransactionsPerSecond(long seed) {
        VirtualClock clock = new VirtualClock();
        EmulatedBoard board = new EmulatedBoard("bench", clock, 0x02_00_00_00_00_01L, seed, true);
        board.init();
        settle(board);
        board.chip.stats().reset();
        runIdleUntil(board, clock.nanoTime() + 10_000_000_000L);
        return board.chip.stats().transactions() / 10.0;
    }

    private static void settle(EmulatedBoard board) {
        runIdleUntil(board, board.clock.nanoTime() + 5_000_000L);
    }

    /**
     * The firmware's loop with nothing arriving: sleep until the INT pin falls or the driver's
     * next deadline, poll, repeat — until {@code endNs}.
     */
    static void runIdleUntil(EmulatedBoard board, long endNs) {
        VirtualClock clock = board.clock;
        while (clock.nanoTime() - endNs < 0) {
            long now = clock.nanoTime();
            board.chip.tick();
            if (board.driver.interruptPending() || board.driver.pollAtNs(now) - now <= 0) {
                board.driver.poll(now);
            }
            long next = Math.min(board.nextEventNs(), endNs);
            if (next - clock.nanoTime() <= 0) {
                next = clock.nanoTime() + 1_000L;
            }
            clock.advanceTo(Math.min(next, endNs));
        }
    }
}
