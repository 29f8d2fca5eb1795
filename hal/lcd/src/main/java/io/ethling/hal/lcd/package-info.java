/**
 * Character LCDs and buttons on hal/api only: {@link io.ethling.hal.lcd.Hd44780} (4-bit HD44780,
 * a {@link io.ethling.hal.CharacterDisplay}) over an {@link io.ethling.hal.lcd.LcdBus}, which is
 * either a {@link io.ethling.hal.lcd.Pcf8574Backpack} (I2C backpack, 0x27/0x3F) or the
 * {@link io.ethling.hal.lcd.Mcp23017Plate} (Adafruit RGB LCD plate, 0x20, which also reads its five
 * buttons as {@link io.ethling.hal.Buttons}); and {@link io.ethling.hal.lcd.GpioButtons} for
 * buttons on GPIO pins. Wiring:
 *
 * <pre>{@code
 * Mcp23017Plate plate = new Mcp23017Plate(i2c);           // i2c: the device at 0x20
 * Hd44780 lcd = new Hd44780(plate, clock);                // 16×2
 * lcd.init();
 * lcd.printRow(0, "Hello");
 * int held = plate.poll(nowNs);                           // buttons, debounced
 * }</pre>
 */
package io.ethling.hal.lcd;
