package io.ethling.tools;

import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.Enc28j60Emulator;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.enc28j60.Enc28j60;
import io.ethling.hal.enc28j60.Enc28j60Config;

/**
 * One board on the desktop: the real ENC28J60 driver talking SPI to the register-level emulator,
 * with the chip's INT pin wired to the driver as on the Pi (GPIO25), all on one virtual clock.
 */
public final class EmulatedBoard {

    public final String name;
    public final VirtualClock clock;
    public final Enc28j60Emulator chip;
    public final Enc28j60 driver;

    public EmulatedBoard(String name, VirtualClock clock, long mac, long seed, boolean interruptPin) {
        this(name, clock, mac, new EmulatorConfig().seed(seed), interruptPin);
    }

    public EmulatedBoard(String name, VirtualClock clock, long mac, EmulatorConfig chipConfig,
            boolean interruptPin) {
        this(name, clock, chipConfig, new Enc28j60Config().macAddress(mac), interruptPin);
    }

    public EmulatedBoard(String name, VirtualClock clock, EmulatorConfig chipConfig, Enc28j60Config driverConfig,
            boolean interruptPin) {
        this.name = name;
        this.clock = clock;
        this.chip = new Enc28j60Emulator(clock, chipConfig);
        this.driver = new Enc28j60(chip, interruptPin ? chip.interruptPin() : null, chip.resetPin(),
                clock, driverConfig);
    }

    /** Initialises the driver; throws with one clear line if the chip does not come up. */
    public void init() {
        int rc = driver.init();
        if (rc != EthernetDevice.OK) {
            throw new IllegalStateException(name + ": ENC28J60 init failed (status " + rc + ")");
        }
    }

    /** The earliest instant at which the chip or the driver has something to do. */
    public long nextEventNs() {
        long now = clock.nanoTime();
        return Math.min(chip.nextEventNs(), driver.pollAtNs(now));
    }

    /** Formats a MAC held in the low 48 bits as xx:xx:xx:xx:xx:xx (cold path). */
    public static String mac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xFF;
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        return sb.toString();
    }

    /** Parses xx:xx:xx:xx:xx:xx; throws IllegalArgumentException naming the bad value. */
    public static long parseMac(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("bad MAC address '" + text + "': expected six hex octets like 02:00:00:00:00:01");
        }
        long mac = 0;
        for (String p : parts) {
            if (p.length() < 1 || p.length() > 2) {
                throw new IllegalArgumentException("bad MAC address '" + text + "': octet '" + p + "'");
            }
            try {
                mac = (mac << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad MAC address '" + text + "': octet '" + p + "' is not hex");
            }
        }
        return mac;
    }
}
