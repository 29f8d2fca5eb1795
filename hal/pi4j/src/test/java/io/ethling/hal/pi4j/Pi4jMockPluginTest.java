package io.ethling.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.io.spi.SpiMode;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.spi.MockSpi;
import com.pi4j.plugin.mock.provider.spi.MockSpiProvider;
import io.ethling.hal.DigitalInput.Edge;
import io.ethling.hal.I2cDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The adapters against Pi4J's own mock plugin, through an explicit context. */
class Pi4jMockPluginTest {

    private Pi4jBoard board;

    @BeforeEach
    void setUp() {
        Context ctx = Pi4J.newContextBuilder()
                .add(MockSpiProvider.newInstance(),
                        MockI2CProvider.newInstance(),
                        MockDigitalInputProvider.newInstance(),
                        MockDigitalOutputProvider.newInstance())
                .build();
        board = new Pi4jBoard(ctx, Pi4jBoard.ProviderIds.MOCK);
    }

    @AfterEach
    void tearDown() {
        board.close();
    }

    /** A wake-up that counts; one object, like the poll loop's unparker. */
    private static final class Counting implements Runnable {
        int runs;

        @Override
        public void run() {
            runs++;
        }
    }

    @Test
    void interruptInputWakesOnFallingEdgesOnly() {
        Pi4jDigitalInput in = board.interruptInput(25);
        MockDigitalInput mock = (MockDigitalInput) in.pi4j();
        assertEquals(0L, mock.config().debounce(), "INT: no debounce");
        assertEquals(PullResistance.OFF, mock.config().pull(), "INT: no pull");
        assertEquals("mock-digital-input", mock.provider().id());

        Counting wake = new Counting();
        in.onEdge(Edge.FALLING, wake);
        mock.mockState(DigitalState.HIGH); // rising: ignored
        assertEquals(0, wake.runs);
        assertTrue(in.isHigh());
        mock.mockState(DigitalState.LOW); // falling
        assertEquals(1, wake.runs);
        assertFalse(in.isHigh());
        mock.mockState(DigitalState.LOW); // no change: Pi4J dispatches nothing
        assertEquals(1, wake.runs);
        mock.mockState(DigitalState.HIGH);
        mock.mockState(DigitalState.LOW);
        assertEquals(2, wake.runs);
        assertEquals(4, in.edges());
        assertEquals(2, in.wakeups());
    }

    @Test
    void risingBothAndRemoval() {
        Pi4jDigitalInput in = board.buttonInput(17);
        MockDigitalInput mock = (MockDigitalInput) in.pi4j();
        assertEquals(30_000L, mock.config().debounce(), "button: 30 ms in microseconds");
        assertEquals(PullResistance.PULL_UP, mock.config().pull());

        Counting rising = new Counting();
        in.onEdge(Edge.RISING, rising);
        mock.mockState(DigitalState.HIGH);
        mock.mockState(DigitalState.LOW);
        assertEquals(1, rising.runs);

        Counting both = new Counting();
        in.onEdge(Edge.BOTH, both); // replaces the earlier one
        mock.mockState(DigitalState.HIGH);
        mock.mockState(DigitalState.LOW);
        assertEquals(2, both.runs);
        assertEquals(1, rising.runs);

        in.onEdge(Edge.BOTH, null);
        mock.mockState(DigitalState.HIGH);
        assertEquals(2, both.runs, "removed");

        in.onEdge(Edge.FALLING, both);
        in.close();
        mock.mockState(DigitalState.LOW);
        assertEquals(2, both.runs, "closed: listener detached");
    }

    @Test
    void inputSettingsPassThrough() {
        Pi4jDigitalInput in = board.input(5, Pull.DOWN, 1234);
        MockDigitalInput mock = (MockDigitalInput) in.pi4j();
        assertEquals(1234L, mock.config().debounce());
        assertEquals(PullResistance.PULL_DOWN, mock.config().pull());
        assertEquals(5, mock.config().address());
        assertThrows(IllegalArgumentException.class, () -> board.input(6, Pull.OFF, -1));
    }

    @Test
    void resetOutputStartsHighAndFollowsSet() {
        Pi4jDigitalOutput rst = board.resetOutput(24);
        var pi4j = rst.pi4j();
        assertEquals(DigitalState.HIGH, pi4j.config().initialState());
        assertEquals(DigitalState.HIGH, pi4j.config().shutdownState());
        assertEquals("mock-digital-output", pi4j.provider().id());
        assertTrue(rst.isHigh());
        assertEquals(DigitalState.HIGH, pi4j.state());
        rst.set(false);
        assertFalse(rst.isHigh());
        assertEquals(DigitalState.LOW, pi4j.state());
        rst.set(true);
        assertTrue(rst.isHigh());
        assertEquals(DigitalState.HIGH, pi4j.state());
    }

    @Test
    void shutdownLeavesResetHigh() {
        Pi4jDigitalOutput rst = board.resetOutput(24);
        var pi4j = rst.pi4j();
        rst.set(false);
        board.close();
        assertEquals(DigitalState.HIGH, pi4j.state(), "shutdown state HIGH: chip not held in reset");
        assertTrue(board.context().isShutdown());
        board.close(); // idempotent
    }

