package io.ethling.tools.pcap;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs tshark (Wireshark's command line) on a capture, for tests; skipped when it is not installed. */
public final class Tshark {

    public static final String MISSING = "tshark is not installed: the pcap read-back checks are skipped "
            + "(apt-get install tshark)";

    private Tshark() {
    }

    /** The tshark executable on PATH, or null. */
    public static Path find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, "tshark");
            if (f.isFile() && f.canExecute()) {
                return f.toPath();
            }
        }
        return null;
    }

    /** Runs {@code tshark -n -r file [args]} and returns its standard output; fails on a non-zero exit. */
    public static String read(Path file, String... args) throws IOException, InterruptedException {
        Path exe = find();
        if (exe == null) {
            throw new IllegalStateException(MISSING);
        }
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), "-n", "-r", file.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(false);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);     // "running as root" warnings
        pb.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("tshark did not finish in 120 s on " + file);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("tshark exited with " + p.exitValue() + " on " + file + ":\n" + text);
        }
        return text;
    }

    /** The non-empty lines of tshark's one-line-per-frame summary. */
    public static List<String> summary(Path file) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        for (String l : read(file).split("\n")) {
            if (!l.isBlank()) {
                lines.add(l.strip());
            }
        }
        return lines;
    }
}
