package io.ethling.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ethling.hal.Buttons;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every board file under ../boards loads with the wiring of PLATFORM.md §2.3; malformed files give one clear line. */
class BoardFileTest {

    static final Path BOARDS = Path.of("..", "boards");

    static List<Path> boardFiles() throws IOException {
        try (Stream<Path> s = Files.walk(BOARDS)) {
            return s.filter(p -> p.toString().endsWith(".properties")).sorted().toList();
        }
    }

    @Test
    void everyBoardFileLoadsWithTheEssentialPins() throws IOException {
        List<Path> files = boardFiles();
        Set<String> seen = new TreeSet<>();
        for (Path file : files) {
            BoardFile b = BoardFile.load(file);
            String where = file.toString();
            String dir = file.getParent().getFileName().toString();
            assertEquals(dir, b.model().key(), where + ": board.model matches its directory");
            assertFalse(b.name().isBlank(), where);
            assertEquals(0, b.spiBus(), where);
            assertEquals(0, b.spiCs(), where);
            assertEquals("/dev/spidev0.0", b.spiDevice(), where);
            assertTrue(b.spiClockHz() >= 8_000_000 && b.spiClockHz() <= 20_000_000, where);
            assertEquals(16, b.lcdColumns(), where);
            assertEquals(2, b.lcdRows(), where);
            if (b.emulated()) {
                assertEquals(BoardFile.LcdType.EMULATED, b.lcdType(), where);
            } else {
                assertEquals(25, b.intGpio(), where + ": INT on GPIO25");
                assertEquals(24, b.resetGpio(), where + ": RESET on GPIO24");
                assertEquals(1, b.lcdI2cBus(), where);
                String lcd = file.getFileName().toString().replace(".properties", "");
                assertEquals(lcd, b.lcdType().key(), where + ": the file is named after its LCD type");
                if (b.lcdType() == BoardFile.LcdType.PCF8574) {
                    assertTrue(b.lcdI2cAddress() == 0x27 || b.lcdI2cAddress() == 0x3F, where);
                    for (int bit = 1; bit <= Buttons.SELECT; bit <<= 1) {
                        assertTrue(b.buttonGpio(bit) >= 0, where + ": " + Buttons.name(bit));
                    }
                    assertTrue(b.buttonsActiveLow(), where);
                    assertEquals(BoardFile.Pull.UP, b.buttonsPull(), where);
                } else {
                    assertEquals(0x20, b.lcdI2cAddress(), where);
                    assertEquals(-1, b.buttonGpio(Buttons.SELECT), where);
                    assertEquals(20_000_000L, b.buttonsPollNs(), where);
                }
            }
            assertEquals(20_000_000L, b.buttonsDebounceNs(), where);
            assertFalse(b.hasMac(), where + ": the MAC comes from the serial number");
            seen.add(dir + "/" + b.lcdType().key());
        }
        Set<String> expected = new TreeSet<>(List.of("emulated/emulated"));
        for (String board : List.of("pi3bplus", "pi4b", "pi5", "pizero2w")) {
            expected.add(board + "/pcf8574");
            expected.add(board + "/mcp23017-plate");
        }
        assertEquals(expected, seen);
    }

