package io.ethling.tools.pcap;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.stack.iface.FrameTap;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Writes every frame the stack sends and receives to a classic libpcap file (the format of
 * tcpdump and Wireshark: a 24-byte global header, then a 16-byte record header before each
 * frame; link type 1, Ethernet, frames without FCS). Install it as the stack's
 * {@link FrameTap} (or beside the journey through {@code TeeFrameTap}).
 *
 * <p>Records are built in one pre-allocated buffer and handed to the stream when it fills, on
 * {@link #flush()} and on {@link #close()}: nothing is allocated per frame. A write error is
 * counted ({@code write.errors}) and stops the capture; the stack is never disturbed by it.
 *
 * <p>Times: the stack's clock is monotonic, pcap's is the Unix epoch, so each record's time is
 * {@code epochNsAtZero + nowNs}. The CLI passes the wall-clock offset of its clock; tests pass a
 * fixed value for reproducible files. With nanosecond resolution the file has magic
 * {@code 0xa1b23c4d}, otherwise {@code 0xa1b2c3d4} and microseconds. All fields are written
 * little-endian, which the magic number announces to readers.
 */
public final class PcapWriter implements FrameTap, Closeable {

    public static final int MAGIC_MICROSECONDS = 0xA1B2C3D4;
    public static final int MAGIC_NANOSECONDS = 0xA1B23C4D;
    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 4;
    public static final int SNAPLEN = 65_535;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int GLOBAL_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;

    public static final int C_FRAMES = 0;
    public static final int C_BYTES = 1;
    public static final int C_TRUNCATED = 2;
    public static final int C_WRITE_ERRORS = 3;
    public static final int C_DROPPED_AFTER_ERROR = 4;
    private static final String[] COUNTER_NAMES = {"frames", "bytes", "truncated", "write.errors", "dropped.after.error"};

    private static final long NS_PER_S = 1_000_000_000L;

    private final OutputStream out;
    private final boolean nanoseconds;
    private final long epochNsAtZero;
    private final byte[] buffer;
    private final CounterSet counters = new CounterSet(COUNTER_NAMES);
    private int fill;
    private boolean failed;
    private boolean closed;

    /**
     * Starts a capture on {@code out} (the writer owns it from now on and closes it) and writes
     * the global header at once.
     *
     * @param bufferBytes the record buffer, at least one largest record (16 + 65535 bytes)
     */
    public PcapWriter(OutputStream out, boolean nanoseconds, long epochNsAtZero, int bufferBytes) throws IOException {
        if (out == null) {
            throw new IllegalArgumentException("pcap output stream is required");
        }
        if (bufferBytes < RECORD_HEADER_LENGTH + SNAPLEN) {
            throw new IllegalArgumentException("pcap buffer must hold one record of " + (RECORD_HEADER_LENGTH + SNAPLEN)
                    + " bytes, not " + bufferBytes);
        }
        this.out = out;
        this.nanoseconds = nanoseconds;
        this.epochNsAtZero = epochNsAtZero;
        this.buffer = new byte[bufferBytes];
        putLe32(0, nanoseconds ? MAGIC_NANOSECONDS : MAGIC_MICROSECONDS);
        putLe16(4, VERSION_MAJOR);
        putLe16(6, VERSION_MINOR);
        putLe32(8, 0);                              // thiszone: times are UTC
        putLe32(12, 0);                             // sigfigs
        putLe32(16, SNAPLEN);
        putLe32(20, LINKTYPE_ETHERNET);
        fill = GLOBAL_HEADER_LENGTH;
        writeBuffer();
        if (failed) {
            throw new IOException("cannot write the pcap header");
        }
    }

    public PcapWriter(OutputStream out, boolean nanoseconds, long epochNsAtZero) throws IOException {
        this(out, nanoseconds, epochNsAtZero, 1 << 17);
    }

    /**
     * Creates (or truncates) {@code file} and starts a capture in it; nanosecond timestamps. A
     * {@link FileOutputStream} writes a {@code byte[]} range natively without allocating on the
     * Java heap (a channel stream would wrap it in a new ByteBuffer per write).
     */
    public static PcapWriter create(Path file, long epochNsAtZero) throws IOException {
        FileOutputStream out = new FileOutputStream(file.toFile());
        try {
            return new PcapWriter(out, true, epochNsAtZero);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** The offset that turns this JVM's {@code System.nanoTime()} into Unix-epoch nanoseconds (cold path). */
    public static long epochOffsetOfNanoTime() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * NS_PER_S + now.getNano() - System.nanoTime();
    }

    public Counters counters() {
        return counters;
    }

    /** Whether a write failed (the capture stopped there). */
    public boolean failed() {
        return failed;
    }

    @Override
    public void onFrame(boolean outbound, byte[] frame, int off, int len, long nowNs) {
        if (failed || closed) {
            counters.inc(C_DROPPED_AFTER_ERROR);
            return;
        }
        if (len < 0 || off < 0 || off > frame.length - len) {
            return;                                  // not a frame: nothing to record
        }
        int captured = Math.min(len, SNAPLEN);
        if (captured < len) {
            counters.inc(C_TRUNCATED);
        }
        if (fill + RECORD_HEADER_LENGTH + captured > buffer.length) {
            writeBuffer();
            if (failed) {
                counters.inc(C_DROPPED_AFTER_ERROR);
                return;
            }
        }
        long t = epochNsAtZero + nowNs;
        long seconds = Math.floorDiv(t, NS_PER_S);
        long fraction = Math.floorMod(t, NS_PER_S);
        putLe32(fill, (int) seconds);
        putLe32(fill + 4, (int) (nanoseconds ? fraction : fraction / 1000));
        putLe32(fill + 8, captured);                 // incl_len
        putLe32(fill + 12, len);                     // orig_len
        System.arraycopy(frame, off, buffer, fill + RECORD_HEADER_LENGTH, captured);
        fill += RECORD_HEADER_LENGTH + captured;
        counters.inc(C_FRAMES);
        counters.add(C_BYTES, len);
    }

    /** Hands the buffered records to the stream and flushes it. */
    public void flush() {
        if (failed || closed) {
            return;
        }
        writeBuffer();
        if (!failed) {
            try {
                out.flush();
            } catch (IOException e) {
                fail();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        out.close();
        if (failed) {
            throw new IOException("pcap capture incomplete: a write failed after " + counters.value(C_FRAMES) + " frames");
        }
    }

    private void writeBuffer() {
        if (fill == 0) {
            return;
        }
        try {
            out.write(buffer, 0, fill);
            fill = 0;
        } catch (IOException e) {
            fail();
        }
    }

    private void fail() {
        failed = true;
        fill = 0;
        counters.inc(C_WRITE_ERRORS);
    }

    private void putLe16(int at, int v) {
        buffer[at] = (byte) v;
        buffer[at + 1] = (byte) (v >>> 8);
    }

    private void putLe32(int at, int v) {
        buffer[at] = (byte) v;
        buffer[at + 1] = (byte) (v >>> 8);
        buffer[at + 2] = (byte) (v >>> 16);
        buffer[at + 3] = (byte) (v >>> 24);
    }
}
