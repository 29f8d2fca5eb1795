package io.ethling.tools.net;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.FrameSink;

/**
 * An EthernetDevice with no chip behind it: frames it transmits go straight to a {@link FrameSink}
 * (a wire), frames from the wire wait in a fixed ring until {@link #receive}. For `--direct`
 * (skip the emulated ENC28J60) and for the user-mode network's gateway. Allocation-free.
 */
public final class FrameDevice implements EthernetDevice, FrameSink {

    private final long mac;
    private final byte[][] ring;
    private final int[] lengths;
    private int head;
    private int count;
    private FrameSink wire;
    private final CounterSet counters = new CounterSet("rx.frames", "rx.drop.full", "tx.frames");

    public FrameDevice(long mac, int slots) {
        this.mac = mac;
        this.ring = new byte[slots][1514];
        this.lengths = new int[slots];
    }

    public void connect(FrameSink wire) {
        this.wire = wire;
    }

    /** A frame from the wire. */
    @Override
    public void frame(byte[] buf, int off, int len) {
        if (count == ring.length || len > 1514 || len < 14) {
            counters.inc(1);
            return;
        }
        int slot = (head + count) % ring.length;
        System.arraycopy(buf, off, ring[slot], 0, len);
        lengths[slot] = len;
        count++;
    }

    @Override
    public int receive(byte[] dst, int off, int cap) {
        if (count == 0) {
            return 0;
        }
        int len = lengths[head];
        byte[] f = ring[head];
        head = (head + 1) % ring.length;
        count--;
        if (len > cap) {
            return ERR_TOO_SMALL;
        }
        System.arraycopy(f, 0, dst, off, len);
        counters.inc(0);
        return len;
    }

    @Override
    public int transmit(byte[] src, int off, int len) {
        if (len < 14 || len > 1514) {
            return ERR_LENGTH;
        }
        counters.inc(2);
        if (wire != null) {
            wire.frame(src, off, len);
        }
        return OK;
    }

    @Override
    public int poll(long nowNs) {
        return 0;
    }

    @Override
    public long pollAtNs(long nowNs) {
        return count > 0 ? nowNs : Long.MAX_VALUE;
    }

    @Override
    public long macAddress() {
        return mac;
    }

    @Override
    public boolean linkUp() {
        return true;
    }

    @Override
    public Counters counters() {
        return counters;
    }
}
