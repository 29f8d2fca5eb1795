package io.ethling.firmware;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A board file: which Raspberry Pi (or the emulated board), how the ENC28J60 is wired (SPI bus,
 * chip select, clock, INT and RESET GPIOs), which LCD is fitted (PCF8574 backpack, MCP23017 RGB
 * plate, none, emulated) and where its buttons are. The format and every key are described in
 * {@code boards/README.md}.
 *
 * <p>Format: UTF-8 text, one {@code key = value} per line; blank lines and lines starting with
 * {@code #} are ignored, and {@code " #"} starts a comment after a value. Stricter than
 * {@link java.util.Properties} on purpose: a key given twice, a key nobody reads (a typo), a
 * number with a unit, a GPIO outside the header's BCM 0–27 or one already used by another key are
 * errors, not silently accepted. Every error is an {@link IllegalArgumentException} with one line
 * that names the file (and line), the key and what is wrong, e.g.
 * {@code boards/pi4b/pcf8574.properties:12: spi.clock.hz: "8MHz" is not a whole number}.
 *
 * <p>Immutable; GPIO numbers are BCM numbers, -1 where a pin is not wired.
 */
public final class BoardFile {

    /** The board a file describes. */
    public enum Model {
        /** Raspberry Pi 3 Model B+. */
        PI3BPLUS("pi3bplus", "Raspberry Pi 3 Model B+"),
        /** Raspberry Pi 4 Model B. */
        PI4B("pi4b", "Raspberry Pi 4 Model B"),
        /** Raspberry Pi 5. */
        PI5("pi5", "Raspberry Pi 5"),
        /** Raspberry Pi Zero 2 W. */
        PIZERO2W("pizero2w", "Raspberry Pi Zero 2 W"),
        /** The desktop board: emulated ENC28J60 and LCD. */
        EMULATED("emulated", "emulated board");

        private final String key;
        private final String title;

        Model(String key, String title) {
            this.key = key;
            this.title = title;
        }

        /** The value in a board file. */
        public String key() {
            return key;
        }

        /** The product name. */
        public String title() {
            return title;
        }
    }

    /** The character LCD fitted. */
    public enum LcdType {
        /** HD44780 16×2 on a PCF8574 I2C backpack; buttons on GPIO pins. */
        PCF8574("pcf8574"),
        /** Adafruit RGB 16×2 LCD plate (MCP23017) with its five buttons. */
        MCP23017_PLATE("mcp23017-plate"),
        /** No display, no buttons (a headless board). */
        NONE("none"),
        /** The emulated plate of the emulated board (drawn in the terminal or a web page). */
        EMULATED("emulated");

        private final String key;

        LcdType(String key) {
            this.key = key;
        }

        /** The value in a board file. */
        public String key() {
            return key;
        }
    }

    /** The bias on the button inputs. */
    public enum Pull { UP, DOWN, NONE }

    /** The highest BCM GPIO on the 40-pin header. */
    public static final int MAX_HEADER_GPIO = 27;
    /** Lowest SPI clock: 8 MHz, ENC28J60 errata #1 (DS80349C): MAC/MII access unreliable below. */
    public static final int MIN_SPI_HZ = 8_000_000;
    /** Highest SPI clock: 20 MHz, the ENC28J60's maximum SCK (DS39662E feature list). */
    public static final int MAX_SPI_HZ = 20_000_000;
    /** Default SPI clock: 12 MHz, as the Raspberry Pi enc28j60 overlay uses (PLATFORM.md §2.2). */
    public static final int DEFAULT_SPI_HZ = 12_000_000;

    /** Every key a board file may contain, in the order boards/README.md lists them. */
    static final String[] KEYS = {
        "board.name", "board.model",
        "spi.bus", "spi.cs", "spi.clock.hz",
        "enc28j60.int.gpio", "enc28j60.reset.gpio",
        "lcd.type", "lcd.i2c.bus", "lcd.i2c.address", "lcd.columns", "lcd.rows",
        "buttons.up.gpio", "buttons.down.gpio", "buttons.left.gpio", "buttons.right.gpio", "buttons.select.gpio",
        "buttons.active", "buttons.pull", "buttons.debounce.ms", "buttons.poll.ms",
        "mac",
    };

    /** Button keys in the order of the {@code io.ethling.hal.Buttons} bits (UP, DOWN, LEFT, RIGHT, SELECT). */
    static final String[] BUTTON_KEYS = {
        "buttons.up.gpio", "buttons.down.gpio", "buttons.left.gpio", "buttons.right.gpio", "buttons.select.gpio",
    };

    private final String source;
    private final String name;
    private final Model model;
    private final int spiBus;
    private final int spiCs;
    private final int spiClockHz;
    private final int intGpio;
    private final int resetGpio;
    private final LcdType lcdType;
    private final int lcdI2cBus;
    private final int lcdI2cAddress;
    private final int lcdColumns;
    private final int lcdRows;
    private final int[] buttonGpio = new int[BUTTON_KEYS.length];
    private final boolean buttonsActiveLow;
    private final Pull buttonsPull;
    private final long buttonsDebounceNs;
    private final long buttonsPollNs;
    private final long mac;

    /**
     * Reads and checks a board file.
     *
     * @throws IllegalArgumentException one line naming the file, the key and what is wrong
     */
    public static BoardFile load(Path file) {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": board file not found");
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the board file: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /**
     * Parses board-file text; {@code source} names it in error messages.
     *
     * @throws IllegalArgumentException one line naming the source, the key and what is wrong
     */
    public static BoardFile parse(String source, String text) {
        return new BoardFile(source, new Reader(source, text));
    }

    private BoardFile(String source, Reader r) {
        this.source = source;
        this.name = r.text("board.name", true, 64);
        this.model = r.choice("board.model", Model.values(), null);
        boolean emulated = model == Model.EMULATED;

        this.spiBus = r.integer("spi.bus", 0, 6, emulated ? 0 : Reader.REQUIRED);
        this.spiCs = r.integer("spi.cs", 0, 2, emulated ? 0 : Reader.REQUIRED);
        this.spiClockHz = r.integer("spi.clock.hz", MIN_SPI_HZ, MAX_SPI_HZ, DEFAULT_SPI_HZ);
        this.intGpio = r.gpio("enc28j60.int.gpio", emulated ? -1 : Reader.REQUIRED);
        this.resetGpio = r.gpio("enc28j60.reset.gpio", -1);

        this.lcdType = r.choice("lcd.type", LcdType.values(), null);
        boolean i2cLcd = lcdType == LcdType.PCF8574 || lcdType == LcdType.MCP23017_PLATE;
        if (emulated != (lcdType == LcdType.EMULATED) && lcdType != LcdType.NONE) {
            r.fail("lcd.type", emulated
                    ? "\"" + lcdType.key() + "\" needs real hardware; the emulated board takes lcd.type = emulated or none"
                    : "\"emulated\" is only for board.model = emulated");
        }
        if (i2cLcd) {
            this.lcdI2cBus = r.integer("lcd.i2c.bus", 0, 31, Reader.REQUIRED);
            this.lcdI2cAddress = lcdType == LcdType.PCF8574
                    ? r.i2cAddress("lcd.i2c.address", 0x20, 0x27, 0x38, 0x3F, "a PCF8574 answers at 0x20-0x27, a PCF8574A at 0x38-0x3F (backpacks: 0x27 or 0x3F)")
                    : r.i2cAddress("lcd.i2c.address", 0x20, 0x27, 0x20, 0x27, "an MCP23017 answers at 0x20-0x27 (the plate: 0x20)");
        } else {
            r.forbid("lcd.i2c.bus", "lcd.type = " + lcdType.key() + " has no I2C display");
            r.forbid("lcd.i2c.address", "lcd.type = " + lcdType.key() + " has no I2C display");
            this.lcdI2cBus = -1;
            this.lcdI2cAddress = -1;
        }
        if (lcdType == LcdType.NONE) {
            r.forbid("lcd.columns", "lcd.type = none has no display");
            r.forbid("lcd.rows", "lcd.type = none has no display");
            this.lcdColumns = 0;
            this.lcdRows = 0;
        } else {
            this.lcdRows = r.integer("lcd.rows", 1, 4, 2);
            if (lcdRows == 3) {
                r.fail("lcd.rows", "3 is not an HD44780 layout; use 1, 2 or 4");
            }
            this.lcdColumns = r.integer("lcd.columns", 1, lcdRows == 4 ? 20 : 40, 16);
        }

        // Buttons: GPIO pins beside a PCF8574 display (or a headless board), the plate's own otherwise.
        boolean gpioButtons = lcdType == LcdType.PCF8574 || lcdType == LcdType.NONE;
        for (int i = 0; i < BUTTON_KEYS.length; i++) {
            String key = BUTTON_KEYS[i];
            if (!gpioButtons) {
                r.forbid(key, "the buttons of lcd.type = " + lcdType.key() + " are the plate's own, read over I2C");
                buttonGpio[i] = -1;
            } else {
                boolean required = lcdType == LcdType.PCF8574 && (i == 0 || i == 1 || i == 4); // UP, DOWN, SELECT
                buttonGpio[i] = r.gpio(key, required ? Reader.REQUIRED : -1);
            }
        }
        boolean anyGpioButton = false;
        for (int g : buttonGpio) {
            anyGpioButton |= g >= 0;
        }
        if (anyGpioButton) {
            this.buttonsActiveLow = r.choice("buttons.active", new String[] {"low", "high"}, "low").equals("low");
            this.buttonsPull = Pull.valueOf(r.choice("buttons.pull", new String[] {"up", "down", "none"},
                    buttonsActiveLow ? "up" : "down").toUpperCase(Locale.ROOT));
            if (buttonsActiveLow && buttonsPull == Pull.DOWN || !buttonsActiveLow && buttonsPull == Pull.UP) {
                r.fail("buttons.pull", "\"" + buttonsPull.name().toLowerCase(Locale.ROOT) + "\" holds an active-"
                        + (buttonsActiveLow ? "low" : "high") + " button pressed; use " + (buttonsActiveLow ? "up" : "down") + " or none");
            }
        } else {
            r.forbid("buttons.active", "no button GPIO is configured");
            r.forbid("buttons.pull", "no button GPIO is configured");
            this.buttonsActiveLow = true;
            this.buttonsPull = Pull.NONE;
        }
        if (lcdType == LcdType.NONE && !anyGpioButton) {
            r.forbid("buttons.debounce.ms", "there are no buttons");
        }
        this.buttonsDebounceNs = r.integer("buttons.debounce.ms", 0, 1000, 20) * 1_000_000L;
        if (lcdType == LcdType.MCP23017_PLATE || lcdType == LcdType.EMULATED) {
            this.buttonsPollNs = r.integer("buttons.poll.ms", 5, 1000, 20) * 1_000_000L;
        } else {
            r.forbid("buttons.poll.ms", "only the plate's buttons are polled over I2C (GPIO buttons wake the loop on edges)");
            this.buttonsPollNs = 0;
        }
        this.mac = r.mac("mac");

        if (!emulated) {
            checkPins(r, i2cLcd);
        }
        r.rejectUnknownKeys();
    }

    /** No GPIO twice, none on the SPI or I2C pins in use. */
    private void checkPins(Reader r, boolean i2cLcd) {
        // Pins taken by the buses (BCM numbers; PLATFORM.md §2.1 and §2.3, pinout.xyz).
        int[] busPins;
        String[] busUse;
        if (spiBus == 0) {
            busPins = new int[] {9, 10, 11, spiCs == 0 ? 8 : 7};
            busUse = new String[] {"SPI0 MISO", "SPI0 MOSI", "SPI0 SCLK", "SPI0 CE" + spiCs};
        } else if (spiBus == 1) {
            busPins = new int[] {19, 20, 21, 18 - spiCs};
            busUse = new String[] {"SPI1 MISO", "SPI1 MOSI", "SPI1 SCLK", "SPI1 CE" + spiCs};
        } else {
            busPins = new int[0];
            busUse = new String[0];
        }
        Map<Integer, String> used = new LinkedHashMap<>();
        for (int i = 0; i < busPins.length; i++) {
            used.put(busPins[i], busUse[i] + " (spi.bus = " + spiBus + ")");
        }
        if (i2cLcd && lcdI2cBus == 1) {
            used.put(2, "I2C1 SDA (lcd.i2c.bus = 1)");
            used.put(3, "I2C1 SCL (lcd.i2c.bus = 1)");
        }
        claim(r, used, "enc28j60.int.gpio", intGpio);
        claim(r, used, "enc28j60.reset.gpio", resetGpio);
        for (int i = 0; i < BUTTON_KEYS.length; i++) {
            claim(r, used, BUTTON_KEYS[i], buttonGpio[i]);
        }
    }

    private static void claim(Reader r, Map<Integer, String> used, String key, int gpio) {
        if (gpio < 0) {
            return;
        }
        String other = used.putIfAbsent(gpio, key);
        if (other != null) {
            r.fail(key, "GPIO" + gpio + " is already used by " + other);
        }
    }

    /** Where the file came from (its path), for messages. */
    public String source() {
        return source;
    }

    /** board.name: a human-readable title. */
    public String name() {
        return name;
    }

    /** board.model. */
    public Model model() {
        return model;
    }

    /** Whether this is the desktop board (emulated chip and LCD). */
    public boolean emulated() {
        return model == Model.EMULATED;
    }

    /** spi.bus (0 for SPI0; 0 on the emulated board when not given). */
    public int spiBus() {
        return spiBus;
    }

    /** spi.cs: the chip select (0 = CE0). */
    public int spiCs() {
        return spiCs;
    }

    /** The spidev node of the ENC28J60, e.g. {@code /dev/spidev0.0}. */
    public String spiDevice() {
        return "/dev/spidev" + spiBus + "." + spiCs;
    }

    /** spi.clock.hz (default 12 MHz). */
    public int spiClockHz() {
        return spiClockHz;
    }

    /** enc28j60.int.gpio (BCM), or -1 on the emulated board when not given. */
    public int intGpio() {
        return intGpio;
    }

    /** enc28j60.reset.gpio (BCM), or -1 when RESET is not wired. */
    public int resetGpio() {
        return resetGpio;
    }

    /** lcd.type. */
    public LcdType lcdType() {
        return lcdType;
    }

    /** lcd.i2c.bus ({@code /dev/i2c-N}), or -1 without an I2C display. */
    public int lcdI2cBus() {
        return lcdI2cBus;
    }

    /** lcd.i2c.address (7-bit), or -1 without an I2C display. */
    public int lcdI2cAddress() {
        return lcdI2cAddress;
    }

    /** lcd.columns (default 16; 0 without a display). */
    public int lcdColumns() {
        return lcdColumns;
    }

    /** lcd.rows (default 2; 0 without a display). */
    public int lcdRows() {
        return lcdRows;
    }

    /**
     * The BCM GPIO of one button (an {@code io.ethling.hal.Buttons} bit), or -1 when it is not on
     * a GPIO (not wired, or the plate's own).
     */
    public int buttonGpio(int button) {
        int index = Integer.numberOfTrailingZeros(button);
        if (Integer.bitCount(button) != 1 || index >= BUTTON_KEYS.length) {
            throw new IllegalArgumentException("not a single button bit: " + button);
        }
        return buttonGpio[index];
    }

    /** buttons.active: whether a GPIO button reads low when pressed (default). */
    public boolean buttonsActiveLow() {
        return buttonsActiveLow;
    }

    /** buttons.pull: the bias to set on the GPIO button inputs. */
    public Pull buttonsPull() {
        return buttonsPull;
    }

    /** buttons.debounce.ms in ns (default 20 ms). */
    public long buttonsDebounceNs() {
        return buttonsDebounceNs;
    }

    /** buttons.poll.ms in ns: the plate's sample period (default 20 ms); 0 for GPIO buttons. */
    public long buttonsPollNs() {
        return buttonsPollNs;
    }

    /** Whether a MAC is configured (else the firmware derives one from the Pi's serial number). */
    public boolean hasMac() {
        return mac >= 0;
    }

    /** The configured MAC, six octets in the low 48 bits (first octet highest), or -1. */
    public long mac() {
        return mac;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(" (").append(model.key()).append(", ").append(source).append(")");
        if (!emulated()) {
            sb.append(": ENC28J60 on ").append(spiDevice()).append(" at ").append(spiClockHz).append(" Hz, INT GPIO")
                    .append(intGpio).append(resetGpio >= 0 ? ", RESET GPIO" + resetGpio : ", no RESET");
        }
        sb.append("; LCD ").append(lcdType.key());
        if (lcdI2cBus >= 0) {
            sb.append(String.format(" on i2c-%d at 0x%02X", lcdI2cBus, lcdI2cAddress));
        }
        return sb.toString();
    }

    /** The key=value lines, with line numbers, and the checks that name them in errors. */
    private static final class Reader {

        static final int REQUIRED = Integer.MIN_VALUE;

        private final String source;
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, Integer> lines = new LinkedHashMap<>();
        private final java.util.Set<String> read = new java.util.HashSet<>();

        Reader(String source, String text) {
            this.source = source;
            String[] all = text.split("\r?\n", -1);
            for (int n = 0; n < all.length; n++) {
                String line = all[n].strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int comment = indexOfComment(line);
                if (comment >= 0) {
                    line = line.substring(0, comment).strip();
                }
                int eq = line.indexOf('=');
                if (eq < 0) {
                    throw error(source + ":" + (n + 1) + ": not a \"key = value\" line: \"" + clip(line) + "\"");
                }
                String key = line.substring(0, eq).strip();
                String value = line.substring(eq + 1).strip();
                if (key.isEmpty()) {
                    throw error(source + ":" + (n + 1) + ": a value without a key: \"" + clip(line) + "\"");
                }
                if (values.containsKey(key)) {
                    throw error(source + ":" + (n + 1) + ": " + key + ": given twice (first on line " + lines.get(key) + ")");
                }
                values.put(key, value);
                lines.put(key, n + 1);
            }
        }

        /** The exception for a message, its control characters shown as '?' so it stays one line. */
        private static IllegalArgumentException error(String message) {
            StringBuilder sb = new StringBuilder(message.length());
            for (int i = 0; i < message.length(); i++) {
                char c = message.charAt(i);
                sb.append(c < 0x20 || c == 0x7F ? '?' : c);
            }
            return new IllegalArgumentException(sb.toString());
        }

        private static int indexOfComment(String line) {
            for (int i = 1; i < line.length(); i++) {
                if (line.charAt(i) == '#' && Character.isWhitespace(line.charAt(i - 1))) {
                    return i;
                }
            }
            return -1;
        }

        private static String clip(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "..." : s;
        }

        void fail(String key, String what) {
            Integer line = lines.get(key);
            throw error(source + (line != null ? ":" + line : "") + ": " + key + ": " + what);
        }

        private String raw(String key, boolean required, String why) {
            read.add(key);
            String v = values.get(key);
            if (v == null) {
                if (required) {
                    throw error(source + ": " + key + ": missing" + why);
                }
                return null;
            }
            if (v.isEmpty()) {
                fail(key, "empty value");
            }
            return v;
        }

        private String requiredWhy() {
            String model = values.get("board.model");
            String lcd = values.get("lcd.type");
            StringBuilder sb = new StringBuilder(" (required");
            if (model != null) {
                sb.append(" for board.model = ").append(model);
                if (lcd != null) {
                    sb.append(", lcd.type = ").append(lcd);
                }
            }
            return sb.append(")").toString();
        }

        String text(String key, boolean required, int maxLength) {
            String v = raw(key, required, requiredWhy());
            if (v != null && v.length() > maxLength) {
                fail(key, "longer than " + maxLength + " characters");
            }
            return v;
        }

        <E extends Enum<E>> E choice(String key, E[] options, E fallback) {
            String v = raw(key, fallback == null, requiredWhy());
            if (v == null) {
                return fallback;
            }
            StringBuilder allowed = new StringBuilder();
            for (E e : options) {
                String k = e instanceof Model m ? m.key() : ((LcdType) e).key();
                if (k.equals(v)) {
                    return e;
                }
                allowed.append(allowed.isEmpty() ? "" : ", ").append(k);
            }
            fail(key, "unknown value \"" + clip(v) + "\"; one of " + allowed);
            return null;
        }

        String choice(String key, String[] options, String fallback) {
            String v = raw(key, false, "");
            if (v == null) {
                return fallback;
            }
            for (String o : options) {
                if (o.equals(v)) {
                    return o;
                }
            }
            fail(key, "unknown value \"" + clip(v) + "\"; one of " + String.join(", ", options));
            return null;
        }

        int integer(String key, int min, int max, int fallback) {
            String v = raw(key, fallback == REQUIRED, requiredWhy());
            if (v == null) {
                return fallback;
            }
            long n = parseNumber(key, v);
            if (n < min || n > max) {
                fail(key, v + " is out of range " + min + ".." + max);
            }
            return (int) n;
        }

        private long parseNumber(String key, String v) {
            try {
                if (v.startsWith("0x") || v.startsWith("0X")) {
                    return Long.parseLong(v.substring(2), 16);
                }
                if (v.length() > 1 && v.charAt(0) == '0') {
                    fail(key, "\"" + v + "\" has a leading zero; write decimal, or hex as 0x..");
                }
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                fail(key, "\"" + clip(v) + "\" is not a whole number");
                return 0;
            }
        }

        int gpio(String key, int fallback) {
            String v = raw(key, fallback == REQUIRED, requiredWhy());
            if (v == null) {
                return fallback;
            }
            String digits = v.regionMatches(true, 0, "GPIO", 0, 4) ? v.substring(4) : v;
            long n = parseNumber(key, digits);
            if (n < 0 || n > MAX_HEADER_GPIO) {
                fail(key, "GPIO" + n + " is not on the 40-pin header (BCM GPIO 0.." + MAX_HEADER_GPIO + ")");
            }
            return (int) n;
        }

        int i2cAddress(String key, int lo1, int hi1, int lo2, int hi2, String hint) {
            String v = raw(key, true, requiredWhy());
            long n = parseNumber(key, v);
            if (!(n >= lo1 && n <= hi1 || n >= lo2 && n <= hi2)) {
                fail(key, String.format("0x%X is not possible: %s", n, hint));
            }
            return (int) n;
        }

        long mac(String key) {
            String v = raw(key, false, "");
            if (v == null) {
                return -1;
            }
            String[] parts = v.split("[:-]", -1);
            if (parts.length != 6) {
                fail(key, "\"" + clip(v) + "\" is not a MAC address like 02:12:34:56:78:9a");
            }
            long mac = 0;
            for (String p : parts) {
                if (p.length() != 2 || Character.digit(p.charAt(0), 16) < 0 || Character.digit(p.charAt(1), 16) < 0) {
                    fail(key, "\"" + clip(v) + "\" is not a MAC address like 02:12:34:56:78:9a");
                }
                mac = mac << 8 | Integer.parseInt(p, 16);
            }
            if ((mac >>> 40 & 1) != 0) {
                fail(key, v + " is a multicast address (the first octet is odd); a station needs a unicast MAC (IEEE 802, I/G bit)");
            }
            if (mac == 0) {
                fail(key, "00:00:00:00:00:00 is not a station address");
            }
            return mac;
        }

        void forbid(String key, String why) {
            read.add(key);
            if (values.containsKey(key)) {
                fail(key, "not used here: " + why);
            }
        }

        void rejectUnknownKeys() {
            for (String key : values.keySet()) {
                if (!read.contains(key)) {
                    String near = nearest(key);
                    fail(key, "unknown key" + (near != null ? " (did you mean " + near + "?)" : "") + "; boards/README.md lists the keys");
                }
            }
        }

        private static String nearest(String key) {
            String best = null;
            int bestDistance = 4;
            for (String k : KEYS) {
                int d = distance(key, k);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = k;
                }
            }
            return best;
        }

        /** Levenshtein distance (cold path, short strings). */
        private static int distance(String a, String b) {
            int[] prev = new int[b.length() + 1];
            int[] cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
        }
    }
}
