package io.ethling.hal.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.context.ContextBuilder;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import com.pi4j.plugin.linuxfs.provider.spi.LinuxFsSpiProvider;
import java.util.Objects;

/**
 * The board's Pi4J context and the devices made from it.
 *
 * <p>The context is built <b>explicitly</b>: exactly the four providers below, no auto-detection,
 * so what runs never depends on the classpath (PLATFORM.md §1.2; STYLE.md on Pi4J's
 * {@code ManualProvidersTest}). Every device is created with {@code .provider(id)} set.
 *
 * <table>
 *   <caption>providers</caption>
 *   <tr><th>I/O</th><th>provider id</th></tr>
 *   <tr><td>SPI</td><td>{@code linuxfs-spi} ({@code /dev/spidev<bus>.<cs>}, JNA)</td></tr>
 *   <tr><td>I2C</td><td>{@code linuxfs-i2c} ({@code /dev/i2c-<bus>})</td></tr>
 *   <tr><td>GPIO in</td><td>{@code gpiod-digital-input}</td></tr>
 *   <tr><td>GPIO out</td><td>{@code gpiod-digital-output}</td></tr>
 * </table>
 *
 * <p>GPIO addresses are BCM numbers. Off a Raspberry Pi the gpiod context does not initialise and
 * every GPIO create fails with {@code IllegalStateException: No gpio chip yet initialized!}
 * (PLATFORM.md §1.1). The service user needs groups {@code spi}, {@code i2c} and {@code gpio}
 * (PLATFORM.md §2.6).
 *
 * <p>Not thread-safe; build everything during start-up. {@link #close()} shuts the context down:
 * outputs go to their shutdown state (RESET stays HIGH) and SPI devices are closed.
 */
public final class Pi4jBoard implements AutoCloseable {

    /** The provider ids a board uses for each kind of I/O. */
    public record ProviderIds(String spi, String i2c, String digitalInput, String digitalOutput) {

        /** The real providers: linuxfs SPI and I2C, gpiod GPIO (PLATFORM.md §1.2). */
        public static final ProviderIds LINUX = new ProviderIds(
                "linuxfs-spi", "linuxfs-i2c", "gpiod-digital-input", "gpiod-digital-output");

        /** Pi4J's mock plugin (tests). */
        public static final ProviderIds MOCK = new ProviderIds(
                "mock-spi", "mock-i2c", "mock-digital-input", "mock-digital-output");

        public ProviderIds {
            Objects.requireNonNull(spi, "spi");
            Objects.requireNonNull(i2c, "i2c");
            Objects.requireNonNull(digitalInput, "digitalInput");
            Objects.requireNonNull(digitalOutput, "digitalOutput");
        }
    }

    private final Context context;
    private final ProviderIds ids;
    private boolean closed;

    /**
     * Builds the explicit Pi4J context with the real providers.
     *
     * @param gpioChipName e.g. {@code "gpiochip0"}, or {@code null} to let gpiod take the first chip
     *     labelled {@code pinctrl-*} (PLATFORM.md §1.2, §2.5)
     */
    public static Pi4jBoard open(String gpioChipName) {
        ContextBuilder builder = Pi4J.newContextBuilder()
                .noAutoDetect()
                .add(LinuxFsSpiProvider.newInstance(),
                        LinuxFsI2CProvider.newInstance(),
                        GpioDDigitalInputProvider.newInstance(),
                        GpioDDigitalOutputProvider.newInstance());
        if (gpioChipName != null) {
            builder = builder.setGpioChipName(gpioChipName);
        }
        return new Pi4jBoard(builder.build(), ProviderIds.LINUX);
    }

    /** {@link #open(String)} with the default GPIO chip. */
    public static Pi4jBoard open() {
        return open(null);
    }

