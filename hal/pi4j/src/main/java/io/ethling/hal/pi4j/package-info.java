/**
 * The board side of Ethling's HAL: Pi4J 3.0.4 adapters for SPI, I2C and GPIO, and an
 * allocation-free spidev {@link io.ethling.hal.SpiDevice} written with the Foreign Function &amp;
 * Memory API. This is the only module that imports {@code com.pi4j}; nothing outside it needs
 * Pi4J types ({@link io.ethling.hal.pi4j.Pull} stands in for Pi4J's pull setting).
 *
 * <p>Entry points: {@link io.ethling.hal.pi4j.Pi4jBoard} (an explicit Pi4J context and the
 * devices it creates) and {@link io.ethling.hal.pi4j.SpiDevices} (choose "spidev" or "pi4j" for
 * the ENC28J60's SPI).
 */
package io.ethling.hal.pi4j;
