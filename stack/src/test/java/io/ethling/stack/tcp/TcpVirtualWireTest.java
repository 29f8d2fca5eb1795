package io.ethling.stack.tcp;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.FrameSink;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.VirtualWire;
import io.ethling.hal.emulator.WireFaults;
import io.ethling.stack.Host;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.security.MessageDigest;
import java.util.ArrayDeque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance, whole stack: two {@link Host}s (Ethernet, ARP, IPv4, TCP) on hal/emulator's
 * {@link VirtualWire} with seeded faults (drop, corrupt, duplicate, reorder in percent; 50 ms one
 * way = 100 ms RTT) move 1 MiB byte-exact (SHA-256). Each cell prints its throughput; a failure
 * prints its seed. (The segment-level matrix with more cells is {@link TcpTransferTest}.)
 */
class TcpVirtualWireTest {

    /** A minimal EthernetDevice on one port of the wire (no chip). */
    static final class WireDevice implements EthernetDevice, FrameSink {
        final long mac;
        final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
        FrameSink out;

        WireDevice(long mac) {
            this.mac = mac;
        }

        @Override
        public void frame(byte[] buf, int off, int len) {
            inbound.add(java.util.Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public int receive(byte[] dst, int off, int cap) {
            byte[] f = inbound.poll();
            if (f == null) {
                return 0;
            }
            if (f.length > cap) {
                return ERR_LENGTH;
            }
            System.arraycopy(f, 0, dst, off, f.length);
            return f.length;
        }

        @Override
        public int transmit(byte[] src, int off, int len) {
            out.frame(src, off, len);
            return OK;
        }

        @Override
        public int poll(long nowNs) {
            return 0;
        }

        @Override
        public long pollAtNs(long nowNs) {
            return inbound.isEmpty() ? Long.MAX_VALUE : nowNs;
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
            return new CounterSet();
        }
    }

    @ParameterizedTest(name = "seed={0} drop={1}% corrupt={2}% dup={3}% reorder={4}%")
    @CsvSource({
        "501, 0, 0, 0, 0",
        "502, 5, 0, 0, 0",
        "503, 10, 0, 0, 0",
        "504, 0, 2, 2, 10",
        "505, 5, 1, 2, 10",
    })
    void hostsMoveOneMebibyteOverTheVirtualWire(long seed, double drop, double corrupt, double dup, double reorder)
            throws Exception {
        String cell = "seed=" + seed + " drop=" + drop + "% corrupt=" + corrupt + "% dup=" + dup + "% reorder=" + reorder + "%";
        VirtualClock clock = new VirtualClock(1_000_000_000L);
        VirtualWire wire = new VirtualWire(clock, new WireFaults().drop(drop).corrupt(corrupt).duplicate(dup)
                .reorder(reorder).delayNanos(50_000_000L), seed);
        WireDevice da = new WireDevice(0x02_00_00_00_00_0AL);
        WireDevice db = new WireDevice(0x02_00_00_00_00_0BL);
        da.out = wire.portA();
        db.out = wire.portB();
        wire.attachA(da);
        wire.attachB(db);
        int ipA = Ipv4Packet.parse("203.0.113.10");
        int ipB = Ipv4Packet.parse("203.0.113.80");
        TcpConfig tcpConfig = new TcpConfig().sendBufferBytes(16384).receiveBufferBytes(16384).r2Ns(600_000_000_000L)
                .synR2Ns(600_000_000_000L);
        Host a = new Host(new StackConfig().macAddress(da.mac).address(ipA, 24).arpMaxTries(10),
                new Host.Options().dhcp(false).tcp(tcpConfig), da, new Prng(seed));
        Host b = new Host(new StackConfig().macAddress(db.mac).address(ipB, 24).arpMaxTries(10),
                new Host.Options().dhcp(false).tcp(tcpConfig), db, new Prng(seed + 1));
        long now = clock.nanoTime();
        a.start(now);
        b.start(now);
        int listener = b.tcp().listen(80);
        int c = a.tcp().connect(ipB, 80, now);
        assertTrue(c >= 0, cell);
        int size = 1 << 20;
        byte[] data = TcpScript.pattern(size, (int) seed);
        byte[] got = new byte[size];
        byte[] tmp = new byte[4096];
        int sent = 0;
        int received = 0;
        int s = -1;
        boolean clientClosed = false;
        long start = now;
        for (long step = 0; step < 5_000_000; step++) {
            if (s < 0) {
                s = b.tcp().accept(listener);
            }
            if (a.tcp().state(c) == TcpState.ESTABLISHED && sent < size) {
                sent += a.tcp().send(c, data, sent, size - sent, now);
            }
            if (sent == size && !clientClosed) {
                a.tcp().close(c, now);
                clientClosed = true;
            }
            if (s >= 0) {
                int n;
                while ((n = b.tcp().receive(s, tmp, 0, tmp.length, now)) > 0) {
                    System.arraycopy(tmp, 0, got, received, n);
                    received += n;
                }
                if (n == Tcp.END_OF_STREAM) {
                    b.tcp().close(s, now);
                }
                assertTrue(n != Tcp.ERR_CONNECTION, cell + ": " + Tcp.errorName(b.tcp().error(s)));
            }
            if (received == size && a.tcp().socketsInUse() == 0 && b.tcp().socketsInUse() == 0) {
                break;
            }
            if (a.tcp().state(c) == TcpState.CLOSED && a.tcp().error(c) != 0) {
                break;
            }
            long at = Math.min(wire.nextDeliveryNs(), Math.min(a.pollAtNs(now), b.pollAtNs(now)));
            if (at != Long.MAX_VALUE && at > now) {
                clock.advanceTo(at);
                now = at;
            }
            wire.deliver();
            a.poll(now);
            b.poll(now);
        }
        assertEquals(size, received, cell + ": client error " + Tcp.errorName(a.tcp().error(c)));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data),
                MessageDigest.getInstance("SHA-256").digest(got), cell + ": SHA-256");
        double seconds = (now - start) / 1e9;
        System.out.printf("tcp virtual wire %s: %.1f s virtual, %.1f KiB/s, wire dropped %d corrupted %d; "
                        + "client rto=%d fr=%d, server tcp.drop.checksum=%d ip.drop.checksum=%d%n",
                cell, seconds, size / 1024.0 / seconds, wire.counters().value("dropped"), wire.counters().value("corrupted"),
                a.tcp().counters().value("tcp.rto.expired"), a.tcp().counters().value("tcp.fast.retransmits"),
                b.tcp().counters().value("tcp.drop.checksum"), b.net().counters().value("ip.drop.checksum"));
    }
}
