package io.ethling.tools;

import io.ethling.firmware.BoardLoop;
import io.ethling.firmware.FetchApp;
import io.ethling.firmware.HostStatus;
import io.ethling.firmware.HtmlText;
import io.ethling.firmware.StatusPage;
import io.ethling.hal.Buttons;
import io.ethling.hal.Counters;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.VirtualWire;
import io.ethling.hal.emulator.WireFaults;
import io.ethling.hal.emulator.lcd.Mcp23017LcdEmulator;
import io.ethling.hal.enc28j60.Enc28j60Config;
import io.ethling.hal.lcd.Hd44780;
import io.ethling.hal.lcd.Mcp23017Plate;
import io.ethling.stack.Host;
import io.ethling.stack.HostNetwork;
import io.ethling.stack.dhcp.DhcpState;
import io.ethling.stack.http.BodySink;
import io.ethling.stack.http.HttpClient;
import io.ethling.stack.http.HttpUrl;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The firmware's app on an emulated board (A: real driver, emulated ENC28J60, the MCP23017 LCD
 * plate emulator behind the real HD44780 driver) against a second emulated board (B: DHCP and DNS
 * from {@link LabPeer}, and a web server — the firmware's own {@link StatusPage} with a canned
 * page — on B's TCP), over a virtual wire on a virtual clock. The test presses buttons on the
 * plate and reads the LCD's character grid, as a person would.
 */
class BoardAppEmulatorTest {

    static final int PEER_IP = Ipv4Packet.parse("203.0.113.1");
    static final int LEASE_IP = Ipv4Packet.parse("203.0.113.50");
    static final long SEC = 1_000_000_000L;
    static final long SEED = 21;

    static final String LAB_PAGE = "<!DOCTYPE html>\n<html><head><title>Lab  page &amp; more</title>"
            + "<style>body { color: red }</style></head>\n<body><h1>Hello</h1><p>from the\n   lab&#33; "
            + "<!-- a comment > with a bracket --> caf\u00e9 &lt;ok&gt;</p></body></html>\n";

    final VirtualClock clock = new VirtualClock();
    final VirtualWire wire = new VirtualWire(clock, WireFaults.none().delayNanos(100_000L), SEED);
    final EmulatedBoard a = new EmulatedBoard("A", clock, new EmulatorConfig().seed(SEED + 1),
            new Enc28j60Config().macAddress(0x02_45_00_00_00_0AL), true);
    final EmulatedBoard b = new EmulatedBoard("B", clock, new EmulatorConfig().seed(SEED + 2),
            new Enc28j60Config().macAddress(0x02_45_00_00_00_0BL), true);
    final Host host;
    final Host peerHost;
    final LabPeer peer;
    final StatusPage peerServer;
    final Mcp23017LcdEmulator lcdChip = new Mcp23017LcdEmulator(clock);
    final Mcp23017Plate plate = new Mcp23017Plate(lcdChip);
    final Hd44780 lcd = new Hd44780(plate, clock, 16, 2);
    final HtmlText page = new HtmlText(64, 1024);
    final HttpClient client;
    final HostStatus status;
    final FetchApp app;
    final StatusPage statusPage;
    final BoardLoop loop;
    final List<String> rows = new ArrayList<>();
    final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    boolean measuring;
    long allocated;

    BoardAppEmulatorTest() {
        a.chip.connect(wire.portA());
        wire.attachA(a.chip.wireInput());
        b.chip.connect(wire.portB());
        wire.attachB(b.chip.wireInput());
        a.init();
        b.init();
        peerHost = new Host(new StackConfig().macAddress(0x02_45_00_00_00_0BL).address(PEER_IP, 24),
                new Host.Options().dhcp(false), b.driver, new Prng(SEED + 3));
        peer = new LabPeer(peerHost.net(), PEER_IP, LEASE_IP);
        byte[] canned = LAB_PAGE.getBytes(StandardCharsets.UTF_8);
        peerServer = new StatusPage(peerHost.tcp(), 80, (dst, off, end, now) -> {
            int n = Math.min(canned.length, end - off);
            System.arraycopy(canned, 0, dst, off, n);
            return off + n;
        });
        assertEquals(0, peerServer.start());

        host = new Host(new StackConfig().macAddress(0x02_45_00_00_00_0AL), new Host.Options().dhcpInitialDelayMaxNs(0),
                a.driver, new Prng(SEED + 4));
        host.start(clock.nanoTime());
        client = new HttpClient(new HostNetwork(host), page, new HttpClient.Config());
        status = new HostStatus("board-a", host, a.driver, new String[] {"http."}, new Counters[] {client.counters()});
        statusPage = new StatusPage(host.tcp(), 80, status);
        status.server(statusPage);
        assertEquals(0, statusPage.start());
        assertEquals(0, lcd.init());
        app = new FetchApp(lcd, client, page, status,
                new String[] {"http://203.0.113.1/", "http://lab.test/", "http://203.0.113.1:81/"});
        client.listener(app);
        loop = new BoardLoop(clock, host, client, statusPage, plate, app);
        app.begin(clock.nanoTime());
    }

    void step() {
        long now = clock.nanoTime();
        wire.deliver();
        a.chip.tick();
        b.chip.tick();
        if (measuring) {
            long before = mx.getCurrentThreadAllocatedBytes();
            loop.step(now);
            allocated += mx.getCurrentThreadAllocatedBytes() - before;
        } else {
            loop.step(now);
        }
        peerHost.poll(now);
        if (peerServer.poll(now) > 0) {
            peerHost.poll(now);
        }
        if (extraClient != null && extraClient.poll(now) > 0) {
            peerHost.poll(now);
        }
        String r0 = lcdChip.row(0).stripTrailing();
        if (rows.isEmpty() || !rows.get(rows.size() - 1).equals(r0)) {
            rows.add(r0);
        }
    }

    HttpClient extraClient;

    boolean runUntil(BooleanSupplier done, long maxNs) {
        long end = clock.nanoTime() + maxNs;
        while (clock.nanoTime() - end < 0) {
            step();
            if (done.getAsBoolean()) {
                return true;
            }
            long now = clock.nanoTime();
            long next = Math.min(Math.min(wire.nextDeliveryNs(), a.nextEventNs()), b.nextEventNs());
            next = Math.min(next, loop.nextDeadlineNs(now));
            next = Math.min(next, peerHost.pollAtNs(now));
            next = Math.min(next, peerServer.pollAtNs(now));
            if (extraClient != null) {
                next = Math.min(next, extraClient.pollAtNs(now));
            }
            if (next - now <= 0) {
                next = now + 1_000L;
            }
            clock.advanceTo(Math.min(next, end));
        }
        return done.getAsBoolean();
    }

    void press(int button) {
        lcdChip.press(button);
        runUntil(() -> false, 60_000_000L);          // past the 20 ms debounce and a sample
        lcdChip.release(button);
        runUntil(() -> false, 60_000_000L);
    }

    void bound() {
        assertTrue(runUntil(() -> host.dhcp().state() == DhcpState.BOUND, 30 * SEC), "seed " + SEED + ": no lease");
        assertEquals(LEASE_IP, host.net().address());
    }

    String grid() {
        return lcdChip.row(0) + "|" + lcdChip.row(1);
    }

    @Test
    void selectShowsThePhasesThenTheTitleAndTheText() {
        bound();
        assertEquals("> 203.0.113.1", lcdChip.row(0).stripTrailing(), grid());
        assertEquals("  lab.test", lcdChip.row(1).stripTrailing(), grid());

        // an address: no DNS; ARP (the lease exchange taught A the peer's MAC: let it age out,
        // RFC 1122 §2.3.2.1, 5 min here), the handshake, the request
        runUntil(() -> false, 6 * 60 * SEC);
        rows.clear();
        press(Buttons.SELECT);
        assertTrue(runUntil(() -> app.screen() == FetchApp.SCREEN_PAGE, 30 * SEC), "seed " + SEED + ": " + rows + " " + grid());
        assertInOrder(rows, "ARP...", "TCP...", "GET...", "Lab page & more");
        assertTrue(!rows.contains("DNS..."), "an address needs no DNS: " + rows);
        assertEquals("Lab page & more", lcdChip.row(0).stripTrailing());
        assertEquals("Hello from the l", lcdChip.row(1), grid());
        assertEquals("Hello from the lab! caf? <ok>", page.textString());

        // the text scrolls by itself after a pause, and RIGHT jumps
        runUntil(() -> false, FetchApp.SCROLL_PAUSE_NS + FetchApp.SCROLL_STEP_NS / 2);
        assertEquals("ello from the la", lcdChip.row(1), grid());
        press(Buttons.RIGHT);
        assertEquals("m the lab! caf? ", lcdChip.row(1), grid());       // 1 + 8; the auto-scroll stops
        press(Buttons.RIGHT);
        assertEquals("e lab! caf? <ok>", lcdChip.row(1), grid());    // clamped at the end (13)
        press(Buttons.LEFT);
         assertEquals(" from the lab! c", lcdChip.row(1), grid());

        // back to the list, the next bookmark: a name, so DNS first (ARP is cached by now)
        press(Buttons.UP);
        assertEquals(FetchApp.SCREEN_LIST, app.screen());
        press(Buttons.DOWN);
        assertEquals("> lab.test", lcdChip.row(0).stripTrailing(), grid());
        rows.clear();
        press(Buttons.SELECT);
        assertTrue(runUntil(() -> app.screen() == FetchApp.SCREEN_PAGE, 30 * SEC), "seed " + SEED + ": " + rows + " " + grid());
        assertInOrder(rows, "DNS...", "GET...", "Lab page & more");
        assertTrue(peer.dnsQueries >= 1, "the name went to the lab's DNS server");
    }

    @Test
    void aRefusedConnectionShowsThePhaseNamedLine() {
        bound();
        press(Buttons.UP);                           // wraps to the third bookmark (port 81: nobody listens)
        assertEquals("> 203.0.113.1:81", lcdChip.row(0).stripTrailing(), grid());
        press(Buttons.SELECT);
        assertTrue(runUntil(() -> app.screen() == FetchApp.SCREEN_FAILED, 30 * SEC), rows + " " + grid());
        assertEquals("TCP: refused", lcdChip.row(0).stripTrailing(), grid());
        assertEquals(1, app.counters().value("app.failures"));
        press(Buttons.DOWN);
        assertEquals(FetchApp.SCREEN_LIST, app.screen());
    }

    @Test
    void statusScreenShowsAddressLinkAndLease() {
        bound();
        press(Buttons.LEFT);
        assertEquals(FetchApp.SCREEN_STATUS, app.screen());
        assertEquals("203.0.113.50/24", lcdChip.row(0).stripTrailing(), grid());
        assertTrue(lcdChip.row(1).startsWith("up 59m 5"), grid());   // LabPeer leases 3600 s
        String before = lcdChip.row(1);
        runUntil(() -> false, 2 * SEC);
        assertTrue(!before.equals(lcdChip.row(1)), "the lease counts down: " + before + " / " + lcdChip.row(1));
        press(Buttons.DOWN);
        assertEquals("gw 203.0.113.1", lcdChip.row(0).stripTrailing(), grid());
        assertEquals("dns 203.0.113.1", lcdChip.row(1).stripTrailing(), grid());
        press(Buttons.SELECT);
        assertEquals(FetchApp.SCREEN_LIST, app.screen());
    }

    @Test
    void theStatusPageFetchedFromTheOtherBoard() {
        bound();
        StringBuilder body = new StringBuilder();
        int[] code = {0};
        BodySink sink = new BodySink() {
            @Override
            public void onStatus(int c) {
                code[0] = c;
            }

            @Override
            public void onBody(byte[] buf, int off, int len) {
                body.append(new String(buf, off, len, StandardCharsets.ISO_8859_1));
            }

            @Override
            public void onEnd(boolean complete) {
            }
        };
        HttpClient.Config cfg = new HttpClient.Config();
        cfg.keepAlive = false;
        extraClient = new HttpClient(new HostNetwork(peerHost), sink, cfg);
        extraClient.start(HttpUrl.of("http://203.0.113.50/"), clock.nanoTime());
        assertTrue(runUntil(() -> extraClient.state() >= HttpClient.STATE_DONE, 30 * SEC), "seed " + SEED + ": " + extraClient.failureText());
        assertEquals(HttpClient.STATE_DONE, extraClient.state(), extraClient.failureText());
        assertEquals(200, code[0]);
        String html = body.toString();
        assertTrue(html.contains("<title>board-a status</title>"), html);
        assertTrue(html.endsWith("</body></html>\n"), "the page fits its buffer: " + html.length() + " bytes");
        System.out.println("status page: " + html.length() + " bytes");
        assertTrue(html.contains("link     up"), html);
        assertTrue(html.contains("mac      02:45:00:00:00:0a"), html);
        assertTrue(html.contains("address  203.0.113.50/24"), html);
        assertTrue(html.contains("gateway  203.0.113.1"), html);
        assertTrue(html.matches("(?s).*lease    59m \\d+s.*"), html);
        assertTrue(html.contains("203.0.113.1  02:45:00:00:00:0b  gateway"), html);
        assertTrue(html.matches("(?s).*this page  :80 <- 203\\.0\\.113\\.1:\\d+ ESTABLISHED.*"), html);
        assertTrue(html.matches("(?s).*ip\\.rx\\.frames \\d+.*"), html);
        assertTrue(html.matches("(?s).*dhcp\\.\\S+ \\d+.*"), html);
        assertEquals(1, statusPage.counters().value("http.200"));
        byte[] small = new byte[300];
        int n = status.render(small, 0, small.length, clock.nanoTime());
        assertTrue(new String(small, 0, n, StandardCharsets.US_ASCII).endsWith("</pre>\n</body></html>\n"), "a cut page still ends");

        body.setLength(0);
        extraClient.start(HttpUrl.of("http://203.0.113.50/nope"), clock.nanoTime());
        assertTrue(runUntil(() -> extraClient.state() >= HttpClient.STATE_DONE, 30 * SEC));
        assertEquals("HTTP 404", extraClient.failureText());
        assertEquals(1, statusPage.counters().value("http.404"));
    }

    @Test
    void aWarmFetchThroughTheAppAllocatesNothing() {
        bound();
        for (int i = 0; i < 2; i++) {                // warm: the page, its scroll, the list
            press(Buttons.SELECT);
            assertTrue(runUntil(() -> app.screen() == FetchApp.SCREEN_PAGE, 30 * SEC), grid());
            runUntil(() -> false, 3 * SEC);
            press(Buttons.UP);
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 4 && best > 0; round++) {
            allocated = 0;
            measuring = true;
            press(Buttons.SELECT);
            assertTrue(runUntil(() -> app.screen() == FetchApp.SCREEN_PAGE, 30 * SEC), grid());
            runUntil(() -> false, 3 * SEC);
            press(Buttons.UP);
            measuring = false;
            best = Math.min(best, allocated);
            System.out.println("round " + round + ": " + allocated + " bytes allocated by the board's loop");
        }
        assertEquals(0, best, "seed " + SEED + ": the board's loop allocates per fetch");
    }

    @Test
    void servingTheStatusPageAllocatesNothingOnTheBoard() {
        bound();
        HttpClient.Config cfg = new HttpClient.Config();
        cfg.keepAlive = false;
        BodySink discard = new BodySink() {
            @Override
            public void onStatus(int c) {
            }

            @Override
            public void onBody(byte[] buf, int off, int len) {
            }

            @Override
            public void onEnd(boolean complete) {
            }
        };
        extraClient = new HttpClient(new HostNetwork(peerHost), discard, cfg);
        HttpUrl url = HttpUrl.of("http://203.0.113.50/");
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 8 && best > 0; round++) {
            measuring = round >= 3;                  // three warm-up pages first
            allocated = 0;
            extraClient.start(url, clock.nanoTime());
            assertTrue(runUntil(() -> extraClient.state() >= HttpClient.STATE_DONE, 30 * SEC), extraClient.failureText());
            assertEquals(HttpClient.STATE_DONE, extraClient.state(), extraClient.failureText());
            runUntil(() -> host.tcp().socketsInUse() == 0 && peerHost.tcp().socketsInUse() == 0, 10 * SEC);
            if (measuring) {
                best = Math.min(best, allocated);
                System.out.println("status page round " + round + ": " + allocated + " bytes allocated by the board's loop");
            }
            measuring = false;
        }
        assertEquals(0, best, "seed " + SEED + ": serving the status page allocates on the board");
        assertTrue(statusPage.counters().value("http.200") >= 4);
    }

    /** Sends {@code request} from B on a new connection to A's port 80; the whole answer until A closes. */
    String raw(byte[] request, boolean closeAfterSending) {
        io.ethling.stack.tcp.Tcp t = peerHost.tcp();
        int h = t.connect(LEASE_IP, 80, clock.nanoTime());
        assertTrue(h >= 0, "connect " + h);
        assertTrue(runUntil(() -> t.state(h) == io.ethling.stack.tcp.TcpState.ESTABLISHED, 10 * SEC));
        int[] sent = {0};
        StringBuilder answer = new StringBuilder();
        byte[] buf = new byte[2048];
        boolean[] eof = {false};
        runUntil(() -> {
            long now = clock.nanoTime();
            if (sent[0] < request.length) {
                int n = t.send(h, request, sent[0], request.length - sent[0], now);
                if (n > 0) {
                    sent[0] += n;
                    if (sent[0] == request.length && closeAfterSending) {
                        t.close(h, now);
                    }
                }
            }
            int n;
            while ((n = t.receive(h, buf, 0, buf.length, now)) > 0) {
                answer.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            eof[0] = n == io.ethling.stack.tcp.Tcp.END_OF_STREAM || n == io.ethling.stack.tcp.Tcp.ERR_CONNECTION
                    || t.state(h) == io.ethling.stack.tcp.TcpState.CLOSED;
            return eof[0];
        }, 30 * SEC);
        t.abort(h, clock.nanoTime());
        return answer.toString();
    }

    @Test
    void theStatusPageAnswersBadRequestsWithAStatusAndStaysUp() {
        bound();
        assertTrue(raw("POST / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false).startsWith("HTTP/1.0 501 "));
        assertTrue(raw("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false).startsWith("HTTP/1.0 400 "));
        byte[] big = new byte[3000];
        java.util.Arrays.fill(big, (byte) 'a');
        assertTrue(raw(big, false).startsWith("HTTP/1.0 400 "), "an endless head is cut at the bound");
        String head = raw("HEAD / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false);
        assertTrue(head.startsWith("HTTP/1.0 200 OK\r\n") && head.endsWith("\r\n\r\n"), head);
        assertTrue(head.matches("(?s).*Content-Length: \\d+\r\n.*"), head);
        String simple = raw("GET /?x=1 HTTP/1.0\n\n".getBytes(StandardCharsets.US_ASCII), false);
        assertTrue(simple.startsWith("HTTP/1.0 200 OK") && simple.contains("</html>"), simple);
        String early = raw("GET / HTTP/1.0\r\n".getBytes(StandardCharsets.US_ASCII), true);
        assertTrue(early.startsWith("HTTP/1.0 200 OK"), "the client closed after the request line: " + early);
        // a client that says nothing is reset after the request timeout, and the next one is served
        io.ethling.stack.tcp.Tcp t = peerHost.tcp();
        int h = t.connect(LEASE_IP, 80, clock.nanoTime());
        runUntil(() -> t.state(h) == io.ethling.stack.tcp.TcpState.CLOSED, 30 * SEC);
        assertEquals(io.ethling.stack.tcp.Tcp.ERROR_RESET, t.error(h));
        assertEquals(1, statusPage.counters().value("http.timeouts"));
        t.abort(h, clock.nanoTime());
        assertTrue(raw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false).startsWith("HTTP/1.0 200 OK"));
        assertEquals(1, statusPage.counters().value("http.501"));
        assertEquals(2, statusPage.counters().value("http.400"));
    }

    static void assertInOrder(List<String> seen, String... expected) {
        int at = 0;
        for (String e : expected) {
            int i = seen.subList(at, seen.size()).indexOf(e);
            assertTrue(i >= 0, "expected '" + e + "' after position " + at + " in " + seen);
            at += i + 1;
        }
    }
}