    /**
     * Uses an existing context (tests: Pi4J's mock providers). The board takes ownership:
     * {@link #close()} shuts it down.
     */
    public Pi4jBoard(Context context, ProviderIds ids) {
        this.context = Objects.requireNonNull(context, "context");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /** The Pi4J context. */
    public Context context() {
        return context;
    }

    /** The provider ids in use. */
    public ProviderIds providerIds() {
        return ids;
    }

    /**
     * Opens {@code /dev/spidev<bus>.<cs>} through Pi4J in mode 0 at {@code hz}.
     *
     * @throws IllegalArgumentException if {@code hz} is outside 8..20 MHz (see {@link SpiClock})
     */
    public Pi4jSpiDevice spi(int bus, int cs, int hz) {
        return new Pi4jSpiDevice(context, ids.spi(), bus, cs, hz);
    }

    /**
     * A GPIO input.
     *
     * @param bcm the BCM GPIO number
     * @param debounceMicros 0 for the ENC28J60 INT line; e.g. 30 000 for a button
     */
    public Pi4jDigitalInput input(int bcm, Pull pull, long debounceMicros) {
        if (debounceMicros < 0) {
            throw new IllegalArgumentException("debounce " + debounceMicros + " us is negative");
        }
        final DigitalInput in = context.create(DigitalInput.newConfigBuilder(context)
                .id("ethling-in" + bcm)
                .address(bcm)
                .pull(switch (Objects.requireNonNull(pull, "pull")) {
                    case OFF -> PullResistance.OFF;
                    case UP -> PullResistance.PULL_UP;
                    case DOWN -> PullResistance.PULL_DOWN;
                })
                .debounce(debounceMicros)
                .provider(ids.digitalInput()));
        return new Pi4jDigitalInput(in);
    }

    /**
     * The ENC28J60's INT line: active low, no pull, no debounce (the kernel overlay uses GPIO25,
     * falling edge, no pull; PLATFORM.md §1.5, §2.2).
     */
    public Pi4jDigitalInput interruptInput(int bcm) {
        return input(bcm, Pull.OFF, Pi4jDigitalInput.DEBOUNCE_INT_US);
    }

    /** A push button to ground: pull-up, 30 ms debounce. */
    public Pi4jDigitalInput buttonInput(int bcm) {
        return input(bcm, Pull.UP, Pi4jDigitalInput.DEBOUNCE_BUTTON_US);
    }

    /** A GPIO output that starts at {@code initialHigh} and is left at {@code shutdownHigh}. */
    public Pi4jDigitalOutput output(int bcm, boolean initialHigh, boolean shutdownHigh) {
        final DigitalOutput out = context.create(DigitalOutput.newConfigBuilder(context)
                .id("ethling-out" + bcm)
                .address(bcm)
                .initial(initialHigh ? DigitalState.HIGH : DigitalState.LOW)
                .shutdown(shutdownHigh ? DigitalState.HIGH : DigitalState.LOW)
                .provider(ids.digitalOutput()));
        return new Pi4jDigitalOutput(out);
    }

    /**
     * The ENC28J60's active-low RESET: initial HIGH and shutdown HIGH, so the chip runs while the
     * program starts and after it stops (PLATFORM.md §1.6).
     */
    public Pi4jDigitalOutput resetOutput(int bcm) {
        return output(bcm, true, true);
    }

    /** The device at 7-bit {@code address} on {@code /dev/i2c-<bus>}. */
    public Pi4jI2cDevice i2c(int bus, int address) {
        if (address < 0 || address > 0x7F) {
            throw new IllegalArgumentException("I2C address " + address + " is not a 7-bit address");
        }
        final I2C dev = context.create(I2C.newConfigBuilder(context)
                .id("ethling-i2c" + bus + "-" + address)
                .bus(bus)
                .device(address)
                .provider(ids.i2c()));
        return new Pi4jI2cDevice(dev);
    }

    /** Shuts the context down (idempotent). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!context.isShutdown()) {
            context.shutdown();
        }
    }
}
