package io.ethling.tools.net;

import com.sun.net.httpserver.HttpServer;
import io.ethling.stack.Host;
import io.ethling.stack.HostNetwork;
import io.ethling.stack.http.BodySink;
import io.ethling.stack.http.HttpClient;
import io.ethling.stack.http.HttpUrl;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.tcp.Tcp;
import io.ethling.stack.tcp.TcpState;
import io.ethling.stack.util.Prng;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay on its own, in real time: a board ({@link Host} at 10.0.2.15, static) cabled straight
 * to the user-mode network ({@link UserNet}) — no emulated chip, no paced wire, so megabytes cross
 * in a moment — and small servers on the host's loopback written for each case. Only 127.0.0.1 is
 * ever reached. Seeds are fixed and named in the failure messages.
 */
class TcpRelayTest {

    static final int GATEWAY = UserNet.GATEWAY;
    static final long S = 1_000_000_000L;

    /** Board and gateway, one loop on the test thread; the relay's helper wakes it. */
    static final class Rig implements AutoCloseable {
        final UserNet net;
        final FrameDevice boardDevice = new FrameDevice(0x02_00_00_00_00_15L, 256);
        final Host board;
        final Thread loop = Thread.currentThread();
        int passes;

        Rig(long seed, long connectTimeoutNs) {
            this(seed, connectTimeoutNs, 24);
        }

        /** With the board on a narrower prefix, so parts of 10.0.2.0/24 are routed through the gateway. */
        Rig(long seed, long connectTimeoutNs, int boardPrefix) {
            net = new UserNet(seed, connectTimeoutNs);
            boardDevice.connect(net.input());
            net.connect(boardDevice);
            board = new Host(new StackConfig().macAddress(boardDevice.macAddress())
                    .address(io.ethling.stack.wire.Ipv4Packet.parse("10.0.2.15"), boardPrefix).gateway(GATEWAY),
                    new Host.Options().dhcp(false).dnsServers(GATEWAY), boardDevice, new Prng(seed));
            net.wakeup(() -> LockSupport.unpark(loop));
            board.start(System.nanoTime());
        }

        Rig(long seed) {
            this(seed, UserNet.RELAY_CONNECT_TIMEOUT_NS);
        }

        Tcp tcp() {
            return board.tcp();
        }

        long now() {
            return System.nanoTime();
        }

        void pass() {
            passes++;
            long now = System.nanoTime();
            board.poll(now);
            net.poll(now);
            board.poll(now);
        }

        /** Runs the loop until {@code done} or {@code timeoutNs} of real time. */
        boolean run(BooleanSupplier done, long timeoutNs) {
            long end = System.nanoTime() + timeoutNs;
            while (true) {
                pass();
                if (done.getAsBoolean()) {
                    return true;
                }
                long now = System.nanoTime();
                if (now - end >= 0) {
                    return false;
                }
                long next = Math.min(board.pollAtNs(now), net.pollAtNs(now));
                long wait = Math.min(Math.min(next - now, end - now), 20_000_000L);
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }

        /** Connects the board to 10.0.2.2:port and waits for ESTABLISHED. */
        int connect(int port) {
            int h = tcp().connect(GATEWAY, port, now());
            assertTrue(h >= 0, "connect: " + h);
            assertTrue(run(() -> tcp().state(h) != TcpState.SYN_SENT, 5 * S), "no answer to the SYN");
            assertEquals(TcpState.ESTABLISHED, tcp().state(h), "error " + Tcp.errorName(tcp().error(h)));
            return h;
        }

        @Override
        public void close() {
            net.close();
        }
    }

