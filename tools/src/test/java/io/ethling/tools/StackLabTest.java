package io.ethling.tools;

import io.ethling.stack.iface.NetStack;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stack against the Linux kernel in the lab: ARP both ways, ping both ways. */
class StackLabTest {

    static final int KERNEL = Ipv4Packet.parse("203.0.113.1");
    static final int BOARD = Ipv4Packet.parse("203.0.113.2");
    static final long MAC = 0x02_45_54_48_00_02L;

    @Test
    void arpAndPingBothWaysWithTheKernel() throws Exception {
        Lab.assumeAvailable();
        try (Lab lab = new Lab("2m")) {
            LabBoard board = new LabBoard(lab, new StackConfig().macAddress(MAC).address(BOARD, 24).gateway(KERNEL), 21);
            board.stack.setAddress(BOARD, 24, KERNEL, System.nanoTime());

            // The kernel pings us: it resolves our MAC by ARP first.
            Process ping = lab.start("ping", "-c", "3", "-i", "0.2", "-W", "2", Ipv4Packet.format(BOARD));
            board.runUntil(() -> !ping.isAlive(), 15_000);
            String out = new String(ping.getInputStream().readAllBytes());
            assertTrue(ping.waitFor(5, TimeUnit.SECONDS));
            assertEquals(0, ping.exitValue(), "kernel -> board ping failed:\n" + out + "\n" + TapLabTest.dump(board.stack.counters()));
            assertTrue(out.contains("3 received"), out);
            String neigh = lab.exec(10, "ip", "neigh", "show", Ipv4Packet.format(BOARD));
            assertTrue(neigh.contains(EmulatedBoard.mac(MAC)), "kernel's ARP entry for the board: " + neigh);

            // We ping the kernel: our ARP resolves it (or already learned it from its request).
            long now = System.nanoTime();
            for (int seq = 1; seq <= 3; seq++) {
                int rc = board.stack.ping().send(KERNEL, seq, 56, System.nanoTime());
                assertTrue(rc == NetStack.OK || rc == NetStack.QUEUED_FOR_ARP, "ping send: " + rc);
                int want = seq;
                assertTrue(board.runUntil(() -> board.stack.ping().replies() >= want, 3_000),
                        "no echo reply " + seq + ": " + TapLabTest.dump(board.stack.counters()));
            }
            assertEquals(3, board.stack.ping().replies());
            assertTrue(board.stack.ping().lastRttNs() > 0 && board.stack.ping().lastRttNs() < 1_000_000_000L);
            String kernelMac = lab.exec(10, "cat", "/sys/class/net/" + lab.tap.name() + "/address").strip();
            assertEquals(kernelMac, EmulatedBoard.mac(board.stack.arp().macOf(KERNEL)), "our ARP entry for the kernel");
            assertEquals(0, board.chip.misuse().count(), () -> "driver misuse: " + board.chip.misuse().lines());
            assertTrue(System.nanoTime() - now < 15_000_000_000L);
        }
    }
}
