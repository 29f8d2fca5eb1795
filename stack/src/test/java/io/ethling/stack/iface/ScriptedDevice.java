package io.ethling.stack.iface;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.hal.EthernetDevice;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A frame-level EthernetDevice for stack tests: frames the test injects come out of receive(),
 * frames the stack transmits are recorded. Optionally every received frame is placed in a
 * "dirty" receive: the stack's buffer tail is not touched here, so dirtiness comes from earlier
 * frames that were longer (the stack reuses one rx array).
 */
final class ScriptedDevice implements EthernetDevice {

    final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    final List<byte[]> sent = new ArrayList<>();
    int busyAnswers;
    boolean record = true;
    long sentCount;

    void inject(byte[] frame) {
        inbound.add(frame);
    }

    byte[] lastSent() {
        return sent.isEmpty() ? null : sent.get(sent.size() - 1);
    }

    @Override
    public int receive(byte[] dst, int off, int cap) {
        byte[] f = inbound.poll();
        if (f == null) {
            return 0;
        }
        if (f.length > cap) {
            return ERR_TOO_SMALL;
        }
        System.arraycopy(f, 0, dst, off, f.length);
        return f.length;
    }

    @Override
    public int transmit(byte[] src, int off, int len) {
        if (busyAnswers > 0) {
            busyAnswers--;
            return ERR_BUSY;
        }
        sentCount++;
        if (record) {
            sent.add(Arrays.copyOfRange(src, off, off + len));
        }
        return OK;
    }

    @Override
    public int poll(long nowNs) {
        return 0;
    }

    @Override
    public long pollAtNs(long nowNs) {
        return Long.MAX_VALUE;
    }

    @Override
    public long macAddress() {
        return 0;
    }

    @Override
    public boolean linkUp() {
        return true;
    }

    @Override
    public Counters counters() {
        return new CounterSet();
    }
}
