package io.ethling.tools;

import io.ethling.firmware.FetchApp;
import io.ethling.hal.Buttons;
import io.ethling.tools.net.NetworkOptions;
import io.ethling.tools.net.Session;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The board's app in the lab: the firmware on the emulated board (driver, emulated chip, the LCD
 * plate emulator), its wire on a TAP into the lab namespace; a press on SELECT fetches a page from
 * nginx by name (dnsmasq answers), and the LCD grid shows each phase, then the page's title.
 */
class AppLabTest {

    @Test
    void selectShowsThePhasesThenTheTitleOfThePageNginxServes() throws Exception {
        Lab.assumeAvailable();
        try (Lab lab = new Lab("2m")) {
            NetworkOptions.Resolved o = new NetworkOptions.Resolved();
            o.mac = 0x02_45_54_48_00_07L;
            try (Session s = new Session(o, new WireOptions(), lab.tap)) {
                EmulatedApp board = new EmulatedApp(s, new String[] {"http://lab.test/index.html"});
                List<String> seen = new ArrayList<>();
                s.work(new Session.Work() {
                    @Override
                    public int poll(long nowNs) {
                        int w = board.poll(nowNs);
                        String r0 = board.rows()[0].strip();
                        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(r0)) {
                            seen.add(r0);
                        }
                        return w;
                    }

                    @Override
                    public long pollAtNs(long nowNs) {
                        return board.pollAtNs(nowNs);
                    }
                });
                assertTrue(s.runUntil(() -> s.host.net().address() != 0, 30_000_000_000L), "no DHCP lease from dnsmasq");
                Thread presser = Thread.ofPlatform().start(() -> board.press(Buttons.SELECT, 80));
                assertTrue(s.runUntil(() -> board.app.screen() == FetchApp.SCREEN_PAGE || board.app.screen() == FetchApp.SCREEN_FAILED,
                        20_000_000_000L), seen.toString());
                presser.join();
                assertEquals("Ethling lab", board.rows()[0].strip(), "LCD: " + String.join("|", board.rows()) + " after " + seen);
                assertTrue(board.rows()[1].startsWith("Hello from the "), String.join("|", board.rows()));
                BoardAppEmulatorTest.assertInOrder(seen, "DNS...", "TCP...", "GET...", "Ethling lab");
                System.out.println("lab phases on the LCD: " + seen);
                s.work(null);
                board.close();
            }
        }
    }
}
