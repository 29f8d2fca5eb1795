package io.ethling.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built .deb (jdeb, PLATFORM.md §5): its files, modes and owners ({@code dpkg-deb -c}), its
 * control fields, conffiles and maintainer scripts ({@code dpkg-deb -I}, {@code -e}), what the
 * postinst does (run against recording stand-ins for adduser, getent and deb-systemd-helper),
 * the systemd unit and the launcher, the jar, and lintian (no errors). Runs after {@code package}
 * (failsafe), so {@code ./mvnw verify} checks the package it just built. Skips with a message
 * where dpkg-deb or lintian is missing.
 */
class DebPackageIT {

    private static Path deb;
    private static Path jar;

    @BeforeAll
    static void findDeb() throws IOException {
        Path target = Path.of(System.getProperty("ethling.target", "target"));
        try (Stream<Path> s = Files.list(target)) {
            // the name jdeb gives: ethling_<Debian version>_all.deb (newest if several)
            deb = s.filter(p -> p.getFileName().toString().matches("ethling_[0-9][^_]*_all\\.deb"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .orElseThrow(() -> new AssertionError("no ethling_*_all.deb in " + target + ": did `package` run?"));
        }
        jar = target.resolve("ethling.jar");
        System.out.println("package under test: " + deb);
    }

    /** Path → "mode owner/group" for every entry of {@code dpkg-deb -c}. */
    private static Map<String, String> contents() throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb not installed (apt-get install dpkg): package contents not checked");
        Map<String, String> m = new TreeMap<>();
        for (String line : run(null, "dpkg-deb", "-c", deb.toString()).out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            // drwxr-xr-x root/root         0 2026-11-21 06:32 ./usr/
            String[] f = line.trim().split("\\s+");
            String path = f[5].substring(1);                // "./usr/" -> "/usr/"
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            m.put(path, f[0] + " " + f[1]);
        }
        return m;
    }

    @Test
    void filesModesAndOwners() throws Exception {
        Map<String, String> c = contents();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("/usr/share/ethling/ethling.jar", "-rw-r--r--");
        files.put("/usr/bin/ethling", "-rwxr-xr-x");
        files.put("/etc/ethling/board.properties", "-rw-r--r--");
        files.put("/etc/ethling/ethling.conf", "-rw-r--r--");
        files.put("/usr/lib/systemd/system/ethling.service", "-rw-r--r--");
        files.put("/usr/share/doc/ethling/copyright", "-rw-r--r--");
        files.put("/usr/share/doc/ethling/changelog.gz", "-rw-r--r--");
        files.put("/usr/share/doc/ethling/boards.md", "-rw-r--r--");
        files.put("/usr/share/man/man1/ethling.1.gz", "-rw-r--r--");
        files.put("/usr/share/lintian/overrides/ethling", "-rw-r--r--");
        for (Map.Entry<String, String> e : files.entrySet()) {
            assertEquals(e.getValue() + " root/root", c.get(e.getKey()), "mode and owner of " + e.getKey() + " in\n" + c);
        }
        for (Map.Entry<String, String> e : c.entrySet()) {
            if (e.getValue().startsWith("d")) {
                assertEquals("drwxr-xr-x root/root", e.getValue(), "directory " + e.getKey());
                assertTrue(c.keySet().stream().anyMatch(p -> p.startsWith(e.getKey() + "/")),
                        "empty directory " + e.getKey());
            } else {
                assertTrue(files.containsKey(e.getKey()), "unexpected file in the package: " + e.getKey());
            }
        }
        // every parent directory is in the archive (dpkg needs them to record ownership)
        for (String f : files.keySet()) {
            for (Path p = Path.of(f).getParent(); p != null && !p.toString().equals("/"); p = p.getParent()) {
                assertTrue(c.containsKey(p.toString()), "parent directory " + p + " missing");
            }
        }
    }

    @Test
    void controlFieldsConffilesAndScripts(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb not installed (apt-get install dpkg): control not checked");
        String info = run(null, "dpkg-deb", "-I", deb.toString()).out;
        Map<String, String> f = fields(run(null, "dpkg-deb", "-f", deb.toString()).out);
        assertEquals("ethling", f.get("Package"));
        assertEquals("all", f.get("Architecture"));
        assertTrue(f.get("Version").matches("0\\.1\\.0(~snapshot)?"), f.get("Version"));
        assertEquals("net", f.get("Section"));
        assertEquals("optional", f.get("Priority"));
        assertTrue(f.get("Maintainer").matches(".+ <[^@ ]+@[^@ ]+>"), f.get("Maintainer"));
        String depends = f.get("Depends");
        assertTrue(depends.startsWith("openjdk-25-jre-headless | java25-runtime-headless"), depends);
        assertTrue(depends.contains("adduser"), "postinst calls adduser: " + depends);
        assertTrue(depends.contains("init-system-helpers"), "postinst calls deb-systemd-helper: " + depends);
        assertTrue(Integer.parseInt(f.get("Installed-Size")) > 1000, "Installed-Size " + f.get("Installed-Size"));
        assertTrue(f.get("Description").startsWith("allocation-free TCP/IP stack"), f.get("Description"));
        // the maintainer scripts are there and executable ("*" in dpkg-deb -I)
        for (String script : new String[] {"postinst", "prerm", "postrm"}) {
            assertTrue(info.matches("(?s).*\\*\\s+" + script + "\\s+#!/bin/sh.*"), script + " missing or not executable:\n" + info);
        }
        assertTrue(info.contains(" conffiles"), info);

        Path control = tmp.resolve("DEBIAN");
        run(null, "dpkg-deb", "-e", deb.toString(), control.toString());
        assertEquals(List.of("/etc/ethling/board.properties", "/etc/ethling/ethling.conf"),
                Files.readAllLines(control.resolve("conffiles")));
        for (String script : new String[] {"postinst", "prerm", "postrm"}) {
            Result r = run(null, "sh", "-n", control.resolve(script).toString());
            assertEquals(0, r.code, script + " has a syntax error: " + r.err);
        }
        String postinst = Files.readString(control.resolve("postinst"));
        assertTrue(postinst.contains("adduser --system --group"), postinst);
        assertTrue(postinst.contains("deb-systemd-helper enable 'ethling.service'"), postinst);
        assertTrue(Files.readString(control.resolve("prerm")).contains("deb-systemd-invoke stop 'ethling.service'"));
        // md5sums covers every file
        List<String> sums = Files.readAllLines(control.resolve("md5sums"));
        assertEquals(10, sums.size(), "md5sums: " + sums);
    }

    /**
     * The postinst on a fresh install: creates the system user, adds it to spi, gpio and i2c
     * when those groups exist (i2c does not here: it is skipped), enables and starts the unit.
     * adduser, getent, deb-systemd-helper, deb-systemd-invoke and systemctl are stand-ins that
     * record their arguments.
     */
    @Test
    void postinstCreatesTheUserAndEnablesTheService(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb not installed: postinst not run");
        Path control = tmp.resolve("DEBIAN");
        run(null, "dpkg-deb", "-e", deb.toString(), control.toString());
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path log = tmp.resolve("calls.log");
        // getent: no user ethling yet; groups spi and gpio exist, i2c does not
        stub(bin, "getent", "echo \"getent $*\" >> " + log + "\n"
                + "case \"$1 $2\" in \"group spi\"|\"group gpio\") echo \"$2:x:999:\"; exit 0;; esac\nexit 2\n");
        for (String cmd : new String[] {"adduser", "deb-systemd-helper", "deb-systemd-invoke", "systemctl"}) {
            stub(bin, cmd, "echo \"" + cmd + " $*\" >> " + log + "\nexit 0\n");
        }
        Result r = run(Map.of("PATH", bin + ":/usr/bin:/bin"), "sh", control.resolve("postinst").toString(), "configure");
        assertEquals(0, r.code, "postinst configure failed: " + r.err);
        List<String> calls = Files.readAllLines(log);
        assertTrue(calls.contains("adduser --system --group --no-create-home --home /nonexistent --quiet ethling"), calls.toString());
        assertTrue(calls.contains("adduser --quiet ethling spi"), calls.toString());
        assertTrue(calls.contains("adduser --quiet ethling gpio"), calls.toString());
        assertFalse(calls.contains("adduser --quiet ethling i2c"), "added to a group that does not exist: " + calls);
        assertTrue(calls.contains("deb-systemd-helper enable ethling.service"), calls.toString());
        assertTrue(calls.indexOf("adduser --system --group --no-create-home --home /nonexistent --quiet ethling")
                < calls.indexOf("deb-systemd-helper enable ethling.service"), "user before the service: " + calls);

        // an upgrade: the user exists, adduser --system is not called again
        Files.delete(log);
        stub(bin, "getent", "echo \"getent $*\" >> " + log + "\necho \"$2:x:999:\"\nexit 0\n");
        r = run(Map.of("PATH", bin + ":/usr/bin:/bin"), "sh", control.resolve("postinst").toString(), "configure", "0.0.9");
        assertEquals(0, r.code, r.err);
        calls = Files.readAllLines(log);
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("adduser --system")), calls.toString());
        assertTrue(calls.contains("adduser --quiet ethling i2c"), calls.toString());
    }

    @Test
    void unitLauncherAndConfiguration(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb not installed: files not extracted");
        run(null, "dpkg-deb", "-x", deb.toString(), tmp.toString());
        String unit = Files.readString(tmp.resolve("usr/lib/systemd/system/ethling.service"));
        for (String line : new String[] {
            "User=ethling", "Group=ethling", "SupplementaryGroups=spi gpio i2c", "Restart=on-failure",
            "SuccessExitStatus=143", "WantedBy=multi-user.target",
            "ExecStart=/usr/bin/java --enable-native-access=ALL-UNNAMED -cp /usr/share/ethling/ethling.jar"
                    + " io.ethling.firmware.Main --board /etc/ethling/board.properties --config /etc/ethling/ethling.conf"}) {
            assertTrue(unit.lines().anyMatch(line::equals), "unit lacks " + line + ":\n" + unit);
        }
        assertFalse(unit.lines().anyMatch(l -> l.startsWith("PrivateDevices=")), "PrivateDevices hides /dev/spidev* (PLATFORM.md §5.2)");
        if (onPath("systemd-analyze")) {
            Result r = run(null, "systemd-analyze", "verify", "--man=no",
                    tmp.resolve("usr/lib/systemd/system/ethling.service").toString());
            System.out.println("systemd-analyze verify: rc " + r.code + " " + r.err.strip());
        }
        String launcher = Files.readString(tmp.resolve("usr/bin/ethling"));
        assertTrue(launcher.startsWith("#!/bin/sh\n"), launcher);
        assertTrue(launcher.contains("--enable-native-access=ALL-UNNAMED -jar /usr/share/ethling/ethling.jar \"$@\""), launcher);
        assertEquals(0, run(null, "sh", "-n", tmp.resolve("usr/bin/ethling").toString()).code);
        // the board file: the keys doctor and the firmware read
        String conf = Files.readString(tmp.resolve("etc/ethling/board.properties"));
        for (String key : new String[] {"board.model", "spi.bus", "spi.cs", "spi.clock.hz", "enc28j60.int.gpio",
            "lcd.type", "lcd.i2c.bus", "lcd.i2c.address"}) {
            assertTrue(conf.lines().anyMatch(l -> l.startsWith(key + " = ")), "board.properties lacks " + key);
        }
        // the app's configuration: the firmware's strict parser accepts it, with at least one bookmark
        io.ethling.firmware.AppConfig app = io.ethling.firmware.AppConfig.parse("ethling.conf",
                Files.readString(tmp.resolve("etc/ethling/ethling.conf")));
        assertTrue(app != null);
    }

    /**
     * The shipped /etc/ethling/board.properties is a board file the firmware accepts (strict parser),
     * with the same settings as boards/pi4b/pcf8574.properties, the board it says it is.
     */
    @Test
    void configurationIsTheRepositorysPi4BoardFile(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb not installed: files not extracted");
        run(null, "dpkg-deb", "-x", deb.toString(), tmp.toString());
        String conf = Files.readString(tmp.resolve("etc/ethling/board.properties"));
        io.ethling.firmware.BoardFile b = io.ethling.firmware.BoardFile.parse("board.properties", conf);
        assertEquals(io.ethling.firmware.BoardFile.Model.PI4B, b.model());
        assertEquals("/dev/spidev0.0", b.spiDevice());
        assertEquals(25, b.intGpio());
        assertEquals(0x27, b.lcdI2cAddress());
        Path board = Path.of("..", "boards", "pi4b", "pcf8574.properties");
        assertEquals(settings(Files.readString(board)), settings(conf), "board.properties differs from " + board);
    }

    /** The key = value lines, comments and blank lines dropped. */
    private static List<String> settings(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    /** The jar runs the command line, and carries the firmware, the spidev SPI and Pi4J's plugins. */
    @Test
    void jarRunsAndCarriesWhatThePiNeeds() throws Exception {
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("io.ethling.tools.Ethling", j.getManifest().getMainAttributes().getValue("Main-Class"));
            assertEquals("ALL-UNNAMED", j.getManifest().getMainAttributes().getValue("Enable-Native-Access"));
            for (String c : new String[] {"io/ethling/tools/Ethling.class", "io/ethling/firmware/BoardFile.class",
                "io/ethling/hal/pi4j/SpidevSpiDevice.class", "io/ethling/hal/enc28j60/Enc28j60.class",
                "io/ethling/hal/lcd/", "io/ethling/stack/Host.class", "com/pi4j/Pi4J.class"}) {
                assertTrue(j.getEntry(c) != null || j.stream().anyMatch(e -> e.getName().startsWith(c)), "jar lacks " + c);
            }
            String plugins = new String(j.getInputStream(j.getEntry("META-INF/services/com.pi4j.extension.Plugin"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(plugins.contains("linuxfs"), plugins);
            assertTrue(plugins.contains("gpiod"), plugins);
            assertFalse(j.stream().anyMatch(e -> e.getName().endsWith("module-info.class")), "module-info in a fat jar");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Result r = run(null, java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "--version");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("ethling 0.1.0"), r.out);
        r = run(null, java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "doctor", "--help");
        assertEquals(0, r.code, r.out + r.err);
    }

    /** The class the systemd unit starts has a {@code public static void main(String[])}. */
    @Test
    void theUnitsMainClassIsInTheJar() throws Exception {
        try (JarFile j = new JarFile(jar.toFile())) {
            assertTrue(j.getEntry("io/ethling/firmware/Main.class") != null, "io.ethling.firmware.Main missing from the jar");
        }
        try (java.net.URLClassLoader l = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            var main = Class.forName("io.ethling.firmware.Main", false, l).getMethod("main", String[].class);
            assertTrue(java.lang.reflect.Modifier.isStatic(main.getModifiers()), main.toString());
            assertTrue(java.lang.reflect.Modifier.isPublic(main.getModifiers()), main.toString());
        }
    }

    /** lintian: no errors; warnings are printed (and listed in the report). */
    @Test
    void lintianReportsNoErrors() throws Exception {
        assumeTrue(onPath("lintian"), "lintian not installed (apt-get install lintian): package not linted");
        Result r = run(null, "lintian", "--no-tag-display-limit", "-EvIL", "+pedantic", deb.toString());
        List<String> tags = new ArrayList<>();
        for (String line : r.out.split("\n")) {
            if (line.matches("^[EWIPX]: .*")) {
                tags.add(line);
            }
        }
        System.out.println("lintian " + deb.getFileName() + ":\n  " + String.join("\n  ", tags));
        assertTrue(tags.stream().noneMatch(t -> t.startsWith("E: ")), "lintian errors:\n" + String.join("\n", tags));
        assertTrue(r.code == 0 || r.code == 2, "lintian failed to run (rc " + r.code + "): " + r.err);
    }

    // --- helpers

    private static Map<String, String> fields(String control) {
        Map<String, String> m = new LinkedHashMap<>();
        String key = null;
        for (String line : control.split("\n")) {
            if (line.startsWith(" ") && key != null) {
                m.put(key, m.get(key) + "\n" + line.substring(1));
            } else if (line.contains(":")) {
                key = line.substring(0, line.indexOf(':'));
                m.put(key, line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return m;
    }

    private static void stub(Path bin, String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static boolean onPath(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, cmd))) {
                return true;
            }
        }
        return false;
    }

    record Result(int code, String out, String err) {
    }

    static Result run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (env != null) {
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        // read both without a thread each: the outputs here are small, stderr first is safe only
        // when small, so collect stderr on a virtual thread
        StringBuilder errText = new StringBuilder();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                errText.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                errText.append(e);
            }
        });
        String o = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd));
        }
        t.join();
        return new Result(p.exitValue(), o, errText.toString());
    }
}
