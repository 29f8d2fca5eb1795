package io.ethling.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.Enc28j60Emulator;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.lcd.Mcp23017LcdEmulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ethling doctor} and {@code ethling deploy} on the command line: doctor's lines and exit
 * code on a fake Pi tree and on this (non-Pi) machine; deploy against stand-in scp and ssh
 * scripts that record their arguments (never a real host).
 */
class DoctorDeployCliTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(CommandLine cl, StringWriter out, StringWriter err, String... args) {
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        return run(Ethling.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)), out, err, args);
    }

    @Test
    void doctorOnAFakeHealthyPiPassesAndExits0() throws IOException {
        Path root = tmp.resolve("pi");
        Files.createDirectories(root.resolve("boot/firmware"));
        Files.writeString(root.resolve("boot/firmware/config.txt"), "dtparam=i2c_arm=on\ndtparam=spi=on\n");
        Files.createDirectories(root.resolve("dev"));
        Files.writeString(root.resolve("dev/spidev0.0"), "");
        Files.writeString(root.resolve("dev/i2c-1"), "");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Ethling.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        DoctorCommand doctor = cl.getSubcommands().get("doctor").getCommand();
        Enc28j60Emulator chip = new Enc28j60Emulator(new VirtualClock(), new EmulatorConfig().revision(0x05));
        doctor.opener = (path, hz) -> chip;
        Mcp23017LcdEmulator plate = new Mcp23017LcdEmulator(new VirtualClock());
        doctor.i2cProbe = (path, address) -> address == plate.address() && plate.read(new byte[1], 0, 1) == 1 ? null : "no answer";
        Run r = run(cl, out, err, "doctor", "--root", root.toString(),
                "--config", Path.of("../boards/pi3bplus/mcp23017-plate.properties").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PASS  ENC28J60 revision readable: EREVID 0x05 (B5)"), r.out());
        assertTrue(r.out().contains("PASS  LCD answering: a device acknowledges at 0x20 on /dev/i2c-1"), r.out());
        assertTrue(r.out().strip().endsWith("checks pass"), r.out());
        assertFalse(r.out().contains("FAIL"), r.out());
    }

    @Test
    void doctorOnAnEmptyTreeFailsWithAFixPerLineAndExits1() {
        Run r = run("doctor", "--root", tmp.toString(), "--config", "../boards/pi5/pcf8574.properties");
        assertEquals(1, r.code(), r.out() + r.err());
        long fails = r.out().lines().filter(l -> l.startsWith("FAIL  ")).count();
        long fixes = r.out().lines().filter(l -> l.startsWith("      fix: ")).count();
        assertTrue(fails >= 3, r.out());
        assertEquals(fails, fixes, "one fix per failure:\n" + r.out());
        assertTrue(r.out().contains("FAIL  /dev/spidev0.0 present: missing"), r.out());
        assertTrue(r.out().contains("PASS  Java 25 or later"), r.out());
        assertTrue(r.out().strip().endsWith("checks fail"), r.out());
    }

    /** On this machine (not a Pi): fails with fixes, exits non-zero, opens nothing. */
    @Test
    void doctorOnThisMachine() {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/spidev0.0")), "this machine has /dev/spidev0.0");
        Run r = run("doctor");
        System.out.println(r.out());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("FAIL  /dev/spidev0.0 present"), r.out());
        assertTrue(r.out().contains("FAIL  ENC28J60 revision readable: not tried"), r.out());
    }

    @Test
    void doctorMissingConfigIsOneLineExit2() {
        Run r = run("doctor", "--config", tmp.resolve("nope.conf").toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--config") && r.err().contains("no such file"), r.err());
    }

    private Path stubs(int sshExit) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path log = tmp.resolve("calls.log");
        for (String cmd : new String[] {"scp", "ssh"}) {
            Path p = bin.resolve(cmd);
            Files.writeString(p, "#!/bin/sh\nprintf '%s' \"" + cmd + "\" >> " + log + "\n"
                    + "for a in \"$@\"; do printf ' [%s]' \"$a\" >> " + log + "; done\necho >> " + log + "\n"
                    + "exit " + (cmd.equals("ssh") ? sshExit : 0) + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    private Run deploy(Path bin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Ethling.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        DeployCommand d = cl.getSubcommands().get("deploy").getCommand();
        d.searchPath = bin + ":/usr/bin:/bin";
        d.workDir = tmp;
        String[] all = new String[args.length + 1];
        all[0] = "deploy";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(cl, out, err, all);
    }

    @Test
    void deployCopiesInstallsAndRestarts() throws IOException {
        Path bin = stubs(0);
        Path target = Files.createDirectories(tmp.resolve("packaging/target"));
        Path deb = Files.writeString(target.resolve("ethling_0.1.0~snapshot_all.deb"), "not really a deb");
        Run r = deploy(bin, "--host", "pi@raspberrypi.local");
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> calls = Files.readAllLines(tmp.resolve("calls.log"));
        assertEquals(List.of(
                "scp [" + deb + "] [pi@raspberrypi.local:ethling_0.1.0~snapshot_all.deb]",
                "ssh [-t] [pi@raspberrypi.local] [sudo apt-get install -y --reinstall ./ethling_0.1.0~snapshot_all.deb"
                        + " && rm -f ./ethling_0.1.0~snapshot_all.deb]",
                "ssh [-t] [pi@raspberrypi.local] [sudo systemctl restart ethling]"), calls);
        assertTrue(r.out().contains("deploy: done"), r.out());
    }

    @Test
    void deployWithAPortAndAGivenFile() throws IOException {
        Path bin = stubs(0);
        Path deb = Files.writeString(tmp.resolve("ethling_0.2.0_all.deb"), "x");
        Run r = deploy(bin, "--host", "10.0.0.7", "--deb", deb.toString(), "-p", "2222");
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> calls = Files.readAllLines(tmp.resolve("calls.log"));
        assertEquals("scp [-P] [2222] [" + deb + "] [10.0.0.7:ethling_0.2.0_all.deb]", calls.get(0));
        assertTrue(calls.get(1).startsWith("ssh [-p] [2222] [-t] [10.0.0.7] [sudo apt-get install"), calls.get(1));
    }

    @Test
    void deployStopsAtTheFailingStep() throws IOException {
        Path bin = stubs(100);
        Path deb = Files.writeString(tmp.resolve("ethling_0.2.0_all.deb"), "x");
        Run r = deploy(bin, "--host", "pi@pi", "--deb", deb.toString());
        assertEquals(1, r.code());
        assertEquals(2, Files.readAllLines(tmp.resolve("calls.log")).size(), "no restart after a failed install");
        assertEquals("deploy: install on pi@pi failed (" + bin.resolve("ssh") + " exit 100)", r.err().strip());
    }

    @Test
    void deployRefusesBadInputWithOneLine() throws IOException {
        Path bin = stubs(0);
        Path deb = Files.writeString(tmp.resolve("built.deb"), "x");   // not found by the default search
        for (String[] args : new String[][] {
            {"--host", "-oProxyCommand=touch /tmp/x", "--deb", deb.toString()},
            {"--host", "pi@host;reboot", "--deb", deb.toString()},
            {"--host", "pi@pi", "--deb", tmp.resolve("missing.deb").toString()},
            {"--host", "pi@pi"},                                     // nothing built under tmp
            {"--host", "pi@pi", "--deb", deb.toString(), "-p", "70000"}}) {
            Run r = deploy(bin, args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(tmp.resolve("calls.log")), "ran something for " + String.join(" ", args));
        }
        Run r = run("deploy");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--host"), r.err());
    }

    @Test
    void deployDryRunRunsNothing() throws IOException {
        Path bin = stubs(0);
        Path deb = Files.writeString(tmp.resolve("ethling_0.2.0_all.deb"), "x");
        Run r = deploy(bin, "--host", "pi@pi", "--deb", deb.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.out().lines().filter(l -> l.startsWith("deploy: ")).count(), r.out());
        assertFalse(Files.exists(tmp.resolve("calls.log")));
    }
}
