package io.ethling.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ethling deploy --host USER@HOST}: copies the .deb to a Raspberry Pi with scp and
 * installs it there with ssh ({@code sudo apt-get install} of the file, which pulls in Java 25
 * and runs the postinst), then restarts the service. Uses the system's OpenSSH client, so keys,
 * agents and ~/.ssh/config work as usual.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {
            "Copies the .deb to a Raspberry Pi (scp) and installs it (ssh: sudo apt-get install ./ethling_*.deb,",
            "then sudo systemctl restart ethling). Build the package first: ./mvnw package."})
final class DeployCommand implements Callable<Integer> {

    @Option(names = "--host", required = true, paramLabel = "USER@HOST", description = "the Pi, as ssh takes it (e.g. pi@raspberrypi.local)")
    String host;

    @Option(names = "--deb", paramLabel = "FILE", description = "the package (default: the newest packaging/target/ethling_*_all.deb, or ./ethling_*_all.deb)")
    Path deb;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "ssh port (default: ssh's own, usually 22)")
    Integer port;

    @Option(names = "--dry-run", description = "print the commands instead of running them")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    /** Where scp and ssh are looked up (the PATH; tests point it at stand-ins). */
    String searchPath = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");

    /** Where the default package is looked for. */
    Path workDir = Path.of("");

    @Override
    public Integer call() throws IOException, InterruptedException {
        // ssh would take "-oProxyCommand=…" as an option: only plain user@host names
        if (!host.matches("([A-Za-z0-9._][A-Za-z0-9._-]*@)?[A-Za-z0-9][A-Za-z0-9.:-]*")) {
            throw new IllegalArgumentException("--host \"" + host + "\": not USER@HOST (letters, digits, . _ - : only)");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("--port " + port + ": must be 1..65535");
        }
        Path file = deb != null ? deb : findDeb();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--deb " + file + ": no such file");
        }
        String name = file.getFileName().toString();
        if (!name.matches("[A-Za-z0-9._+~-]+\\.deb")) {
            throw new IllegalArgumentException("--deb " + file + ": not a .deb file name");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        List<List<String>> steps = new ArrayList<>();
        List<String> scp = new ArrayList<>(List.of(tool("scp")));
        if (port != null) {
            scp.addAll(List.of("-P", port.toString()));
        }
        scp.addAll(List.of(file.toString(), host + ":" + name));
        steps.add(scp);
        // the file name is checked above: safe in the remote shell; "./" makes apt take a file
        steps.add(ssh("sudo apt-get install -y --reinstall ./" + name + " && rm -f ./" + name));
        steps.add(ssh("sudo systemctl restart ethling"));
        String[] what = {"copy " + name + " to " + host, "install on " + host, "restart ethling.service on " + host};
        for (int i = 0; i < steps.size(); i++) {
            List<String> cmd = steps.get(i);
            out.println("deploy: " + what[i] + ": " + String.join(" ", cmd));
            out.flush();
            if (dryRun) {
                continue;
            }
            int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            if (rc != 0) {
                err.println("deploy: " + what[i] + " failed (" + cmd.get(0) + " exit " + rc + ")");
                err.flush();
                return ExitCodes.FAILED;
            }
        }
        if (!dryRun) {
            out.println("deploy: done; on the Pi: ethling doctor, journalctl -u ethling -f");
        }
        return ExitCodes.OK;
    }

    private List<String> ssh(String remote) {
        List<String> c = new ArrayList<>(List.of(tool("ssh")));
        if (port != null) {
            c.addAll(List.of("-p", port.toString()));
        }
        c.add("-t");                                   // sudo may ask for a password
        c.add(host);
        c.add(remote);
        return c;
    }

    private String tool(String name) {
        for (String dir : searchPath.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        if (dryRun) {
            return name;
        }
        throw new IllegalStateException(name + " not found on PATH: install the OpenSSH client (apt install openssh-client)");
    }

    private Path findDeb() throws IOException {
        for (Path dir : new Path[] {workDir.resolve("packaging/target"), workDir}) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                Path newest = s.filter(p -> p.getFileName().toString().matches("ethling_.+_all\\.deb"))
                        .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                        .orElse(null);
                if (newest != null) {
                    return newest;
                }
            }
        }
        throw new IllegalArgumentException("no ethling_*_all.deb in packaging/target or here: build it with ./mvnw package, or give --deb FILE");
    }
}
