package io.ethling.tools.doctor;

import io.ethling.hal.SpiDevice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ethling doctor}: checks a Raspberry Pi for the firmware, one pass/fail line per check,
 * with the fix (PLATFORM.md §2). Every file it reads is under {@code root} ({@code /} on the Pi),
 * so tests run it against a fake {@code /boot}, {@code /dev}, {@code /proc} and {@code /sys}; the
 * SPI device is opened through {@link SpiOpener}, so tests hand it an emulated chip. Cold path:
 * it allocates freely.
 *
 * <ol>
 *   <li>SPI enabled: {@code dtparam=spi=on} in {@code /boot/firmware/config.txt} (Bookworm and
 *       later) or {@code /boot/config.txt} (older);</li>
 *   <li>{@code /dev/spidevB.C} present, and readable and writable by this user (group spi);</li>
 *   <li>the kernel's enc28j60 driver NOT in the way: no {@code dtoverlay=enc28j60} in config.txt,
 *       no {@code enc28j60} in {@code /proc/modules} (what {@code lsmod} reads), no
 *       {@code /sys/module/enc28j60} — the overlay claims CE0 and removes {@code /dev/spidev0.0};</li>
 *   <li>Java 25 or later;</li>
 *   <li>the LCD's I2C bus: {@code dtparam=i2c_arm=on}, {@code /dev/i2c-N} present and accessible,
 *       and a device answering at the board file's {@code lcd.i2c.address} (a one-byte read, as
 *       {@code i2cdetect -r} does; only when the board file names an I2C LCD);</li>
 *   <li>the ENC28J60's revision readable over spidev: EREVID (bank 3, 0x12) neither 0x00 nor 0xFF
 *       (ENC28J60.md §7 step 2: 0x00/0xFF means no chip answers — MISO floating or stuck);</li>
 *   <li>the SPI clock 8..20 MHz (errata #1, DS80349C: MAC/MII access unreliable below 8 MHz;
 *       DS39662E: 20 MHz maximum).</li>
 * </ol>
 */
public final class Doctor {

    /** Opens the SPI device for the revision check. */
    @FunctionalInterface
    public interface SpiOpener {
        /**
         * @return the device (closed by the caller through {@link AutoCloseable} if it is one)
         * @throws IOException with one line when it cannot be opened
         */
        SpiDevice open(String path, int hz) throws IOException;
    }

    /** Asks whether a device answers at an I2C address (the LCD). */
    @FunctionalInterface
    public interface I2cProbe {
        /** @return null when a device acknowledged at {@code address} on {@code path}, else why not in a few words */
        String probe(String path, int address);
    }

    /** One check's outcome. */
    public record Check(String name, boolean pass, String detail, String fix) {
        /** "PASS  name: detail" or "FAIL  name: detail" and, for a failure, "      fix: …". */
        public String render() {
            return (pass ? "PASS  " : "FAIL  ") + name + ": " + detail
                    + (pass || fix == null ? "" : "\n      fix: " + fix);
        }
    }

    /** The lowest SCK (errata #1, DS80349C). */
    public static final int MIN_SPI_HZ = 8_000_000;
    /** The highest SCK (DS39662E). */
    public static final int MAX_SPI_HZ = 20_000_000;
    /** Where the boards' LCDs answer: PCF8574T, PCF8574AT, the MCP23017 plate (PLATFORM.md §3). */
    static final int[] LCD_ADDRESSES = {0x27, 0x3F, 0x20};
    /** The Java feature release the jar is built for. */
    public static final int MIN_JAVA = 25;

    // ENC28J60 SPI instructions and registers (DS39662E Table 4-1, Table 3-2; ENC28J60.md §1, §3).
    static final int OP_RCR = 0x00;
    static final int OP_BFS = 0x80;
    static final int OP_BFC = 0xA0;
    static final int ECON1 = 0x1F;
    static final int ECON1_BSEL = 0x03;
    /** EREVID: bank 3, address 0x12. */
    static final int EREVID = 0x12;
    static final int BANK3 = 0x03;

    private final Path root;
    private final Path config;
    private final int javaFeature;
    private final SpiOpener opener;
    private final I2cProbe i2cProbe;

    // from the board file (boards/README.md); defaults are the boards' own
    private int spiBus = 0;
    private int spiCs = 0;
    private int spiHz = 12_000_000;
    private String spiHzText = "12000000";
    private String lcdType = null;
    private int i2cBus = 1;
    private String i2cAddress = null;
    private String configNote;

