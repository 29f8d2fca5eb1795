package io.ethling.firmware;

import io.ethling.hal.Buttons;
import io.ethling.hal.CharacterDisplay;
import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.stack.http.HttpClient;
import io.ethling.stack.http.HttpUrl;

import java.nio.charset.StandardCharsets;

/**
 * The board's app (issue 6 part 2): a list of bookmarks on the LCD; UP/DOWN choose, SELECT
 * fetches with the {@link HttpClient}; each phase shows as it begins ("DNS...", "ARP...",
 * "TCP...", "GET..."); then the page's title on line 1 and its text ({@link HtmlText}) on line 2,
 * scrolling by itself and with LEFT/RIGHT; a failure shows as the client's phase-named line
 * ("TCP: refused"). LEFT on the list opens the status screen (address, link, lease left,
 * counters; UP/DOWN page through it), RIGHT or SELECT goes back.
 *
 * <p>Screens and buttons:
 * <table>
 *   <caption>What each button does</caption>
 *   <tr><th>screen</th><th>UP/DOWN</th><th>LEFT/RIGHT</th><th>SELECT</th></tr>
 *   <tr><td>list</td><td>choose</td><td>status / the last page</td><td>fetch</td></tr>
 *   <tr><td>fetching</td><td>-</td><td>-</td><td>cancel</td></tr>
 *   <tr><td>page</td><td>back to the list</td><td>scroll the text</td><td>back to the list</td></tr>
 *   <tr><td>failure</td><td>back to the list</td><td>back to the list</td><td>try again</td></tr>
 *   <tr><td>status</td><td>page through</td><td>back to the list</td><td>back to the list</td></tr>
 * </table>
 *
 * <p>Runs on the loop's thread: the {@link Buttons} listener and the {@link HttpClient.Listener}
 * callbacks draw at once; {@link #poll} runs the scroll and refresh timers. Allocation-free after
 * construction (rows are composed in a fixed buffer; CharacterDisplay calls do not allocate).
 */
public final class FetchApp implements Buttons.Listener, HttpClient.Listener {

    public static final int SCREEN_LIST = 0;
    public static final int SCREEN_FETCHING = 1;
    public static final int SCREEN_PAGE = 2;
    public static final int SCREEN_FAILED = 3;
    public static final int SCREEN_STATUS = 4;

    public static final int C_FETCHES = 0;
    public static final int C_PAGES = 1;
    public static final int C_FAILURES = 2;
    public static final int C_CANCELLED = 3;
    public static final int C_BUTTONS = 4;
    public static final int C_DISPLAY_ERRORS = 5;

    /** How long the text rests at its start before it scrolls, and the step of the scroll. */
    public static final long SCROLL_PAUSE_NS = 1_500_000_000L;
    public static final long SCROLL_STEP_NS = 400_000_000L;
    /** Refresh of the status screen (the lease counts down). */
    public static final long STATUS_REFRESH_NS = 1_000_000_000L;
    /** LEFT/RIGHT move the text by this many characters. */
    public static final int SCROLL_JUMP = 8;
    private static final int STATUS_PAGES = 4;

    private final CharacterDisplay lcd;
    private final HttpClient client;
    private final HtmlText page;
    private final HostStatus status;
    private final HttpUrl[] urls;
    private final byte[][] labels;
    private final CounterSet counters = new CounterSet("app.fetches", "app.pages", "app.failures", "app.cancelled",
            "app.buttons", "app.display.errors");
    private final byte[] line = new byte[80];
    private final int columns;
    private HttpClient.Listener forward;
    private FetchObserver observer;

    /** Told when the app starts a fetch, before the client's first step (a journey recorder's begin). */
    public interface FetchObserver {
        void onFetchStart(int bookmark, HttpUrl url, long nowNs);
    }

    private int screen = SCREEN_LIST;
    private int selected;
    private int fetching = -1;
    private int scroll;
    private boolean autoScroll;
    private long timerNs;
    private boolean timerArmed;
    private int statusPage;
    private boolean havePage;

