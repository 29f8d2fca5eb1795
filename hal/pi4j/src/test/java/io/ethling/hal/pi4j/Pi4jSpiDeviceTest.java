package io.ethling.hal.pi4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.pi4j.io.spi.Spi;
import io.ethling.hal.SpiDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** {@link Pi4jSpiDevice} against a Mockito {@link Spi}. */
class Pi4jSpiDeviceTest {

    @Test
    void transferPassesArraysOffsetsAndLengthThroughInOneCall() {
        Spi spi = mock(Spi.class);
        byte[] tx = new byte[32];
        byte[] rx = new byte[32];
        when(spi.transfer(tx, 3, rx, 5, 10)).thenReturn(10);
        Pi4jSpiDevice dev = new Pi4jSpiDevice(spi, 12_000_000, null);
        assertEquals(10, dev.transfer(tx, 3, rx, 5, 10));
        verify(spi).transfer(same(tx), eq(3), same(rx), eq(5), eq(10));
        assertEquals(1, dev.counters().value("spi.transfers"));
        assertEquals(10, dev.counters().value("spi.bytes"));
    }

    @Test
    void zeroReturnOfTheMockProviderIsSuccess() {
        Spi spi = mock(Spi.class); // unstubbed: returns 0, like MockSpi
        Pi4jSpiDevice dev = new Pi4jSpiDevice(spi, 12_000_000, null);
        assertEquals(4, dev.transfer(new byte[4], 0, new byte[4], 0, 4));
    }

    @Test
    void negativeReturnIsErrIoAndCounted() {
        Spi spi = mock(Spi.class);
        when(spi.transfer(any(byte[].class), anyInt(), any(byte[].class), anyInt(), anyInt())).thenReturn(-1);
        Pi4jSpiDevice dev = new Pi4jSpiDevice(spi, 12_000_000, null);
        assertEquals(SpiDevice.ERR_IO, dev.transfer(new byte[4], 0, new byte[4], 0, 4));
        assertEquals(1, dev.counters().value("spi.err.io"));
        assertEquals(0, dev.counters().value("spi.transfers"));
    }

    @Test
    void anExceptionFromPi4jBecomesErrIo() {
        Spi spi = mock(Spi.class);
        when(spi.transfer(any(byte[].class), anyInt(), any(byte[].class), anyInt(), anyInt()))
                .thenThrow(new IllegalStateException("SPI bus closed"));
        Pi4jSpiDevice dev = new Pi4jSpiDevice(spi, 12_000_000, null);
        assertEquals(SpiDevice.ERR_IO, dev.transfer(new byte[4], 0, new byte[4], 0, 4));
        assertEquals(1, dev.counters().value("spi.err.exception"));
    }

    @Test
    void nullRxUsesAPreallocatedScratchAndNullTxSendsZeros() {
        Spi spi = mock(Spi.class);
        Pi4jSpiDevice dev = new Pi4jSpiDevice(spi, 12_000_000, null);
        byte[] tx = {1, 2, 3};
        assertEquals(3, dev.transfer(tx, 0, null, 0, 3));
        assertEquals(3, dev.transfer(tx, 0, null, 0, 3));
        ArgumentCaptor<byte[]> rx = ArgumentCaptor.forClass(byte[].class);
        verify(spi, org.mockito.Mockito.times(2)).transfer(same(tx), eq(0), rx.capture(), eq(0), eq(3));
        assertNotNull(rx.getAllValues().get(0));
        assertSame(rx.getAllValues().get(0), rx.getAllValues().get(1), "one scratch array, not one per call");

        final List<byte[]> sent = new ArrayList<>();
        doAnswer(inv -> {
            byte[] w = inv.getArgument(0);
            int off = inv.getArgument(1);
            int len = inv.getArgument(4);
            sent.add(java.util.Arrays.copyOfRange(w, off, off + len));
            return len;
        }).when(spi).transfer(any(byte[].class), anyInt(), any(byte[].class), anyInt(), anyInt());
        byte[] in = new byte[5];
        assertEquals(5, dev.transfer(null, 0, in, 0, 5));
        assertArrayEquals(new byte[5], sent.get(0));
    }

    @Test
    void lengthsOutsideOneToBufsizAreRefusedWithoutCallingPi4j() {
        Spi spi = mock(Spi.class);
        Pi4jSpiDevice dev = new Pi4jSpiDevice(spi, 12_000_000, null);
        byte[] big = new byte[5000];
        assertEquals(0, dev.transfer(big, 0, big, 0, 0));
        assertEquals(SpiDevice.ERR_IO, dev.transfer(big, 0, big, 0, 4097));
        assertEquals(SpiDevice.ERR_IO, dev.transfer(big, 0, big, 0, -3));
        verifyNoInteractions(spi);
        assertEquals(2, dev.counters().value("spi.err.length"));
        assertThrows(IndexOutOfBoundsException.class, () -> dev.transfer(new byte[2], 1, null, 0, 2));
    }

