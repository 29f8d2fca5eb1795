package io.ethling.stack.iface;

import io.ethling.hal.EthernetDevice;

/**
 * Frames waiting for the device: a fixed ring of full-size slots the protocols write into
 * directly (no copy), drained into {@link EthernetDevice#transmit} in order. When the device is
 * busy the frame stays and the next poll tries again; when the ring is full the sender is told
 * and counts its drop.
 */
final class TxRing {

    static final int SLOT_SIZE = 1514;

    private final byte[][] slots;
    private final int[] lengths;
    private int head;      // next to transmit
    private int count;     // committed frames waiting
    private boolean acquired;

    TxRing(int slotCount) {
        slots = new byte[slotCount][SLOT_SIZE];
        lengths = new int[slotCount];
    }

    /** The buffer for the next frame, or null when every slot is waiting for the device. */
    byte[] acquire() {
        if (count == slots.length) {
            return null;
        }
        acquired = true;
        return slots[(head + count) % slots.length];
    }

    /** Queues the frame written into the buffer from {@link #acquire()}. */
    void commit(int length) {
        if (!acquired) {
            throw new IllegalStateException("commit without acquire");
        }
        acquired = false;
        lengths[(head + count) % slots.length] = length;
        count++;
    }

    /** Gives the acquired buffer back unsent. */
    void abandon() {
        acquired = false;
    }

    int waiting() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    byte[] headFrame() {
        return slots[head];
    }

    int headLength() {
        return lengths[head];
    }

    void pop() {
        head = (head + 1) % slots.length;
        count--;
    }
}
