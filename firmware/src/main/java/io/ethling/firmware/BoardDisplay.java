package io.ethling.firmware;

import io.ethling.hal.Buttons;
import io.ethling.hal.CharacterDisplay;
import io.ethling.hal.Clock;
import io.ethling.hal.DigitalInput;
import io.ethling.hal.I2cDevice;
import io.ethling.hal.lcd.GpioButtons;
import io.ethling.hal.lcd.Hd44780;
import io.ethling.hal.lcd.LcdBus;
import io.ethling.hal.lcd.Mcp23017Plate;
import io.ethling.hal.lcd.Pcf8574Backpack;
import java.util.Objects;

/**
 * The display and buttons a {@link BoardFile} describes, built on devices the caller opened: the
 * I2C device at {@code lcd.i2c.address} (Pi4J on the board, an LCD emulator on the desktop) and,
 * for a PCF8574 board, one {@link DigitalInput} per button GPIO.
 *
 * <table>
 *   <caption>What each lcd.type becomes</caption>
 *   <tr><th>lcd.type</th><th>display</th><th>buttons</th></tr>
 *   <tr><td>pcf8574</td><td>{@link Hd44780} on a {@link Pcf8574Backpack}</td><td>{@link GpioButtons}</td></tr>
 *   <tr><td>mcp23017-plate, emulated</td><td>{@link Hd44780} on the {@link Mcp23017Plate}</td><td>the plate</td></tr>
 *   <tr><td>none</td><td>none</td><td>{@link GpioButtons} if any are wired, else none</td></tr>
 * </table>
 *
 * <p>{@link #init()} runs the HD44780 initialisation (about 57 ms of data-sheet waits through the
 * clock). Then the loop calls {@code buttons().poll(nowNs)} when {@code buttons().pollAtNs(nowNs)}
 * is due, and draws with {@code display().printRow(...)}; neither allocates.
 */
public final class BoardDisplay {

    private final Hd44780 display;
    private final Buttons buttons;
    private final GpioButtons gpioButtons;

    private BoardDisplay(Hd44780 display, Buttons buttons, GpioButtons gpioButtons) {
        this.display = display;
        this.buttons = buttons;
        this.gpioButtons = gpioButtons;
    }

    /**
     * @param i2c the display's I2C device, {@code null} for lcd.type = none
     * @param buttonInputs for GPIO buttons: indexed by {@link Buttons} bit number (0 UP … 4 SELECT),
     *        an input wherever {@link BoardFile#buttonGpio} is not -1; {@code null} otherwise
     * @throws IllegalArgumentException when the devices do not match the board file (a programming error)
     */
    public static BoardDisplay build(BoardFile board, I2cDevice i2c, DigitalInput[] buttonInputs, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        BoardFile.LcdType type = board.lcdType();
        if (type == BoardFile.LcdType.NONE) {
            if (i2c != null) {
                throw new IllegalArgumentException(board.source() + ": lcd.type = none, but an I2C display device was given");
            }
            GpioButtons g = gpioButtons(board, buttonInputs);
            return new BoardDisplay(null, g, g);
        }
        Objects.requireNonNull(i2c, "i2c (lcd.type = " + type.key() + ")");
        if (type != BoardFile.LcdType.EMULATED && i2c.address() != board.lcdI2cAddress()) {
            throw new IllegalArgumentException(String.format("%s: lcd.i2c.address is 0x%02X, but the I2C device given answers at 0x%02X",
                    board.source(), board.lcdI2cAddress(), i2c.address()));
        }
        if (type == BoardFile.LcdType.PCF8574) {
            LcdBus bus = new Pcf8574Backpack(i2c);
            GpioButtons g = gpioButtons(board, buttonInputs);
            return new BoardDisplay(new Hd44780(bus, clock, board.lcdColumns(), board.lcdRows()), g, g);
        }
        if (buttonInputs != null) {
            throw new IllegalArgumentException(board.source() + ": lcd.type = " + type.key() + " reads the plate's own buttons; no GPIO inputs expected");
        }
        Mcp23017Plate plate = new Mcp23017Plate(i2c, board.buttonsDebounceNs(), board.buttonsPollNs());
        return new BoardDisplay(new Hd44780(plate, clock, board.lcdColumns(), board.lcdRows()), plate, null);
    }

    private static GpioButtons gpioButtons(BoardFile board, DigitalInput[] inputs) {
        boolean any = false;
        for (int i = 0; i < Buttons.COUNT; i++) {
            int gpio = board.buttonGpio(1 << i);
            DigitalInput in = inputs != null && i < inputs.length ? inputs[i] : null;
            if ((gpio >= 0) != (in != null)) {
                throw new IllegalArgumentException(board.source() + ": " + BoardFile.BUTTON_KEYS[i]
                        + (gpio >= 0 ? " is GPIO" + gpio + ", but no input was given for it" : " is not set, but an input was given"));
            }
            any |= gpio >= 0;
        }
        if (!any) {
            return null;
        }
        // With edge wake-ups (wakeOnEdges) the sample period only matters while nothing wakes the loop.
        return new GpioButtons(inputs, board.buttonsActiveLow(), board.buttonsDebounceNs(), 50_000_000L);
    }

    /** Initialises the display (if any): blank, on, backlight on. @return a CharacterDisplay status */
    public int init() {
        return display == null ? CharacterDisplay.OK : display.init();
    }

    /** The display, or {@code null} on a headless board. */
    public Hd44780 display() {
        return display;
    }

    /** The buttons, or {@code null} when there are none. */
    public Buttons buttons() {
        return buttons;
    }

    /**
     * Registers the loop's wake-up on the button GPIOs' edges (PCF8574 boards), so idle buttons need
     * no sampling; a no-op for the plate, whose buttons are polled over I2C.
     */
    public void wakeOnButtonEdges(Runnable wakeup) {
        if (gpioButtons != null) {
            gpioButtons.wakeOnEdges(wakeup);
        }
    }
}
