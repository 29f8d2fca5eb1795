package io.ethling.stack.tcp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static io.ethling.stack.tcp.TcpSegment.FLAG_ACK;
import static io.ethling.stack.tcp.TcpSegment.FLAG_CWR;
import static io.ethling.stack.tcp.TcpSegment.FLAG_ECE;
import static io.ethling.stack.tcp.TcpSegment.FLAG_FIN;
import static io.ethling.stack.tcp.TcpSegment.FLAG_PSH;
import static io.ethling.stack.tcp.TcpSegment.FLAG_RST;
import static io.ethling.stack.tcp.TcpSegment.FLAG_SYN;
import static io.ethling.stack.tcp.TcpSegment.FLAG_URG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RELIABILITY.md T1–T14 (TCP header and options), each run clean and with the dirty buffer. A
 * "dropped" case asserts: nothing sent, no state change, no data delivered, the named counter +1.
 */
class TcpHeaderCasesTest {

    private static final int LISTEN_PORT = 7000;

    /** An established client connection plus a listener on LISTEN_PORT. */
    private static TcpScript setup(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        s.tcp.listen(LISTEN_PORT);
        return s;
    }

    private static void assertDropped(TcpScript s, int h, String counter, byte[] segment) {
        TcpState before = s.tcp.state(h);
        int avail = s.tcp.available(h);
        long c = s.counter(counter);
        int halfOpen = s.tcp.halfOpenEntries();
        s.inRaw(TcpScript.PEER, segment);
        s.none();
        assertEquals(before, s.tcp.state(h));
        assertEquals(avail, s.tcp.available(h));
        assertEquals(halfOpen, s.tcp.halfOpenEntries());
        assertEquals(c + 1, s.counter(counter), counter);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t01DataOffsetBelowFive(boolean dirty) {
        TcpScript s = setup(dirty);
        int h = s.established();
        for (int off = 0; off <= 4; off++) {
            assertDropped(s, h, "tcp.drop.data.offset", s.seg(FLAG_ACK, 1, 1).data(10).dataOffset(off).bytes());
            assertDropped(s, h, "tcp.drop.data.offset",
                    s.seg().flags(FLAG_SYN).seq(1).to(LISTEN_PORT).dataOffset(off).bytes());
        }
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t02DataOffset15WithTwentyBytes(boolean dirty) {
        TcpScript s = setup(dirty);
        int h = s.established();
        assertDropped(s, h, "tcp.drop.data.offset", s.seg().flags(FLAG_SYN).seq(1).to(LISTEN_PORT).dataOffset(15).bytes());
        assertDropped(s, h, "tcp.drop.data.offset", s.seg(FLAG_ACK, 1, 1).dataOffset(15).bytes());
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t03DataOffsetBeyondSegment(boolean dirty) {
        TcpScript s = setup(dirty);
        int h = s.established();
        for (int off = 6; off <= 15; off++) {
            // 20-byte header plus (off − 5)·4 − 1 bytes: always one byte short of the claimed header
            byte[] data = new byte[(off - 5) * 4 - 1];
            assertDropped(s, h, "tcp.drop.data.offset", s.seg(FLAG_ACK, 1, 1).data(data).dataOffset(off).bytes());
        }
    }

    private static TcpScript.Sent synWithOptions(TcpScript s, int... options) {
        s.in(s.seg().flags(FLAG_SYN).seq(TcpScript.PEER_ISN).to(LISTEN_PORT).options(options));
        TcpScript.Sent r = s.out();
        assertEquals("S.", TcpScript.flagString(r.flags));
        return r;
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t04OptionKind255LengthZero(boolean dirty) {
        TcpScript s = setup(dirty);
        long bad = s.counter("tcp.rx.options.malformed");
        synWithOptions(s, 0xFF, 0, 0, 0);
        assertEquals(bad + 1, s.counter("tcp.rx.options.malformed"));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t05OptionLengthOneForEveryKind(boolean dirty) {
        TcpScript s = setup(dirty);
        s.config.synBacklog(8);
        for (int kind = 2; kind <= 254; kind++) {
            s.peerPort = 10000 + kind;
            long bad = s.counter("tcp.rx.options.malformed");
            synWithOptions(s, kind, 1, 0, 0);
            assertEquals(bad + 1, s.counter("tcp.rx.options.malformed"), "kind " + kind);
        }
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t06OptionsRunningOffTheHeaderEnd(boolean dirty) {
        TcpScript s = setup(dirty);
        // MSS starting 2 bytes before the end of the header: NOP NOP MSS(2,4) with only 2 bytes left
        TcpScript.Sent r = synWithOptions(s, 1, 1, 2, 4);
        assertEquals(1, s.counter("tcp.rx.options.malformed"));
        // the SYN-ACK goes out with our MSS; the peer's MSS defaults to 536 (nothing read past the header)
        assertEquals(1460, r.mss);
        s.peerPort++;
        synWithOptions(s, 1, 1, 1, 3);   // window scale kind 3 in the last byte: no length byte
        assertEquals(2, s.counter("tcp.rx.options.malformed"));
        // the same through the flyweight: the walk reports BAD_OPTIONS, never an exception
        TcpSegment seg = new TcpSegment();
        byte[] b = s.seg().flags(FLAG_SYN).options(1, 1, 2, 4).bytes();
        byte[] big = Arrays.copyOf(b, b.length + 16);
        Arrays.fill(big, b.length, big.length, (byte) 0x05);
        assertEquals(TcpSegment.BAD_OPTIONS, seg.wrap(dirty ? big : b, 0, b.length).mssOption());
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t07MssLengthAndValueClamped(boolean dirty) {
        int[][] cases = {{0, 64}, {1, 64}, {8, 64}, {536, 536}, {1200, 1200}, {65535, 1460}};
        for (int[] c : cases) {
            TcpScript s = new TcpScript(dirty);
            int h = s.synSent();
            s.in(s.seg(FLAG_SYN | FLAG_ACK, 0, 1).mss(c[0]));
            s.out(FLAG_ACK, 1, 1);
            assertEquals(c[1], s.tcp.mss(h), "peer MSS " + c[0]);
            // never a 1-byte segment storm: a 2000-byte write leaves in segments of the clamped size
            s.send(h, new byte[2000]);
            TcpScript.Sent d = s.out();
            assertEquals(Math.min(c[1], 2000), d.data.length);
        }
        for (int len : new int[] {3, 5}) {
            TcpScript s = new TcpScript(dirty);
            int h = s.synSent();
            int[] opt = len == 3 ? new int[] {2, 3, 5, 0} : new int[] {2, 5, 4, 0, 0, 0, 0, 0};
            s.in(s.seg(FLAG_SYN | FLAG_ACK, 0, 1).options(opt));
            s.out(FLAG_ACK, 1, 1);
            assertEquals(536, s.tcp.mss(h), "MSS option of length " + len + " is ignored (default 536, MUST-15)");
        }
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t08WindowScaleIsIgnored(boolean dirty) {
        // window scaling is not implemented: shift 15 or 255 is ignored; our SYN-ACK carries no option but MSS
        for (int shift : new int[] {15, 255}) {
            TcpScript s = setup(dirty);
            TcpScript.Sent r = synWithOptions(s, 1, 3, 3, shift);
            assertEquals(1460, r.mss);
            assertEquals(0, s.counter("tcp.rx.options.malformed"));
        }
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t09MisalignedMss(boolean dirty) {
        for (int nops = 0; nops <= 3; nops++) {
            TcpScript s = new TcpScript(dirty);
            int h = s.synSent();
            int[] opt = new int[nops + 4];
            Arrays.fill(opt, 1);
            opt[nops] = 2;
            opt[nops + 1] = 4;
            opt[nops + 2] = 1000 >>> 8;
            opt[nops + 3] = 1000 & 0xFF;
            s.in(s.seg(FLAG_SYN | FLAG_ACK, 0, 1).options(opt));
            s.out(FLAG_ACK, 1, 1);
            assertEquals(1000, s.tcp.mss(h), nops + " NOPs before the MSS");
        }
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t10UrgentPointer0xFFFF(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        s.in(s.seg(FLAG_ACK | FLAG_URG, 1, 1).data(10).urgent(0xFFFF));
        assertArrayEquals(TcpScript.pattern(10, TcpScript.PEER_ISN + 1), s.receiveAll(h));
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t11UrgentWithoutDataAndInZeroWindow(boolean dirty) {
        TcpScript s = new TcpScript(new TcpConfig().receiveBufferBytes(1024), dirty, 7);
        int h = s.established();
        s.in(s.seg(FLAG_ACK | FLAG_URG, 1, 1).urgent(5));
        s.none();
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        s.in(s.seg(FLAG_ACK, 1, 1).data(1024));     // fills the window
        s.next();                                    // the delayed ACK
        TcpScript.Sent a = s.out(FLAG_ACK, 1, 1025);
        assertEquals(0, a.window);
        s.in(s.seg(FLAG_ACK | FLAG_URG, 1025, 1).urgent(0xFFFF));
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        assertEquals(1024, s.tcp.available(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t12EverySingleBitFlipIsDropped(boolean dirty) {
        TcpScript s = new TcpScript(dirty);
        int h = s.established();
        for (int bit = 0; bit < 60 * 8; bit++) {
            long before = s.counter("tcp.drop.data.offset") + s.counter("tcp.drop.checksum");
            // a flip in the data-offset nibble may fail the length check first (offset 4, 1) — dropped either way
            s.inRaw(TcpScript.PEER, s.seg(FLAG_ACK | FLAG_PSH, 1, 1).data(40).flip(bit).bytes());
            s.none();
            assertEquals(before + 1, s.counter("tcp.drop.data.offset") + s.counter("tcp.drop.checksum"), "bit " + bit);
            assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        }
        assertEquals(0, s.tcp.available(h));
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t13NineteenBytes(boolean dirty) {
        TcpScript s = setup(dirty);
        int h = s.established();
        byte[] b = Arrays.copyOf(s.seg(FLAG_ACK, 1, 1).bytes(), 19);
        assertDropped(s, h, "tcp.drop.truncated", b);
    }

    @ParameterizedTest(name = "dirty={0}")
    @ValueSource(booleans = {false, true})
    void t14FlagCombinations(boolean dirty) {
        int xmas = FLAG_FIN | FLAG_SYN | FLAG_RST | FLAG_PSH | FLAG_ACK | FLAG_URG | FLAG_ECE | FLAG_CWR;
        // to a listener
        TcpScript s = setup(dirty);
        int h = s.established();
        for (int flags : new int[] {FLAG_SYN | FLAG_FIN, FLAG_SYN | FLAG_RST, FLAG_FIN, 0, xmas}) {
            String counter = flags == FLAG_FIN || flags == 0 ? "tcp.drop.flags" : "tcp.drop.flags";
            assertDropped(s, h, counter, s.seg().flags(flags).seq(100).ack(5).to(LISTEN_PORT).bytes());
        }
        assertEquals(0, s.tcp.halfOpenEntries());
        // to the established connection: without ACK nothing is processed
        for (int flags : new int[] {FLAG_SYN | FLAG_FIN, FLAG_SYN | FLAG_RST, xmas}) {
            assertDropped(s, h, "tcp.drop.flags", s.seg(flags, 1, 1).bytes());
        }
        assertDropped(s, h, "tcp.drop.noack", s.seg(FLAG_FIN, 1, 1).bytes());
        assertDropped(s, h, "tcp.drop.noack", s.seg(0, 1, 1).data(5).bytes());
        assertEquals(TcpState.ESTABLISHED, s.tcp.state(h));
        assertTrue(s.tcp.available(h) == 0);
    }
}
