package io.ethling.hal.emulator;

import io.ethling.hal.Clock;
import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;

/**
 * A virtual Ethernet segment between two ports A and B on a {@link Clock}, with seeded faults
 * (drop, corrupt, duplicate, reorder, delay). Frames sent into port A come out at B's receiver
 * and vice versa, when {@link #deliver()} runs at or after their due time.
 *
 * <p>Frames are copied into a pre-sized pool of {@value #SLOTS} slots of {@value #MAX_FRAME}
 * bytes; sending and delivering never allocate. A full pool drops the frame (counted in
 * {@code overflow}). Single-threaded.
 */
public final class VirtualWire {

    /** Pool size: frames in flight at once. */
    public static final int SLOTS = 512;
    /** Largest frame carried (bytes, without FCS); longer ones are dropped as {@code oversize}. */
    public static final int MAX_FRAME = 1522;

    static final int C_SENT = 0;
    static final int C_DELIVERED = 1;
    static final int C_DROPPED = 2;
    static final int C_CORRUPTED = 3;
    static final int C_DUPLICATED = 4;
    static final int C_REORDERED = 5;
    static final int C_OVERFLOW = 6;
    static final int C_OVERSIZE = 7;
    static final int C_NO_RECEIVER = 8;

    private final Clock clock;
    private final WireFaults faults;
    private final Rng rng;
    private final CounterSet counters = new CounterSet("sent", "delivered", "dropped", "corrupted",
        "duplicated", "reordered", "overflow", "oversize", "noreceiver");
    private final byte[][] data = new byte[SLOTS][MAX_FRAME];
    private final int[] length = new int[SLOTS];
    private final long[] due = new long[SLOTS];
    private final long[] seq = new long[SLOTS];
    private final boolean[] toB = new boolean[SLOTS];
    private final int[] free = new int[SLOTS];
    private int freeCount;
    private final int[] pending = new int[SLOTS];
    private int pendingCount;
    private long nextSeq;
    private long busyUntilA;
    private long busyUntilB;
    private FrameSink receiverA;
    private FrameSink receiverB;
    private final FrameSink portA = (buf, off, len) -> send(true, buf, off, len);
    private final FrameSink portB = (buf, off, len) -> send(false, buf, off, len);

    /** A wire on {@code clock} with {@code faults} (null = none), seeded by {@code seed}. */
    public VirtualWire(Clock clock, WireFaults faults, long seed) {
        this.clock = clock;
        this.faults = faults == null ? WireFaults.none() : faults;
        this.rng = new Rng(seed);
        for (int i = 0; i < SLOTS; i++) {
            free[i] = SLOTS - 1 - i;
        }
        freeCount = SLOTS;
    }

    /** Sends into the wire from side A (delivered to B's receiver). */
    public FrameSink portA() {
        return portA;
    }

    /** Sends into the wire from side B (delivered to A's receiver). */
    public FrameSink portB() {
        return portB;
    }

    /** Where frames sent from B arrive. */
    public void attachA(FrameSink receiverA) {
        this.receiverA = receiverA;
    }

    /** Where frames sent from A arrive. */
    public void attachB(FrameSink receiverB) {
        this.receiverB = receiverB;
    }

    /** sent, delivered, dropped, corrupted, duplicated, reordered, overflow, oversize, noreceiver. */
    public Counters counters() {
        return counters;
    }

    private void send(boolean fromA, byte[] buf, int off, int len) {
        counters.inc(C_SENT);
        if (len > MAX_FRAME || len < 0) {
            counters.inc(C_OVERSIZE);
            return;
        }
        if (rng.chance(faults.drop() / 100.0)) {
            counters.inc(C_DROPPED);
            return;
        }
        long now = clock.nanoTime();
        long at = now + faults.delayNanos();
        if (faults.serialisation()) {
            long wire = (8L + Math.max(len, 60) + 4 + 12) * 800L;
            long start = fromA ? busyUntilA : busyUntilB;
            if (start - now < 0) {
                start = now;
            }
            long end = start + wire;
            if (fromA) {
                busyUntilA = end;
            } else {
                busyUntilB = end;
            }
            at = end + faults.delayNanos();
        }
        boolean reorder = rng.chance(faults.reorder() / 100.0);
        if (reorder) {
            // Held back: a few frame times later, so frames sent after it arrive first.
            at += 200_000L + rng.nextInt(800_000);
            counters.inc(C_REORDERED);
        }
        int slot = enqueue(fromA, buf, off, len, at);
        if (slot < 0) {
            return;
        }
        if (rng.chance(faults.corrupt() / 100.0)) {
            int bit = rng.nextInt(len * 8);
            data[slot][bit >>> 3] ^= (byte) (1 << (bit & 7));
            counters.inc(C_CORRUPTED);
        }
        if (rng.chance(faults.duplicate() / 100.0)) {
            if (enqueue(fromA, data[slot], 0, len, at + 1_000L) >= 0) {
                counters.inc(C_DUPLICATED);
            }
        }
    }

    private int enqueue(boolean destB, byte[] buf, int off, int len, long at) {
        if (freeCount == 0) {
            counters.inc(C_OVERFLOW);
            return -1;
        }
        int slot = free[--freeCount];
        System.arraycopy(buf, off, data[slot], 0, len);
        length[slot] = len;
        due[slot] = at;
        seq[slot] = nextSeq++;
        toB[slot] = destB;
        pending[pendingCount++] = slot;
        return slot;
    }

    /**
     * Delivers every frame due at {@code clock.nanoTime()}, earliest first. Frames that the
     * receivers send in response during this call wait for the next call.
     *
     * @return how many frames were delivered
     */
    public int deliver() {
        long now = clock.nanoTime();
        int budget = pendingCount;
        int delivered = 0;
        long limitSeq = nextSeq;
        while (budget-- > 0) {
            int best = -1;
            for (int i = 0; i < pendingCount; i++) {
                int s = pending[i];
                if (due[s] - now > 0 || seq[s] >= limitSeq) {
                    continue;
                }
                if (best < 0 || due[s] - due[pending[best]] < 0
                        || (due[s] == due[pending[best]] && seq[s] < seq[pending[best]])) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            int slot = pending[best];
            pending[best] = pending[--pendingCount];
            FrameSink r = toB[slot] ? receiverB : receiverA;
            if (r == null) {
                counters.inc(C_NO_RECEIVER);
            } else {
                counters.inc(C_DELIVERED);
                delivered++;
                r.frame(data[slot], 0, length[slot]);
            }
            free[freeCount++] = slot;
        }
        return delivered;
    }

    /** When the next frame is due, or Long.MAX_VALUE when the wire is empty. */
    public long nextDeliveryNs() {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < pendingCount; i++) {
            long d = due[pending[i]];
            if (next == Long.MAX_VALUE || d - next < 0) {
                next = d;
            }
        }
        return next;
    }

    /** Frames in flight. */
    public int pending() {
        return pendingCount;
    }
}
