package io.ethling.tools.pcap;

import io.ethling.tools.journey.SyntheticFetch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapWriterTest {

    static final long EPOCH = 1_763_700_000_000_000_000L;     // a fixed instant: reproducible files

    final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void writesTheGlobalHeaderAndOneRecordPerFrameLittleEndian() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PcapWriter w = new PcapWriter(bytes, false, EPOCH);
        byte[] frame = new byte[70];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) i;
        }
        w.onFrame(true, frame, 5, 60, 1_234_567_891L);        // 1.234567891 s after EPOCH
        w.onFrame(false, frame, 0, 14, 2_000_000_000L);
        w.close();
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(24 + 16 + 60 + 16 + 14, b.remaining());
        assertEquals(0xA1B2C3D4, b.getInt(0));
        assertEquals(2, b.getShort(4));
        assertEquals(4, b.getShort(6));
        assertEquals(0, b.getInt(8));
        assertEquals(0, b.getInt(12));
        assertEquals(65535, b.getInt(16));
        assertEquals(1, b.getInt(20), "linktype Ethernet");
        long t = EPOCH + 1_234_567_891L;
        assertEquals(t / 1_000_000_000L, b.getInt(24) & 0xFFFF_FFFFL);
        assertEquals((t % 1_000_000_000L) / 1000, b.getInt(28), "microseconds");
        assertEquals(60, b.getInt(32), "incl_len");
        assertEquals(60, b.getInt(36), "orig_len");
        byte[] data = new byte[60];
        b.get(40, data);
        assertArrayEquals(java.util.Arrays.copyOfRange(frame, 5, 65), data);
        assertEquals(14, b.getInt(40 + 60 + 8));
        assertEquals(2, w.counters().value(PcapWriter.C_FRAMES));
        assertEquals(74, w.counters().value(PcapWriter.C_BYTES));
    }

    @Test
    void nanosecondFilesCarryTheirMagicAndNanoseconds() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PcapWriter w = new PcapWriter(bytes, true, EPOCH);
        w.onFrame(true, new byte[60], 0, 60, 987_654_321L);
        w.close();
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xA1B23C4D, b.getInt(0));
        assertEquals((EPOCH + 987_654_321L) % 1_000_000_000L, b.getInt(28));
    }

    @Test
    void aFailingStreamStopsTheCaptureWithoutDisturbingTheCaller() throws IOException {
        OutputStream broken = new OutputStream() {
            int writes;

            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (++writes > 1) {
                    throw new IOException("disk full");
                }
            }
        };
        PcapWriter w = new PcapWriter(broken, true, 0, 16 + 65535);
        byte[] frame = new byte[1514];
        for (int i = 0; i < 200; i++) {
            w.onFrame(true, frame, 0, frame.length, i);       // fills the buffer, the write fails
        }
        assertTrue(w.failed());
        assertEquals(1, w.counters().value(PcapWriter.C_WRITE_ERRORS));
        assertTrue(w.counters().value(PcapWriter.C_DROPPED_AFTER_ERROR) > 0);
        IOException e = assertThrows(IOException.class, w::close);
        assertTrue(e.getMessage().startsWith("pcap capture incomplete"), e.getMessage());
    }

    @Test
    void badSetupIsRefusedWithOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PcapWriter(new ByteArrayOutputStream(), true, 0, 1000));
        assertEquals("pcap buffer must hold one record of 65551 bytes, not 1000", e.getMessage());
    }

    @Test
    void writingFramesToAFileAllocatesNothing() throws IOException {
        Path file = Files.createDirectories(Path.of("target", "pcap")).resolve("allocation.pcap");
        PcapWriter w = PcapWriter.create(file, EPOCH);
        byte[] big = new byte[1514];
        byte[] small = new byte[60];
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 6 && best != 0; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 5_000; i++) {                 // ~7.6 MB: the buffer is handed on many times
                w.onFrame((i & 1) == 0, big, 0, big.length, i * 1000L);
                w.onFrame(true, small, 0, small.length, i * 1000L + 1);
            }
            w.flush();
            best = Math.min(best, mx.getCurrentThreadAllocatedBytes() - before);
            System.out.println("pcap round " + round + ": " + best + " bytes");
        }
        assertEquals(0, best, "bytes allocated per frame written");
        assertFalse(w.failed());
        w.close();
        long frames = w.counters().value(PcapWriter.C_FRAMES);
        assertEquals(24 + frames * 16 + w.counters().value(PcapWriter.C_BYTES), Files.size(file), "every record reached the file");
    }

    @Test
    void tsharkReadsTheSyntheticFetchWithoutMalformedFrames() throws Exception {
        Assumptions.assumeTrue(Tshark.find() != null, Tshark.MISSING);
        Path dir = Files.createDirectories(Path.of("target", "pcap"));
        Path file = dir.resolve("synthetic-fetch.pcap");
        List<SyntheticFetch.Frame> frames = SyntheticFetch.frames();
        try (PcapWriter w = PcapWriter.create(file, EPOCH)) {
            for (SyntheticFetch.Frame f : frames) {
                w.onFrame(f.outbound(), f.bytes(), 0, f.bytes().length, f.timeNs());
            }
        }
        List<String> lines = Tshark.summary(file);
        String all = String.join("\n", lines);
        assertEquals(frames.size(), lines.size(), all);
        assertFalse(all.contains("Malformed"), all);
        assertTrue(all.contains("ARP"), all);
        assertTrue(all.contains("DNS") && all.contains("lab.test"), all);
        assertTrue(all.contains("GET /index.html HTTP/1.1"), all);
        assertTrue(all.contains("HTTP/1.1 200 OK"), all);
        assertTrue(all.contains("[SYN]") && all.contains("[SYN, ACK]") && all.contains("[FIN, ACK]"), all);
        String expert = Tshark.read(file, "-q", "-z", "expert");
        assertFalse(expert.contains("Malformed"), expert);
        assertFalse(expert.toLowerCase(java.util.Locale.ROOT).contains("checksum"), "no bad checksums: " + expert);
    }
}
