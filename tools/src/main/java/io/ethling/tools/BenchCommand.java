package io.ethling.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ethling bench}: figures, as a readable table or as key=value lines. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures (readable table, or --format kv).",
        subcommands = {BenchCommand.Spi.class, BenchCommand.Alloc.class, BenchCommand.Memory.class, BenchCommand.Idle.class})
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    enum Format { table, kv }

    /** SPI transactions and bytes per RX and TX frame, against the Linux driver (ENC28J60.md §9). */
    @Command(name = "spi", mixinStandardHelpOptions = true,
            description = {
                "SPI cost of the driver per received and transmitted frame (60 and 1514 bytes) in",
                "steady state, counted by the emulated chip, beside the Linux enc28j60 driver's,",
                "and the frames per second the SPI bus allows at 8, 12 and 20 MHz."})
    static final class Spi implements Callable<Integer> {

        static final int[] LENGTHS = {60, 1514};
        static final int[] CLOCKS_MHZ = {8, 12, 20};

        @Option(names = "--format", paramLabel = "FORMAT", description = "table or kv (default ${DEFAULT-VALUE})")
        Format format = Format.table;

        @Option(names = "--frames", paramLabel = "N", description = "frames measured per case, after a warm-up (default ${DEFAULT-VALUE})")
        int frames = 2000;

        @Option(names = "--seed", paramLabel = "N", description = "seed (default ${DEFAULT-VALUE})")
        long seed = 1;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (frames < 10 || frames > 10_000_000) {
                throw new IllegalArgumentException("--frames " + frames + ": must be 10..10000000");
            }
            PrintWriter out = spec.commandLine().getOut();
            SpiCost.Result[] rx = new SpiCost.Result[LENGTHS.length];
            SpiCost.Result[] tx = new SpiCost.Result[LENGTHS.length];
            for (int i = 0; i < LENGTHS.length; i++) {
                rx[i] = SpiCost.receive(LENGTHS[i], 200, frames, seed);
                tx[i] = SpiCost.transmit(LENGTHS[i], 200, frames, seed);
            }
            double idle = SpiCost.idleTransactionsPerSecond(seed);
            if (format == Format.kv) {
                kv(out, rx, tx, idle);
            } else {
                table(out, rx, tx, idle);
            }
            return 0;
        }

        private static void kv(PrintWriter out, SpiCost.Result[] rx, SpiCost.Result[] tx, double idle) {
            for (int i = 0; i < LENGTHS.length; i++) {
                int len = LENGTHS[i];
                line(out, "rx." + len + ".transactions", rx[i].transactions());
                line(out, "rx." + len + ".bytes", rx[i].bytes());
                line(out, "tx." + len + ".transactions", tx[i].transactions());
                line(out, "tx." + len + ".bytes", tx[i].bytes());
                out.println("linux.rx." + len + ".transactions=" + SpiCost.LINUX_RX_TRANSACTIONS);
                out.println("linux.rx." + len + ".bytes=" + SpiCost.linuxRxBytes(len));
                out.println("linux.tx." + len + ".transactions=" + SpiCost.LINUX_TX_TRANSACTIONS);
                out.println("linux.tx." + len + ".bytes=" + SpiCost.linuxTxBytes(len));
                for (int mhz : CLOCKS_MHZ) {
                    int hz = mhz * 1_000_000;
                    line(out, "rx." + len + ".fps." + mhz + "mhz", rx[i].framesPerSecond(hz));
                    line(out, "tx." + len + ".fps." + mhz + "mhz", tx[i].framesPerSecond(hz));
                    line(out, "linux.rx." + len + ".fps." + mhz + "mhz",
                            Math.min(hz / (SpiCost.linuxRxBytes(len) * 8.0), 1e9 / SpiCost.wireNanos(len)));
                    line(out, "linux.tx." + len + ".fps." + mhz + "mhz",
                            Math.min(hz / (SpiCost.linuxTxBytes(len) * 8.0), 1e9 / SpiCost.wireNanos(len)));
                }
            }
            line(out, "idle.transactions.per.s", idle);
        }

        private static void line(PrintWriter out, String key, double value) {
            out.println(key + "=" + String.format(Locale.ROOT, "%.2f", value));
        }

        private static void table(PrintWriter out, SpiCost.Result[] rx, SpiCost.Result[] tx, double idle) {
            out.println("SPI cost per frame in steady state (driver + emulated ENC28J60, INT pin wired),");
            out.println("beside the Linux enc28j60 driver (ENC28J60.md §9). Bytes are clocked bytes; the frame length is without");
            out.println("FCS (the chip stores 4 more). Everything the driver does while the frames flow is charged to them,");
            out.println("including its supervisor's periodic health checks (see the idle rate below).");
            out.println();
            out.printf(Locale.ROOT, "%-10s %6s  %14s %12s  %14s %12s%n", "", "frame", "transactions", "bytes", "Linux trans.", "Linux bytes");
            for (int i = 0; i < LENGTHS.length; i++) {
                int len = LENGTHS[i];
                out.printf(Locale.ROOT, "%-10s %6d  %14.2f %12.2f  %14d %12d%n", "receive", len,
                        rx[i].transactions(), rx[i].bytes(), SpiCost.LINUX_RX_TRANSACTIONS, SpiCost.linuxRxBytes(len));
                out.printf(Locale.ROOT, "%-10s %6d  %14.2f %12.2f  %14d %12d%n", "transmit", len,
                        tx[i].transactions(), tx[i].bytes(), SpiCost.LINUX_TX_TRANSACTIONS, SpiCost.linuxTxBytes(len));
            }
            out.println();
            out.println("Predicted frames per second (the lower of the SPI bus at 8 clocks per byte and the 10BASE-T wire;");
            out.println("per-transaction software overhead not included — it is why the transaction count matters):");
            out.printf(Locale.ROOT, "%-10s %6s", "", "frame");
            for (int mhz : CLOCKS_MHZ) {
                out.printf(Locale.ROOT, "  %9s %9s", mhz + " MHz", "Linux");
            }
            out.println();
            for (int i = 0; i < LENGTHS.length; i++) {
                int len = LENGTHS[i];
                out.printf(Locale.ROOT, "%-10s %6d", "receive", len);
                for (int mhz : CLOCKS_MHZ) {
                    int hz = mhz * 1_000_000;
                    out.printf(Locale.ROOT, "  %9.0f %9.0f", rx[i].framesPerSecond(hz),
                            Math.min(hz / (SpiCost.linuxRxBytes(len) * 8.0), 1e9 / SpiCost.wireNanos(len)));
                }
                out.println();
                out.printf(Locale.ROOT, "%-10s %6d", "transmit", len);
                for (int mhz : CLOCKS_MHZ) {
                    int hz = mhz * 1_000_000;
                    out.printf(Locale.ROOT, "  %9.0f %9.0f", tx[i].framesPerSecond(hz),
                            Math.min(hz / (SpiCost.linuxTxBytes(len) * 8.0), 1e9 / SpiCost.wireNanos(len)));
                }
                out.println();
            }
            out.println();
            out.printf(Locale.ROOT, "Idle board: %.2f SPI transactions per second (supervisor checks; INT pin wakes the loop).%n", idle);
        }
    }

    /** Retained heap of the stack and of the driver in their default configuration. */
    @Command(name = "memory", mixinStandardHelpOptions = true,
            description = {
                "Retained heap of one stack (interface, ARP, UDP, TCP, DHCP, DNS; default configuration) and of one",
                "ENC28J60 driver: everything they allocate, once, when they are built."})
    static final class Memory implements Callable<Integer> {

        @Option(names = "--format", paramLabel = "FORMAT", description = "table or kv (default ${DEFAULT-VALUE})")
        Format format = Format.table;

        @Option(names = "--copies", paramLabel = "N", description = "instances built to average over (default ${DEFAULT-VALUE})")
        int copies = 50;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (copies < 1 || copies > 10_000) {
                throw new IllegalArgumentException("--copies " + copies + ": must be 1..10000");
            }
            MemoryBench.Result r = MemoryBench.measure(copies);
            PrintWriter out = spec.commandLine().getOut();
            if (format == Format.kv) {
                out.println("memory.stack.bytes=" + r.hostBytes());
                out.println("memory.driver.bytes=" + r.driverBytes());
            } else {
                out.printf(Locale.ROOT, "Retained heap, default configuration (average of %d instances, live heap after full GCs):%n", copies);
                out.printf(Locale.ROOT, "  stack (NetStack, ARP, UDP, TCP, DHCP, DNS)   %,10d bytes  (%.1f KiB)%n", r.hostBytes(), r.hostBytes() / 1024.0);
                out.printf(Locale.ROOT, "  ENC28J60 driver                            %,10d bytes  (%.1f KiB)%n", r.driverBytes(), r.driverBytes() / 1024.0);
            }
            return 0;
        }
    }

    /** Bytes allocated on the board's thread per warm fetch, and the fetch's round trips. */
    @Command(name = "alloc", mixinStandardHelpOptions = true,
            description = {
                "Bytes allocated on the board's thread per warm fetch (name from the hosts table, a new TCP",
                "connection every time, a 16 KiB page) on two emulated boards, and the time of a fetch by IP",
                "with 10 ms each way on the wire: new connection (2 round trips) and kept-alive (1)."})
    static final class Alloc implements Callable<Integer> {

        @Option(names = "--format", paramLabel = "FORMAT", description = "table or kv (default ${DEFAULT-VALUE})")
        Format format = Format.table;

        @Option(names = "--fetches", paramLabel = "N", description = "fetches measured after the warm-up (default ${DEFAULT-VALUE})")
        int fetches = 50;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (fetches < 1 || fetches > 100_000) {
                throw new IllegalArgumentException("--fetches " + fetches + ": must be 1..100000");
            }
            io.ethling.stack.http.HttpUrl page = io.ethling.stack.http.HttpUrl.of("http://server.test/page");
            FetchRig rig = new FetchRig(1_000_000L, 16 * 1024, 7);
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 4; round++) {          // warm-up rounds, then the measured ones
                rig.resetAllocation();
                for (int i = 0; i < fetches; i++) {
                    if (rig.fetch(page) < 0) {
                        throw new IllegalStateException("bench alloc: fetch " + i + " failed");
                    }
                    rig.closeConnections();
                }
                if (round >= 2) {
                    best = Math.min(best, rig.allocatedOnA());
                }
            }
            double perFetch = best / (double) fetches;
            FetchRig rtt = new FetchRig(10_000_000L, 64, 8);
            io.ethling.stack.http.HttpUrl byIp = io.ethling.stack.http.HttpUrl.of("http://10.9.0.1/page");
            rtt.fetch(byIp);
            rtt.closeConnections();
            long fresh = rtt.fetch(byIp);
            long kept = rtt.fetch(byIp);
            PrintWriter out = spec.commandLine().getOut();
            if (format == Format.kv) {
                out.println("alloc.bytes.per.fetch=" + String.format(Locale.ROOT, "%.2f", perFetch));
                out.println("fetch.new.ms=" + String.format(Locale.ROOT, "%.3f", fresh / 1e6));
                out.println("fetch.kept.ms=" + String.format(Locale.ROOT, "%.3f", kept / 1e6));
            } else {
                out.printf(Locale.ROOT, "Bytes allocated on the board's thread per warm fetch (16 KiB page, new TCP connection,%n");
                out.printf(Locale.ROOT, "name from the hosts table; best of the measured rounds of %d fetches): %.2f%n", fetches, perFetch);
                out.printf(Locale.ROOT, "Fetch by IP with 10 ms each way (1 round trip = 20 ms): new connection %.3f ms, kept-alive %.3f ms%n",
                        fresh / 1e6, kept / 1e6);
            }
            return 0;
        }
    }

    /** CPU of the idle board's loop (the emulated board, DHCP bound, nothing to do). */
    @Command(name = "idle", mixinStandardHelpOptions = true,
            description = {
                "CPU used by the emulated board's loop while idle: driver + emulated ENC28J60 + stack on the",
                "user-mode network, address by DHCP, then left alone for --seconds of real time. The loop sleeps",
                "until the next deadline, so it should stay far under 1 % of a core."})
    static final class Idle implements Callable<Integer> {

        @Option(names = "--format", paramLabel = "FORMAT", description = "table or kv (default ${DEFAULT-VALUE})")
        Format format = Format.table;

        @Option(names = "--seconds", paramLabel = "S", description = "idle time measured, real time (default ${DEFAULT-VALUE})")
        double seconds = 60;

        @Option(names = "--seed", paramLabel = "N", description = "seed (default ${DEFAULT-VALUE})")
        long seed = 1;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws java.io.IOException {
            if (!(seconds >= 1 && seconds <= 86_400)) {
                throw new IllegalArgumentException("--seconds " + seconds + ": must be 1..86400");
            }
            IdleBench.Result r = IdleBench.measure(seconds, 2, seed);
            PrintWriter out = spec.commandLine().getOut();
            if (format == Format.kv) {
                out.println("idle.seconds=" + String.format(Locale.ROOT, "%.2f", r.seconds()));
                out.println("idle.cpu.percent=" + String.format(Locale.ROOT, "%.4f", r.loopPercent()));
                out.println("idle.cpu.ms=" + String.format(Locale.ROOT, "%.2f", r.loopCpuNs() / 1e6));
                out.println("idle.process.cpu.percent=" + String.format(Locale.ROOT, "%.4f", r.processPercent()));
                out.println("idle.wakeups.per.s=" + String.format(Locale.ROOT, "%.2f", r.wakeupsPerSecond()));
                out.println("idle.alloc.bytes.per.s=" + String.format(Locale.ROOT, "%.1f", r.allocatedBytesPerSecond()));
                out.println("idle.dhcp.ms=" + String.format(Locale.ROOT, "%.1f", r.dhcpNs() / 1e6));
            } else {
                out.printf(Locale.ROOT, "Idle board (driver + emulated ENC28J60 + stack, user-mode network, DHCP bound in %.0f ms), %.1f s of real time:%n",
                        r.dhcpNs() / 1e6, r.seconds());
                out.printf(Locale.ROOT, "  loop thread CPU     %9.1f ms   %7.3f %% of a core%n", r.loopCpuNs() / 1e6, r.loopPercent());
                out.printf(Locale.ROOT, "  whole process CPU   %9.1f ms   %7.3f %% of a core (JIT, GC, the user-mode network's threads)%n",
                        r.processCpuNs() / 1e6, r.processPercent());
                out.printf(Locale.ROOT, "  loop wake-ups       %9d      %7.2f per second%n", r.wakeups(), r.wakeupsPerSecond());
                out.printf(Locale.ROOT, "  allocated by loop   %9d B    %7.1f B per second%n", r.allocatedBytes(), r.allocatedBytesPerSecond());
            }
            return 0;
        }
    }
}
