package io.ethling.stack.http;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One client on a {@link FakeNetwork}, a recording sink and a virtual clock that jumps to the
 * next event (the client's {@code pollAtNs} or the fake's next change). Allocation-free while
 * running, so the allocation test can use it too.
 */
final class HttpTestKit {

    static final int IP = 0xCB00_7150;        // 203.0.113.80, the lab's nginx
    static final int IP2 = 0xCB00_7151;       // 203.0.113.81
    static final String HOST = "www.example.test";
    static final String HOST2 = "other.example.test";
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    final long seed;
    final FakeNetwork net;
    final Sink sink = new Sink();
    final HttpClient client;
    long now = 1_000 * S;

    HttpTestKit(long seed, boolean dirty) {
        this(seed, dirty, new HttpClient.Config());
    }

    HttpTestKit(long seed, boolean dirty, HttpClient.Config config) {
        this.seed = seed;
        net = new FakeNetwork(seed);
        net.dirty = dirty;
        net.name(HOST, IP, 3 * MS);
        net.name(HOST2, IP2, 3 * MS);
        client = new HttpClient(net, sink, config);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A server on IP:80 that answers every request with {@code reply} and then {@code end}. */
    FakeNetwork.Server serve(String reply, int end) {
        byte[] b = ascii(reply);
        return net.server(IP, 80, (c, i) -> c.reply(b, 0, end));
    }

    /** Starts a GET of {@code url} and runs until the fetch ends; returns the client's state. */
    int fetch(HttpUrl url) {
        return fetch(url, HttpRequestWriter.METHOD_GET);
    }

    int fetch(HttpUrl url, int method) {
        sink.reset();
        int r = client.start(url, method, now);
        if (r != HttpClient.OK) {
            fail("start returned " + r + " (seed " + seed + ")");
        }
        return run(3_600 * S);
    }

    /** Runs the clock until the client is not busy (or {@code limitNs} of virtual time passed). */
    int run(long limitNs) {
        long end = now + limitNs;
        for (int i = 0; i < 50_000_000; i++) {
            net.nowNs = now;
            int work = client.poll(now);
            if (client.state() != HttpClient.STATE_BUSY || now - end >= 0) {
                return client.state();
            }
            if (work > 0) {
                continue;
            }
            long next = Math.min(client.pollAtNs(now), net.nextEventNs());
            now = next == Long.MAX_VALUE || next - now <= 0 ? now + MS : next;
        }
        fail("fetch did not end (seed " + seed + ")");
        return -1;
    }

    /** Lets virtual time pass with the client idle (idle connections may expire). */
    void idle(long ns) {
        long end = now + ns;
        while (now - end < 0) {
            net.nowNs = now;
            client.poll(now);
            long next = client.pollAtNs(now);
            now = next == HttpClient.NO_DEADLINE || next - end > 0 ? end : Math.max(next, now + 1);
        }
        net.nowNs = now;
        client.poll(now);
    }

    String failure() {
        return client.failureText();
    }

    void assertDone() {
        assertEquals(HttpClient.STATE_DONE, client.state(),
            "fetch failed: " + client.failureText() + " (seed " + seed + ", dirty " + net.dirty + ")");
    }

    void assertFailed(String line) {
        assertEquals(HttpClient.STATE_FAILED, client.state(), "seed " + seed + ", dirty " + net.dirty);
        assertEquals(line, client.failureText(), "seed " + seed + ", dirty " + net.dirty);
        byte[] lcd = new byte[40];
        int n = client.failureLine(lcd, 0);
        assertEquals(line, new String(lcd, 0, n, StandardCharsets.US_ASCII));
    }

    /** Every socket and resolve handle the client took has been given back (or is kept idle). */
    void assertNoLeaks() {
        assertEquals(client.idleConnections(), net.openHandles(), "sockets open beyond the idle ones (seed " + seed + ")");
        assertEquals(0, net.openResolves(), "resolve handles not released (seed " + seed + ")");
    }

    /** Records what the client delivers; keeps up to 1 MiB of body, counts the rest. */
    static final class Sink implements BodySink {
        final byte[] body = new byte[1 << 20];
        long length;
        int status = -1;
        int statusCalls;
        int endCalls;
        boolean complete;
        boolean generatedOk = true;
        long generatedFrom = -1; // >= 0: check bytes from this body offset against FakeNetwork.gen

        void reset() {
            length = 0;
            status = -1;
            statusCalls = 0;
            endCalls = 0;
            complete = false;
            generatedOk = true;
        }

        @Override
        public void onStatus(int code) {
            status = code;
            statusCalls++;
        }

        @Override
        public void onBody(byte[] b, int off, int len) {
            if (statusCalls != 1 || endCalls != 0) {
                throw new AssertionError("body outside onStatus..onEnd");
            }
            for (int i = 0; i < len; i++) {
                long at = length + i;
                if (at < body.length) {
                    body[(int) at] = b[off + i];
                }
                if (generatedFrom >= 0 && at >= generatedFrom && b[off + i] != FakeNetwork.gen(at - generatedFrom)) {
                    generatedOk = false;
                }
            }
            length += len;
        }

        @Override
        public void onEnd(boolean c) {
            endCalls++;
            complete = c;
        }

        String text() {
            return new String(body, 0, (int) Math.min(length, body.length), StandardCharsets.ISO_8859_1);
        }
    }
}
