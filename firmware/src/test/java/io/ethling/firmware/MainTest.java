package io.ethling.firmware;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Main's failures before any device is opened: one line on stderr naming the file and key, exit 2. */
class MainTest {

    record Result(int code, String err) {
    }

    static Result main(String... args) throws Exception {
        String[] cmd = new String[args.length + 4];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        cmd[1] = "-cp";
        cmd[2] = System.getProperty("java.class.path");
        cmd[3] = Main.class.getName();
        System.arraycopy(args, 0, cmd, 4, args.length);
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), err);
    }

    @Test
    void badFilesAreOneLineAndExit2(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("ethling.conf");
        Files.writeString(conf, "bookmark.1 = http://example.com/\n");
        Path board = dir.resolve("board.properties");
        Files.writeString(board, "board.name = x\nboard.model = pi4b\nlcd.type = lcd2000\n");
        Path emulated = Path.of("..", "boards", "emulated", "board.properties");
        Path good = Path.of("..", "boards", "pi4b", "mcp23017-plate.properties");
        Path badConf = dir.resolve("bad.conf");
        Files.writeString(badConf, "bookmark.1 = http://example.com/\nstatus.prot = 80\n");

        Result r = main("--board", board.toString(), "--config", conf.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("lcd.type"), r.err());

        r = main("--board", dir.resolve("missing.properties").toString(), "--config", conf.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        r = main("--board", good.toString(), "--config", badConf.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("status.prot: unknown key"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        r = main("--board", emulated.toString(), "--config", conf.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("ethling emulate"), r.err());

        r = main("--frobnicate");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--frobnicate"), r.err());
    }
}
