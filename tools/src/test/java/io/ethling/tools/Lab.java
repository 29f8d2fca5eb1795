package io.ethling.tools;

import io.ethling.hal.emulator.TapDevice;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The test lab (tools/lab/lab.sh): a network namespace the test creates, holding the kernel side
 * of a TAP device at 203.0.113.1/24 with dnsmasq (DHCP, DNS) and nginx. The TAP is opened here,
 * in the test's namespace, then moved into the lab's (PLATFORM.md §4.4: the descriptor keeps
 * working). Nothing in the lab has a route anywhere else. Closing tears it all down.
 */
final class Lab implements AutoCloseable {

    static final Path SCRIPT = Path.of("lab", "lab.sh").toAbsolutePath();

    final String ns;
    final TapDevice tap;

    /** Skips the calling test with a clear message when the lab cannot run here. */
    static void assumeAvailable() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "lab test skipped: needs root (network namespace, TAP device)");
        Assumptions.assumeTrue(new File("/dev/net/tun").exists(), "lab test skipped: no /dev/net/tun");
        String missing = "";
        for (String tool : new String[] {"ip", "dnsmasq", "nginx"}) {
            if (!TapLabTest.onPath(tool)) {
                missing += " " + tool;
            }
        }
        Assumptions.assumeTrue(missing.isEmpty(), "lab test skipped: missing" + missing
                + " (Debian: apt-get install iproute2 dnsmasq-base nginx-light; .ci/run installs them)");
    }

    Lab(String lease) throws IOException, InterruptedException {
        String suffix = Long.toHexString((System.nanoTime() ^ ProcessHandle.current().pid()) & 0xFFFFFL);
        ns = "ethl-lab-" + suffix;
        run(List.of("ip", "netns", "add", ns), 10);
        TapDevice t = null;
        try {
            t = TapDevice.open("ethll" + suffix);
            run(List.of("ip", "link", "set", t.name(), "netns", ns), 10);
            run(List.of(SCRIPT.toString(), "up", ns, t.name(), lease), 60);
        } catch (IOException | RuntimeException e) {
            if (t != null) {
                t.close();
            }
            run(List.of(SCRIPT.toString(), "down", ns), 30);
            throw e;
        }
        tap = t;
    }

    /** Runs a command inside the lab namespace and returns its output; fails on a non-zero exit. */
    String exec(int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return run(full, timeoutSeconds);
    }

    /** Starts a command inside the lab namespace without waiting. */
    Process start(String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return new ProcessBuilder(full).redirectErrorStream(true).start();
    }

    static String run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": timed out after " + timeoutSeconds + " s");
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            tap.close();
        } finally {
            run(List.of(SCRIPT.toString(), "down", ns), 30);
        }
    }
}