    @Test
    void outputWithLowInitialState() {
        Pi4jDigitalOutput led = board.output(12, false, false);
        assertFalse(led.isHigh());
        assertEquals(DigitalState.LOW, led.pi4j().state());
    }

    @Test
    void spiThroughMockSpiIsAFifo() {
        Pi4jSpiDevice spi = board.spi(0, 0, 12_000_000);
        MockSpi mock = (MockSpi) spi.spi();
        assertEquals(12_000_000, mock.config().baud());
        assertEquals(SpiMode.MODE_0, mock.config().mode());
        assertEquals(0, mock.config().bus().getBus());
        assertEquals(0, mock.config().channel());
        assertEquals("mock-spi", mock.provider().id());

        byte[] first = {0x1F, 0x03, 0x55};
        byte[] rx = new byte[3];
        assertEquals(3, spi.transfer(first, 0, rx, 0, 3), "the mock returns 0; we report len");
        assertArrayEquals(new byte[3], rx, "empty FIFO reads zeros");
        byte[] second = {0, 0, 0, 0x42, 0x43};
        byte[] rx2 = new byte[5];
        assertEquals(3, spi.transfer(second, 0, rx2, 2, 3));
        assertArrayEquals(new byte[] {0, 0, 0x1F, 0x03, 0x55}, rx2, "read returns previously written bytes");
        assertArrayEquals(new byte[] {0, 0, 0}, mock.readEntireMockBuffer());
        assertEquals(2, spi.counters().value("spi.transfers"));
    }

    @Test
    void spiClockChangeReopensThroughTheContext() {
        Pi4jSpiDevice spi = board.spi(0, 1, 12_000_000);
        MockSpi before = (MockSpi) spi.spi();
        assertEquals(16_000_000, spi.clockHz(16_000_000));
        MockSpi after = (MockSpi) spi.spi();
        assertNotSame(before, after);
        assertFalse(before.isOpen(), "old device closed");
        assertEquals(16_000_000, after.config().baud());
        assertEquals(1, after.config().channel());
        assertTrue(board.context().registry().exists("ethling-spi0.1"));
        byte[] b = {7};
        assertEquals(1, spi.transfer(b, 0, b, 0, 1));
        spi.close();
        assertFalse(board.context().registry().exists("ethling-spi0.1"), "closed devices leave the registry");
        assertThrows(IllegalArgumentException.class, () -> board.spi(0, 0, 4_000_000));
    }

    @Test
    void i2cWriteReadRoundTrip() {
        Pi4jI2cDevice lcd = board.i2c(1, 0x27);
        assertEquals(0x27, lcd.address());
        MockI2C mock = (MockI2C) lcd.pi4j();
        assertEquals("mock-i2c", mock.provider().id());
        assertEquals(1, mock.config().bus());

        byte[] strobe = {0x0C, 0x08, 0x3C, 0x38};
        assertEquals(4, lcd.write(strobe, 0, 4));
        byte[] back = new byte[6];
        assertEquals(4, lcd.read(back, 1, 4));
        assertArrayEquals(new byte[] {0, 0x0C, 0x08, 0x3C, 0x38, 0}, back);

        // Nothing left: the mock returns -1, which is a failed transaction.
        assertEquals(I2cDevice.ERR_IO, lcd.read(back, 0, 1));
        assertEquals(1, lcd.counters().value("i2c.err.io"));
    }

    @Test
    void i2cWriteReadUsesOneRegisterRead() {
        Pi4jI2cDevice exp = board.i2c(1, 0x20);
        MockI2C mock = (MockI2C) exp.pi4j();
        mock.writeRegister(0x12, new byte[] {0x55, (byte) 0xAA}, 0, 2); // MCP23017 GPIOA/GPIOB
        byte[] reg = {0x00, 0x12};
        byte[] rx = new byte[2];
        assertEquals(2, exp.writeRead(reg, 1, 1, rx, 0, 2));
        assertArrayEquals(new byte[] {0x55, (byte) 0xAA}, rx);

        // Two address bytes (16-bit register 0x0113, low byte first in the mock).
        mock.writeRegister(0x113, (byte) 0x77);
        byte[] rx1 = new byte[1];
        assertEquals(1, exp.writeRead(new byte[] {0x13, 0x01}, 0, 2, rx1, 0, 1));
        assertEquals(0x77, rx1[0]);

        // Register empty: error, counted.
        assertEquals(I2cDevice.ERR_IO, exp.writeRead(reg, 1, 1, rx, 0, 2));
        assertEquals(I2cDevice.ERR_IO, exp.writeRead(reg, 0, 17, rx, 0, 2));
        assertEquals(1, exp.counters().value("i2c.err.io"));
        assertEquals(1, exp.counters().value("i2c.err.length"));
        assertEquals(2, exp.counters().value("i2c.transactions"));
    }

    @Test
    void i2cAddressMustBeSevenBits() {
        assertThrows(IllegalArgumentException.class, () -> board.i2c(1, 0x80));
    }

    @Test
    void selectorGivesPi4jDevicesFromTheBoard() throws Exception {
        CloseableSpiDevice dev = SpiDevices.open("PI4J", 0, 0, 10_000_000, board);
        assertInstanceOf(Pi4jSpiDevice.class, dev);
        assertEquals(10_000_000, dev.clockHz());
        dev.close();
    }
}
