package io.ethling.tools.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ethling.hal.SpiDevice;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.Enc28j60Emulator;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.lcd.Mcp23017LcdEmulator;
import io.ethling.hal.emulator.lcd.Pcf8574LcdEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor's checks against a fake Raspberry Pi tree (/boot, /dev, /proc, /sys under a temp
 * root) and an emulated ENC28J60 behind the SPI opener: a healthy Pi passes everything; each
 * broken thing fails exactly its own check, with a fix.
 */
class DoctorTest {

    @TempDir
    Path root;

    Path boardFile;
    /** Paths and clocks the opener was asked for. */
    final List<String> opened = new ArrayList<>();
    Enc28j60Emulator chip;
    Doctor.SpiOpener opener;
    /** The LCD on the I2C bus (a PCF8574 backpack at 0x27, as the board file says). */
    Pcf8574LcdEmulator lcd;
    final List<String> probed = new ArrayList<>();
    Doctor.I2cProbe probe;

    static final String HEALTHY_CONFIG_TXT = """
            # Raspberry Pi OS Bookworm
            dtparam=audio=on
            dtparam=i2c_arm=on
            dtparam=spi=on
            # dtoverlay=enc28j60
            dtoverlay=vc4-kms-v3d
            """;

    @BeforeEach
    void healthyPi() throws IOException {
        write("boot/firmware/config.txt", HEALTHY_CONFIG_TXT);
        write("dev/spidev0.0", "");
        write("dev/spidev0.1", "");
        write("dev/i2c-1", "");
        write("proc/modules", """
                spidev 20480 0 - Live 0x0000000000000000
                i2c_dev 20480 0 - Live 0x0000000000000000
                spi_bcm2835 20480 0 - Live 0x0000000000000000
                """);
        Files.createDirectories(root.resolve("sys/module/spidev"));
        // the repository's own board file for a Pi 4 with a PCF8574 LCD
        boardFile = Path.of("../boards/pi4b/pcf8574.properties").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(boardFile), boardFile.toString());
        chip = new Enc28j60Emulator(new VirtualClock(), new EmulatorConfig().seed(5).revision(0x06));
        opener = (path, hz) -> {
            opened.add(path + "@" + hz);
            return chip;
        };
        lcd = new Pcf8574LcdEmulator(0x27, new VirtualClock());
        probe = (path, address) -> {
            probed.add(path + "@" + Integer.toHexString(address));
            // what i2cdetect -r does: a one-byte read, acknowledged or not
            return address == lcd.address() && lcd.read(new byte[1], 0, 1) == 1 ? null : "no answer at 0x" + Integer.toHexString(address);
        };
    }

    private void write(String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private List<Doctor.Check> run() {
        return run(25);
    }

    private List<Doctor.Check> run(int java) {
        return new Doctor(root, boardFile, java, opener, probe).run();
    }

    /** Names of the failing checks; every failure carries a fix. */
    private static List<String> failing(List<Doctor.Check> checks) {
        List<String> f = new ArrayList<>();
        for (Doctor.Check c : checks) {
            if (!c.pass()) {
                f.add(c.name());
                assertTrue(c.fix() != null && !c.fix().isBlank(), "no fix for " + c.render());
                assertTrue(c.render().contains("\n      fix: "), c.render());
            }
        }
        return f;
    }

    private static String text(List<Doctor.Check> checks) {
        StringBuilder b = new StringBuilder();
        for (Doctor.Check c : checks) {
            b.append(c.render()).append('\n');
        }
        return b.toString();
    }

    @Test
    void aHealthyPiPassesEveryCheckAndTheRevisionIsRead() {
        List<Doctor.Check> checks = run();
        String t = text(checks);
        assertEquals(List.of(), failing(checks), t);
        assertTrue(Doctor.allPass(checks));
        assertEquals(List.of("/dev/spidev0.0@12000000"), opened, "opened what the board file names");
        assertTrue(t.contains("PASS  ENC28J60 revision readable: EREVID 0x06 (B7) at 12.0 MHz"), t);
        assertTrue(t.contains("PASS  SPI enabled: dtparam=spi=on in /boot/firmware/config.txt"), t);
        assertTrue(t.contains("PASS  LCD bus /dev/i2c-1 (LCD at 0x27)"), t);
        for (String name : new String[] {"SPI enabled", "/dev/spidev0.0 present", "/dev/spidev0.0 accessible",
            "enc28j60 overlay not configured", "enc28j60 kernel driver not loaded", "Java 25 or later", "I2C enabled",
            "LCD bus /dev/i2c-1 (LCD at 0x27)", "LCD answering", "SPI clock 8..20 MHz", "ENC28J60 revision readable"}) {
            assertTrue(checks.stream().anyMatch(c -> c.name().equals(name)), "no check " + name + " in\n" + t);
        }
        assertEquals(0, chip.misuse().count(), chip.misuse().toString());
        assertEquals(List.of("/dev/i2c-1@27"), probed);
        assertTrue(t.contains("PASS  LCD answering: a device acknowledges at 0x27 on /dev/i2c-1"), t);
    }

    @Test
    void lcdNotAnswering() {
        lcd.connected(false);                          // no ACK: unplugged, or SDA/SCL swapped
        List<Doctor.Check> checks = run();
        assertEquals(List.of("LCD answering"), failing(checks), text(checks));
        assertTrue(text(checks).contains("FAIL  LCD answering: no answer at 0x27"), text(checks));
        assertTrue(text(checks).contains("i2cdetect -y 1"), text(checks));
    }

    @Test
    void lcdAtAnotherAddress() {
        lcd = new Pcf8574LcdEmulator(0x3F, new VirtualClock());     // a PCF8574AT
        List<Doctor.Check> checks = run();
        assertEquals(List.of("LCD answering"), failing(checks), text(checks));
        assertTrue(text(checks).contains("0x3f"), "the fix names the other address: " + text(checks));
    }

    @Test
    void badLcdAddressInTheBoardFile(@TempDir Path tmp) throws IOException {
        String board = Files.readString(boardFile);
        for (String bad : new String[] {"0x99", "0x27h", "0x01"}) {
            boardFile = tmp.resolve("addr.properties");
            Files.writeString(boardFile, board.replace("lcd.i2c.address = 0x27", "lcd.i2c.address = " + bad));
            probed.clear();
            List<Doctor.Check> checks = run();
            assertEquals(List.of("LCD answering"), failing(checks), bad + ": " + text(checks));
            assertTrue(text(checks).contains("\"" + bad + "\" is not an address"), text(checks));
            assertEquals(List.of(), probed, "nothing asked at a bad address");
        }
    }

    @Test
    void thePlateAnswersAt0x20() {
        boardFile = Path.of("../boards/pi4b/mcp23017-plate.properties").toAbsolutePath().normalize();
        Mcp23017LcdEmulator plate = new Mcp23017LcdEmulator(new VirtualClock());
        probe = (path, address) -> {
            probed.add(path + "@" + Integer.toHexString(address));
            return address == plate.address() && plate.read(new byte[1], 0, 1) == 1 ? null : "no answer";
        };
        List<Doctor.Check> checks = run();
        assertEquals(List.of(), failing(checks), text(checks));
        assertEquals(List.of("/dev/i2c-1@20"), probed);
    }

    /** The real probe, on files that are not I2C buses: the reason comes back, nothing throws. */
    @Test
    void ffmProbeNamesWhyItGotNoAnswer() {
        String why = new FfmI2cProbe().probe(root.resolve("dev/none").toString(), 0x27);
        assertTrue(why != null && why.startsWith("cannot open ") && why.contains("No such file"), why);
        why = new FfmI2cProbe().probe("/dev/null", 0x27);
        assertTrue(why != null && why.startsWith("I2C_SLAVE 0x27: "), why);
    }

    @Test
    void revisionReadPutsTheBankBack() {
        byte[] rx = new byte[2];
        chip.transfer(new byte[] {(byte) (Doctor.OP_BFS | Doctor.ECON1), 0x02}, 0, rx, 0, 2);   // bank 2
        assertEquals(0x04, Doctor.readRevision(new Enc28j60Emulator(new VirtualClock(), new EmulatorConfig().revision(0x04))));
        assertEquals(0x06, Doctor.readRevision(chip));
        assertEquals(0x02, chip.register(0, Doctor.ECON1) & 0x03, "bank select restored");
        for (int rev : new int[] {0x02, 0x05}) {
            assertEquals(rev, Doctor.readRevision(new Enc28j60Emulator(new VirtualClock(), new EmulatorConfig().revision(rev))));
        }
        assertEquals("B1", Doctor.revisionName(0x02));
        assertEquals("B5", Doctor.revisionName(0x05));
    }

    @Test
    void spiNotEnabled() throws IOException {
        write("boot/firmware/config.txt", HEALTHY_CONFIG_TXT.replace("dtparam=spi=on", "#dtparam=spi=on"));
        List<Doctor.Check> checks = run();
        assertEquals(List.of("SPI enabled"), failing(checks), text(checks));
        assertTrue(text(checks).contains("raspi-config nonint do_spi 0"), text(checks));
    }

    @Test
    void olderOsWithBootConfigTxtAndACommaList() throws IOException {
        Files.delete(root.resolve("boot/firmware/config.txt"));
        write("boot/config.txt", "dtparam=i2c_arm=on,spi=on\n");
        List<Doctor.Check> checks = run();
        assertEquals(List.of(), failing(checks), text(checks));
        assertTrue(text(checks).contains("dtparam=spi=on in /boot/config.txt"), text(checks));
    }

    @Test
    void noConfigTxtAtAll() throws IOException {
        Files.delete(root.resolve("boot/firmware/config.txt"));
        List<Doctor.Check> checks = run();
        assertEquals(List.of("SPI enabled"), failing(checks), text(checks));
        assertTrue(text(checks).contains("not a Raspberry Pi?"), text(checks));
    }

    @Test
    void dtparamParsing() {
        assertTrue(Doctor.dtparamOn("dtparam=spi=on\n", "spi"));
        assertTrue(Doctor.dtparamOn("dtparam=i2c_arm=on,spi=on\n", "spi"));
        assertTrue(Doctor.dtparamOn("dtparam=spi\n", "spi"), "a bare parameter means on");
        assertFalse(Doctor.dtparamOn("dtparam=spi=on\ndtparam=spi=off\n", "spi"), "the later line wins");
        assertFalse(Doctor.dtparamOn("  # dtparam=spi=on\n", "spi"));
        assertFalse(Doctor.dtparamOn("dtparam=spidev=on\n", "spi"));
        assertFalse(Doctor.dtparamOn("dtoverlay=spi=on\n", "spi"));
        assertEquals("dtoverlay=enc28j60,int_pin=25", Doctor.overlayLine("dtoverlay=enc28j60,int_pin=25\n", "enc28j60"));
        assertEquals(null, Doctor.overlayLine("#dtoverlay=enc28j60\ndtoverlay=enc28j60x\n", "enc28j60"));
    }

    @Test
    void spidevMissingMeansTheRevisionIsNotTried() throws IOException {
        Files.delete(root.resolve("dev/spidev0.0"));
        List<Doctor.Check> checks = run();
        assertEquals(List.of("/dev/spidev0.0 present", "ENC28J60 revision readable"), failing(checks), text(checks));
        assertEquals(List.of(), opened, "nothing opened");
        assertTrue(text(checks).contains("not tried"), text(checks));
    }

    @Test
    void spidevNotAccessible() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "running as root: every file is readable and writable, the case cannot be made");
        Path dev = root.resolve("dev/spidev0.0");
        Files.setPosixFilePermissions(dev, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        List<Doctor.Check> checks = run();
        assertEquals(List.of("/dev/spidev0.0 accessible", "ENC28J60 revision readable"), failing(checks), text(checks));
        assertTrue(text(checks).contains("adduser"), text(checks));
    }

    @Test
    void kernelOverlayConfigured() throws IOException {
        write("boot/firmware/config.txt", HEALTHY_CONFIG_TXT + "dtoverlay=enc28j60,int_pin=25,speed=12000000\n");
        List<Doctor.Check> checks = run();
        assertEquals(List.of("enc28j60 overlay not configured"), failing(checks), text(checks));
        assertTrue(text(checks).contains("\"dtoverlay=enc28j60,int_pin=25,speed=12000000\""), text(checks));
    }

    @Test
    void kernelDriverLoaded() throws IOException {
        write("proc/modules", "enc28j60 32768 0 - Live 0x0000000000000000\nspidev 20480 0 - Live 0x0\n");
        List<Doctor.Check> checks = run();
        assertEquals(List.of("enc28j60 kernel driver not loaded"), failing(checks), text(checks));
        assertTrue(text(checks).contains("modprobe -r enc28j60"), text(checks));

        write("proc/modules", "spidev 20480 0 - Live 0x0\n");
        Files.createDirectories(root.resolve("sys/module/enc28j60"));
        checks = run();
        assertEquals(List.of("enc28j60 kernel driver not loaded"), failing(checks), text(checks));
        assertTrue(text(checks).contains("/sys/module/enc28j60 exists"), text(checks));
    }

    @Test
    void oldJava() {
        List<Doctor.Check> checks = run(21);
        assertEquals(List.of("Java 25 or later"), failing(checks), text(checks));
        assertTrue(text(checks).contains("openjdk-25-jre-headless"), text(checks));
    }

    @Test
    void i2cMissingAndNotEnabled() throws IOException {
        Files.delete(root.resolve("dev/i2c-1"));
        write("boot/firmware/config.txt", HEALTHY_CONFIG_TXT.replace("dtparam=i2c_arm=on", ""));
        List<Doctor.Check> checks = run();
        assertEquals(List.of("I2C enabled", "LCD bus /dev/i2c-1 (LCD at 0x27)"), failing(checks), text(checks));
        assertTrue(text(checks).contains("do_i2c 0"), text(checks));
    }

    @Test
    void noLcdMeansNoI2cCheck(@TempDir Path tmp) throws IOException {
        Files.delete(root.resolve("dev/i2c-1"));
        boardFile = tmp.resolve("headless.properties");
        Files.writeString(boardFile, "board.model = pi4b\nspi.bus = 0\nspi.cs = 1\nspi.clock.hz = 16000000\nlcd.type = none\n");
        List<Doctor.Check> checks = run();
        assertEquals(List.of(), failing(checks), text(checks));
        assertEquals(List.of("/dev/spidev0.1@16000000"), opened, "CE1 and 16 MHz from the board file");
    }

    @Test
    void clockOutOfRange(@TempDir Path tmp) throws IOException {
        String board = Files.readString(boardFile);
        for (String[] c : new String[][] {{"4000000", "below 8 MHz"}, {"25000000", "above 20 MHz"}, {"8MHz", "not a whole number"}}) {
            boardFile = tmp.resolve("clock-" + c[0] + ".properties");
            Files.writeString(boardFile, board.replace("spi.clock.hz = 12000000", "spi.clock.hz = " + c[0]));
            opened.clear();
            List<Doctor.Check> checks = run();
            assertEquals(List.of("SPI clock 8..20 MHz"), failing(checks), text(checks));
            assertTrue(text(checks).contains(c[1]), text(checks));
            assertEquals(List.of("/dev/spidev0.0@12000000"), opened, "the revision is still read, at 12 MHz");
        }
    }

    @Test
    void noChipAnswers() {
        // MISO stuck high (0xFF), floating low (0x00), a failed ioctl, a node that will not open
        for (int fill : new int[] {0xFF, 0x00}) {
            opener = (path, hz) -> stuck(fill);
            List<Doctor.Check> checks = run();
            assertEquals(List.of("ENC28J60 revision readable"), failing(checks), text(checks));
            assertTrue(text(checks).contains(String.format("EREVID reads 0x%02X: no chip answers", fill)), text(checks));
            assertTrue(text(checks).contains("check the wiring"), text(checks));
        }
        opener = (path, hz) -> failing();
        List<Doctor.Check> checks = run();
        assertEquals(List.of("ENC28J60 revision readable"), failing(checks), text(checks));
        assertTrue(text(checks).contains("the SPI transfer failed"), text(checks));
        opener = (path, hz) -> {
            throw new IOException(path + ": Device or resource busy — another process or driver holds the device");
        };
        checks = run();
        assertEquals(List.of("ENC28J60 revision readable"), failing(checks), text(checks));
        assertTrue(text(checks).contains("cannot open /dev/spidev0.0: /dev/spidev0.0: Device or resource busy"), text(checks));
    }

    @Test
    void aRunningFirmwareIsLeftAlone() throws IOException {
        write("proc/1/cmdline", "/sbin/init\0splash\0");
        write("proc/812/cmdline", "/usr/bin/java\0--enable-native-access=ALL-UNNAMED\0-cp\0/usr/share/ethling/ethling.jar\0"
                + "io.ethling.firmware.Main\0--config\0/etc/ethling/ethling.conf\0");
        List<Doctor.Check> checks = run();
        assertEquals(List.of("ENC28J60 revision readable"), failing(checks), text(checks));
        assertTrue(text(checks).contains("the firmware (pid 812) is driving the chip"), text(checks));
        assertTrue(text(checks).contains("sudo systemctl stop ethling"), text(checks));
        assertEquals(List.of(), opened, "the chip was not touched");
        Files.delete(root.resolve("proc/812/cmdline"));
        assertEquals(List.of(), failing(run()));
    }

    @Test
    void missingBoardFileUsesTheDefaults() {
        boardFile = null;
        Doctor d = new Doctor(root, null, 25, opener, probe);
        List<Doctor.Check> checks = d.run();
        assertEquals(List.of(), failing(checks), text(checks));
        assertEquals(List.of("/dev/spidev0.0@12000000"), opened);
        assertTrue(d.configNote().contains("no board file"), d.configNote());
        assertEquals(List.of("/dev/i2c-1@27"), probed, "the first of the usual addresses answers");
        // a PCF8574AT: 0x27 is silent, 0x3f answers
        lcd = new Pcf8574LcdEmulator(0x3F, new VirtualClock());
        probed.clear();
        assertEquals(List.of(), failing(new Doctor(root, null, 25, opener, probe).run()));
        assertEquals(List.of("/dev/i2c-1@27", "/dev/i2c-1@3f"), probed);
        lcd.connected(false);
        checks = new Doctor(root, null, 25, opener, probe).run();
        assertEquals(List.of("LCD answering"), failing(checks), text(checks));
        assertTrue(text(checks).contains("nothing answers at 0x27, 0x3f or 0x20"), text(checks));
    }

    /** A bus whose MISO reads {@code fill} for every byte. */
    private static SpiDevice stuck(int fill) {
        return new SpiDevice() {
            @Override
            public int transfer(byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
                if (rx != null) {
                    java.util.Arrays.fill(rx, rxOff, rxOff + len, (byte) fill);
                }
                return len;
            }

            @Override
            public int clockHz() {
                return 12_000_000;
            }

            @Override
            public int clockHz(int requestedHz) {
                return requestedHz;
            }
        };
    }

    private static SpiDevice failing() {
        return new SpiDevice() {
            @Override
            public int transfer(byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
                return ERR_IO;
            }

            @Override
            public int clockHz() {
                return 12_000_000;
            }

            @Override
            public int clockHz(int requestedHz) {
                return requestedHz;
            }
        };
    }
}
