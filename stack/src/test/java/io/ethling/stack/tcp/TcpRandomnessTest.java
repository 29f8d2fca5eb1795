package io.ethling.stack.tcp;

import io.ethling.stack.util.Prng;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** T30 (RFC 6528 ISNs, RELIABILITY.md §2.3 S1–S5) and T31 (RFC 6056 ephemeral ports); SipHash vector. */
class TcpRandomnessTest {

    private static final int US = TcpScript.US;
    private static final int PEER = TcpScript.PEER;

    /** df = 255, p = 0.001 */
    private static final double CHI2_255 = 330.52;
    /** df = 63, p = 0.001 */
    private static final double CHI2_63 = 103.44;

    private static double chiSquare(int[] bins, int n) {
        double expected = (double) n / bins.length;
        double chi = 0;
        for (int b : bins) {
            chi += (b - expected) * (b - expected) / expected;
        }
        return chi;
    }

    private static Tcp tcp(long seed) {
        return new TcpScript(new TcpConfig(), false, seed).tcp;
    }

    @Test
    void sipHashReferenceVector() {
        // SipHash-2-4 paper, Appendix A: key 00..0f, message 00..0e (15 bytes) → a129ca6149be45e5.
        // Our 16-byte variant is checked against the paper's 16-byte vector 00..0f → 3f2acc7f57c29bdb.
        SipHash h = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
        assertEquals(0x3f2acc7f57c29bdbL, h.hash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L));
    }

    @Test
    void s1UniqueAcrossTuples() {
        long seed = 11;
        Tcp t = tcp(seed);
        Set<Integer> seen = new HashSet<>();
        int dups = 0;
        Prng r = new Prng(seed);
        long now = 5_000_000_000L;
        for (int i = 0; i < 100_000; i++) {
            int isn = t.isn(US, 1024 + r.nextInt(64000), r.nextInt(), 1 + r.nextInt(65535), now);
            if (!seen.add(isn)) {
                dups++;
            }
            now += 1000;
        }
        assertTrue(dups <= 5, "seed " + seed + ": duplicates " + dups);
    }

    @Test
    void s2DifferencesAreUniform() {
        long seed = 12;
        Tcp t = tcp(seed);
        int[] bins = new int[256];
        long now = 7_000_000_000L;
        int prev = t.isn(US, 50000, PEER, 80, now);
        int n = 100_000;
        for (int i = 1; i <= n; i++) {
            now += 10_000;                          // close in time, different ports
            int isn = t.isn(US, 50000 + (i % 15000), PEER + i / 15000, 80, now);   // every tuple distinct
            bins[(isn - prev) >>> 24]++;
            prev = isn;
        }
        double chi = chiSquare(bins, n);
        assertTrue(chi < CHI2_255, "seed " + seed + ": chi-square " + chi);
    }

    @Test
    void s3NotPredictableByFixedIncrementOrLcg() {
        long seed = 13;
        Tcp t = tcp(seed);
        long now = 9_000_000_000L;
        int[] isn = new int[10_000];
        for (int i = 0; i < isn.length; i++) {
            isn[i] = t.isn(US, 40000 + i, PEER, 443, now);
            now += 1_000_000;
        }
        int incrementHits = 0;
        int lcgHits = 0;
        for (int i = 2; i < isn.length; i++) {
            if (isn[i] == isn[i - 1] + (isn[i - 1] - isn[i - 2])) {
                incrementHits++;
            }
            // an LCG x' = a·x + c fitted on the three previous values (mod 2^32, when the difference is odd)
            if (i >= 3) {
                int d0 = isn[i - 2] - isn[i - 3];
                if ((d0 & 1) == 1) {
                    int a = (isn[i - 1] - isn[i - 2]) * inverse(d0);
                    int c = isn[i - 1] - a * isn[i - 2];
                    if (a * isn[i - 1] + c == isn[i]) {
                        lcgHits++;
                    }
                }
            }
        }
        assertTrue(incrementHits <= 2, "seed " + seed + ": fixed-increment predictions " + incrementHits);
        assertTrue(lcgHits <= 2, "seed " + seed + ": LCG predictions " + lcgHits);
    }

    private static int inverse(int odd) {
        int x = odd;                                  // Newton iteration for the inverse mod 2^32
        for (int i = 0; i < 5; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    @Test
    void s4NewKeyUnrelated() {
        Tcp a = tcp(21);
        Tcp b = tcp(22);
        int equalTopBytes = 0;
        long bits = 0;
        for (int i = 0; i < 1000; i++) {
            int x = a.isn(US, 50000 + i, PEER, 80, 1_000_000_000L);
            int y = b.isn(US, 50000 + i, PEER, 80, 1_000_000_000L);
            assertNotEquals(x, y);
            if ((x >>> 24) == (y >>> 24)) {
                equalTopBytes++;
            }
            bits += Integer.bitCount(x ^ y);
        }
        assertTrue(equalTopBytes < 20, "top bytes equal " + equalTopBytes);
        double mean = bits / 1000.0;
        assertTrue(mean > 15 && mean < 17, "mean Hamming distance " + mean);
    }

    @Test
    void s5SameTupleAdvancesWithClock() {
        Tcp t = tcp(31);
        int a = t.isn(US, 50000, PEER, 80, 1_000_000_000L);
        int b = t.isn(US, 50000, PEER, 80, 1_000_000_000L + 4_000_000L);   // 4 ms later
        assertEquals(1000, b - a, "M is a 4 µs clock");
    }

    @Test
    void t31EphemeralPortsSpreadAndUnpredictable() {
        long seed = 41;
        TcpScript s = new TcpScript(new TcpConfig(), false, seed);
        int n = 10_000;
        int[] ports = new int[n];
        int[] bins = new int[64];
        int min = 65536;
        int max = 0;
        for (int i = 0; i < n; i++) {
            int h = s.tcp.connect(PEER, 80, s.now);
            assertTrue(h >= 0);
            ports[i] = s.tcp.localPort(h);
            s.tcp.abort(h, s.now);
            s.drain();
            assertTrue(ports[i] >= 49152 && ports[i] <= 65535);
            bins[(ports[i] - 49152) / 256]++;
            min = Math.min(min, ports[i]);
            max = Math.max(max, ports[i]);
        }
        assertTrue(max - min + 1 >= 16_300, "seed " + seed + ": spread " + (max - min + 1));
        double chi = chiSquare(bins, n);
        assertTrue(chi < CHI2_63, "seed " + seed + ": chi-square " + chi);
        int sequential = 0;
        for (int i = 1; i < n; i++) {
            if (ports[i] == ports[i - 1] + 1 || ports[i] == ports[i - 1]) {
                sequential++;
            }
        }
        assertTrue(sequential < 10, "seed " + seed + ": next port predictable " + sequential + " times");
        assertEquals(0, s.tcp.socketsInUse());
    }
}
