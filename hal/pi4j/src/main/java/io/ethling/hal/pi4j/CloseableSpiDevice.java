package io.ethling.hal.pi4j;

import io.ethling.hal.Counters;
import io.ethling.hal.SpiDevice;

/** An {@link SpiDevice} that owns an operating-system resource and counts what it does. */
public interface CloseableSpiDevice extends SpiDevice, AutoCloseable {

    /** Counters: transfers, bytes, and every kind of failure by name. Reading never allocates. */
    Counters counters();

    /** Releases the device; later transfers return {@link #ERR_IO} and are counted. */
    @Override
    void close();
}