    @Test
    void clockBelowEightMegahertzIsRefusedCitingErrataOne() {
        Spi spi = mock(Spi.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Pi4jSpiDevice(spi, 7_812_500, null));
        String m = e.getMessage();
        assertTrue(m.contains("7812500"), m);
        assertTrue(m.contains("errata #1") && m.contains("DS80349C"), m);
        assertFalse(m.contains("\n"), "one line");
    }

    @Test
    void clockAboveTwentyMegahertzIsRefused() {
        Spi spi = mock(Spi.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Pi4jSpiDevice(spi, 25_000_000, null));
        assertTrue(e.getMessage().contains("25000000"), e.getMessage());
        assertTrue(e.getMessage().contains("20000000"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void boundariesAreAccepted() {
        assertEquals(8_000_000, new Pi4jSpiDevice(mock(Spi.class), 8_000_000, null).clockHz());
        assertEquals(20_000_000, new Pi4jSpiDevice(mock(Spi.class), 20_000_000, null).clockHz());
        assertEquals(12_000_000, SpiClock.DEFAULT_HZ);
    }

    @Test
    @SuppressWarnings("unchecked")
    void clockChangeReopensAndLaterTransfersUseTheNewDevice() {
        Spi first = mock(Spi.class);
        Spi second = mock(Spi.class);
        IntFunction<Spi> reopen = mock(IntFunction.class);
        when(reopen.apply(16_000_000)).thenReturn(second);
        Pi4jSpiDevice dev = new Pi4jSpiDevice(first, 12_000_000, reopen);
        assertEquals(12_000_000, dev.clockHz(12_000_000), "same clock: nothing to do");
        verifyNoInteractions(reopen);
        assertEquals(16_000_000, dev.clockHz(16_000_000));
        assertEquals(16_000_000, dev.clockHz());
        byte[] b = new byte[2];
        dev.transfer(b, 0, b, 0, 2);
        verify(second).transfer(b, 0, b, 0, 2);
        verify(first, never()).transfer(any(byte[].class), anyInt(), any(byte[].class), anyInt(), anyInt());

        assertThrows(IllegalArgumentException.class, () -> dev.clockHz(6_250_000));
        assertEquals(16_000_000, dev.clockHz(), "a refused clock leaves the old one");
        assertEquals(1, dev.counters().value("spi.reopens"));
    }

    @Test
    void withoutReopenTheClockStays() {
        Pi4jSpiDevice dev = new Pi4jSpiDevice(mock(Spi.class), 12_000_000, null);
        assertEquals(12_000_000, dev.clockHz(16_000_000));
    }

    @Test
    void closeClosesOnceAndLaterTransfersFail() {
        Spi spi = mock(Spi.class);
        Pi4jSpiDevice dev = new Pi4jSpiDevice(spi, 12_000_000, null);
        dev.close();
        dev.close();
        verify(spi, org.mockito.Mockito.times(1)).close();
        assertEquals(SpiDevice.ERR_IO, dev.transfer(new byte[1], 0, new byte[1], 0, 1));
        assertEquals(1, dev.counters().value("spi.err.closed"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void failedReopenFallsBackToTheOldClock() {
        Spi first = mock(Spi.class);
        Spi again = mock(Spi.class);
        IntFunction<Spi> reopen = mock(IntFunction.class);
        when(reopen.apply(16_000_000)).thenThrow(new IllegalStateException("Failed to open SPI device"));
        when(reopen.apply(12_000_000)).thenReturn(again);
        Pi4jSpiDevice dev = new Pi4jSpiDevice(first, 12_000_000, reopen);
        assertThrows(IllegalStateException.class, () -> dev.clockHz(16_000_000));
        assertEquals(12_000_000, dev.clockHz());
        assertEquals(1, dev.transfer(new byte[1], 0, null, 0, 1));
        verify(again).transfer(any(byte[].class), eq(0), any(byte[].class), eq(0), eq(1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void failedReopenAndFallbackLeaveTheDeviceClosed() {
        IntFunction<Spi> reopen = mock(IntFunction.class);
        when(reopen.apply(anyInt())).thenAnswer(inv -> {
            throw new IllegalStateException("gone at " + inv.getArgument(0));
        });
        Pi4jSpiDevice dev = new Pi4jSpiDevice(mock(Spi.class), 12_000_000, reopen);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> dev.clockHz(16_000_000));
        assertEquals(1, e.getSuppressed().length);
        assertEquals(SpiDevice.ERR_IO, dev.transfer(new byte[1], 0, null, 0, 1));
        assertEquals(1, dev.counters().value("spi.err.closed"));
    }
}
