package io.ethling.tools;

import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.VirtualWire;
import io.ethling.hal.emulator.WireFaults;
import io.ethling.hal.enc28j60.Enc28j60Config;
import io.ethling.stack.Host;
import io.ethling.stack.HostNetwork;
import io.ethling.stack.http.BodySink;
import io.ethling.stack.http.HttpClient;
import io.ethling.stack.http.HttpUrl;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.tcp.Tcp;
import io.ethling.stack.tcp.TcpConfig;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Two emulated boards (driver + chip each) on a virtual wire with a one-way delay, on a virtual
 * clock: board A fetches over HTTP from board B, whose own TCP serves a fixed page with
 * keep-alive. Deterministic; measures what a fetch costs in round trips and in allocation on A's
 * thread (only A's calls are measured: B is the test's server). Used by `bench alloc` and tests.
 */
public final class FetchRig {

    public static final int A_IP = Ipv4Packet.parse("10.9.0.2");
    public static final int B_IP = Ipv4Packet.parse("10.9.0.1");
    static final long MAC_A = 0x02_45_09_00_00_02L;
    static final long MAC_B = 0x02_45_09_00_00_01L;

    public final VirtualClock clock = new VirtualClock();
    public final VirtualWire wire;
    public final EmulatedBoard a;
    public final EmulatedBoard b;
    public final Host hostA;
    public final Host hostB;
    public final HttpClient client;
    private final Responder responder;
    private final Counting sink = new Counting();
    private final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long allocatedOnA;

    /** @param oneWayDelayNs the wire's delay each way; {@code pageBytes} the body B serves */
    public FetchRig(long oneWayDelayNs, int pageBytes, long seed) {
        // no pacing on the wire: each emulated chip already takes its 10BASE-T time to transmit
        wire = new VirtualWire(clock, WireFaults.none().delayNanos(oneWayDelayNs), seed);
        a = new EmulatedBoard("A", clock, new EmulatorConfig().seed(seed + 1),
                new Enc28j60Config().macAddress(MAC_A), true);
        b = new EmulatedBoard("B", clock, new EmulatorConfig().seed(seed + 2),
                new Enc28j60Config().macAddress(MAC_B), true);
        a.chip.connect(wire.portA());
        wire.attachA(a.chip.wireInput());
        b.chip.connect(wire.portB());
        wire.attachB(b.chip.wireInput());
        a.init();
        b.init();
        hostA = new Host(new StackConfig().macAddress(MAC_A).address(A_IP, 24),
                new Host.Options().dhcp(false).hosts(Ipv4Packet.format(B_IP) + " server.test\n")
                        .tcp(new TcpConfig().receiveBufferBytes(16384)),
                a.driver, new Prng(seed + 3));
        hostB = new Host(new StackConfig().macAddress(MAC_B).address(B_IP, 24),
                new Host.Options().dhcp(false).tcp(new TcpConfig().sendBufferBytes(16384)), b.driver, new Prng(seed + 4));
        responder = new Responder(hostB.tcp(), pageBytes);
        client = new HttpClient(new HostNetwork(hostA), sink, new HttpClient.Config());
        settle();
    }

    private void settle() {
        run(() -> false, 20_000_000L);
    }

    /** Fetches {@code url} and returns the virtual time it took, start to last byte; -1 on failure. */
    public long fetch(HttpUrl url) {
        long before = mx.getCurrentThreadAllocatedBytes();
        long start = clock.nanoTime();
        int rc = client.start(url, start);
        allocatedOnA += mx.getCurrentThreadAllocatedBytes() - before;
        if (rc < 0) {
            return -1;
        }
        run(() -> client.state() == HttpClient.STATE_DONE || client.state() == HttpClient.STATE_FAILED, 10_000_000_000L);
        return client.state() == HttpClient.STATE_DONE ? clock.nanoTime() - start : -1;   // run() stops the clock at DONE
    }

    /** Closes the kept-alive connection and waits the close out (TIME-WAIT is A's, kept apart). */
    public void closeConnections() {
        client.closeAll(clock.nanoTime());
        run(() -> hostA.tcp().socketsInUse() == 0 && hostB.tcp().socketsInUse() == 0, 5_000_000_000L);
    }

    /** Bytes allocated on this thread inside board A's calls since the last reset. */
    public long allocatedOnA() {
        return allocatedOnA;
    }

    public void resetAllocation() {
        allocatedOnA = 0;
    }

    public long bodyBytes() {
        return sink.bytes;
    }

    interface Done {
        boolean now();
    }

    private void run(Done done, long maxNs) {
        long end = clock.nanoTime() + maxNs;
        while (clock.nanoTime() - end < 0) {
            long now = clock.nanoTime();
            wire.deliver();
            a.chip.tick();
            b.chip.tick();
            long before = mx.getCurrentThreadAllocatedBytes();
            hostA.poll(now);
            client.poll(now);
            hostA.poll(now);
            allocatedOnA += mx.getCurrentThreadAllocatedBytes() - before;
            hostB.poll(now);
            responder.poll(now);
            hostB.poll(now);
            if (done.now()) {
                return;
            }
            long next = Math.min(Math.min(wire.nextDeliveryNs(), a.chip.nextEventNs()), b.chip.nextEventNs());
            next = Math.min(next, Math.min(hostA.pollAtNs(now), hostB.pollAtNs(now)));
            next = Math.min(next, client.pollAtNs(now));
            if (next - now <= 0) {
                next = now + 1_000L;
            }
            clock.advanceTo(Math.min(next, end));
        }
    }

    private static final class Counting implements BodySink {
        long bytes;

        @Override
        public void onStatus(int code) {
        }

        @Override
        public void onBody(byte[] b, int off, int len) {
            bytes += len;
        }

        @Override
        public void onEnd(boolean complete) {
        }
    }

    /** Board B's HTTP server: keep-alive, one fixed page for every request (allocation-free). */
    private static final class Responder {
        private final Tcp tcp;
        private final int listener;
        private final byte[] response;
        private final byte[] in = new byte[2048];
        private int conn = -1;
        private int matched;          // progress through "\r\n\r\n"
        private int sent = -1;        // bytes of the response sent, -1 when none is due

        Responder(Tcp tcp, int pageBytes) {
            this.tcp = tcp;
            this.listener = tcp.listen(80);
            byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                    + pageBytes + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            response = new byte[head.length + pageBytes];
            System.arraycopy(head, 0, response, 0, head.length);
            for (int i = head.length; i < response.length; i++) {
                response[i] = (byte) ('a' + i % 26);
            }
        }

        void poll(long nowNs) {
            if (conn < 0 || tcp.state(conn) == io.ethling.stack.tcp.TcpState.CLOSED) {
                conn = tcp.accept(listener);
                matched = 0;
                sent = -1;
                if (conn < 0) {
                    return;
                }
            }
            int n;
            while ((n = tcp.receive(conn, in, 0, in.length, nowNs)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte c = in[i];
                    matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                            ? matched + 1 : (c == '\r' ? 1 : 0);
                    if (matched == 4) {
                        matched = 0;
                        sent = 0;
                    }
                }
            }
            if (n == Tcp.END_OF_STREAM) {
                tcp.close(conn, nowNs);
                conn = -1;
                return;
            }
            if (sent >= 0) {
                sent += Math.max(0, tcp.send(conn, response, sent, response.length - sent, nowNs));
                if (sent == response.length) {
                    sent = -1;
                }
            }
        }
    }
}
