package io.ethling.tools;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `ethling fetch` over the built-in user-mode network, without privileges: the board's TCP
 * connection ends in the gateway's own TCP and is relayed to an HTTP server on the host's
 * loopback (10.0.2.2 stands for 127.0.0.1). Only 127.0.0.1 is ever reached.
 */
class UserNetFetchTest {

    static final long SEED = 20_251_121L;
    static final byte[] PAGE = "<html><body>Hello from the host's loopback</body></html>\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MEBIBYTE = new byte[1 << 20];

    /** A static address on the user-mode network: DHCP's RFC 5227 probe costs ~5 s a run, paid once below. */
    static final String[] STATIC = {"--ip", "10.0.2.15/24", "--gateway", "10.0.2.2", "--dns", "10.0.2.2"};

    static HttpServer server;
    static ExecutorService pool;
    static int port;
    static final AtomicInteger requests = new AtomicInteger();

    private record Run(int code, byte[] stdout, String err) {
        String out() {
            return new String(stdout, StandardCharsets.ISO_8859_1);
        }
    }

    @BeforeAll
    static void startServer() throws IOException {
        new Random(SEED).nextBytes(MEBIBYTE);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> reply(ex, ex.getRequestURI().getPath().equals("/") ? PAGE : null));
        server.createContext("/big", ex -> reply(ex, MEBIBYTE));
        server.createContext("/quarter", ex -> reply(ex, java.util.Arrays.copyOf(MEBIBYTE, 1 << 18)));
        pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.start();
        port = server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, byte[] body) throws IOException {
        requests.incrementAndGet();
        ex.getRequestBody().readAllBytes();
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
        } else {
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        }
        ex.close();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
        pool.shutdownNow();
    }

    private static String[] fetch(String... args) {
        String[] a = new String[1 + STATIC.length + args.length];
        a[0] = "fetch";
        System.arraycopy(STATIC, 0, a, 1, STATIC.length);
        System.arraycopy(args, 0, a, 1 + STATIC.length, args.length);
        return a;
    }

    /** Runs `ethling ARGS` in-process; the body goes to System.out, captured here. */
    private static synchronized Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(body, true));
        try {
            int code = Ethling.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
            System.out.flush();
            return new Run(code, body.toByteArray(), out + err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void fetchesAPageFromTheHostsLoopback() {
        // as a newcomer runs it: DHCP from the user-mode network, then the relay
        Run r = run("fetch", "--seed", "1", "http://10.0.2.2:" + port + "/");
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(PAGE, r.stdout(), "the body, byte-exact on stdout: " + r.out());
    }

    @Test
    void fetchesAMebibyteByteExact() throws IOException {
        Path file = Files.createTempFile("ethling-relay", ".bin");
        try {
            long t0 = System.nanoTime();
            Run r = run(fetch("--seed", "2", "--stats", "-o", file.toString(), "http://10.0.2.2:" + port + "/big"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, r.code(), r.err());
            byte[] got = Files.readAllBytes(file);
            assertEquals(MEBIBYTE.length, got.length, "seed " + SEED);
            assertArrayEquals(MEBIBYTE, got, "seed " + SEED);
            System.out.println("1 MiB through the relay in " + ms + " ms: " + r.err().strip());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aLossyWireStillDeliversByteExact() throws IOException {
        // the board's TCP and the gateway's recover each other's losses; the relay only sees a slower stream
        Path file = Files.createTempFile("ethling-relay", ".bin");
        try {
            Run r = run(fetch("--seed", "9", "--drop", "5", "--reorder", "5", "--duplicate", "1", "--corrupt", "1",
                    "--stats", "-o", file.toString(), "http://10.0.2.2:" + port + "/quarter"));
            assertEquals(0, r.code(), r.err());
            assertArrayEquals(java.util.Arrays.copyOf(MEBIBYTE, 1 << 18), Files.readAllBytes(file), "seed " + SEED + ", wire seed 9");
            System.out.println("256 KiB over a lossy wire: " + r.err().strip());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aClosedLoopbackPortIsRefused() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        Run r = run(fetch("--seed", "3", "http://10.0.2.2:" + closed + "/"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(ExitCodes.TCP_REFUSED, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("TCP: refused"), r.err());
        assertEquals(0, r.stdout().length);
        assertTrue(ms < 5_000, "refused fast, not after a timeout: " + ms + " ms");
    }

    @Test
    void twoFetchesInARow() {
        int before = requests.get();
        for (int i = 0; i < 2; i++) {
            Run r = run(fetch("--seed", String.valueOf(10 + i), "http://10.0.2.2:" + port + "/"));
            assertEquals(0, r.code(), "fetch " + (i + 1) + ": " + r.err());
            assertArrayEquals(PAGE, r.stdout(), "fetch " + (i + 1));
        }
        assertEquals(before + 2, requests.get());
    }

    @Test
    void aNameForTheLoopbackGoesThroughTheDnsProxy() {
        Run r = run(fetch("--seed", "4", "--journey", "http://localhost:" + port + "/"));
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(PAGE, r.stdout());
        assertTrue(r.err().contains("DNS localhost = 10.0.2.2 from server"),
                "the proxy answers the gateway for the host's loopback: " + r.err());
        assertTrue(r.err().contains("SYN-SENT -> ESTABLISHED"), r.err());
    }

    @Test
    void aMissingPageIsAnHttpStatusNotARelayProblem() {
        Run r = run(fetch("--seed", "5", "http://10.0.2.2:" + port + "/missing"));
        assertEquals(ExitCodes.HTTP_STATUS, r.code(), r.err());
        assertTrue(r.err().contains("404"), r.err());
    }
}
