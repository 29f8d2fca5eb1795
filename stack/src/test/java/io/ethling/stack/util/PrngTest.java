package io.ethling.stack.util;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrngTest {

    @Test
    void sameSeedSameSequenceOtherSeedOther() {
        Prng a = new Prng(7);
        Prng b = new Prng(7);
        Prng c = new Prng(8);
        for (int i = 0; i < 100; i++) {
            long x = a.nextLong();
            assertEquals(x, b.nextLong());
            assertNotEquals(x, c.nextLong());
        }
    }

    @Test
    void boundedValuesAreInRangeAndRoughlyUniform() {
        Prng p = new Prng(12345);
        int[] buckets = new int[16];
        for (int i = 0; i < 160_000; i++) {
            int v = p.nextInt(16);
            assertTrue(v >= 0 && v < 16);
            buckets[v]++;
        }
        for (int count : buckets) {
            assertTrue(Math.abs(count - 10_000) < 600, "bucket " + count + " (seed 12345)");
        }
        for (int i = 0; i < 10_000; i++) {
            int port = p.nextInt(49152, 65535);
            assertTrue(port >= 49152 && port <= 65535);
            long j = p.nextLong(1_000_000_000L);
            assertTrue(j >= 0 && j < 1_000_000_000L);
        }
    }

    @Test
    void sixteenBitIdsCoverTheSpace() {
        Prng p = new Prng(99);
        boolean[] seen = new boolean[65536];
        int distinct = 0;
        for (int i = 0; i < 400_000; i++) {
            int id = p.nextInt() & 0xFFFF;
            if (!seen[id]) {
                seen[id] = true;
                distinct++;
            }
        }
        assertTrue(distinct > 65_000, "distinct ids " + distinct + " (seed 99)");
    }
}