    static byte[] seeded(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A one-connection server on the loopback, run on a virtual thread. */
    static ServerSocket listen() throws IOException {
        return new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    }

    @Test
    void halfCloseBothWays() throws Exception {
        long seed = 101;
        byte[] request = seeded(300_000, seed);
        try (ServerSocket ss = listen(); Rig rig = new Rig(seed)) {
            // the server reads to the board's FIN, then answers with every byte reversed and closes
            CompletableFuture<byte[]> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = ss.accept()) {
                    byte[] all = s.getInputStream().readAllBytes();
                    byte[] back = new byte[all.length];
                    for (int i = 0; i < all.length; i++) {
                        back[i] = (byte) ~all[all.length - 1 - i];
                    }
                    s.getOutputStream().write(back);
                    return all;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            int h = rig.connect(ss.getLocalPort());
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] tmp = new byte[4096];
            int[] sent = {0};
            boolean[] shut = {false};
            assertTrue(rig.run(() -> {
                if (sent[0] < request.length) {
                    sent[0] += rig.tcp().send(h, request, sent[0], request.length - sent[0], rig.now());
                } else if (!shut[0]) {
                    shut[0] = true;
                    rig.tcp().shutdown(h, rig.now());        // our FIN; the answer still comes back
                }
                int n;
                while ((n = rig.tcp().receive(h, tmp, 0, tmp.length, rig.now())) > 0) {
                    got.write(tmp, 0, n);
                }
                return n == Tcp.END_OF_STREAM;
            }, 20 * S), "seed " + seed + ": sent " + sent[0] + ", got " + got.size() + "; " + rig.net.relayStats());
            assertArrayEquals(request, seen.get(5, TimeUnit.SECONDS), "seed " + seed);
            byte[] answer = got.toByteArray();
            assertEquals(request.length, answer.length, "seed " + seed);
            for (int i = 0; i < answer.length; i++) {
                if (answer[i] != (byte) ~request[request.length - 1 - i]) {
                    throw new AssertionError("seed " + seed + ": byte " + i + " differs");
                }
            }
            rig.tcp().close(h, rig.now());
            assertTrue(rig.run(() -> rig.net.relayedConnections() == 0 && rig.net.tcp().socketsInUse() == 0
                    && rig.tcp().socketsInUse() == 0, 5 * S), rig.net.relayStats());
            assertTrue(rig.net.relayStats().contains("finished=1"), rig.net.relayStats());
        }
    }

    @Test
    void aHostResetResetsTheBoard() throws Exception {
        try (ServerSocket ss = listen(); Rig rig = new Rig(102)) {
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket s = ss.accept()) {
                    s.getInputStream().read(new byte[16]);
                    s.setSoLinger(true, 0);                  // close with an RST
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            int h = rig.connect(ss.getLocalPort());
            byte[] hello = "hello".getBytes();
            rig.tcp().send(h, hello, 0, hello.length, rig.now());
            byte[] tmp = new byte[64];
            assertTrue(rig.run(() -> rig.tcp().receive(h, tmp, 0, tmp.length, rig.now()) == Tcp.ERR_CONNECTION, 5 * S),
                    rig.net.relayStats());
            assertEquals(Tcp.ERROR_RESET, rig.tcp().error(h));
            server.get(5, TimeUnit.SECONDS);
            assertTrue(rig.net.relayStats().contains("resets=1"), rig.net.relayStats());
            assertTrue(rig.run(() -> rig.net.relayedConnections() == 0 && rig.net.tcp().socketsInUse() == 0, 5 * S));
        }
    }

    @Test
    void aBoardResetResetsTheHostSocket() throws Exception {
        for (long seed = 103; seed < 123; seed++) {           // the race between a close and the helper's select, 20 times
            boardResetResetsTheHostSocket(seed);
        }
    }

