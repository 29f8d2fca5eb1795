package io.ethling.firmware;

import io.ethling.hal.Clock;
import io.ethling.hal.Counters;
import io.ethling.hal.DigitalInput;
import io.ethling.hal.DigitalOutput;
import io.ethling.hal.EthernetDevice;
import io.ethling.hal.I2cDevice;
import io.ethling.hal.SpiDevice;
import io.ethling.hal.enc28j60.Enc28j60;
import io.ethling.hal.enc28j60.Enc28j60Config;
import io.ethling.stack.Host;
import io.ethling.stack.HostNetwork;
import io.ethling.stack.http.HttpClient;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.util.Prng;

/**
 * The whole firmware on devices the caller opened (Pi4J on the board, emulators in tests): the
 * ENC28J60 driver, the {@link Host}, the display and buttons the {@link BoardFile} names, the
 * {@link FetchApp}, the {@link StatusPage} and the {@link BoardLoop}, wired as on the board, with
 * the loop's wake-up on the INT pin (falling edge, ENC28J60 data sheet §12: INT is active low)
 * and the button GPIOs. {@link Main} adds only the opening of the real devices.
 */
public final class Firmware {

    public final BoardFile board;
    public final AppConfig config;
    public final Enc28j60 driver;
    public final Host host;
    public final BoardDisplay display;
    public final HtmlText page = new HtmlText(64, 1024);
    public final HttpClient client;
    public final HostStatus status;
    public final StatusPage statusPage;
    public final FetchApp app;
    public final BoardLoop loop;
    private final Clock clock;

    /**
     * @param intPin the ENC28J60's INT line, or null (the loop then polls the chip at its deadlines)
     * @param resetPin the RESET line, or null
     * @param i2c the display's device, null for lcd.type = none
     * @param buttonInputs GPIO buttons as {@link BoardDisplay#build} takes them, or null
     * @param mac the MAC to use (the board file's, else the one from the Pi's serial)
     * @param seed the stack's PRNG seed (SecureRandom on the board; fixed in tests)
     */
    public Firmware(BoardFile board, AppConfig config, SpiDevice spi, DigitalInput intPin, DigitalOutput resetPin,
            I2cDevice i2c, DigitalInput[] buttonInputs, Clock clock, long mac, long seed) {
        this.board = board;
        this.config = config;
        this.clock = clock;
        this.driver = new Enc28j60(spi, intPin, resetPin, clock, new Enc28j60Config().macAddress(mac));
        this.host = new Host(new StackConfig().macAddress(mac), new Host.Options().hostname(config.hostname()), driver, new Prng(seed));
        this.display = BoardDisplay.build(board, i2c, buttonInputs, clock);
        this.client = new HttpClient(new HostNetwork(host), page, new HttpClient.Config());
        this.status = new HostStatus(board.name(), host, driver, new String[] {"http."}, new Counters[] {client.counters()});
        this.statusPage = config.statusPort() == 0 ? null : new StatusPage(host.tcp(), config.statusPort(), status);
        if (statusPage != null) {
            status.server(statusPage);
        }
        this.app = display.display() == null ? null : new FetchApp(display.display(), client, page, status, config.bookmarks());
        if (app != null) {
            client.listener(app);
        }
        this.loop = new BoardLoop(clock, host, client, statusPage, display.buttons(), app);
        if (intPin != null) {
            intPin.onEdge(DigitalInput.Edge.FALLING, loop.wakeup());
        }
        display.wakeOnButtonEdges(loop.wakeup());
    }

    /**
     * Brings the chip and the display up, starts DHCP and the status page, draws the first screen.
     *
     * @throws IllegalStateException with one line when the chip does not answer or the port is taken
     */
    public void start() {
        int rc = driver.init();
        if (rc != EthernetDevice.OK) {
            BoardLoop.message(display.display(), "ENC28J60 failed", "init status " + rc);
            throw new IllegalStateException("enc28j60: init failed (status " + rc + "): check the SPI wiring and that the kernel's enc28j60 overlay is not loaded");
        }
        if (display.init() != 0) {
            throw new IllegalStateException("lcd: the display at I2C address 0x" + Integer.toHexString(board.lcdI2cAddress())
                    + " did not answer (check the wiring and lcd.i2c.address)");
        }
        long now = clock.nanoTime();
        host.start(now);
        if (statusPage != null && statusPage.start() != 0) {
            throw new IllegalStateException("status page: cannot listen on TCP port " + config.statusPort());
        }
        if (app != null) {
            app.begin(now);
        }
    }
}