    /**
     * @param root the file-system root the Pi's paths are read under ({@code /} on the Pi)
     * @param config the board file (already resolved, e.g. {@code /etc/ethling/ethling.conf});
     *     absent means the boards' defaults: SPI0 CE0 at 12 MHz, I2C bus 1
     * @param javaFeature the running Java's feature release ({@code Runtime.version().feature()})
     * @param opener opens {@code /dev/spidevB.C} (the real one: {@code SpidevSpiDevice})
     * @param i2cProbe asks the LCD's address (the real one: {@link FfmI2cProbe}); null: not asked
     */
    public Doctor(Path root, Path config, int javaFeature, SpiOpener opener, I2cProbe i2cProbe) {
        this.root = root;
        this.config = config;
        this.javaFeature = javaFeature;
        this.opener = opener;
        this.i2cProbe = i2cProbe;
    }

    /** Runs every check, in order. */
    public List<Check> run() {
        readConfig();
        List<Check> out = new ArrayList<>();
        String[] configTxt = configTxt();
        String bootFile = configTxt == null ? "/boot/firmware/config.txt" : configTxt[0];
        String bootText = configTxt == null ? null : configTxt[1];

        // 1. SPI enabled
        if (bootText == null) {
            out.add(new Check("SPI enabled", false, "neither /boot/firmware/config.txt nor /boot/config.txt exists (not a Raspberry Pi?)",
                    "run on the Pi (Raspberry Pi OS); then: sudo raspi-config nonint do_spi 0 && sudo reboot"));
        } else if (dtparamOn(bootText, "spi")) {
            out.add(new Check("SPI enabled", true, "dtparam=spi=on in " + bootFile, null));
        } else {
            out.add(new Check("SPI enabled", false, "no dtparam=spi=on in " + bootFile,
                    "sudo raspi-config nonint do_spi 0 (or add dtparam=spi=on to " + bootFile + ") and reboot"));
        }

        // 2. /dev/spidevB.C present and accessible
        String spidev = "/dev/spidev" + spiBus + "." + spiCs;
        Path spidevPath = under(spidev);
        boolean spidevThere = Files.exists(spidevPath);
        boolean spidevOk = spidevThere && Files.isReadable(spidevPath) && Files.isWritable(spidevPath);
        if (!spidevThere) {
            out.add(new Check(spidev + " present", false, "missing",
                    "enable SPI (dtparam=spi=on) and reboot; the enc28j60 overlay must not be loaded: it takes CE0 and removes " + spidev));
        } else {
            out.add(new Check(spidev + " present", true, "present", null));
            out.add(spidevOk
                    ? new Check(spidev + " accessible", true, "readable and writable by " + user(), null)
                    : new Check(spidev + " accessible", false, "not readable and writable by " + user(),
                            "sudo adduser " + user() + " spi, then log in again (udev gives /dev/spidev* group spi, mode 0660)"));
        }

        // 3. the kernel's enc28j60 driver not in the way
        String overlay = bootText == null ? null : overlayLine(bootText, "enc28j60");
        out.add(overlay == null
                ? new Check("enc28j60 overlay not configured", true,
                        bootText == null ? "no config.txt to load it from" : "no dtoverlay=enc28j60 in " + bootFile, null)
                : new Check("enc28j60 overlay not configured", false, "\"" + overlay + "\" in " + bootFile
                        + ": the kernel driver would own the chip",
                        "delete that line from " + bootFile + " and reboot"));
        boolean inModules = moduleListed("enc28j60");
        boolean inSys = Files.exists(under("/sys/module/enc28j60"));
        out.add(!inModules && !inSys
                ? new Check("enc28j60 kernel driver not loaded", true, "not in /proc/modules (lsmod), no /sys/module/enc28j60", null)
                : new Check("enc28j60 kernel driver not loaded", false,
                        (inModules ? "enc28j60 in /proc/modules (lsmod)" : "/sys/module/enc28j60 exists") + ": it drives the chip as eth1",
                        "sudo modprobe -r enc28j60; echo 'blacklist enc28j60' | sudo tee /etc/modprobe.d/ethling.conf; remove dtoverlay=enc28j60 and reboot"));

        // 4. Java
        out.add(javaFeature >= MIN_JAVA
                ? new Check("Java " + MIN_JAVA + " or later", true, "Java " + javaFeature, null)
                : new Check("Java " + MIN_JAVA + " or later", false, "Java " + javaFeature,
                        "sudo apt install openjdk-25-jre-headless (and sudo update-alternatives --config java)"));

        // 5. the LCD's I2C bus
        out.addAll(i2cChecks(bootText, bootFile));

        // 6. and 7. the chip's revision over spidev, the SPI clock
        out.add(clockCheck());
        out.add(revisionCheck(spidev, spidevOk));
        return out;
    }

