package io.ethling.stack.tcp;

/**
 * An allocation-free wire between two TCP instances for the soak and allocation tests: each
 * direction is a FIFO of pre-allocated frame slots with a fixed one-way delay; a full FIFO drops
 * (as a full TX ring would). Every array is allocated in the constructor.
 */
final class LoopbackWire {

    private static final int SLOTS = 256;

    private final long delayNs;
    private final Direction toA = new Direction();
    private final Direction toB = new Direction();
    final TcpTransport endA;
    final TcpTransport endB;
    Tcp a;
    Tcp b;
    long dropped;
    int dropEvery;            // > 0: every n-th segment is lost (deterministic, exercises recovery)
    boolean anySource;        // a gateway's TCP (Tcp.listenAll) sends from the addresses it was connected to
    private long sentCount;

    private static final class Direction {
        final byte[][] data = new byte[SLOTS][1600];
        final int[] len = new int[SLOTS];
        final int[] src = new int[SLOTS];
        final int[] dst = new int[SLOTS];
        final long[] at = new long[SLOTS];
        int head;
        int count;
    }

    LoopbackWire(int ipA, int ipB, long delayNs) {
        this.delayNs = delayNs;
        this.endA = new End(ipA, toB);
        this.endB = new End(ipB, toA);
    }

    private final class End implements TcpTransport {
        final int ip;
        final Direction out;

        End(int ip, Direction out) {
            this.ip = ip;
            this.out = out;
        }

        @Override
        public int localAddress() {
            return ip;
        }

        @Override
        public int sendSegment(int dstIp, byte[] src, int off, int len, long nowNs) {
            return sendSegment(ip, dstIp, src, off, len, nowNs);
        }

        @Override
        public int sendSegment(int srcIp, int dstIp, byte[] src, int off, int len, long nowNs) {
            if (srcIp != ip && !anySource) {
                return ERR_FOREIGN_SOURCE;
            }
            sentCount++;
            if (dropEvery > 0 && sentCount % dropEvery == 0) {
                return 0;                                   // lost on the wire
            }
            if (out.count == SLOTS) {
                dropped++;
                return -4;
            }
            int i = (out.head + out.count) % SLOTS;
            System.arraycopy(src, off, out.data[i], 0, len);
            out.len[i] = len;
            out.src[i] = srcIp;
            out.dst[i] = dstIp;
            out.at[i] = nowNs + delayNs;
            out.count++;
            return 0;
        }
    }

    /** Delivers every segment due at {@code nowNs}; returns how many. */
    int deliver(long nowNs) {
        return deliver(toA, a, nowNs) + deliver(toB, b, nowNs);
    }

    private static int deliver(Direction d, Tcp to, long nowNs) {
        int n = 0;
        while (d.count > 0 && d.at[d.head] - nowNs <= 0) {
            int i = d.head;
            d.head = (d.head + 1) % SLOTS;
            d.count--;
            to.onDatagram(d.src[i], d.dst[i], d.data[i], 0, d.len[i], nowNs);
            n++;
        }
        return n;
    }

    /** The earliest arrival, or Long.MAX_VALUE. */
    long nextArrival() {
        long at = Long.MAX_VALUE;
        if (toA.count > 0) {
            at = toA.at[toA.head];
        }
        if (toB.count > 0) {
            long x = toB.at[toB.head];
            at = at == Long.MAX_VALUE || x - at < 0 ? x : at;
        }
        return at;
    }
}
