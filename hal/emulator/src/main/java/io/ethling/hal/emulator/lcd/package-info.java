/**
 * Character LCD emulators behind {@link io.ethling.hal.I2cDevice}, so a test reads what a person
 * would see: {@link io.ethling.hal.emulator.lcd.Pcf8574LcdEmulator} (an HD44780 on a PCF8574
 * backpack) and {@link io.ethling.hal.emulator.lcd.Mcp23017LcdEmulator} (the Adafruit RGB LCD plate,
 * with its five buttons). Both decode the HD44780 command stream into a
 * {@link io.ethling.hal.emulator.lcd.Hd44780Model} character grid and record protocol misuse in
 * {@link io.ethling.hal.emulator.Misuse} (strict by default: the offending write throws).
 */
package io.ethling.hal.emulator.lcd;
