package io.ethling.stack.tcp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.MessageDigest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance: two stacks over the virtual wire (100 ms RTT) with seeded faults move 1 MiB
 * byte-exact (SHA-256) in every cell of the matrix; each cell prints its throughput; a failure
 * prints its seed.
 */
class TcpTransferTest {

    static final int SIZE = 1 << 20;

    static Stream<Arguments> matrix() {
        Stream.Builder<Arguments> b = Stream.builder();
        long seed = 1000;
        for (double loss : new double[] {0, 0.05, 0.10, 0.20, 0.30}) {
            for (int rcvBuf : new int[] {2048, 8192, 32768}) {
                b.add(Arguments.of(seed++, loss, 0.0, 0.0, 0.0, rcvBuf));
            }
        }
        // reordering, duplication, corruption, and everything at once
        b.add(Arguments.of(seed++, 0.0, 0.0, 0.2, 0.0, 8192));
        b.add(Arguments.of(seed++, 0.0, 0.2, 0.0, 0.0, 8192));
        b.add(Arguments.of(seed++, 0.0, 0.0, 0.0, 0.05, 8192));
        b.add(Arguments.of(seed++, 0.05, 0.05, 0.1, 0.02, 8192));
        b.add(Arguments.of(seed++, 0.10, 0.05, 0.2, 0.05, 32768));
        return b.build();
    }

    static String dump(Tcb t) {
        if (t == null) {
            return "null";
        }
        return t.state + " una=" + (t.sndUna - t.iss) + " nxt=" + (t.sndNxt - t.iss) + " max=" + (t.sndMax - t.iss)
                + " wnd=" + t.sndWnd + " cwnd=" + t.cwnd + " sndLen=" + t.sndLen + " unsent=" + t.unsentBytes()
                + " rto=" + t.rtoArmed + " persist=" + t.persistArmed + " delack=" + t.delAckArmed
                + " rcvNxt=" + (t.rcvNxt - t.irs) + " rcvAdv=" + (t.rcvAdv - t.irs) + " rcvLen=" + t.rcvLen
                + " rtoNs=" + t.rtoNs + " srtt=" + t.srttNs + " rttvar=" + t.rttvarNs + " retx=" + t.retransmits + " timing=" + t.timing + " ooo=" + t.ooo.count() + " rec=" + t.inRecovery + " dup=" + t.dupAcks;
    }

    @ParameterizedTest(name = "seed={0} loss={1} dup={2} reorder={3} corrupt={4} rcvbuf={5}")
    @MethodSource("matrix")
    void movesOneMebibyteByteExact(long seed, double loss, double dup, double reorder, double corrupt, int rcvBuf)
            throws Exception {
        String cell = "seed=" + seed + " loss=" + loss + " dup=" + dup + " reorder=" + reorder + " corrupt=" + corrupt
                + " rcvbuf=" + rcvBuf;
        TcpConfig client = new TcpConfig().sendBufferBytes(16384).receiveBufferBytes(rcvBuf).r2Ns(600_000_000_000L);
        TcpConfig server = new TcpConfig().sendBufferBytes(16384).receiveBufferBytes(rcvBuf).r2Ns(600_000_000_000L);
        TcpWire w = new TcpWire(seed, 50_000_000L, loss, dup, reorder, corrupt, client, server);
        int listener = w.b.listen(80);
        int c = w.a.connect(TcpWire.B_IP, 80, w.now);
        assertTrue(c >= 0, cell);
        byte[] data = new byte[SIZE];
        new io.ethling.stack.util.Prng(seed).nextLong();
        for (int i = 0; i < SIZE; i++) {
            data[i] = (byte) (i * 131 + (i >>> 11) * 7);
        }
        byte[] got = new byte[SIZE];
        int sent = 0;
        int received = 0;
        int server1 = -1;
        boolean clientClosed = false;
        boolean serverClosed = false;
        long start = w.now;
        long limit = w.now + 48 * 3_600_000_000_000L;
        byte[] tmp = new byte[4096];
        long steps = 0;
        while (w.now - limit < 0 && steps < 20_000_000) {
            steps++;
            if (server1 < 0) {
                server1 = w.b.accept(listener);
            }
            if (sent < SIZE && w.a.state(c).isSynchronized()) {
                int n = w.a.send(c, data, sent, SIZE - sent, w.now);
                assertTrue(n >= 0, cell + " send: " + n);
                sent += n;
            }
            if (sent == SIZE && !clientClosed) {
                w.a.close(c, w.now);
                clientClosed = true;
            }
            if (server1 >= 0) {
                int n;
                while ((n = w.b.receive(server1, tmp, 0, tmp.length, w.now)) > 0) {
                    assertTrue(received + n <= SIZE, cell + ": too many bytes");
                    System.arraycopy(tmp, 0, got, received, n);
                    received += n;
                }
                if (n == Tcp.END_OF_STREAM && !serverClosed) {
                    w.b.close(server1, w.now);
                    serverClosed = true;
                }
                assertTrue(n != Tcp.ERR_CONNECTION, cell + ": server connection failed " + Tcp.errorName(w.b.error(server1)));
            }
            if (serverClosed && w.a.socketsInUse() == 0 && w.b.socketsInUse() == 0) {
                break;
            }
            if (!w.step(limit)) {
                System.out.println(cell + " idle at " + w.now + " next=" + w.nextEvent() + " a.at=" + w.a.pollAtNs(w.now) + " steps=" + steps);
                break;
            }
        }
        long elapsed = w.now - start;
        if (received != SIZE) {
            System.out.println(cell + " client: " + dump(w.a.byHandle(c)) + " server: " + dump(w.b.byHandle(server1)) + " queued=" + w.queued());
        }
        assertEquals(SIZE, received, cell + ": bytes received (sent " + sent + ", client " + w.a.state(c) + ")");
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        assertArrayEquals(md.digest(data), MessageDigest.getInstance("SHA-256").digest(got), cell + ": SHA-256");
        assertEquals(0, w.a.socketsInUse(), cell + ": client socket leaked");
        assertEquals(0, w.b.socketsInUse(), cell + ": server socket leaked");
        double kBps = SIZE / 1024.0 / (elapsed / 1e9);
        System.out.printf("tcp netsim %s: %.1f s virtual, %.1f KiB/s, %d segments dropped, %d corrupted, rto=%d fr=%d%n",
                cell, elapsed / 1e9, kBps, w.dropped, w.corrupted,
                w.a.counters().value("tcp.rto.expired"), w.a.counters().value("tcp.fast.retransmits"));
    }
}
