package io.ethling.tools;

import io.ethling.hal.Clock;
import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.Enc28j60Emulator;
import io.ethling.hal.emulator.TapDevice;
import io.ethling.hal.enc28j60.Enc28j60;
import io.ethling.hal.enc28j60.Enc28j60Config;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Linux kernel pings through a TAP device into the emulated chip, and the real driver
 * carries the test's ARP and ICMP answers back. Everything stays inside a network namespace the
 * test creates (203.0.113.0/24); skipped with a message when not root or without iproute2/ping.
 */
class TapLabTest {

    private static final int KERNEL_IP = 0xCB_00_71_01;  // 203.0.113.1, the kernel side in the namespace
    private static final int BOARD_IP = 0xCB_00_71_02;   // 203.0.113.2, the emulated board
    private static final long BOARD_MAC = 0x02_45_54_48_4C_42L;

    static void assumeLab() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "TAP lab test skipped: needs root (creates a network namespace and a TAP device)");
        Assumptions.assumeTrue(new File("/dev/net/tun").exists(), "TAP lab test skipped: no /dev/net/tun");
        Assumptions.assumeTrue(onPath("ip") && onPath("ping"),
                "TAP lab test skipped: needs `ip` (iproute2) and `ping` (iputils-ping); .ci/run installs them");
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return new File("/usr/sbin/" + tool).canExecute() || new File("/sbin/" + tool).canExecute();
    }

    static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }

    @Test
    void kernelPingsTheEmulatedBoardThroughTheRealDriver() throws Exception {
        assumeLab();
        String suffix = Long.toHexString(System.nanoTime() & 0xFFFFFL);
        String ns = "ethl-tap-" + suffix;
        String ifname = "ethlt" + suffix;
        sh("ip", "netns", "add", ns);
        Process ping = null;
        try (TapDevice tap = TapDevice.open(ifname)) {
            sh("ip", "link", "set", tap.name(), "netns", ns);
            sh("ip", "-n", ns, "link", "set", "lo", "up");
            sh("ip", "-n", ns, "addr", "add", "203.0.113.1/24", "dev", tap.name());
            sh("ip", "-n", ns, "link", "set", tap.name(), "up");

            Enc28j60Emulator chip = new Enc28j60Emulator(Clock.SYSTEM, new EmulatorConfig().seed(11).strict(true));
            Enc28j60 driver = new Enc28j60(chip, chip.interruptPin(), null, Clock.SYSTEM,
                    new Enc28j60Config().macAddress(BOARD_MAC));
            TapBridge bridge = new TapBridge(tap, chip);
            assertEquals(EthernetDevice.OK, driver.init());

            ping = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.2", "-W", "2",
                    "203.0.113.2").redirectErrorStream(true).start();
            byte[] rx = new byte[1514];
            int arpAnswered = 0;
            int echoAnswered = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (ping.isAlive() && System.nanoTime() - deadline < 0) {
                bridge.pump(5);
                chip.tick();
                driver.poll(System.nanoTime());
                int n;
                while ((n = driver.receive(rx, 0, rx.length)) > 0) {
                    int len = LabFrames.answer(rx, n, BOARD_MAC, BOARD_IP);
                    if (len > 0) {
                        if (LabFrames.isArp(rx)) {
                            arpAnswered++;
                        } else {
                            echoAnswered++;
                        }
                        for (int tries = 0; driver.transmit(rx, 0, len) == EthernetDevice.ERR_BUSY && tries < 1000; tries++) {
                            chip.tick();
                            driver.poll(System.nanoTime());
                        }
                    }
                }
            }
            String pingOut = new String(ping.getInputStream().readAllBytes());
            assertTrue(ping.waitFor(5, TimeUnit.SECONDS), "ping did not finish: " + pingOut);
            assertEquals(0, ping.exitValue(), "ping through TAP -> emulated chip -> driver failed:\n" + pingOut
                    + "\ndriver: " + dump(driver.counters()) + "\nchip: " + dump(chip.counters()));
            assertTrue(pingOut.contains("3 received"), pingOut);
            assertTrue(arpAnswered >= 1, "no ARP request reached the driver");
            assertTrue(echoAnswered >= 3, "echo requests answered: " + echoAnswered);
            assertEquals(0, bridge.writeErrors());
            assertEquals(0, chip.misuse().count(), () -> "misuse: " + chip.misuse().lines());
        } finally {
            if (ping != null) {
                ping.destroyForcibly();
            }
            sh("ip", "netns", "del", ns);
        }
    }

    static String dump(io.ethling.hal.Counters c) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.size(); i++) {
            if (c.value(i) != 0) {
                sb.append(c.name(i)).append('=').append(c.value(i)).append(' ');
            }
        }
        return sb.toString();
    }

    /** Just enough ARP and ICMP to answer a ping (test code; the real stack comes with issue 3). */
    static final class LabFrames {

        static boolean isArp(byte[] f) {
            return (f[12] & 0xFF) == 0x08 && (f[13] & 0xFF) == 0x06;
        }

        /** Turns an ARP request or ICMP echo request for {@code ip} into the reply in place. @return reply length or 0 */
        static int answer(byte[] f, int len, long mac, int ip) {
            if (len >= 42 && isArp(f) && get16(f, 20) == 1 && get32(f, 38) == ip) {
                System.arraycopy(f, 6, f, 0, 6);
                putMac(f, 6, mac);
                put16(f, 20, 2);
                System.arraycopy(f, 22, f, 32, 10);  // requester becomes target
                putMac(f, 22, mac);
                put32(f, 28, ip);
                return 42;
            }
            if (len >= 34 && (f[12] & 0xFF) == 0x08 && f[13] == 0x00 && (f[14] & 0xFF) == 0x45
                    && f[23] == 1 && get32(f, 30) == ip) {
                int total = get16(f, 16);
                if (total < 28 || 14 + total > len || (f[34] & 0xFF) != 8) {
                    return 0;
                }
                System.arraycopy(f, 6, f, 0, 6);
                putMac(f, 6, mac);
                int src = get32(f, 26);
                put32(f, 26, ip);
                put32(f, 30, src);
                f[22] = 64;
                put16(f, 24, 0);
                put16(f, 24, checksum(f, 14, 20));
                f[34] = 0; // echo reply
                put16(f, 36, 0);
                put16(f, 36, checksum(f, 34, total - 20));
                return Math.max(14 + total, 60);
            }
            return 0;
        }

        static int checksum(byte[] b, int off, int len) {
            long sum = 0;
            for (int i = 0; i + 1 < len; i += 2) {
                sum += get16(b, off + i);
            }
            if ((len & 1) != 0) {
                sum += (b[off + len - 1] & 0xFF) << 8;
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            return (int) (~sum & 0xFFFF);
        }

        static int get16(byte[] b, int o) {
            return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
        }

        static int get32(byte[] b, int o) {
            return (get16(b, o) << 16) | get16(b, o + 2);
        }

        static void put16(byte[] b, int o, int v) {
            b[o] = (byte) (v >>> 8);
            b[o + 1] = (byte) v;
        }

        static void put32(byte[] b, int o, int v) {
            put16(b, o, v >>> 16);
            put16(b, o + 2, v);
        }

        static void putMac(byte[] b, int o, long mac) {
            for (int i = 0; i < 6; i++) {
                b[o + i] = (byte) (mac >>> (40 - 8 * i));
            }
        }
    }
}
