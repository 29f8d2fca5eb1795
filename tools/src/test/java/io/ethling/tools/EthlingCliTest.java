package io.ethling.tools;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EthlingCliTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ethling.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("demo"), r.out());
        assertTrue(r.out().contains("bench"), r.out());
        assertTrue(r.out().contains("Exit codes"), r.out());
    }

    @Test
    void unknownOptionIsOneClearLineAndExit2() {
        Run r = run("demo", "--frobnicate");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--frobnicate"), r.err());
    }

    @Test
    void badPercentageIsOneClearLineAndExit2() {
        Run r = run("demo", "--drop", "150");
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--drop"), r.err());
    }

    @Test
    void demoEchoesEveryFrameByteExactOnACleanWire() {
        Run r = run("demo", "--frames", "40", "--seed", "7");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("40 sent, 40 echoed byte-exact, 0 lost, 0 damaged"), r.out());
        assertTrue(r.out().contains("driver A:"), r.out());
    }

    @Test
    void demoSurvivesALossyWire() {
        Run r = run("demo", "--frames", "60", "--drop", "20", "--seed", "3");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("result: 60 sent"), r.out());
        assertTrue(r.out().contains("dropped="), r.out());
    }

    @Test
    void benchSpiKvGivesEveryFigureAndBeatsLinux() {
        Run r = run("bench", "spi", "--format", "kv", "--frames", "200");
        assertEquals(0, r.code(), r.out() + r.err());
        Map<String, Double> kv = new HashMap<>();
        r.out().lines().forEach(l -> {
            int eq = l.indexOf('=');
            assertTrue(eq > 0, "not key=value: " + l);
            kv.put(l.substring(0, eq), Double.parseDouble(l.substring(eq + 1)));
        });
        for (String dir : new String[] {"rx", "tx"}) {
            for (int len : new int[] {60, 1514}) {
                for (String k : new String[] {"transactions", "bytes", "fps.8mhz", "fps.12mhz", "fps.20mhz"}) {
                    assertTrue(kv.containsKey(dir + "." + len + "." + k), dir + "." + len + "." + k + " missing");
                    assertTrue(kv.containsKey("linux." + dir + "." + len + "." + k), "linux." + dir + "." + len + "." + k + " missing");
                }
                double ours = kv.get(dir + "." + len + ".transactions");
                double linux = kv.get("linux." + dir + "." + len + ".transactions");
                assertTrue(ours > 0 && ours < linux, dir + " " + len + ": " + ours + " transactions vs Linux " + linux);
                assertTrue(kv.get(dir + "." + len + ".bytes") < kv.get("linux." + dir + "." + len + ".bytes"));
            }
        }
        assertEquals(17.0, kv.get("linux.rx.1514.transactions"));
        assertEquals(1556.0, kv.get("linux.rx.1514.bytes"));
        assertEquals(95.0, kv.get("linux.tx.60.bytes"));
    }

    @Test
    void benchSpiTableIsReadable() {
        Run r = run("bench", "spi", "--frames", "50");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("receive") && r.out().contains("transmit") && r.out().contains("20 MHz"), r.out());
    }
}