    /** Whether every check passed. */
    public static boolean allPass(List<Check> checks) {
        for (Check c : checks) {
            if (!c.pass()) {
                return false;
            }
        }
        return true;
    }

    /** A note about the board file (missing, unreadable), or null. */
    public String configNote() {
        return configNote;
    }

    private List<Check> i2cChecks(String bootText, String bootFile) {
        List<Check> out = new ArrayList<>();
        if (lcdType == null) {
            // no board file: the boards' LCDs are all on I2C bus 1
        } else if (!lcdType.equals("pcf8574") && !lcdType.equals("mcp23017-plate")) {
            out.add(new Check("LCD on I2C", true, "lcd.type = " + lcdType + ": no I2C LCD to check", null));
            return out;
        }
        String dev = "/dev/i2c-" + i2cBus;
        if (bootText != null && i2cBus == 1) {
            out.add(dtparamOn(bootText, "i2c_arm") || dtparamOn(bootText, "i2c")
                    ? new Check("I2C enabled", true, "dtparam=i2c_arm=on in " + bootFile, null)
                    : new Check("I2C enabled", false, "no dtparam=i2c_arm=on in " + bootFile,
                            "sudo raspi-config nonint do_i2c 0 (or add dtparam=i2c_arm=on to " + bootFile + ") and reboot"));
        }
        Path p = under(dev);
        String lcd = "LCD bus " + dev + (i2cAddress == null ? "" : " (LCD at " + i2cAddress + ")");
        if (!Files.exists(p)) {
            out.add(new Check(lcd, false, "missing",
                    "enable I2C (sudo raspi-config nonint do_i2c 0) and reboot; check lcd.i2c.bus in " + configName()));
        } else if (!Files.isReadable(p) || !Files.isWritable(p)) {
            out.add(new Check(lcd, false, "not readable and writable by " + user(),
                    "sudo adduser " + user() + " i2c, then log in again"));
        } else {
            out.add(new Check(lcd, true, "present and accessible", null));
            int address = i2cAddress == null ? -1 : parseAddress(i2cAddress);
            if (i2cAddress == null && i2cProbe != null) {
                // no board file: the addresses the boards' LCDs use (PCF8574T, PCF8574AT, the plate)
                String found = null;
                for (int a : LCD_ADDRESSES) {
                    if (i2cProbe.probe(dev, a) == null) {
                        found = FfmI2cProbe.hex(a);
                        break;
                    }
                }
                out.add(found != null
                        ? new Check("LCD answering", true, "a device acknowledges at " + found + " on " + dev, null)
                        : new Check("LCD answering", false, "nothing answers at 0x27, 0x3f or 0x20 on " + dev,
                                "check the LCD's SDA, SCL, 5 V and GND; run i2cdetect -y " + i2cBus));
            } else if (i2cAddress == null) {
                // no board file and no probe: nothing to ask
            } else if (address < 0) {
                out.add(new Check("LCD answering", false, "lcd.i2c.address = \"" + i2cAddress + "\" is not an address 0x03..0x77",
                        "run i2cdetect -y " + i2cBus + " and set lcd.i2c.address (0x27 or 0x3f for a PCF8574, 0x20 for the plate) in "
                                + configName()));
            } else if (i2cProbe != null) {
                String why = i2cProbe.probe(dev, address);
                out.add(why == null
                        ? new Check("LCD answering", true, "a device acknowledges at " + FfmI2cProbe.hex(address) + " on " + dev, null)
                        : new Check("LCD answering", false, why,
                                "check the LCD's SDA, SCL, 5 V and GND; run i2cdetect -y " + i2cBus + " and put the address it shows"
                                        + " (0x27 or 0x3f for a PCF8574, 0x20 for the plate) in lcd.i2c.address in " + configName()));
            }
        }
        return out;
    }

