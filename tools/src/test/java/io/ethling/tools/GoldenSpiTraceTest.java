package io.ethling.tools;

import io.ethling.hal.EthernetDevice;
import io.ethling.hal.emulator.EmulatorConfig;
import io.ethling.hal.emulator.Enc28j60Emulator;
import io.ethling.hal.emulator.FrameSink;
import io.ethling.hal.emulator.VirtualClock;
import io.ethling.hal.enc28j60.Enc28j60;
import io.ethling.hal.enc28j60.Enc28j60Config;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SPI conversation between the driver and the chip, one line per transaction as the emulator
 * decodes it, for the driver's initialisation, one received frame and one transmitted frame in
 * steady state. Any change to what the driver says on the bus shows up here as a diff; when the
 * change is intended, regenerate with {@code ETHLING_UPDATE_GOLDEN=1 ./mvnw -pl tools test
 * -Dtest=GoldenSpiTraceTest} and review the diff of src/test/resources/golden/ before committing.
 */
class GoldenSpiTraceTest {

    private static final long MAC = 0x02_45_54_48_4C_01L;
    private static final long PEER = 0x02_45_54_48_4C_02L;

    private final VirtualClock clock = new VirtualClock();
    private final Enc28j60Emulator chip = new Enc28j60Emulator(clock, new EmulatorConfig().seed(1).strict(true));
    private final Enc28j60 driver = new Enc28j60(chip, chip.interruptPin(), null, clock,
            new Enc28j60Config().macAddress(MAC).tuneSpiClock(false));
    private final byte[] rx = new byte[1514];
    private int sent;

    @Test
    void initReceiveAndTransmitMatchTheGoldenTraces() throws IOException {
        chip.connect(new FrameSink() {
            @Override
            public void frame(byte[] buf, int off, int len) {
                sent++;
            }
        });
        StringBuilder init = new StringBuilder();
        chip.trace(init);
        assertEquals(EthernetDevice.OK, driver.init());
        chip.trace(null);
        idle(5_000_000L);

        byte[] in = DemoCommand.frame(MAC, PEER, 1, 60, new java.util.Random(5));
        receiveOne(in); // warm: the first frame after init may pay one-time costs
        StringBuilder rxTrace = new StringBuilder();
        chip.trace(rxTrace);
        assertEquals(60, receiveOne(in));
        chip.trace(null);

        byte[] out = DemoCommand.frame(PEER, MAC, 2, 60, new java.util.Random(6));
        transmitOne(out);
        StringBuilder txTrace = new StringBuilder();
        chip.trace(txTrace);
        transmitOne(out);
        chip.trace(null);
        assertEquals(2, sent);
        assertEquals(0, chip.misuse().count(), () -> "misuse: " + chip.misuse().lines());

        List<String> diffs = new java.util.ArrayList<>();
        check("init.trace", init.toString(), diffs);
        check("rx-60.trace", rxTrace.toString(), diffs);
        check("tx-60.trace", txTrace.toString(), diffs);
        if (!diffs.isEmpty()) {
            fail(String.join("\n", diffs));
        }
    }

    private int receiveOne(byte[] frame) {
        chip.receive(frame, 0, frame.length);
        chip.tick();
        driver.poll(clock.nanoTime());
        int got = 0;
        int n;
        while ((n = driver.receive(rx, 0, rx.length)) > 0) {
            got = n;
        }
        idle(SpiCost.wireNanos(frame.length));
        return got;
    }

    private void transmitOne(byte[] frame) {
        assertEquals(EthernetDevice.OK, driver.transmit(frame, 0, frame.length));
        idle(3 * SpiCost.wireNanos(frame.length));
    }

    private void idle(long ns) {
        long end = clock.nanoTime() + ns;
        while (clock.nanoTime() - end < 0) {
            long now = clock.nanoTime();
            chip.tick();
            if (driver.interruptPending() || driver.pollAtNs(now) - now <= 0) {
                driver.poll(now);
            }
            long next = Math.min(Math.min(chip.nextEventNs(), driver.pollAtNs(clock.nanoTime())), end);
            clock.advanceTo(next - clock.nanoTime() <= 0 ? clock.nanoTime() + 1_000L : next);
        }
    }

    private static void check(String name, String actual, List<String> diffs) throws IOException {
        Path golden = Path.of("src", "test", "resources", "golden", name);
        if (System.getenv("ETHLING_UPDATE_GOLDEN") != null || !Files.exists(golden)) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
            if (System.getenv("ETHLING_UPDATE_GOLDEN") == null) {
                diffs.add(golden + " did not exist; written now — review it and commit it");
            }
            return;
        }
        List<String> want = Files.readAllLines(golden);
        List<String> got = actual.lines().toList();
        assertTrue(!got.isEmpty(), name + ": empty trace");
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            String w = i < want.size() ? want.get(i) : "<end>";
            String g = i < got.size() ? got.get(i) : "<end>";
            if (!w.equals(g)) {
                diffs.add(name + " line " + (i + 1) + ": expected [" + w + "] but the driver did [" + g + "] ("
                        + want.size() + " golden lines, " + got.size() + " now)");
                return;
            }
        }
    }
}
