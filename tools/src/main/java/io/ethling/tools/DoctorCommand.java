package io.ethling.tools;

import io.ethling.hal.pi4j.SpidevSpiDevice;
import io.ethling.tools.doctor.Doctor;
import io.ethling.tools.doctor.FfmI2cProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ethling doctor}: is this Raspberry Pi ready for the firmware? One pass/fail line per check. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {
            "Checks this Raspberry Pi for the firmware: SPI enabled, /dev/spidev0.0 present and accessible,",
            "the kernel's enc28j60 overlay and driver NOT loaded, Java 25, the LCD answering on I2C, the ENC28J60's",
            "revision read over spidev, the SPI clock. One PASS or FAIL line each, with the fix.",
            "Exit 0 when every check passes, 1 otherwise. Stop ethling.service first: the revision check",
            "talks to the chip."})
final class DoctorCommand implements Callable<Integer> {

    static final Path DEFAULT_CONFIG = Path.of("/etc/ethling/ethling.conf");

    @Option(names = "--config", paramLabel = "FILE",
            description = "the board file (default: ${DEFAULT-VALUE} if it exists, else the boards' defaults: SPI0 CE0 at 12 MHz, I2C bus 1)")
    Path config = DEFAULT_CONFIG;

    @Option(names = "--root", paramLabel = "DIR", hidden = true,
            description = "read /boot, /dev, /proc and /sys under DIR (tests, or a copy of a Pi's SD card)")
    Path root = Path.of("/");

    @Spec
    CommandSpec spec;

    /** Opens the spidev node (tests replace it). */
    Doctor.SpiOpener opener = (path, hz) -> new SpidevSpiDevice(root.resolve(path.substring(1)).toString(), hz);

    /** Asks the LCD's I2C address (tests replace it). */
    Doctor.I2cProbe i2cProbe = (path, address) -> new FfmI2cProbe().probe(root.resolve(path.substring(1)).toString(), address);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path cfg = config;
        if (cfg == DEFAULT_CONFIG && !Files.exists(cfg)) {
            cfg = null;
        } else if (!Files.isRegularFile(cfg)) {
            throw new IllegalArgumentException("--config " + cfg + ": no such file");
        }
        Doctor doctor = new Doctor(root, cfg, Runtime.version().feature(), opener, i2cProbe);
        List<Doctor.Check> checks = doctor.run();
        out.println("ethling doctor (" + doctor.configNote() + ")");
        int failed = 0;
        for (Doctor.Check c : checks) {
            out.println(c.render());
            if (!c.pass()) {
                failed++;
            }
        }
        out.println(failed == 0 ? "all " + checks.size() + " checks pass"
                : failed + " of " + checks.size() + " checks fail");
        out.flush();
        return failed == 0 ? 0 : ExitCodes.FAILED;
    }
}
