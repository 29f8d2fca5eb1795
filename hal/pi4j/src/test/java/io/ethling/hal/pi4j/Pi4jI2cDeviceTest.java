package io.ethling.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import com.pi4j.io.i2c.I2C;
import io.ethling.hal.I2cDevice;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** {@link Pi4jI2cDevice} against a Mockito {@link I2C}: how failures surface, what is called. */
class Pi4jI2cDeviceTest {

    private static I2C i2c(int address) {
        I2C i2c = mock(I2C.class);
        when(i2c.device()).thenReturn(address);
        return i2c;
    }

    @Test
    void writeIsOneRawWrite() {
        I2C i2c = i2c(0x27);
        when(i2c.write(any(byte[].class), anyInt(), anyInt())).thenReturn(3);
        Pi4jI2cDevice dev = new Pi4jI2cDevice(i2c);
        byte[] b = {1, 2, 3, 4};
        assertEquals(3, dev.write(b, 1, 3));
        verify(i2c).device();
        verify(i2c).write(same(b), eq(1), eq(3));
        verifyNoMoreInteractions(i2c);
    }

    @Test
    void exceptionsAndNegativeCountsBecomeErrIo() {
        I2C i2c = i2c(0x27);
        when(i2c.write(any(byte[].class), anyInt(), anyInt())).thenThrow(new RuntimeException("Remote I/O error"));
        when(i2c.read(any(byte[].class), anyInt(), anyInt())).thenReturn(-1);
        Pi4jI2cDevice dev = new Pi4jI2cDevice(i2c);
        assertEquals(I2cDevice.ERR_IO, dev.write(new byte[1], 0, 1));
        assertEquals(I2cDevice.ERR_IO, dev.read(new byte[1], 0, 1));
        assertEquals(1, dev.counters().value("i2c.err.exception"));
        assertEquals(1, dev.counters().value("i2c.err.io"));
    }

    @Test
    void shortReadIsAFailure() {
        I2C i2c = i2c(0x20);
        when(i2c.read(any(byte[].class), anyInt(), anyInt())).thenReturn(1);
        Pi4jI2cDevice dev = new Pi4jI2cDevice(i2c);
        assertEquals(I2cDevice.ERR_IO, dev.read(new byte[2], 0, 2));
    }

    @Test
    void writeReadWithOneAddressByteUsesReadRegisterInt() {
        I2C i2c = i2c(0x20);
        byte[] rx = new byte[4];
        when(i2c.readRegister(0x92, rx, 1, 2)).thenReturn(2);
        Pi4jI2cDevice dev = new Pi4jI2cDevice(i2c);
        assertEquals(2, dev.writeRead(new byte[] {0, (byte) 0x92}, 1, 1, rx, 1, 2));
    }

    @Test
    void writeReadWithSeveralAddressBytesReusesOneArrayPerLength() {
        I2C i2c = i2c(0x50);
        when(i2c.readRegister(any(byte[].class), any(byte[].class), anyInt(), anyInt())).thenReturn(1);
        Pi4jI2cDevice dev = new Pi4jI2cDevice(i2c);
        byte[] rx = new byte[1];
        assertEquals(1, dev.writeRead(new byte[] {9, 0x01, 0x02}, 1, 2, rx, 0, 1));
        assertEquals(1, dev.writeRead(new byte[] {0x03, 0x04}, 0, 2, rx, 0, 1));
        ArgumentCaptor<byte[]> reg = ArgumentCaptor.forClass(byte[].class);
        verify(i2c, org.mockito.Mockito.times(2)).readRegister(reg.capture(), same(rx), eq(0), eq(1));
        assertEquals(reg.getAllValues().get(0), reg.getAllValues().get(1), "same array both times");
        assertEquals(2, reg.getValue().length);
        assertEquals(0x03, reg.getValue()[0]);
        assertEquals(0x04, reg.getValue()[1]);
    }

    @Test
    void writeReadWithoutAddressIsARead() {
        I2C i2c = i2c(0x50);
        byte[] rx = new byte[3];
        when(i2c.read(rx, 0, 3)).thenReturn(3);
        Pi4jI2cDevice dev = new Pi4jI2cDevice(i2c);
        assertEquals(3, dev.writeRead(new byte[0], 0, 0, rx, 0, 3));
    }
}
