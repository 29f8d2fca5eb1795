package io.ethling.stack.wire;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static io.ethling.stack.wire.WireTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ChecksumTest {

    @Test
    void rfc1071NumericalExample() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement), checksum = ~ddf2.
        assertEquals(0x220D, Checksum.compute(hex("0001f203f4f5f6f7"), 0, 8));
    }

    @Test
    void oddLengthPadsWithZero() {
        assertEquals(Checksum.compute(hex("0001f203f4f5f6f700"), 0, 9), Checksum.compute(hex("0001f203f4f5f6f7"), 0, 8) - 0);
        assertEquals(Checksum.compute(hex("ab00"), 0, 2), Checksum.compute(hex("ab"), 0, 1));
    }

    @Test
    void dataPlusItsOwnChecksumSumsToZero() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int trial = 0; trial < 1000; trial++) {
            int len = 2 + 2 * rnd.nextInt(700);
            byte[] b = new byte[len + 2];
            for (int i = 0; i < len; i++) {
                b[i] = (byte) rnd.nextInt(256);
            }
            int c = Checksum.compute(b, 0, len);
            b[len] = (byte) (c >>> 8);
            b[len + 1] = (byte) c;
            assertEquals(0, Checksum.compute(b, 0, len + 2), "seed 42 trial " + trial);
        }
    }

    @Test
    void chainedSumsEqualOneSum() {
        byte[] b = hex("4500007300004000401100000a0000010a000002deadbeef");
        long whole = Checksum.add(0, b, 0, b.length);
        long parts = Checksum.add(Checksum.add(0, b, 0, 10), b, 10, b.length - 10);
        assertEquals(Checksum.finish(whole), Checksum.finish(parts));
    }
}