    @Test
    void everyBoardDirectoryHasAReadmeWithAWiringTableAndWellFormedSvgDiagrams() throws Exception {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(BOARDS)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        assertEquals(5, dirs.size(), dirs.toString());
        var xml = DocumentBuilderFactory.newInstance().newDocumentBuilder();
        for (Path dir : dirs) {
            Path readme = dir.resolve("README.md");
            assertTrue(Files.isRegularFile(readme), readme.toString());
            String text = Files.readString(readme);
            List<Path> svgs;
            try (Stream<Path> s = Files.list(dir)) {
                svgs = s.filter(p -> p.toString().endsWith(".svg")).toList();
            }
            assertFalse(svgs.isEmpty(), dir + " has an SVG diagram");
            for (Path svg : svgs) {
                assertEquals("svg", xml.parse(svg.toFile()).getDocumentElement().getNodeName(), svg.toString());
                assertTrue(text.contains(svg.getFileName().toString()), readme + " shows " + svg.getFileName());
            }
            if (!dir.getFileName().toString().equals("emulated")) {
                assertTrue(text.contains("| INT | 22 | GPIO25 |"), readme + ": wiring table row for INT");
                assertTrue(text.contains("| CS | 24 | GPIO8 |"), readme + ": wiring table row for CS");
            }
        }
        assertTrue(Files.readString(BOARDS.resolve("README.md")).contains("enc28j60.int.gpio"));
    }

    // ---- malformed files ------------------------------------------------------------------------

    private static final String GOOD = """
            board.name = test board
            board.model = pi4b
            spi.bus = 0
            spi.cs = 0
            spi.clock.hz = 12000000
            enc28j60.int.gpio = 25
            enc28j60.reset.gpio = 24
            lcd.type = pcf8574
            lcd.i2c.bus = 1
            lcd.i2c.address = 0x27
            buttons.up.gpio = 5
            buttons.down.gpio = 6
            buttons.select.gpio = 26
            """;

