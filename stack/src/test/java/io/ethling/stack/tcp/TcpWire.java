package io.ethling.stack.tcp;

import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;

import java.util.PriorityQueue;

/**
 * Two TCP instances over a virtual wire with seeded faults (smoltcp's netsim in spirit): a
 * one-way delay, loss, duplication, reordering (extra random delay) and corruption (one flipped
 * bit, which the checksum must catch). Time jumps from event to event. Tests may allocate.
 */
final class TcpWire {

    static final int A_IP = Ipv4Packet.parse("10.0.0.1");
    static final int B_IP = Ipv4Packet.parse("10.0.0.2");

    final Prng faults;
    final long delayNs;
    final double loss;
    final double duplicate;
    final double reorder;
    final double corrupt;
    final Tcp a;
    final Tcp b;
    long now = 1_000_000_000L;
    long seq;
    long delivered;
    long dropped;
    long corrupted;

    private record Pkt(long at, long order, Tcp to, int src, int dst, byte[] data) {
    }

    private final PriorityQueue<Pkt> queue = new PriorityQueue<>((x, y) -> {
        int c = Long.compare(x.at, y.at);
        return c != 0 ? c : Long.compare(x.order, y.order);
    });

    TcpWire(long seed, long oneWayDelayNs, double loss, double duplicate, double reorder, double corrupt,
            TcpConfig configA, TcpConfig configB) {
        this.faults = new Prng(seed);
        this.delayNs = oneWayDelayNs;
        this.loss = loss;
        this.duplicate = duplicate;
        this.reorder = reorder;
        this.corrupt = corrupt;
        Tcp[] holder = new Tcp[2];
        this.a = new Tcp(configA, new End(A_IP, B_IP, holder, 1), new Prng(seed * 31 + 1));
        this.b = new Tcp(configB, new End(B_IP, A_IP, holder, 0), new Prng(seed * 31 + 2));
        holder[0] = a;
        holder[1] = b;
    }

    private final class End implements TcpTransport {
        final int ip;
        final int peerIp;
        final Tcp[] holder;
        final int peerIndex;

        End(int ip, int peerIp, Tcp[] holder, int peerIndex) {
            this.ip = ip;
            this.peerIp = peerIp;
            this.holder = holder;
            this.peerIndex = peerIndex;
        }

        @Override
        public int localAddress() {
            return ip;
        }

        @Override
        public int sendSegment(int dstIp, byte[] src, int off, int len, long nowNs) {
            if (chance(loss)) {
                dropped++;
                return 0;
            }
            int copies = chance(duplicate) ? 2 : 1;
            for (int c = 0; c < copies; c++) {
                byte[] d = java.util.Arrays.copyOfRange(src, off, off + len);
                if (chance(corrupt)) {
                    int bit = faults.nextInt(len * 8);
                    d[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
                    corrupted++;
                }
                long extra = chance(reorder) ? faults.nextLong(delayNs) : 0;
                queue.add(new Pkt(nowNs + delayNs + extra, seq++, holder[peerIndex], ip, dstIp, d));
            }
            return 0;
        }
    }

    boolean chance(double p) {
        return p > 0 && faults.nextLong(1_000_000) < (long) (p * 1_000_000);
    }

    /** The next event time: a frame arrival or a timer of either stack. */
    long nextEvent() {
        long at = Long.MAX_VALUE;
        if (!queue.isEmpty()) {
            at = queue.peek().at;
        }
        at = earlier(at, a.pollAtNs(now));
        at = earlier(at, b.pollAtNs(now));
        return at;
    }

    private long earlier(long at, long d) {
        if (d == Long.MAX_VALUE) {
            return at;
        }
        if (at == Long.MAX_VALUE) {
            return d;
        }
        return d - at < 0 ? d : at;
    }

    /** Runs one step: jumps to the next event (not past {@code limit}) and handles it. */
    boolean step(long limit) {
        long at = nextEvent();
        if (at == Long.MAX_VALUE || at - limit > 0) {
            now = limit;
            a.poll(now);
            b.poll(now);
            return false;
        }
        if (at - now > 0) {
            now = at;
        }
        while (!queue.isEmpty() && queue.peek().at - now <= 0) {
            Pkt p = queue.poll();
            delivered++;
            p.to.onDatagram(p.src, p.dst, p.data, 0, p.data.length, now);
        }
        a.poll(now);
        b.poll(now);
        return true;
    }

    int queued() {
        return queue.size();
    }
}
