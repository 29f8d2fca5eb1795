package io.ethling.tools;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ethling emulate} as a person uses it: in a terminal (tmux: start it, press Enter, read
 * the screen) and as the web board in headless Chromium (a SELECT click, then a screenshot of the
 * LCD and the journey's ladder, kept as target/web-board.png). The page comes from the user-mode
 * gateway's built-in demo page (http://10.0.2.2/), since the user-mode network has no TCP relay to
 * the host yet; a static address (--ip) skips DHCP's RFC 5227 probe wait. Skipped with a message
 * where tmux or chromium is missing (Debian packages: tmux, chromium).
 */
class EmulateCommandTest {

    static final String[] NET = {"--ip", "10.0.2.15/24", "--gateway", "10.0.2.2", "--seed", "9"};

    static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Ethling.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static String shellQuote(List<String> cmd) {
        StringBuilder sb = new StringBuilder();
        for (String c : cmd) {
            sb.append('\'').append(c.replace("'", "'\\''")).append("' ");
        }
        return sb.toString();
    }

    static String waitFor(java.util.concurrent.Callable<String> read, Predicate<String> done, long ms) throws Exception {
        long end = System.nanoTime() + ms * 1_000_000L;
        String last = read.call();
        while (!done.test(last) && System.nanoTime() - end < 0) {
            Thread.sleep(100);
            last = read.call();
        }
        return last;
    }

    @Test
    void inTmuxEnterFetchesAndTheTitleAppears() throws Exception {
        Assumptions.assumeTrue(onPath("tmux"), "tmux is not installed (apt-get install tmux): skipping the terminal test");
        String socket = "ethling-test-" + ProcessHandle.current().pid();
        String session = "emulate";
        List<String> emulate = new ArrayList<>(List.of("emulate"));
        emulate.addAll(List.of(NET));
        emulate.addAll(List.of("--duration", "60"));
        String cmd = shellQuote(javaCommand(emulate.toArray(new String[0]))) + "; echo EXITED $?; sleep 30";
        run("tmux", "-L", socket, "new-session", "-d", "-s", session, "-x", "100", "-y", "12", cmd);
        try {
            java.util.concurrent.Callable<String> screen = () -> run("tmux", "-L", socket, "capture-pane", "-p", "-t", session);
            String s = waitFor(screen, t -> t.contains("|> 10.0.2.2") && t.contains("board 10.0.2.15"), 30_000);
            assertTrue(s.contains("|> 10.0.2.2:7654 |"), s);   // the demo page: the gateway's own listener
            run("tmux", "-L", socket, "send-keys", "-t", session, "Enter");
            s = waitFor(screen, t -> t.contains("|Ethling demo"), 20_000);
            assertTrue(s.contains("|Ethling demo    |"), s);
            assertTrue(s.contains("|Hello from the g|"), s);
            run("tmux", "-L", socket, "send-keys", "-t", session, "q");
            s = waitFor(screen, t -> t.contains("EXITED"), 20_000);
            assertTrue(s.contains("EXITED 0"), s);
            assertTrue(s.contains("fetches 1, pages 1, failures 0"), s);
        } finally {
            run("tmux", "-L", socket, "kill-server");
        }
    }

    @Test
    void theWebBoardInHeadlessChromium() throws Exception {
        String chromium = onPath("chromium") ? "chromium" : onPath("chromium-browser") ? "chromium-browser" : null;
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium): skipping the web board test");
        List<String> args = new ArrayList<>(List.of("emulate", "--web", "0", "--no-keys", "--duration", "90"));
        args.addAll(List.of(NET));
        Process board = new ProcessBuilder(javaCommand(args.toArray(new String[0]))).redirectErrorStream(true).start();
        Path target = Path.of("target");
        Path profile = Files.createTempDirectory("ethling-chromium");
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(board.getInputStream(), StandardCharsets.UTF_8));
            String line;
            String base = null;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("web board: ")) {
                    base = line.substring("web board: ".length()).strip();
                    break;
                }
            }
            assertTrue(base != null && base.startsWith("http://127.0.0.1:"), "no web board line");
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    lines.transferTo(java.io.Writer.nullWriter());
                } catch (IOException ignored) {
                    // the board ended
                }
            });
            HttpClient http = HttpClient.newHttpClient();
            String root = base;
            java.util.concurrent.Callable<String> lcd = () -> http.send(HttpRequest.newBuilder(URI.create(root + "lcd.txt")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String rows = waitFor(lcd, t -> t.startsWith("> 10.0.2.2"), 20_000);
            assertTrue(rows.startsWith("> 10.0.2.2"), rows);
            HttpResponse<String> click = http.send(HttpRequest.newBuilder(URI.create(base + "press?b=SELECT"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(303, click.statusCode());
            assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(base + "press?b=SELECT")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "a GET does not press");
            rows = waitFor(lcd, t -> t.startsWith("Ethling demo"), 20_000);
            assertTrue(rows.startsWith("Ethling demo"), rows);
            String svg = waitFor(() -> http.send(HttpRequest.newBuilder(URI.create(root + "journey.svg")).build(),
                    HttpResponse.BodyHandlers.ofString()).body(), t -> t.contains("<svg"), 10_000);
            assertTrue(svg.contains("<svg"), svg);

            List<String> common = List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile);
            List<String> dom = new ArrayList<>(common);
            dom.addAll(List.of("--dump-dom", base));
            String html = run(dom.toArray(new String[0]));
            assertTrue(html.contains("Ethling demo"), html);
            assertTrue(html.contains("<svg"), "the journey's ladder is on the page: " + html);
            assertTrue(html.contains("id=\"SELECT\""), html);

            Path png = target.resolve("web-board.png").toAbsolutePath();
            Files.deleteIfExists(png);
            List<String> shot = new ArrayList<>(common);
            shot.addAll(List.of("--window-size=1100,1600", "--screenshot=" + png, base));
            String out = run(shot.toArray(new String[0]));
            assertTrue(Files.exists(png) && Files.size(png) > 10_000, "no screenshot: " + out);
            System.out.println("web board screenshot: " + png);
        } finally {
            board.destroy();
            board.waitFor(10, TimeUnit.SECONDS);
            try (var w = Files.walk(profile)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * A real click: Playwright (playwright-core from npm, installed into target/web-test on first use)
     * drives Debian's Chromium, clicks the SELECT button on the web board, and waits for the page's
     * title on the LCD and the journey's ladder; the screenshot is saved as target/web-board-click.png.
     */
    @Test
    void aClickOnSelectInChromiumShowsTheTitleAndTheLadder() throws Exception {
        String chromium = onPath("chromium") ? "/usr/bin/chromium" : null;
        Assumptions.assumeTrue(chromium != null && new File(chromium).canExecute(),
                "chromium is not installed (apt-get install chromium): skipping the browser click test");
        Assumptions.assumeTrue(onPath("node") && onPath("npm"), "node/npm missing: skipping the browser click test");
        Path dir = Path.of("target", "web-test").toAbsolutePath();
        Files.createDirectories(dir);
        if (!Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", dir.toString(),
                    "playwright-core@1.65.1").redirectErrorStream(true).start();
            String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean ok = npm.waitFor(180, TimeUnit.SECONDS) && npm.exitValue() == 0;
            Assumptions.assumeTrue(ok, "playwright-core could not be installed from npm: skipping the browser click test\n" + log);
        }
        Path script = dir.resolve("click-select.mjs");
        try (var in = getClass().getResourceAsStream("/web/click-select.mjs")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> args = new ArrayList<>(List.of("emulate", "--web", "0", "--no-keys", "--duration", "90"));
        args.addAll(List.of(NET));
        Process board = new ProcessBuilder(javaCommand(args.toArray(new String[0]))).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(board.getInputStream(), StandardCharsets.UTF_8));
            String line;
            String base = null;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("web board: ")) {
                    base = line.substring("web board: ".length()).strip();
                    break;
                }
            }
            assertTrue(base != null && base.startsWith("http://127.0.0.1:"), "no web board line");
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    lines.transferTo(java.io.Writer.nullWriter());
                } catch (IOException ignored) {
                    // the board ended
                }
            });
            Path png = Path.of("target", "web-board-click.png").toAbsolutePath();
            Files.deleteIfExists(png);
            ProcessBuilder pb = new ProcessBuilder("node", script.toString(), base, png.toString(), "Ethling demo")
                    .directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().put("CHROMIUM", chromium);
            Process node = pb.start();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), "playwright did not finish: " + out);
            assertTrue(out.contains("CLICKED: title and ladder shown"), out);
            assertTrue(Files.exists(png) && Files.size(png) > 10_000, "no screenshot: " + out);
            System.out.println("web board after a click, screenshot: " + png);
        } finally {
            board.destroy();
            board.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
