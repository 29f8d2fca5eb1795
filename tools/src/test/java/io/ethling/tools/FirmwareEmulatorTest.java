package io.ethling.tools;

import io.ethling.firmware.AppConfig;
import io.ethling.firmware.BoardFile;
import io.ethling.firmware.FetchApp;
import io.ethling.firmware.Firmware;
import io.ethling.firmware.StatusPage;
import io.ethling.hal.Buttons;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.Enc28j60Emulator;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.emulator.VirtualWire;
import io.ethling.hal.emulator.WireFaults;
import io.ethling.hal.emulator.lcd.Mcp23017LcdEmulator;
import io.ethling.stack.iface.NetStack;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.tcp.NetStackTransport;
import io.ethling.stack.tcp.Tcp;
import io.ethling.stack.tcp.TcpConfig;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Firmware} — what {@code Main} runs on the Pi — wired from boards/emulated/board.properties
 * and an app configuration onto the emulated chip (SPI, INT, RESET) and the emulated LCD plate
 * (I2C), against a lab peer (DHCP, DNS, a web page) on a virtual wire and clock.
 */
class FirmwareEmulatorTest {

    static final int PEER_IP = Ipv4Packet.parse("203.0.113.1");
    static final long SEC = 1_000_000_000L;

    @Test
    void theBoardFileWiredFirmwareFetchesOnSelect() {
        VirtualClock clock = new VirtualClock();
        VirtualWire wire = new VirtualWire(clock, WireFaults.none().delayNanos(100_000L), 31);
        Enc28j60Emulator chip = new Enc28j60Emulator(clock, new EmulatorConfig().seed(32));
        EmulatedBoard peerBoard = new EmulatedBoard("peer", clock, 0x02_45_00_00_00_0BL, 33, true);
        chip.connect(wire.portA());
        wire.attachA(chip.wireInput());
        peerBoard.chip.connect(wire.portB());
        wire.attachB(peerBoard.chip.wireInput());
        peerBoard.init();
        NetStack peerNet = new NetStack(new StackConfig().macAddress(0x02_45_00_00_00_0BL).address(PEER_IP, 24), peerBoard.driver, new Prng(34));
        peerNet.setAddress(PEER_IP, 24, 0, 0);
        LabPeer lab = new LabPeer(peerNet, PEER_IP, Ipv4Packet.parse("203.0.113.50"));
        Tcp peerTcp = new Tcp(new TcpConfig(), new NetStackTransport(peerNet), new Prng(35));
        peerNet.tcpHandler(peerTcp);
        byte[] html = "<html><head><title>Firmware OK</title></head><body>wired from the board file</body></html>"
                .getBytes(StandardCharsets.US_ASCII);
        StatusPage web = new StatusPage(peerTcp, 8080, (d, off, end, now) -> {
            System.arraycopy(html, 0, d, off, html.length);
            return off + html.length;
        });
        web.start();

        BoardFile board = BoardFile.load(Path.of("..", "boards", "emulated", "board.properties"));
        AppConfig config = AppConfig.parse("test.conf", "bookmark.1 = http://lab.test:8080/\nstatus.port = 80\n");
        Mcp23017LcdEmulator lcd = new Mcp23017LcdEmulator(clock);
        Firmware fw = new Firmware(board, config, chip, chip.interruptPin(), chip.resetPin(), lcd, null, clock,
                0x02_45_00_00_00_0AL, 36);
        fw.start();
        assertEquals("> lab.test:8080", lcd.row(0).stripTrailing());

        BooleanSupplier[] until = new BooleanSupplier[1];
        Runnable step = () -> {
            long now = clock.nanoTime();
            wire.deliver();
            chip.tick();
            peerBoard.chip.tick();
            fw.loop.step(now);
            peerNet.poll(now);
            if (peerTcp.poll(now) + web.poll(now) > 0) {
                peerNet.poll(now);
            }
        };
        java.util.function.BiFunction<BooleanSupplier, Long, Boolean> run = (done, max) -> {
            long end = clock.nanoTime() + max;
            while (clock.nanoTime() - end < 0) {
                step.run();
                if (done.getAsBoolean()) {
                    return true;
                }
                long now = clock.nanoTime();
                long next = Math.min(Math.min(wire.nextDeliveryNs(), chip.nextEventNs()), peerBoard.nextEventNs());
                next = Math.min(Math.min(next, fw.loop.nextDeadlineNs(now)), Math.min(peerNet.pollAtNs(now), peerTcp.pollAtNs(now)));
                next = Math.min(next, web.pollAtNs(now));
                clock.advanceTo(Math.min(next - now <= 0 ? now + 1_000L : next, end));
            }
            return done.getAsBoolean();
        };
        assertTrue(run.apply(() -> fw.host.net().address() != 0, 30 * SEC), "no lease");
        lcd.press(Buttons.SELECT);
        run.apply(() -> false, 60_000_000L);
        lcd.release(Buttons.SELECT);
        assertTrue(run.apply(() -> fw.app.screen() == FetchApp.SCREEN_PAGE, 30 * SEC), lcd.row(0) + "|" + lcd.row(1));
        assertEquals("Firmware OK", lcd.row(0).stripTrailing());
        assertEquals("wired from the b", lcd.row(1));
        assertTrue(lab.dnsQueries >= 1);
    }
}
