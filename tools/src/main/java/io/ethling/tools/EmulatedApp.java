package io.ethling.tools;

import io.ethling.firmware.BoardLoop;
import io.ethling.firmware.FetchApp;
import io.ethling.firmware.HostStatus;
import io.ethling.firmware.HtmlText;
import io.ethling.firmware.StatusPage;
import io.ethling.hal.Clock;
import io.ethling.hal.Counters;
import io.ethling.hal.emulator.lcd.Mcp23017LcdEmulator;
import io.ethling.hal.lcd.Hd44780;
import io.ethling.hal.lcd.Mcp23017Plate;
import io.ethling.stack.HostNetwork;
import io.ethling.stack.http.HttpClient;
import io.ethling.stack.http.HttpUrl;
import io.ethling.stack.journey.FetchTracer;
import io.ethling.stack.journey.JourneyRecorder;
import io.ethling.stack.tcp.Tcp;
import io.ethling.tools.journey.JourneySvg;
import io.ethling.tools.net.Session;
import io.ethling.tools.net.UserNet;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * The firmware on the desktop's emulated board: the {@link Session}'s host, the MCP23017 LCD
 * plate emulator behind the real HD44780 and plate drivers, the {@link FetchApp}, the board's
 * {@link StatusPage} on port 80 and the {@link BoardLoop}, run as the Session's work. On the
 * user-mode network the gateway (10.0.2.2) also serves a built-in demo page on port 80 (its own
 * Ethling TCP), so a fetch has a page to show without a TAP device.
 *
 * <p>Other threads (the terminal's key reader, the web board) only press buttons
 * ({@link #press}) and read the snapshots ({@link #rows()}, {@link #journeySvg()}), which the
 * loop thread publishes.
 */
final class EmulatedApp implements Session.Work, FetchApp.FetchObserver {

    /** The demo page's port on the gateway: its own listener there wins over the relay's wildcard. */
    static final int DEMO_PORT = 7654;
    static final String DEMO_URL = "http://10.0.2.2:" + DEMO_PORT + "/";
    static final String DEMO_TITLE = "Ethling demo";
    static final String DEMO_PAGE = "<!DOCTYPE html>\n<html><head><title>" + DEMO_TITLE + "</title></head>\n"
            + "<body><h1>Hello from the gateway</h1>\n<p>This page came over the emulated wire: DHCP, ARP, "
            + "the TCP handshake and an HTTP/1.0 exchange, all through the ENC28J60 emulator &amp; the real driver.</p>"
            + "</body></html>\n";

    final Session session;
    final Mcp23017LcdEmulator lcdChip = new Mcp23017LcdEmulator(0x20, 16, 2, null, false);
    final Mcp23017Plate plate = new Mcp23017Plate(lcdChip);
    final Hd44780 lcd = new Hd44780(plate, Clock.SYSTEM, 16, 2);
    final HtmlText page = new HtmlText(64, 1024);
    final HttpClient client;
    final HostStatus status;
    final StatusPage statusPage;
    final FetchApp app;
    final BoardLoop loop;
    final JourneyRecorder recorder = new JourneyRecorder(4096);
    final FetchTracer tracer;
    private final Tcp gatewayTcp;
    private final StatusPage demoServer;
    private final Thread loopThread = Thread.currentThread();
    private volatile String[] rows = {"", ""};
    private volatile String journeySvg = "";
    private volatile int fetchesDone;
    private int lastWrites = -1;
    private boolean journeyOpen;

    EmulatedApp(Session session, String[] bookmarks) {
        this.session = session;
        if (lcd.init() != 0) {
            throw new IllegalStateException("the emulated LCD did not initialise");
        }
        client = new HttpClient(new HostNetwork(session.host), page, new HttpClient.Config());
        status = new HostStatus("ethling (emulated)", session.host, session.device, new String[] {"http."},
                new Counters[] {client.counters()});
        statusPage = new StatusPage(session.host.tcp(), 80, status);
        status.server(statusPage);
        statusPage.start();
        app = new FetchApp(lcd, client, page, status, bookmarks);
        recorder.attach(session.host.net(), session.host.dns(), null);
        tracer = new FetchTracer(recorder.journey(), session.host.net(), session.host.tcp());
        session.host.tcp().trace(tracer);
        tracer.client(client);
        app.forward(tracer);
        app.observer(this);
        client.listener(app);
        loop = new BoardLoop(Clock.SYSTEM, session.host, client, statusPage, plate, app);
        if (session.userNet != null) {
            UserNet un = session.userNet;
            // The gateway's own TCP (it relays everything else to the host): a listener on the demo
            // port beside the relay's wildcard; UserNet polls that TCP.
            gatewayTcp = un.tcp();
            byte[] demo = DEMO_PAGE.getBytes(StandardCharsets.US_ASCII);
            demoServer = new StatusPage(gatewayTcp, DEMO_PORT, (dst, off, end, now) -> {
                int n = Math.min(demo.length, end - off);
                System.arraycopy(demo, 0, dst, off, n);
                return off + n;
            });
            demoServer.start();
        } else {
            gatewayTcp = null;
            demoServer = null;
        }
        app.begin(session.nowNs());
        publish();
    }

    @Override
    public int poll(long nowNs) {
        int work = loop.step(nowNs);
        if (demoServer != null) {
            work += demoServer.poll(nowNs);
        }
        publish();
        if (journeyOpen && client.state() != HttpClient.STATE_BUSY && client.state() != HttpClient.STATE_IDLE) {
            journeyOpen = false;
            journeySvg = JourneySvg.render(recorder.journey());
            fetchesDone++;
        }
        return work;
    }

    @Override
    public long pollAtNs(long nowNs) {
        long at = loop.nextDeadlineNs(nowNs);
        if (demoServer != null) {
            at = Math.min(at, demoServer.pollAtNs(nowNs));
        }
        return at;
    }

    @Override
    public void onFetchStart(int bookmark, HttpUrl url, long nowNs) {
        byte[] u = url.toString().getBytes(StandardCharsets.US_ASCII);
        recorder.begin(u, 0, u.length, nowNs);
        journeyOpen = true;
    }

    private void publish() {
        int w = lcdChip.lcd().dataWrites() + lcdChip.lcd().instructions();
        if (w != lastWrites) {
            lastWrites = w;
            rows = new String[] {lcdChip.row(0), lcdChip.row(1)};
        }
    }

    /** Presses and, after {@code holdMs}, releases a button (call from any thread but the loop's). */
    void press(int button, long holdMs) {
        lcdChip.press(button);
        LockSupport.unpark(loopThread);
        try {
            Thread.sleep(holdMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lcdChip.release(button);
        LockSupport.unpark(loopThread);
    }

    /** The LCD's two rows as last drawn. */
    String[] rows() {
        return rows;
    }

    /** The last finished fetch's journey as the SVG ladder ("" before the first). */
    String journeySvg() {
        return journeySvg;
    }

    int fetchesDone() {
        return fetchesDone;
    }

    void close() {
        session.host.tcp().trace(null);
    }
}
