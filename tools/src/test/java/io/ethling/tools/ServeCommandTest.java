package io.ethling.tools;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ethling serve} and {@code ethling emulate} on the command line: what they print, their errors. */
class ServeCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ethling.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void servePrintsWhereTheStatusPageIsAndStopsAfterTheDuration() {
        Run r = run("serve", "--ip", "10.0.2.15/24", "--gateway", "10.0.2.2", "--port", "8080", "--duration", "0.3", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("serving http://10.0.2.15:8080/ (status page); answering ARP and ping at 10.0.2.15"), r.out());
        assertTrue(r.out().contains("use --tap NAME to reach it from this machine"), r.out());
        assertTrue(r.out().contains("served 0 page(s)"), r.out());
    }

    @Test
    void badOptionsAreOneLineAndExit2() {
        String[][] cases = {
            {"serve", "--port", "0"},
            {"serve", "--duration", "-1"},
            {"emulate", "--web", "70000"},
            {"emulate", "ftp://example.com/"},
        };
        for (String[] c : cases) {
            Run r = run(c);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void helpListsServeAndEmulate() {
        Run r = run("--help");
        assertTrue(r.out().contains("serve") && r.out().contains("emulate"), r.out());
    }
}