    private static String without(String key) {
        StringBuilder sb = new StringBuilder();
        for (String line : GOOD.split("\n")) {
            if (!line.startsWith(key + " ")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    private static String with(String key, String value) {
        return without(key) + key + " = " + value + "\n";
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("missing key", without("enc28j60.int.gpio"),
                        "t.properties: enc28j60.int.gpio: missing (required for board.model = pi4b, lcd.type = pcf8574)"),
                Arguments.of("missing button pin", without("buttons.select.gpio"),
                        "t.properties: buttons.select.gpio: missing (required for board.model = pi4b, lcd.type = pcf8574)"),
                Arguments.of("missing I2C address", without("lcd.i2c.address"),
                        "t.properties: lcd.i2c.address: missing (required for board.model = pi4b, lcd.type = pcf8574)"),
                Arguments.of("bad number", with("spi.clock.hz", "12MHz"),
                        "t.properties:13: spi.clock.hz: \"12MHz\" is not a whole number"),
                Arguments.of("clock below errata #1", with("spi.clock.hz", "4000000"),
                        "t.properties:13: spi.clock.hz: 4000000 is out of range 8000000..20000000"),
                Arguments.of("unknown LCD type", with("lcd.type", "ssd1306"),
                        "t.properties:13: lcd.type: unknown value \"ssd1306\"; one of pcf8574, mcp23017-plate, none, emulated"),
                Arguments.of("unknown board", with("board.model", "pi2"),
                        "t.properties:13: board.model: unknown value \"pi2\"; one of pi3bplus, pi4b, pi5, pizero2w, emulated"),
                Arguments.of("unknown key (typo)", GOOD + "enc28j60.int.gpoi = 25\n",
                        "t.properties:14: enc28j60.int.gpoi: unknown key (did you mean enc28j60.int.gpio?); boards/README.md lists the keys"),
                Arguments.of("unknown key", GOOD + "wifi.ssid = home\n",
                        "t.properties:14: wifi.ssid: unknown key; boards/README.md lists the keys"),
                Arguments.of("GPIO out of range", with("enc28j60.reset.gpio", "28"),
                        "t.properties:13: enc28j60.reset.gpio: GPIO28 is not on the 40-pin header (BCM GPIO 0..27)"),
                Arguments.of("negative GPIO", with("buttons.up.gpio", "-1"),
                        "t.properties:13: buttons.up.gpio: GPIO-1 is not on the 40-pin header (BCM GPIO 0..27)"),
                Arguments.of("duplicate key", GOOD + "spi.cs = 1\n",
                        "t.properties:14: spi.cs: given twice (first on line 4)"),
                Arguments.of("GPIO used twice", with("buttons.up.gpio", "25"),
                        "t.properties:13: buttons.up.gpio: GPIO25 is already used by enc28j60.int.gpio"),
                Arguments.of("GPIO on the SPI bus", with("enc28j60.reset.gpio", "11"),
                        "t.properties:13: enc28j60.reset.gpio: GPIO11 is already used by SPI0 SCLK (spi.bus = 0)"),
                Arguments.of("GPIO on the I2C bus", with("buttons.down.gpio", "GPIO3"),
                        "t.properties:13: buttons.down.gpio: GPIO3 is already used by I2C1 SCL (lcd.i2c.bus = 1)"),
                Arguments.of("impossible PCF8574 address", with("lcd.i2c.address", "0x30"),
                        "t.properties:13: lcd.i2c.address: 0x30 is not possible: a PCF8574 answers at 0x20-0x27, a PCF8574A at 0x38-0x3F (backpacks: 0x27 or 0x3F)"),
                Arguments.of("plate with GPIO buttons", with("lcd.type", "mcp23017-plate").replace("0x27", "0x20"),
                        "t.properties:10: buttons.up.gpio: not used here: the buttons of lcd.type = mcp23017-plate are the plate's own, read over I2C"),
                Arguments.of("emulated LCD on a Pi", with("lcd.type", "emulated"),
                        "t.properties:13: lcd.type: \"emulated\" is only for board.model = emulated"),
                Arguments.of("not key=value", GOOD + "lcd.type pcf8574\n",
                        "t.properties:14: not a \"key = value\" line: \"lcd.type pcf8574\""),
                Arguments.of("empty value", with("board.name", ""),
                        "t.properties:13: board.name: empty value"),
                Arguments.of("multicast MAC", GOOD + "mac = 01:00:5e:00:00:01\n",
                        "t.properties:14: mac: 01:00:5e:00:00:01 is a multicast address (the first octet is odd); a station needs a unicast MAC (IEEE 802, I/G bit)"),
                Arguments.of("bad MAC", GOOD + "mac = 02:00:00:00:00\n",
                        "t.properties:14: mac: \"02:00:00:00:00\" is not a MAC address like 02:12:34:56:78:9a"),
                Arguments.of("pull against the polarity", GOOD + "buttons.pull = down\n",
                        "t.properties:14: buttons.pull: \"down\" holds an active-low button pressed; use up or none"),
                Arguments.of("leading zero", with("spi.cs", "00"),
                        "t.properties:13: spi.cs: \"00\" has a leading zero; write decimal, or hex as 0x.."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedFileGivesOneClearLineNamingTheKey(String what, String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoardFile.parse("t.properties", text));
        assertEquals(message, e.getMessage(), what);
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void theGoodTemplateLoadsAndOptionalKeysTakeTheirDefaults() {
        BoardFile b = BoardFile.parse("t.properties", GOOD);
        assertEquals(-1, b.buttonGpio(Buttons.LEFT));
        assertEquals(5, b.buttonGpio(Buttons.UP));
        assertEquals(26, b.buttonGpio(Buttons.SELECT));
        assertEquals(20_000_000L, b.buttonsDebounceNs());
        assertFalse(b.hasMac());
        BoardFile noReset = BoardFile.parse("t.properties", without("enc28j60.reset.gpio").replace("spi.clock.hz = 12000000\n", ""));
        assertEquals(-1, noReset.resetGpio());
        assertEquals(BoardFile.DEFAULT_SPI_HZ, noReset.spiClockHz());
        BoardFile withMac = BoardFile.parse("t.properties", GOOD + "mac = 02:AB:cd:00:00:01   # set by hand\n");
        assertEquals(0x02ABCD000001L, withMac.mac());
        BoardFile bigAddress = BoardFile.parse("t.properties", with("lcd.i2c.address", "63"));
        assertEquals(0x3F, bigAddress.lcdI2cAddress());
        assertTrue(b.toString().contains("/dev/spidev0.0"), b.toString());
    }

    @Test
    void aHeadlessBoardNeedsNoDisplayKeys() {
        String headless = """
                board.name = headless
                board.model = pi5
                spi.bus = 0
                spi.cs = 0
                enc28j60.int.gpio = 25
                lcd.type = none
                """;
        BoardFile b = BoardFile.parse("h.properties", headless);
        assertEquals(BoardFile.LcdType.NONE, b.lcdType());
        assertEquals(-1, b.lcdI2cBus());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BoardFile.parse("h.properties", headless + "lcd.i2c.address = 0x27\n"));
        assertEquals("h.properties:7: lcd.i2c.address: not used here: lcd.type = none has no I2C display", e.getMessage());
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path tmp) throws IOException {
        Path missing = tmp.resolve("nope.properties");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoardFile.load(missing));
        assertEquals(missing + ": board file not found", e.getMessage());
        Path latin1 = tmp.resolve("latin1.properties");
        Files.write(latin1, "board.name = caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(IllegalArgumentException.class, () -> BoardFile.load(latin1));
        assertEquals(latin1 + ": not UTF-8 text", e.getMessage());
        Path ok = tmp.resolve("ok.properties");
        Files.writeString(ok, GOOD);
        assertEquals("test board", BoardFile.load(ok).name());
        Path broken = tmp.resolve("broken.properties");
        Files.writeString(broken, with("spi.bus", "zero"));
        e = assertThrows(IllegalArgumentException.class, () -> BoardFile.load(broken));
        assertEquals(broken + ":13: spi.bus: \"zero\" is not a whole number", e.getMessage());
    }

    @Test
    void everyDocumentedKeyIsKnown() throws IOException {
        String readme = Files.readString(BOARDS.resolve("README.md"));
        List<String> missing = new ArrayList<>();
        for (String key : BoardFile.KEYS) {
            if (!readme.contains("`" + key + "`")) {
                missing.add(key);
            }
        }
        assertEquals(List.of(), missing, "keys boards/README.md does not describe");
    }

    @Test
    void randomTextNeverFailsWithAnythingButOneLineNamingTheSource() {
        long seed = System.nanoTime();
        java.util.Random rnd = new java.util.Random(seed);
        String[] lines = GOOD.split("\n");
        String[] junk = {"=", " = ", "#", " #x", "0x", "GPIO", "\u00e9", "\r", "\t", "-", "99999999999999999999", ":", "\u0000"};
        int accepted = 0;
        for (int trial = 0; trial < 3000; trial++) {
            StringBuilder sb = new StringBuilder();
            for (String line : lines) {
                int mutate = rnd.nextInt(12);
                if (mutate == 0) {
                    continue; // drop the line
                }
                if (mutate == 1) {
                    int at = rnd.nextInt(line.length() + 1);
                    line = line.substring(0, at) + junk[rnd.nextInt(junk.length)] + line.substring(at);
                } else if (mutate == 2 && !line.isEmpty()) {
                    int at = rnd.nextInt(line.length());
                    line = line.substring(0, at) + line.substring(at + 1);
                } else if (mutate == 3) {
                    sb.append(line).append('\n'); // a duplicate
                }
                sb.append(line).append('\n');
            }
            try {
                BoardFile.parse("fuzz.properties", sb.toString());
                accepted++;
            } catch (IllegalArgumentException e) {
                String m = e.getMessage();
                assertTrue(m.startsWith("fuzz.properties"), "seed " + seed + " trial " + trial + ": " + m);
                assertTrue(m.chars().noneMatch(c -> c < 0x20), "seed " + seed + " trial " + trial + ": one printable line: " + m);
            }
        }
        assertTrue(accepted > 0, "seed " + seed + ": some mutations are harmless (a dropped optional line)");
    }
}
