package io.ethling.tools;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `ethling ping` over the built-in user-mode network (no privileges, nothing leaves the process). */
class PingCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ethling.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void pingsTheGatewayAfterADhcpLease() {
        Run r = run("ping", "-c", "3", "-i", "0.05", "--seed", "3", "10.0.2.2");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("from 10.0.2.15"), "leased by the user-mode DHCP server: " + r.out());
        assertTrue(r.out().contains("3 packets transmitted, 3 received, 0% packet loss"), r.out());
    }

    @Test
    void staticAddressAndDirectToTheWire() {
        Run r = run("ping", "-c", "2", "-i", "0.05", "--ip", "10.0.2.40/24", "--gateway", "10.0.2.2", "--direct", "10.0.2.2");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("from 10.0.2.40"), r.out());
    }

    @Test
    void nameFromTheHostsFile() throws Exception {
        java.nio.file.Path hosts = java.nio.file.Files.createTempFile("ethling-hosts", ".txt");
        java.nio.file.Files.writeString(hosts, "# test\n10.0.2.2   gw.example\n");
        Run r = run("ping", "-c", "1", "--hosts", hosts.toString(), "gw.example");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PING gw.example (10.0.2.2)") && r.out().contains("name from hosts"), r.out());
    }

    @Test
    void silentNeighbourIsAnArpFailure() {
        Run r = run("ping", "-c", "1", "-W", "5", "10.0.2.9");
        assertEquals(ExitCodes.ARP, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("arp: no answer from 10.0.2.9"), r.err());
    }

    @Test
    void badOptionsAreOneClearLine() {
        for (String[] args : new String[][] {
            {"ping", "--ip", "10.0.2.5", "10.0.2.2"},
            {"ping", "--gateway", "10.0.2.2", "10.0.2.2"},
            {"ping", "--mac", "01:00:5e:00:00:01", "10.0.2.2"},
            {"ping", "--count", "0", "10.0.2.2"},
            {"ping", "--dns", "10.0.2.300", "10.0.2.2"}}) {
            Run r = run(args);
            assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
