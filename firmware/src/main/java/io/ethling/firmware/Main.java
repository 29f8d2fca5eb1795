package io.ethling.firmware;

import io.ethling.hal.Buttons;
import io.ethling.hal.Clock;
import io.ethling.hal.DigitalInput;
import io.ethling.hal.DigitalOutput;
import io.ethling.hal.I2cDevice;
import io.ethling.hal.pi4j.CloseableSpiDevice;
import io.ethling.hal.pi4j.Pi4jBoard;
import io.ethling.hal.pi4j.SpiDevices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The firmware on a Raspberry Pi: {@code java -cp ethling.jar io.ethling.firmware.Main
 * [--board FILE] [--config FILE]} (defaults /etc/ethling/board.properties and
 * /etc/ethling/ethling.conf). Reads the board file, opens the Pi's devices through Pi4J (SPI via
 * spidev by default, the INT and RESET GPIOs, the LCD's I2C device, button GPIOs), takes the MAC
 * from the board file or else from the Pi's serial number (locally administered, {@link SerialMac}),
 * wires the {@link Firmware} and runs its loop until the process is stopped. A bad board file or
 * configuration is one line on stderr and exit code 2; a device that does not come up, exit 1.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Path boardFile = Path.of("/etc/ethling/board.properties");
        Path configFile = Path.of("/etc/ethling/ethling.conf");
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("--board") || args[i].equals("--config")) && i + 1 < args.length) {
                if (args[i].equals("--board")) {
                    boardFile = Path.of(args[++i]);
                } else {
                    configFile = Path.of(args[++i]);
                }
            } else {
                System.err.println("ethling-firmware: unknown argument '" + args[i] + "' (usage: Main [--board FILE] [--config FILE])");
                System.exit(2);
            }
        }
        BoardFile board;
        AppConfig config;
        try {
            board = BoardFile.load(boardFile);
            config = AppConfig.load(configFile);
        } catch (IllegalArgumentException e) {
            System.err.println("ethling-firmware: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (board.emulated()) {
            System.err.println("ethling-firmware: " + boardFile + " is the emulated board; on a desktop run `ethling emulate`");
            System.exit(2);
        }
        try {
            run(board, config);
        } catch (IllegalArgumentException e) {
            System.err.println("ethling-firmware: " + e.getMessage());
            System.exit(2);
        } catch (IOException | RuntimeException e) {
            System.err.println("ethling-firmware: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            System.exit(1);
        }
    }

    private static io.ethling.hal.pi4j.Pull pull(BoardFile.Pull p) {
        return switch (p) {
            case UP -> io.ethling.hal.pi4j.Pull.UP;
            case DOWN -> io.ethling.hal.pi4j.Pull.DOWN;
            case NONE -> io.ethling.hal.pi4j.Pull.OFF;
        };
    }

    private static void run(BoardFile board, AppConfig config) throws IOException {
        long mac = board.hasMac() ? board.mac() : SerialMac.fromSerial(SerialMac.serialFromCpuinfo(Files.readString(Path.of("/proc/cpuinfo"))));
        try (Pi4jBoard pi = Pi4jBoard.open();
             CloseableSpiDevice spi = SpiDevices.open(SpiDevices.DEFAULT_KIND, board.spiBus(), board.spiCs(), board.spiClockHz(), pi)) {
            DigitalInput intPin = board.intGpio() >= 0 ? pi.interruptInput(board.intGpio()) : null;
            DigitalOutput reset = board.resetGpio() >= 0 ? pi.resetOutput(board.resetGpio()) : null;
            I2cDevice i2c = board.lcdType() == BoardFile.LcdType.NONE ? null : pi.i2c(board.lcdI2cBus(), board.lcdI2cAddress());
            DigitalInput[] buttons = null;
            if (board.lcdType() == BoardFile.LcdType.PCF8574 || board.lcdType() == BoardFile.LcdType.NONE) {
                for (int i = 0; i < Buttons.COUNT; i++) {
                    int gpio = board.buttonGpio(1 << i);
                    if (gpio >= 0) {
                        if (buttons == null) {
                            buttons = new DigitalInput[Buttons.COUNT];
                        }
                        buttons[i] = pi.input(gpio, pull(board.buttonsPull()), 0);   // GpioButtons debounces
                    }
                }
            }
            Firmware fw = new Firmware(board, config, spi, intPin, reset, i2c, buttons, Clock.SYSTEM, mac, new SecureRandom().nextLong());
            fw.start();
            Runtime.getRuntime().addShutdownHook(new Thread(fw.loop::stop, "ethling-stop"));
            System.err.println("ethling-firmware: " + board.name() + ", MAC " + SerialMac.format(mac) + ", " + config.bookmarks().length
                    + " bookmark(s), status page " + (config.statusPort() == 0 ? "off" : "on port " + config.statusPort()));
            fw.loop.run();
        }
    }
}
