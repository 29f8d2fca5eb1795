package io.ethling.tools;

import io.ethling.stack.http.HttpUrl;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5's "no wasted round trips" and "zero bytes per warm fetch", on two emulated boards over a
 * virtual wire (real drivers, emulated chips, SPI time charged to the virtual clock).
 */
class FetchRigTest {

    static final long MS = 1_000_000L;

    @Test
    void newConnectionTakesTwoRoundTripsKeptAliveOne() {
        // a small page: the test is about round trips; a big one adds its 10BASE-T and SPI time
        FetchRig rig = new FetchRig(10 * MS, 64, 5);
        HttpUrl url = HttpUrl.of("http://10.9.0.1/page");
        // warm the ARP caches on both sides, then close, so the measured fetch is a new connection
        assertTrue(rig.fetch(url) > 0);
        rig.closeConnections();
        long fresh = rig.fetch(url);                 // SYN/SYN-ACK, then request/response: 2 RTT = 40 ms
        long kept = rig.fetch(url);                  // request/response on the kept connection: 1 RTT
        System.out.printf("fetch by IP, 10 ms each way: new connection %.3f ms, kept-alive %.3f ms%n", fresh / 1e6, kept / 1e6);
        assertTrue(fresh >= 40 * MS && fresh < 42 * MS, "new connection: " + fresh / 1e6 + " ms (want 40 ms + < 2 ms)");
        assertTrue(kept >= 20 * MS && kept < 22 * MS, "kept-alive: " + kept / 1e6 + " ms (want 20 ms + < 2 ms)");
    }

    @Test
    void zeroBytesPerWarmFetchOfASixteenKilobytePage() {
        FetchRig rig = new FetchRig(1 * MS, 16 * 1024, 6);
        HttpUrl url = HttpUrl.of("http://server.test/page");
        long allocated = Long.MAX_VALUE;
        int rounds = 0;
        for (int round = 0; round < 6 && allocated != 0; round++) {
            rounds++;
            rig.resetAllocation();
            for (int i = 0; i < 20; i++) {
                assertTrue(rig.fetch(url) > 0, "fetch " + i);
                rig.closeConnections();               // a new TCP connection every time
            }
            allocated = round == 0 ? Long.MAX_VALUE : rig.allocatedOnA();
            System.out.println("round " + round + ": " + rig.allocatedOnA() + " bytes over 20 fetches");
        }
        assertEquals(0, allocated, "bytes allocated on the board's thread per warm fetch");
        assertEquals(20L * rounds * 16 * 1024, rig.bodyBytes());
    }
}
