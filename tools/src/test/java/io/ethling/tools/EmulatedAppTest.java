package io.ethling.tools;

import io.ethling.firmware.FetchApp;
import io.ethling.hal.Buttons;
import io.ethling.tools.net.NetworkOptions;
import io.ethling.tools.net.Session;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The firmware on the desktop's emulated board in real time over the built-in user-mode network:
 * the gateway's demo page fetched by pressing SELECT on the emulated LCD plate.
 */
class EmulatedAppTest {

    static Session session(String... args) throws Exception {
        NetworkOptions n = new NetworkOptions();
        new CommandLine(new Object() {
            @CommandLine.Mixin
            NetworkOptions o = n;
        }).parseArgs(args);
        return new Session(n.resolve(), n.wire());
    }

    @Test
    void selectFetchesTheGatewaysDemoPageOverTheUserModeNetwork() throws Exception {
        try (Session s = session("--seed", "5", "--ip", "10.0.2.15/24", "--gateway", "10.0.2.2")) {
            EmulatedApp board = new EmulatedApp(s, new String[] {EmulatedApp.DEMO_URL});
            s.work(board);
            long start = System.nanoTime();
            assertTrue(s.runUntil(() -> s.host.net().address() != 0, 10_000_000_000L), "no address");
            long t0 = System.nanoTime();
            Thread presser = Thread.ofPlatform().start(() -> board.press(Buttons.SELECT, 80));
            assertTrue(s.runUntil(() -> board.app.screen() == FetchApp.SCREEN_PAGE || board.app.screen() == FetchApp.SCREEN_FAILED,
                    10_000_000_000L), String.join("|", board.rows()));
            presser.join();
            System.out.println("lease " + (t0 - start) / 1_000_000 + " ms, page " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertEquals(EmulatedApp.DEMO_TITLE, board.rows()[0].strip(), String.join("|", board.rows()));
            assertTrue(board.rows()[1].startsWith("Hello from the g"), String.join("|", board.rows()));
            assertTrue(s.runUntil(() -> !board.journeySvg().isEmpty(), 2_000_000_000L));
            assertTrue(board.journeySvg().contains("<svg"), board.journeySvg());
            s.work(null);
            board.close();
        }
    }

    @Test
    void theLcdShowsEachPhaseOverTheUserModeNetwork() throws Exception {
        // "localhost" resolves on this machine to the loopback, which the user-mode DNS answers as the gateway
        try (Session s = session("--seed", "6", "--ip", "10.0.2.15/24", "--gateway", "10.0.2.2", "--dns", "10.0.2.2")) {
            EmulatedApp board = new EmulatedApp(s, new String[] {"http://localhost:" + EmulatedApp.DEMO_PORT + "/"});
            java.util.List<String> seen = new java.util.ArrayList<>();
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
            Thread presser = Thread.ofPlatform().start(() -> board.press(Buttons.SELECT, 80));
            assertTrue(s.runUntil(() -> board.app.screen() == FetchApp.SCREEN_PAGE || board.app.screen() == FetchApp.SCREEN_FAILED,
                    15_000_000_000L), seen.toString());
            presser.join();
            assertEquals(EmulatedApp.DEMO_TITLE, board.rows()[0].strip(), seen.toString());
            BoardAppEmulatorTest.assertInOrder(seen, "DNS...", "TCP...", "GET...", EmulatedApp.DEMO_TITLE);
            System.out.println("user-mode phases: " + seen);
            s.work(null);
            board.close();
        }
    }
}
