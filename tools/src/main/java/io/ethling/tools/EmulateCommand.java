package io.ethling.tools;

import io.ethling.hal.Buttons;
import io.ethling.stack.wire.Ipv4Packet;
import io.ethling.tools.net.NetworkOptions;
import io.ethling.tools.net.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code ethling emulate [URL...]}: the firmware on the emulated board, its 16×2 LCD drawn in the
 * terminal, the arrow keys and Enter as the plate's buttons (q quits); {@code --web PORT} also
 * shows the board as a web page on 127.0.0.1.
 */
@Command(name = "emulate", mixinStandardHelpOptions = true,
        description = {
            "Runs the board's firmware on the emulated board: the LCD is drawn in the terminal; the arrow keys",
            "are UP/DOWN/LEFT/RIGHT, Enter is SELECT (fetch), q quits. URLs given become the bookmarks; on the",
            "user-mode network the gateway serves a demo page at " + EmulatedApp.DEMO_URL + " (the default bookmark).",
            "--web PORT: the same board as a web page on http://127.0.0.1:PORT/ (LCD, buttons, the last fetch's journey)."})
final class EmulateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "URL", arity = "0..*", description = "bookmarks (http://host[:port]/path)")
    String[] urls = new String[0];

    @Option(names = "--web", paramLabel = "PORT", description = "also serve the board as a web page on 127.0.0.1:PORT")
    Integer web;

    @Option(names = "--no-keys", description = "do not read the keyboard (with --web, or under a script)")
    boolean noKeys;

    @Option(names = "--duration", paramLabel = "S", description = "stop after S seconds (default: until q or interrupted)")
    double duration;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Spec
    CommandSpec spec;

    private volatile boolean quit;

    @Override
    public Integer call() throws Exception {
        if (web != null && (web < 0 || web > 65535)) {
            throw new IllegalArgumentException("--web " + web + ": must be a TCP port 1..65535 (0: any free one)");
        }
        if (duration < 0 || duration > 31_536_000) {
            throw new IllegalArgumentException("--duration " + duration + ": must be 0..31536000 seconds");
        }
        if (urls.length == 0 && network.resolve().tap != null) {
            throw new IllegalArgumentException("with --tap, give the bookmarks as URLs (the demo page " + EmulatedApp.DEMO_URL
                    + " is served by the user-mode network)");
        }
        String[] bookmarks = urls.length > 0 ? urls : new String[] {EmulatedApp.DEMO_URL};
        for (String u : bookmarks) {
            io.ethling.stack.http.HttpUrl.of(u);            // one clear line on a bad URL (exit 2)
        }
        NetworkOptions.Resolved o = network.resolve();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = !noKeys && System.console() != null;
        try (Session s = new Session(o, network.wire())) {
            EmulatedApp board = new EmulatedApp(s, bookmarks);
            WebBoard webBoard = web == null ? null : WebBoard.start(board, web);
            if (webBoard != null) {
                err.println("web board: http://127.0.0.1:" + webBoard.port() + "/");
                err.flush();
            }
            String saved = terminal ? Tty.raw() : null;
            Thread restoreOnExit = saved == null ? null : new Thread(() -> Tty.restore(saved), "ethling-tty");
            if (restoreOnExit != null) {
                Runtime.getRuntime().addShutdownHook(restoreOnExit);
            }
            Thread keys = null;
            try {
                if (terminal) {
                    keys = Thread.ofPlatform().daemon().name("ethling-keys").start(() -> readKeys(board, System.in));
                }
                run(s, board, out, terminal);
            } finally {
                if (saved != null) {
                    Tty.restore(saved);
                    try {
                        Runtime.getRuntime().removeShutdownHook(restoreOnExit);
                    } catch (IllegalStateException e) {
                        // already shutting down: the hook restores it
                    }
                }
                if (webBoard != null) {
                    webBoard.stop();
                }
                board.close();
                if (keys != null) {
                    keys.interrupt();
                }
            }
            out.println();
            out.println("address " + (s.host.net().address() == 0 ? "none" : Ipv4Packet.format(s.host.net().address()))
                    + ", fetches " + board.app.counters().value("app.fetches") + ", pages " + board.app.counters().value("app.pages")
                    + ", failures " + board.app.counters().value("app.failures"));
            out.println(String.format(java.util.Locale.ROOT, "cpu: loop thread %.1f ms, process %.1f ms in %.1f s (loop %.2f %% of a core, process %.2f %%)",
                    loopCpuNs / 1e6, processCpuNs / 1e6, wallNs / 1e9, 100.0 * loopCpuNs / Math.max(1, wallNs),
                    100.0 * processCpuNs / Math.max(1, wallNs)));
            out.flush();
            return ExitCodes.OK;
        }
    }

    private long loopCpuNs;
    private long processCpuNs;
    private long wallNs;

    private void run(Session s, EmulatedApp board, PrintWriter out, boolean terminal) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long proc0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        try {
            loop(s, board, out, terminal);
        } finally {
            loopCpuNs = threads.getCurrentThreadCpuTime() - cpu0;
            processCpuNs = os.getProcessCpuTime() - proc0;
            wallNs = System.nanoTime() - wall0;
        }
    }

    private void loop(Session s, EmulatedApp board, PrintWriter out, boolean terminal) {
        s.work(board);
        long end = duration > 0 ? s.nowNs() + (long) (duration * 1e9) : Long.MAX_VALUE;
        String[] drawn = null;
        int drawnIp = -1;
        if (terminal) {
            out.print("\033[2J");
        }
        while (!quit && (end == Long.MAX_VALUE || end - s.nowNs() > 0)) {
            s.step(200_000_000L);
            String[] rows = board.rows();
            int ip = s.host.net().address();
            if (rows != drawn || ip != drawnIp) {
                drawn = rows;
                drawnIp = ip;
                draw(out, rows, s, terminal);
            }
        }
        s.work(null);
    }

    private static void draw(PrintWriter out, String[] rows, Session s, boolean terminal) {
        if (terminal) {
            out.print("\033[H");
        }
        String nl = terminal ? "\r\n" : "\n";
        out.print("+----------------+" + nl);
        out.print("|" + rows[0] + "|" + nl);
        out.print("|" + rows[1] + "|" + nl);
        out.print("+----------------+" + nl);
        if (terminal) {
            int ip = s.host.net().address();
            out.print("arrows: UP/DOWN/LEFT/RIGHT  Enter: SELECT  q: quit   board " + (ip == 0 ? "(no address yet)" : Ipv4Packet.format(ip))
                    + "\033[K" + nl);
        }
        out.flush();
    }

    /** Arrow keys (ESC [ A..D) and Enter become button presses; q or Ctrl-C quits. */
    private void readKeys(EmulatedApp board, InputStream in) {
        try {
            int state = 0;
            int c;
            while (!quit && (c = in.read()) >= 0) {
                if (state == 0) {
                    if (c == 27) {
                        state = 1;
                    } else if (c == '\r' || c == '\n' || c == ' ') {
                        board.press(Buttons.SELECT, 80);
                    } else if (c == 'q' || c == 'Q' || c == 3 || c == 4) {
                        quit = true;
                    }
                } else if (state == 1) {
                    state = c == '[' || c == 'O' ? 2 : 0;
                } else {
                    state = 0;
                    switch (c) {
                        case 'A' -> board.press(Buttons.UP, 80);
                        case 'B' -> board.press(Buttons.DOWN, 80);
                        case 'C' -> board.press(Buttons.RIGHT, 80);
                        case 'D' -> board.press(Buttons.LEFT, 80);
                        default -> {
                        }
                    }
                }
            }
        } catch (IOException e) {
            quit = true;
        }
    }

    /** The terminal's raw mode through stty(1) on /dev/tty; restored from the saved settings. */
    static final class Tty {
        static String raw() {
            String saved = stty("-g");
            if (saved == null) {
                return null;
            }
            stty("-icanon", "-echo", "min", "1", "-isig");
            return saved.strip();
        }

        static void restore(String saved) {
            stty(saved);
        }

        private static String stty(String... args) {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "stty";
            System.arraycopy(args, 0, cmd, 1, args.length);
            try {
                Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String text = new String(p.getInputStream().readAllBytes());
                return p.waitFor() == 0 ? text : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