    /**
     * @param bookmarks the URLs to offer (http://host[:port]/path); at least one
     * @throws IllegalArgumentException naming a bookmark that is not a valid URL
     */
    public FetchApp(CharacterDisplay lcd, HttpClient client, HtmlText page, HostStatus status, String[] bookmarks) {
        if (bookmarks.length == 0) {
            throw new IllegalArgumentException("no bookmarks: the app needs at least one URL");
        }
        this.lcd = lcd;
        this.client = client;
        this.page = page;
        this.status = status;
        this.columns = lcd.columns();
        urls = new HttpUrl[bookmarks.length];
        labels = new byte[bookmarks.length][];
        for (int i = 0; i < bookmarks.length; i++) {
            try {
                urls[i] = HttpUrl.of(bookmarks[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bookmark " + (i + 1) + " '" + bookmarks[i] + "': " + e.getMessage());
            }
            String label = bookmarks[i].startsWith("http://") ? bookmarks[i].substring(7) : bookmarks[i];
            if (label.endsWith("/")) {
                label = label.substring(0, label.length() - 1);
            }
            labels[i] = label.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Another listener of the client's steps (the journey's FetchTracer), called after the app's. */
    public void forward(HttpClient.Listener l) {
        this.forward = l;
    }

    /** Sets the one {@link FetchObserver}; null removes it. */
    public void observer(FetchObserver o) {
        this.observer = o;
    }

    /** The URL of bookmark {@code i}. */
    public HttpUrl bookmark(int i) {
        return urls[i];
    }

    /** Draws the first screen. */
    public void begin(long nowNs) {
        showList();
    }

    public Counters counters() {
        return counters;
    }

    public int screen() {
        return screen;
    }

    public int selected() {
        return selected;
    }

    public int bookmarks() {
        return urls.length;
    }

    public HtmlText page() {
        return page;
    }

    // ---- buttons ---------------------------------------------------------------------------

    @Override
    public void onButton(int button, boolean pressed, long nowNs) {
        if (!pressed) {
            return;
        }
        counters.inc(C_BUTTONS);
        switch (screen) {
            case SCREEN_LIST -> {
                if (button == Buttons.UP) {
                    selected = (selected + urls.length - 1) % urls.length;
                    showList();
                } else if (button == Buttons.DOWN) {
                    selected = (selected + 1) % urls.length;
                    showList();
                } else if (button == Buttons.SELECT) {
                    fetch(selected, nowNs);
                } else if (button == Buttons.LEFT) {
                    statusPage = 0;
                    showStatus(nowNs);
                } else if (button == Buttons.RIGHT && havePage) {
                    showPage(nowNs);
                }
            }
            case SCREEN_FETCHING -> {
                if (button == Buttons.SELECT) {
                    client.cancel(nowNs);
                    counters.inc(C_CANCELLED);
                    fetching = -1;
                    showList();
                }
            }
            case SCREEN_PAGE -> {
                if (button == Buttons.LEFT) {
                    scroll = Math.max(0, scroll - SCROLL_JUMP);
                    autoScroll = false;
                    drawText();
                } else if (button == Buttons.RIGHT) {
                    scroll = Math.min(Math.max(0, page.textLength() - columns), scroll + SCROLL_JUMP);
                    autoScroll = false;
                    drawText();
                } else {
                    showList();
                }
            }
            case SCREEN_FAILED -> {
                if (button == Buttons.SELECT) {
                    fetch(selected, nowNs);
                } else {
                    showList();
                }
            }
            default -> {                                   // SCREEN_STATUS
                if (button == Buttons.UP) {
                    statusPage = (statusPage + STATUS_PAGES - 1) % STATUS_PAGES;
                    showStatus(nowNs);
                } else if (button == Buttons.DOWN) {
                    statusPage = (statusPage + 1) % STATUS_PAGES;
                    showStatus(nowNs);
                } else {
                    showList();
                }
            }
        }
    }

    /** Starts fetching bookmark {@code index} (also for a test or the web board's click). */
    public void fetch(int index, long nowNs) {
        if (client.state() == HttpClient.STATE_BUSY) {
            return;
        }
        selected = index;
        if (!status.hasAddress()) {                  // DHCP has not finished (RFC 2131 §4.4): say so, not "TCP: no socket"
            counters.inc(C_FAILURES);
            screen = SCREEN_FAILED;
            timerArmed = false;
            row(0, "No address yet");
            int p = status.lease(line, 0, line.length, nowNs);
            rowBytes(1, line, 0, p);
            return;
        }
        page.reset();
        page.plain(false);
        counters.inc(C_FETCHES);
        fetching = index;
        screen = SCREEN_FETCHING;
        timerArmed = false;
        row(0, "Fetching...");                       // the phases overwrite it as they begin, from start() on
        rowBytes(1, labels[index], 0, labels[index].length);
        if (observer != null) {
            observer.onFetchStart(index, urls[index], nowNs);
        }
        if (client.start(urls[index], nowNs) != HttpClient.OK) {
            showFailure();
        }
    }

    // ---- the client's steps ----------------------------------------------------------------

    @Override
    public void onPhase(int phase, long nowNs) {
        if (screen == SCREEN_FETCHING) {
            switch (phase) {
                case HttpClient.PHASE_DNS -> row(0, "DNS...");
                case HttpClient.PHASE_ARP -> row(0, "ARP...");
                case HttpClient.PHASE_CONNECT -> row(0, "TCP...");
                case HttpClient.PHASE_FIRST_BYTE -> row(0, "GET...");
                case HttpClient.PHASE_BODY -> row(0, "Reading...");
                default -> {
                }
            }
        }
        if (forward != null) {
            forward.onPhase(phase, nowNs);
        }
    }

    @Override
    public void onResolved(int ip, long nowNs) {
        if (forward != null) {
            forward.onResolved(ip, nowNs);
        }
    }

    @Override
    public void onConnection(int socket, int ip, int port, boolean reused, long nowNs) {
        if (forward != null) {
            forward.onConnection(socket, ip, port, reused, nowNs);
        }
    }

    @Override
    public void onRequest(byte[] b, int off, int len, long nowNs) {
        if (forward != null) {
            forward.onRequest(b, off, len, nowNs);
        }
    }

    @Override
    public void onResponse(int code, long nowNs) {
        // RFC 9110 §8.3: text/plain is shown as it is; anything else goes through the HTML reader
        page.plain(startsWithIgnoreCase(client.contentTypeBytes(), client.contentTypeLength(), "text/plain"));
        if (forward != null) {
            forward.onResponse(code, nowNs);
        }
    }

    @Override
    public void onRedirect(HttpUrl to, long nowNs) {
        if (forward != null) {
            forward.onRedirect(to, nowNs);
        }
    }

    @Override
    public void onEnd(int failure, int code, long bodyBytes, long nowNs) {
        if (forward != null) {
            forward.onEnd(failure, code, bodyBytes, nowNs);
        }
        if (screen != SCREEN_FETCHING || fetching < 0) {
            return;
        }
        fetching = -1;
        if (client.state() == HttpClient.STATE_DONE) {
            counters.inc(C_PAGES);
            havePage = true;
            showPage(nowNs);
        } else {
            showFailure();
        }
    }

    // ---- timers ----------------------------------------------------------------------------

    public int poll(long nowNs) {
        if (!timerArmed || timerNs - nowNs > 0) {
            return 0;
        }
        timerArmed = false;
        if (screen == SCREEN_PAGE && autoScroll) {
            if (scroll + columns < page.textLength()) {
                scroll++;
                drawText();
                arm(nowNs + SCROLL_STEP_NS);
            }
            return 1;
        }
        if (screen == SCREEN_STATUS) {
            showStatus(nowNs);
            return 1;
        }
        return 0;
    }

    public long pollAtNs(long nowNs) {
        return timerArmed ? timerNs : Long.MAX_VALUE;
    }

    private void arm(long atNs) {
        timerNs = atNs;
        timerArmed = true;
    }

    // ---- screens ---------------------------------------------------------------------------

    private void showList() {
        screen = SCREEN_LIST;
        timerArmed = false;
        int p = 0;
        p = Ascii.text(line, p, line.length, "> ");
        p = Ascii.bytes(line, p, line.length, labels[selected], 0, labels[selected].length);
        rowBytes(0, line, 0, p);
        if (urls.length > 1) {
            int next = (selected + 1) % urls.length;
            p = Ascii.text(line, 0, line.length, "  ");
            p = Ascii.bytes(line, p, line.length, labels[next], 0, labels[next].length);
            rowBytes(1, line, 0, p);
        } else {
            row(1, "SELECT: fetch");
        }
    }

    private void showPage(long nowNs) {
        screen = SCREEN_PAGE;
        if (page.titleLength() > 0) {
            rowBytes(0, page.title(), 0, page.titleLength());
        } else {
            rowBytes(0, labels[selected], 0, labels[selected].length);
        }
        scroll = 0;
        autoScroll = page.textLength() > columns;
        drawText();
        if (autoScroll) {
            arm(nowNs + SCROLL_PAUSE_NS);
        } else {
            timerArmed = false;
        }
    }

    private void drawText() {
        int len = Math.max(0, Math.min(columns, page.textLength() - scroll));
        rowBytes(1, page.text(), scroll, len);
    }

    private void showFailure() {
        counters.inc(C_FAILURES);
        fetching = -1;
        screen = SCREEN_FAILED;
        timerArmed = false;
        int n = client.failureLine(line, 0);
        if (n == 0) {
            n = Ascii.text(line, 0, line.length, "fetch failed");
        }
        rowBytes(0, line, 0, n);
        rowBytes(1, labels[selected], 0, labels[selected].length);
    }

    private void showStatus(long nowNs) {
        screen = SCREEN_STATUS;
        int end = line.length;
        int p;
        switch (statusPage) {
            case 0 -> {
                p = status.address(line, 0, end);
                rowBytes(0, line, 0, p);
                p = Ascii.text(line, 0, end, status.linkUp() ? "up " : "down ");
                p = status.lease(line, p, end, nowNs);
                rowBytes(1, line, 0, p);
            }
            case 1 -> {
                p = Ascii.text(line, 0, end, "gw ");
                p = status.gateway(line, p, end);
                rowBytes(0, line, 0, p);
                p = Ascii.text(line, 0, end, "dns ");
                p = status.dnsServer(line, p, end);
                rowBytes(1, line, 0, p);
            }
            case 2 -> {
                p = Ascii.text(line, 0, end, "rx ");
                p = Ascii.number(line, p, end, status.counter("ip.", "rx.frames"));
                p = Ascii.text(line, p, end, " tx ");
                p = Ascii.number(line, p, end, status.counter("ip.", "tx.frames"));
                rowBytes(0, line, 0, p);
                p = Ascii.text(line, 0, end, "ok ");
                p = Ascii.number(line, p, end, counters.value(C_PAGES));
                p = Ascii.text(line, p, end, " fail ");
                p = Ascii.number(line, p, end, counters.value(C_FAILURES));
                rowBytes(1, line, 0, p);
            }
            default -> {
                p = Ascii.text(line, 0, end, "tcp ");
                p = Ascii.number(line, p, end, status.socketsInUse());
                p = Ascii.text(line, p, end, " arp ");
                p = Ascii.number(line, p, end, status.arpEntries());
                rowBytes(0, line, 0, p);
                p = Ascii.mac(line, 0, end, status.mac());
                rowBytes(1, line, 0, p);
            }
        }
        arm(nowNs + STATUS_REFRESH_NS);
    }

    private void row(int r, String text) {
        if (lcd.printRow(r, text) != CharacterDisplay.OK) {
            counters.inc(C_DISPLAY_ERRORS);
        }
    }

    private void rowBytes(int r, byte[] b, int off, int len) {
        if (lcd.printRow(r, b, off, len) != CharacterDisplay.OK) {
            counters.inc(C_DISPLAY_ERRORS);
        }
    }

    private static boolean startsWithIgnoreCase(byte[] b, int len, String s) {
        if (len < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            int c = b[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