    private Check clockCheck() {
        String name = "SPI clock 8..20 MHz";
        if (spiHz < 0) {
            return new Check(name, false, "spi.clock.hz = \"" + spiHzText + "\" is not a whole number of Hz",
                    "set spi.clock.hz = 12000000 in " + configName());
        }
        if (spiHz < MIN_SPI_HZ) {
            return new Check(name, false, hz(spiHz) + " is below 8 MHz: MAC/MII register access is unreliable (ENC28J60 errata #1)",
                    "set spi.clock.hz = 12000000 in " + configName());
        }
        if (spiHz > MAX_SPI_HZ) {
            return new Check(name, false, hz(spiHz) + " is above 20 MHz, the ENC28J60's maximum (DS39662E)",
                    "set spi.clock.hz = 12000000 in " + configName());
        }
        return new Check(name, true, hz(spiHz) + " (spi.clock.hz)", null);
    }

    private Check revisionCheck(String spidev, boolean spidevOk) {
        String name = "ENC28J60 revision readable";
        if (!spidevOk) {
            return new Check(name, false, "not tried: " + spidev + " is missing or not accessible", "fix the lines above first");
        }
        long firmware = firmwarePid();
        if (firmware > 0) {
            // its loop keeps its own idea of the register bank: reading beside it could confuse it
            return new Check(name, false, "not tried: the firmware (pid " + firmware + ") is driving the chip",
                    "sudo systemctl stop ethling; ethling doctor; sudo systemctl start ethling");
        }
        int hz = spiHz >= MIN_SPI_HZ && spiHz <= MAX_SPI_HZ ? spiHz : 12_000_000;
        SpiDevice spi;
        try {
            spi = opener.open(spidev, hz);
        } catch (IOException | RuntimeException e) {
            return new Check(name, false, "cannot open " + spidev + ": " + e.getMessage(), "fix the lines above first");
        }
        try {
            int rev = readRevision(spi);
            if (rev < 0) {
                return new Check(name, false, "the SPI transfer failed", "check the wiring (PLATFORM.md §2.3) and dmesg");
            }
            if (rev == 0x00 || rev == 0xFF) {
                return new Check(name, false, String.format(Locale.ROOT, "EREVID reads 0x%02X: no chip answers", rev),
                        "check the wiring: MISO, MOSI, SCK, CS to CE0, 3.3 V and GND (boards/<your Pi>/README.md); the"
                                + " module needs up to 180 mA at 3.3 V");
            }
            return new Check(name, true, String.format(Locale.ROOT, "EREVID 0x%02X (%s) at %s", rev, revisionName(rev), hz(hz)), null);
        } finally {
            if (spi instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing a device we only read from: nothing to report
                }
            }
        }
    }

    /**
     * Reads EREVID without disturbing the chip beyond the bank bits, which it puts back: RCR
     * ECON1, BFS ECON1 BSEL = 3, RCR EREVID, BFC ECON1 BSEL, BFS the old bank (DS39662E §4.2.1,
     * §4.2.4, §4.2.5). Stop ethling.service first: its loop keeps its own idea of the bank.
     *
     * @return EREVID, or -1 when a transfer failed
     */
    static int readRevision(SpiDevice spi) {
        byte[] tx = new byte[2];
        byte[] rx = new byte[2];
        tx[0] = (byte) (OP_RCR | ECON1);
        if (spi.transfer(tx, 0, rx, 0, 2) != 2) {
            return -1;
        }
        int bank = rx[1] & ECON1_BSEL;
        tx[0] = (byte) (OP_BFS | ECON1);
        tx[1] = (byte) BANK3;
        if (spi.transfer(tx, 0, rx, 0, 2) != 2) {
            return -1;
        }
        tx[0] = (byte) (OP_RCR | EREVID);
        tx[1] = 0;
        if (spi.transfer(tx, 0, rx, 0, 2) != 2) {
            return -1;
        }
        int rev = rx[1] & 0xFF;
        tx[0] = (byte) (OP_BFC | ECON1);
        tx[1] = (byte) ECON1_BSEL;
        spi.transfer(tx, 0, rx, 0, 2);
        if (bank != 0) {
            tx[0] = (byte) (OP_BFS | ECON1);
            tx[1] = (byte) bank;
            spi.transfer(tx, 0, rx, 0, 2);
        }
        return rev;
    }

    /** The pid of a running firmware ({@code io.ethling.firmware.Main} in /proc/PID/cmdline), or -1. */
    private long firmwarePid() {
        Path proc = under("/proc");
        if (!Files.isDirectory(proc)) {
            return -1;
        }
        long self = ProcessHandle.current().pid();
        try (var dirs = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path d : dirs) {
                long pid;
                try {
                    pid = Long.parseLong(d.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == self) {
                    continue;
                }
                try {
                    byte[] cmd = Files.readAllBytes(d.resolve("cmdline"));
                    if (new String(cmd, StandardCharsets.ISO_8859_1).contains("io.ethling.firmware.Main")) {
                        return pid;
                    }
                } catch (IOException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** EREVID to silicon revision (errata DS80349C, Table 1). */
    static String revisionName(int rev) {
        return switch (rev) {
            case 0x02 -> "B1";
            case 0x04 -> "B4";
            case 0x05 -> "B5";
            case 0x06 -> "B7";
            default -> "unknown revision";
        };
    }

    private void readConfig() {
        if (config == null) {
            configNote = "no board file given: SPI0 CE0 at 12 MHz, I2C bus 1";
            return;
        }
        Map<String, String> kv = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
                int hash = line.indexOf('#');
                String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
                int eq = l.indexOf('=');
                if (eq > 0) {
                    kv.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
                }
            }
        } catch (IOException e) {
            configNote = config + " cannot be read (" + e.getClass().getSimpleName() + "): SPI0 CE0 at 12 MHz, I2C bus 1";
            return;
        }
        configNote = "board file " + config;
        spiBus = intOr(kv.get("spi.bus"), spiBus);
        spiCs = intOr(kv.get("spi.cs"), spiCs);
        if (kv.containsKey("spi.clock.hz")) {
            spiHzText = kv.get("spi.clock.hz");
            spiHz = intOr(spiHzText, -1);
        }
        lcdType = kv.get("lcd.type");
        i2cBus = intOr(kv.get("lcd.i2c.bus"), i2cBus);
        i2cAddress = kv.get("lcd.i2c.address");
    }

    /** "0x27", "39": a 7-bit address 0x03..0x77, or -1. */
    static int parseAddress(String s) {
        try {
            int a = s.startsWith("0x") || s.startsWith("0X") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s);
            return a >= 0x03 && a <= 0x77 ? a : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int intOr(String s, int dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return dflt < 0 ? -1 : dflt;
        }
    }

    /** {path shown, text} of the first config.txt found, or null. */
    private String[] configTxt() {
        for (String f : new String[] {"/boot/firmware/config.txt", "/boot/config.txt"}) {
            Path p = under(f);
            if (Files.isRegularFile(p)) {
                try {
                    String text = Files.readString(p, StandardCharsets.ISO_8859_1);
                    // on Bookworm /boot/config.txt is a stub pointing at /boot/firmware/config.txt
                    return new String[] {f, text};
                } catch (IOException e) {
                    return new String[] {f, ""};
                }
            }
        }
        return null;
    }

    /**
     * Whether an uncommented {@code dtparam=} line (possibly a comma list, e.g.
     * {@code dtparam=i2c_arm=on,spi=on}) turns {@code param} on. A later {@code param=off} wins.
     */
    static boolean dtparamOn(String configTxt, String param) {
        boolean on = false;
        for (String raw : configTxt.split("\r?\n")) {
            String line = stripComment(raw);
            if (!line.startsWith("dtparam=")) {
                continue;
            }
            for (String item : line.substring("dtparam=".length()).split(",")) {
                String[] kv = item.strip().split("=", 2);
                if (kv[0].strip().equals(param)) {
                    String v = kv.length > 1 ? kv[1].strip() : "on";
                    on = v.equals("on") || v.equals("true") || v.equals("yes") || v.equals("1");
                }
            }
        }
        return on;
    }

    /** The first uncommented {@code dtoverlay=NAME…} line, or null. */
    static String overlayLine(String configTxt, String name) {
        for (String raw : configTxt.split("\r?\n")) {
            String line = stripComment(raw);
            if (line.startsWith("dtoverlay=")) {
                String v = line.substring("dtoverlay=".length()).strip();
                if (v.equals(name) || v.startsWith(name + ",") || v.startsWith(name + ":")) {
                    return line;
                }
            }
        }
        return null;
    }

    private static String stripComment(String raw) {
        int hash = raw.indexOf('#');
        return (hash >= 0 ? raw.substring(0, hash) : raw).strip();
    }

    private boolean moduleListed(String module) {
        Path p = under("/proc/modules");
        if (!Files.isReadable(p)) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(p, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith(module + " ")) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private Path under(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    private String configName() {
        return config == null ? "/etc/ethling/ethling.conf" : config.toString();
    }

    private static String user() {
        String u = System.getProperty("user.name");
        return u == null || u.isBlank() ? "$USER" : u;
    }

    private static String hz(int hz) {
        return String.format(Locale.ROOT, "%.1f MHz", hz / 1e6);
    }
}
