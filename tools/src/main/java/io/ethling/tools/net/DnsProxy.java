package io.ethling.tools.net;

import io.ethling.stack.iface.NetStack;
import io.ethling.stack.iface.UdpListener;
import io.ethling.stack.wire.Bytes;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The user-mode network's DNS server: questions for A records are answered through the host's
 * own resolver (java.net.InetAddress, which reads /etc/hosts and the host's DNS), on a worker
 * thread so the loop never blocks. A name that resolves to the host's loopback answers 10.0.2.2,
 * the gateway that stands for it. Desktop tooling on the gateway, not part of the board's stack.
 */
final class DnsProxy implements UdpListener {

    private record Query(int srcIp, int srcPort, byte[] message, int questionEnd, String name) {
    }

    private record Answer(Query query, int address, int rcode) {
    }

    private final NetStack net;
    private final int loopbackStandIn;
    private final int handle;
    private final BlockingQueue<Query> pending = new ArrayBlockingQueue<>(64);
    private final ConcurrentLinkedQueue<Answer> done = new ConcurrentLinkedQueue<>();
    private final Thread worker;
    private final byte[] out = new byte[512];
    private volatile Runnable wakeup;
    int answered;

    DnsProxy(NetStack net, int loopbackStandIn) {
        this.net = net;
        this.loopbackStandIn = loopbackStandIn;
        this.handle = net.udp().open(53, this);
        if (handle < 0) {
            throw new IllegalStateException("user-mode network: cannot open UDP port 53 (" + handle + ")");
        }
        worker = Thread.ofPlatform().daemon().name("ethling-dns-proxy").start(this::work);
    }

    /** Called when an answer is ready, from the worker thread (the loop uses it to stop sleeping). */
    void wakeup(Runnable r) {
        this.wakeup = r;
    }

    @Override
    public void onDatagram(int h, int srcIp, int srcPort, int dstIp, int dstPort, byte[] b, int off, int len, long nowNs) {
        // RFC 1035 §4.1: a standard query (QR 0, opcode 0) with one question
        if (len < 17 || (b[off + 2] & 0xF8) != 0 || Bytes.u16(b, off + 4) != 1) {
            return;
        }
        StringBuilder name = new StringBuilder();
        int i = off + 12;
        int end = off + len;
        while (true) {
            if (i >= end) {
                return;
            }
            int l = b[i] & 0xFF;
            if (l == 0) {
                i++;
                break;
            }
            if (l > 63 || i + 1 + l > end || name.length() + l > 253) {
                return;                                      // RFC 1035 §2.3.4 limits; no pointers in a question
            }
            if (name.length() > 0) {
                name.append('.');
            }
            for (int k = 1; k <= l; k++) {
                name.append((char) (b[i + k] & 0x7F));
            }
            i += 1 + l;
        }
        if (i + 4 > end) {
            return;
        }
        int qtype = Bytes.u16(b, i);
        byte[] copy = java.util.Arrays.copyOfRange(b, off, i + 4);
        Query q = new Query(srcIp, srcPort, copy, copy.length, name.toString());
        if (qtype != 1) {
            done.add(new Answer(q, 0, 0));                   // no A question: an empty answer
        } else if (!pending.offer(q)) {
            done.add(new Answer(q, 0, 2));                   // overloaded: SERVFAIL
        }
    }

    private void work() {
        while (true) {
            Query q;
            try {
                q = pending.take();
            } catch (InterruptedException e) {
                return;
            }
            int address = 0;
            int rcode = 0;
            try {
                for (InetAddress a : InetAddress.getAllByName(q.name())) {
                    if (a instanceof Inet4Address) {
                        address = a.isLoopbackAddress() ? loopbackStandIn : Bytes.i32(a.getAddress(), 0);
                        break;
                    }
                }
            } catch (UnknownHostException e) {
                rcode = 3;                                   // NXDOMAIN
            } catch (RuntimeException e) {
                rcode = 2;                                   // SERVFAIL
            }
            done.add(new Answer(q, address, rcode));
            Runnable w = wakeup;
            if (w != null) {
                w.run();
            }
        }
    }

    /** Sends the answers that are ready. */
    int poll(long nowNs) {
        int n = 0;
        Answer a;
        while ((a = done.poll()) != null) {
            byte[] m = a.query().message();
            System.arraycopy(m, 0, out, 0, m.length);
            int flags = 0x8180 | a.rcode();                  // QR, RD copied as set, RA
            Bytes.put16(out, 2, flags | (Bytes.u16(m, 2) & 0x0100));
            Bytes.put16(out, 6, 0);
            Bytes.put16(out, 8, 0);
            Bytes.put16(out, 10, 0);
            int o = m.length;
            if (a.rcode() == 0 && a.address() != 0) {
                Bytes.put16(out, 6, 1);
                Bytes.put16(out, o, 0xC00C);                 // the question's name
                Bytes.put16(out, o + 2, 1);
                Bytes.put16(out, o + 4, 1);
                Bytes.put32(out, o + 6, 60);
                Bytes.put16(out, o + 10, 4);
                Bytes.put32(out, o + 12, a.address());
                o += 16;
            }
            net.udp().send(handle, a.query().srcIp(), a.query().srcPort(), out, 0, o, nowNs);
            answered++;
            n++;
        }
        return n;
    }

    boolean hasAnswers() {
        return !done.isEmpty();
    }

    /** Stops the worker thread (a question it is resolving finishes, unanswered). */
    void close() {
        worker.interrupt();
    }
}
