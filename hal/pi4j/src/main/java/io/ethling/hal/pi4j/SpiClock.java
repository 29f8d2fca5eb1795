package io.ethling.hal.pi4j;

/**
 * The SCK range this module accepts for the ENC28J60, shared by {@link Pi4jSpiDevice} and
 * {@link SpidevSpiDevice}.
 *
 * <ul>
 *   <li>Minimum 8 MHz: below it the chip's MAC/MII register reads and writes may be unreliable
 *       (ENC28J60 silicon errata DS80349C item #1; ENC28J60.md §1.1 and §8). The Pi's divider
 *       never exceeds the request, so ask for 10–16 MHz rather than exactly 8 MHz (PLATFORM.md
 *       §1.3, "Known SPI speed issues").</li>
 *   <li>Maximum 20 MHz: the chip's SPI limit (data sheet DS39662E feature list; ENC28J60.md §1.1).</li>
 * </ul>
 */
public final class SpiClock {

    /** The lowest SCK accepted: 8 MHz (errata #1, DS80349C). */
    public static final int MIN_HZ = 8_000_000;
    /** The highest SCK accepted: 20 MHz (DS39662E, SPI maximum). */
    public static final int MAX_HZ = 20_000_000;
    /** The default SCK: 12 MHz, as the Raspberry Pi enc28j60 overlay uses (PLATFORM.md §2.2). */
    public static final int DEFAULT_HZ = 12_000_000;

    private SpiClock() {
    }

    /**
     * Returns {@code hz} if it lies in [{@link #MIN_HZ}, {@link #MAX_HZ}].
     *
     * @throws IllegalArgumentException with a one-line message naming the value and the rule
     */
    public static int require(int hz) {
        if (hz < MIN_HZ) {
            throw new IllegalArgumentException("SPI clock " + hz + " Hz is below " + MIN_HZ
                    + " Hz: ENC28J60 MAC/MII register access is unreliable below 8 MHz"
                    + " (ENC28J60 errata #1, DS80349C); use 10-16 MHz");
        }
        if (hz > MAX_HZ) {
            throw new IllegalArgumentException("SPI clock " + hz + " Hz is above " + MAX_HZ
                    + " Hz, the ENC28J60's maximum SCK (data sheet DS39662E)");
        }
        return hz;
    }
}