    private void boardResetResetsTheHostSocket(long seed) throws Exception {
        try (ServerSocket ss = listen(); Rig rig = new Rig(seed)) {
            CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
                try (Socket s = ss.accept()) {
                    s.setSoTimeout(5000);
                    int n = s.getInputStream().read(new byte[16]);
                    return n < 0 ? "eof" : "data " + n;
                } catch (java.net.SocketException e) {
                    return "reset";
                } catch (IOException e) {
                    return e.toString();
                }
            });
            int h = rig.connect(ss.getLocalPort());
            rig.tcp().abort(h, rig.now());                   // an RST to the gateway
            assertTrue(rig.run(server::isDone, 5 * S));
            assertEquals("reset", server.get(), "seed " + seed + ": the host socket is reset, not closed cleanly");
            assertTrue(rig.run(() -> rig.net.relayedConnections() == 0 && rig.net.tcp().socketsInUse() == 0, 5 * S),
                    rig.net.relayStats());
        }
    }

    @Test
    void aStalledHostClosesTheBoardsWindow() throws Exception {
        long seed = 104;
        byte[] data = seeded(8 << 20, seed);
        try (ServerSocket ss = new ServerSocket()) {
            ss.setReceiveBufferSize(16 * 1024);               // inherited by the accepted socket
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (Rig rig = new Rig(seed)) {
                CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                    try {
                        return ss.accept();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                int h = rig.connect(ss.getLocalPort());
                int[] sent = {0};
                BooleanSupplier pump = () -> {
                    if (sent[0] < data.length) {
                        sent[0] += rig.tcp().send(h, data, sent[0], data.length - sent[0], rig.now());
                    }
                    return false;
                };
                // the host reads nothing: the board's sends must come to a stop (no change for 250 ms)
                int stalledAt = -1;
                for (int i = 0; i < 40 && stalledAt != sent[0]; i++) {
                    stalledAt = sent[0];
                    rig.run(pump, S / 4);
                }
                assertEquals(stalledAt, sent[0], "seed " + seed + ": the board's sends stop while the host reads nothing");
                assertTrue(stalledAt < data.length / 2, "seed " + seed + ": only buffers' worth left the board: " + stalledAt);
                System.out.println("stalled host: the board sent " + stalledAt + " bytes and stopped");
                // now the host reads everything, byte-exact
                Socket s = accepted.get(5, TimeUnit.SECONDS);
                CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                    try (InputStream in = s.getInputStream()) {
                        return in.readNBytes(data.length);
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                assertTrue(rig.run(() -> {
                    pump.getAsBoolean();
                    return read.isDone();
                }, 30 * S), "seed " + seed + ": sent " + sent[0] + "; " + rig.net.relayStats());
                assertArrayEquals(data, read.get(), "seed " + seed);
                s.close();
            }
        }
    }

    @Test
    void aBoardThatReadsNothingStallsTheHostsWrites() throws Exception {
        long seed = 105;
        byte[] data = seeded(8 << 20, seed);
        AtomicLong written = new AtomicLong();
        try (ServerSocket ss = listen(); Rig rig = new Rig(seed)) {
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket s = ss.accept(); OutputStream o = s.getOutputStream()) {
                    for (int off = 0; off < data.length; off += 16384) {
                        o.write(data, off, Math.min(16384, data.length - off));
                        written.addAndGet(Math.min(16384, data.length - off));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            int h = rig.connect(ss.getLocalPort());
            // the board reads nothing: the host's writes must come to a stop (no change for 250 ms)
            long stalledAt = -1;
            for (int i = 0; i < 40 && stalledAt != written.get(); i++) {
                stalledAt = written.get();
                rig.run(() -> false, S / 4);
            }
            assertEquals(stalledAt, written.get(), "seed " + seed + ": the host's writes stop");
            assertTrue(stalledAt < data.length / 2, "seed " + seed + ": the host's writes block: " + stalledAt);
            assertTrue(rig.tcp().available(h) > 0, "the board's ring holds what its window allowed");
            System.out.println("board not reading: the host wrote " + stalledAt + " bytes and blocked");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] tmp = new byte[8192];
            assertTrue(rig.run(() -> {
                int n;
                while ((n = rig.tcp().receive(h, tmp, 0, tmp.length, rig.now())) > 0) {
                    got.write(tmp, 0, n);
                }
                return n == Tcp.END_OF_STREAM;
            }, 30 * S), "seed " + seed + ": got " + got.size() + "; " + rig.net.relayStats());
            assertArrayEquals(data, got.toByteArray(), "seed " + seed);
            server.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHostConnectThatHangsLeavesTheBoardUnanswered() throws Exception {
        // a listener that never accepts, its queue filled: Linux drops further SYNs, the connect hangs
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Rig rig = new Rig(106, S / 4)) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket f = new Socket();
                    try {
                        f.connect(ss.getLocalSocketAddress(), 200);
                        fillers.add(f);
                    } catch (IOException e) {
                        f.close();
                        break;                               // the queue is full: connects hang now
                    }
                }
                int h = rig.tcp().connect(GATEWAY, ss.getLocalPort(), rig.now());
                assertTrue(rig.run(() -> rig.net.relayStats().contains("timedout=1"), 3 * S), rig.net.relayStats());
                assertEquals(TcpState.SYN_SENT, rig.tcp().state(h), "no SYN-ACK and no RST: the board's timers decide");
                assertTrue(rig.net.relayStats().contains("refused=0"), rig.net.relayStats());
                rig.tcp().abort(h, rig.now());
            } finally {
                for (Socket f : fillers) {
                    f.close();
                }
            }
        }
    }

    @Test
    void anAddressOfTheEmulatedNetworkWithNobodyBehindItIsRefused() {
        // the board on 10.0.2.0/25 sends 10.0.2.200 through the gateway, whose network is 10.0.2.0/24:
        // no host is behind that address, so nothing is dialled and the board hears "refused" at once
        try (Rig rig = new Rig(108, UserNet.RELAY_CONNECT_TIMEOUT_NS, 25)) {
            int h = rig.tcp().connect(io.ethling.stack.wire.Ipv4Packet.parse("10.0.2.200"), 80, rig.now());
            assertTrue(rig.run(() -> rig.tcp().state(h) == TcpState.CLOSED, 2 * S), rig.net.relayStats());
            assertEquals(Tcp.ERROR_REFUSED, rig.tcp().error(h));
            assertTrue(rig.net.relayStats().contains("accepted=1 connected=0 refused=1"), rig.net.relayStats());
            assertEquals(0, rig.net.tcp().socketsInUse());
        }
    }

    @Test
    void twoFetchesOnOneKeptAliveConnection() throws Exception {
        byte[] page = seeded(20_000, 107);
        ConcurrentHashMap<Integer, Integer> peers = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/", ex -> {
            peers.merge(ex.getRemoteAddress().getPort(), 1, Integer::sum);
            ex.sendResponseHeaders(200, page.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(page);
            }
        });
        server.start();
        try (Rig rig = new Rig(107)) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            HttpClient client = new HttpClient(new HostNetwork(rig.board), new BodySink() {
                @Override
                public void onStatus(int code) {
                }

                @Override
                public void onBody(byte[] b, int off, int len) {
                    body.write(b, off, len);
                }

                @Override
                public void onEnd(boolean complete) {
                }
            }, new HttpClient.Config());
            HttpUrl url = HttpUrl.of("http://10.0.2.2:" + server.getAddress().getPort() + "/");
            for (int i = 0; i < 2; i++) {
                body.reset();
                client.start(url, rig.now());
                assertTrue(rig.run(() -> {
                    client.poll(rig.now());
                    return client.state() == HttpClient.STATE_DONE || client.state() == HttpClient.STATE_FAILED;
                }, 10 * S), "fetch " + (i + 1));
                assertEquals(HttpClient.STATE_DONE, client.state(), client.failureText());
                assertEquals(200, client.status());
                assertArrayEquals(page, body.toByteArray(), "fetch " + (i + 1));
            }
            assertEquals(1, peers.size(), "one host connection for both: " + peers);
            assertEquals(2, peers.values().iterator().next());
            // an idle kept-alive relayed connection costs nothing: the helper waits, the loop sleeps
            int before = rig.passes;
            rig.run(() -> false, S / 2);
            assertTrue(rig.passes - before < 60, "no busy loop: " + (rig.passes - before) + " passes in 0.5 s");
            assertEquals(1, rig.net.relayedConnections());
            client.closeAll(rig.now());
            assertTrue(rig.run(() -> rig.net.relayedConnections() == 0 && rig.board.tcp().socketsInUse() == 0, 5 * S),
                    rig.net.relayStats());
        } finally {
            server.stop(0);
        }
    }
}
