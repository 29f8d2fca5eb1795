package io.ethling.stack.http;

import io.ethling.stack.dns.DnsCache;
import io.ethling.stack.dns.DnsResolver;
import io.ethling.stack.dns.DnsTransport;
import io.ethling.stack.dns.HostsTable;
import io.ethling.stack.util.Prng;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DNS half of the adapter against the stack's real {@link DnsResolver}, and a whole fetch
 * through it (TCP from the fake network).
 */
class ResolverNetworkTest {

    private static final long SEED = 0xD25L;
    private static final int SERVER = 0xCB00_7101; // 203.0.113.1
    private static final long S = 1_000_000_000L;

    /** A transport that keeps the last query and sends nothing anywhere. */
    static final class Transport implements DnsTransport {
        final byte[] last = new byte[512];
        int lastLength;
        int lastPort;

        @Override
        public boolean bind(int localPort) {
            return true;
        }

        @Override
        public int send(int localPort, int serverIp, byte[] buf, int off, int len, long nowNs) {
            System.arraycopy(buf, off, last, 0, len);
            lastLength = len;
            lastPort = localPort;
            return 0;
        }

        @Override
        public void unbind(int localPort) {
        }
    }

    /** TCP from a {@link FakeNetwork}, names from the resolver. */
    static final class Hybrid extends ResolverNetwork {
        final FakeNetwork tcp;

        Hybrid(DnsResolver r, FakeNetwork tcp) {
            super(r);
            this.tcp = tcp;
        }

        @Override
        public int connect(int ip, int port, long nowNs) {
            return tcp.connect(ip, port, nowNs);
        }

        @Override
        public int socketState(int h) {
            return tcp.socketState(h);
        }

        @Override
        public int socketError(int h) {
            return tcp.socketError(h);
        }

        @Override
        public int send(int h, byte[] src, int off, int len, long nowNs) {
            return tcp.send(h, src, off, len, nowNs);
        }

        @Override
        public int receive(int h, byte[] dst, int off, int cap, long nowNs) {
            return tcp.receive(h, dst, off, cap, nowNs);
        }

        @Override
        public void close(int h, long nowNs) {
            tcp.close(h, nowNs);
        }

        @Override
        public void abort(int h, long nowNs) {
            tcp.abort(h, nowNs);
        }
    }

    private final Transport transport = new Transport();
    private final HostsTable hosts = new HostsTable(8);
    private final DnsResolver resolver;
    private final FakeNetwork fake = new FakeNetwork(SEED);
    private final Hybrid net;
    private long now = 100 * S;

    ResolverNetworkTest() {
        DnsResolver.Config cfg = new DnsResolver.Config();
        cfg.triesPerServer = 1;
        resolver = new DnsResolver(transport, new Prng(SEED), hosts, new DnsCache(16), cfg);
        resolver.setServers(new int[] {SERVER}, 1);
        hosts.add("board.lan", HttpTestKit.IP);
        net = new Hybrid(resolver, fake);
    }

    private int resolve(String name) {
        byte[] b = ("junk" + name + "junk").getBytes(StandardCharsets.US_ASCII);
        return net.resolve(b, 4, name.length(), now);
    }

    /** Answers the last query with {@code rcode} and no records. */
    private void answer(int rcode) {
        byte[] r = new byte[512];
        int n = transport.lastLength - 11; // without the OPT record
        System.arraycopy(transport.last, 0, r, 0, n);
        r[2] = (byte) 0x81;
        r[3] = (byte) (0x80 | rcode);
        r[11] = 0;
        resolver.onDatagram(SERVER, 53, transport.lastPort, r, 0, n, now);
    }

    @Test
    void mapsEveryOutcome() {
        int h = resolve("board.lan");
        assertEquals(HttpNetwork.RESOLVE_DONE, net.resolveState(h));
        assertEquals(HttpTestKit.IP, net.resolvedAddress(h));
        net.releaseResolve(h);

        h = resolve("nx.example");
        resolver.poll(now);
        assertEquals(HttpNetwork.RESOLVE_PENDING, net.resolveState(h));
        answer(3);
        assertEquals(HttpNetwork.RESOLVE_NO_SUCH_NAME, net.resolveState(h));
        net.releaseResolve(h);

        h = resolve("nodata.example");
        resolver.poll(now);
        answer(0);
        assertEquals(HttpNetwork.RESOLVE_NO_ADDRESS, net.resolveState(h));
        net.releaseResolve(h);

        h = resolve("servfail.example");
        resolver.poll(now);
        answer(2);
        resolver.poll(now);
        assertEquals(HttpNetwork.RESOLVE_FAILED, net.resolveState(h));
        net.releaseResolve(h);

        h = resolve("silent.example");
        for (int i = 0; i < 100 && net.resolveState(h) == HttpNetwork.RESOLVE_PENDING; i++) {
            now += S;
            resolver.poll(now);
        }
        assertEquals(HttpNetwork.RESOLVE_NO_REPLY, net.resolveState(h));
        net.releaseResolve(h);

        assertEquals(HttpNetwork.RESOLVE_ERR_BAD_NAME, resolve("bad..name"));
        assertEquals(HttpNetwork.RESOLVE_ERR_BAD_NAME, resolve("x".repeat(64) + ".example"));
    }

    @Test
    void aWholeFetchByNameFromTheHostsTable() {
        fake.server(HttpTestKit.IP, 80, (c, i) -> c.reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi".getBytes(StandardCharsets.US_ASCII),
            0, FakeNetwork.END_KEEP));
        HttpTestKit.Sink sink = new HttpTestKit.Sink();
        HttpClient client = new HttpClient(net, sink, new HttpClient.Config());
        client.start(HttpUrl.of("http://board.lan/"), now);
        for (int i = 0; i < 1000 && client.state() == HttpClient.STATE_BUSY; i++) {
            now += 1_000_000;
            fake.nowNs = now;
            resolver.poll(now);
            client.poll(now);
        }
        assertEquals(HttpClient.STATE_DONE, client.state(), client.failureText());
        assertEquals("hi", sink.text());
        assertEquals(0, client.dnsNs(), "a hosts-table answer takes no time");
        assertTrue(client.connectNs() > 0);
    }
}
