package io.ethling.stack.tcp;

import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.Checksum;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RELIABILITY.md G4 (scaled to 200,000 segments) and T21 during a transfer: an off-path attacker
 * who knows the 4-tuple but not the sequence numbers sprays RSTs, SYNs and data segments at the
 * receiver while 256 KiB move. Expect 0 resets, 0 corrupted bytes, and at most one challenge ACK
 * per second per connection.
 */
class TcpBlindAttackTest {

    @Test
    void sprayDuringTransfer() {
        long seed = 4242;
        TcpWire w = new TcpWire(seed, 50_000_000L, 0, 0, 0, 0, new TcpConfig(), new TcpConfig());
        int l = w.b.listen(80);
        int c = w.a.connect(TcpWire.B_IP, 80, w.now);
        int size = 256 * 1024;
        byte[] data = TcpScript.pattern(size, 3);
        byte[] got = new byte[size];
        byte[] tmp = new byte[4096];
        int sent = 0;
        int received = 0;
        int s = -1;
        Prng r = new Prng(seed);
        byte[] spoof = new byte[20 + 100];
        long start = w.now;
        int injected = 0;
        for (int step = 0; step < 2_000_000 && received < size; step++) {
            if (s < 0) {
                s = w.b.accept(l);
            }
            if (w.a.state(c) == TcpState.ESTABLISHED && sent < size) {
                sent += w.a.send(c, data, sent, size - sent, w.now);
            }
            if (s >= 0) {
                int n;
                while ((n = w.b.receive(s, tmp, 0, tmp.length, w.now)) > 0) {
                    System.arraycopy(tmp, 0, got, received, n);
                    received += n;
                }
                assertTrue(n >= 0, "seed " + seed + ": receiver failed: " + n);
                for (int k = 0; k < 5000 && injected < 200_000; k++, injected++) {
                    int kind = r.nextInt(3);
                    int flags = kind == 0 ? TcpSegment.FLAG_RST : kind == 1 ? TcpSegment.FLAG_SYN
                            : TcpSegment.FLAG_ACK | TcpSegment.FLAG_PSH;
                    int len = kind == 2 ? 20 + 100 : 20;
                    Bytes.put16(spoof, 0, w.a.localPort(c));
                    Bytes.put16(spoof, 2, 80);
                    Bytes.put32(spoof, 4, r.nextInt());
                    Bytes.put32(spoof, 8, r.nextInt());
                    spoof[12] = 0x50;
                    spoof[13] = (byte) flags;
                    Bytes.put16(spoof, 14, 65535);
                    Bytes.put16(spoof, 16, 0);
                    Bytes.put16(spoof, 18, 0);
                    for (int i = 20; i < len; i++) {
                        spoof[i] = (byte) 0x66;
                    }
                    long sum = Checksum.addPseudoHeader(0, TcpWire.A_IP, TcpWire.B_IP, Ipv4Packet.PROTOCOL_TCP, len);
                    Bytes.put16(spoof, 16, Checksum.finish(Checksum.add(sum, spoof, 0, len)));
                    w.b.onDatagram(TcpWire.A_IP, TcpWire.B_IP, spoof, 0, len, w.now);
                }
            }
            if (!w.step(w.now + 3_600_000_000_000L)) {
                break;
            }
        }
        long seconds = Math.max(1, (w.now - start) / 1_000_000_000L);
        long challenges = w.b.counters().value("tcp.challenge.acks");
        System.out.println("tcp blind attack: " + injected + " spoofed segments over " + seconds + " s, "
                + challenges + " challenge ACKs, " + w.b.counters().value("tcp.challenge.acks.limited") + " limited");
        assertEquals(size, received, "seed " + seed);
        assertArrayEquals(data, got, "seed " + seed + ": corrupted bytes");
        assertEquals(0, w.b.counters().value("tcp.resets"), "seed " + seed);
        assertTrue(challenges <= seconds + 1, "seed " + seed + ": " + challenges + " challenge ACKs in " + seconds + " s");
        assertTrue(injected > 1000);
    }
}
