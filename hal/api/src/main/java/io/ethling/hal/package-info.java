/**
 * Ethling's hardware abstraction: the interfaces the driver, the stack and the firmware code
 * against, with implementations on Pi4J/spidev (the board) and in the emulator (the desktop).
 * Depends on java.base only.
 */
package io.ethling.hal;
