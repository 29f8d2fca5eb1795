package io.ethling.hal.emulator;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TAP device through the Foreign Function &amp; Memory API (PLATFORM.md §4): opened with
 * {@code IFF_TAP | IFF_NO_PI} on a non-blocking descriptor, so each read or write is exactly one
 * Ethernet frame without FCS. Read and write copy through one pre-allocated native buffer and do
 * not allocate. Not thread-safe: one loop thread.
 *
 * <p>Needs CAP_NET_ADMIN (or a persistent tap owned by the user) and
 * {@code --enable-native-access=ALL-UNNAMED}. Open it from the network namespace that should hold
 * it (DESIGN.md), or move it there afterwards with {@code ip link set NAME netns NS}.
 */
@SuppressWarnings("restricted") // native downcalls, enabled by --enable-native-access
public final class TapDevice implements AutoCloseable {

    // PLATFORM.md §4.1 (x86-64 and aarch64 alike).
    private static final long TUNSETIFF = 0x400454CAL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final int O_RDWR = 0x2;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final short POLLIN = 0x1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;
    private static final int BUFFER = 65536;

    private static final MethodHandle OPEN;
    private static final MethodHandle IOCTL;
    private static final MethodHandle READ;
    private static final MethodHandle WRITE;
    private static final MethodHandle POLL;
    private static final MethodHandle CLOSE;
    /** read/write without errno capture, and glibc's __errno_location (null if absent): see {@link #lastErrnoNow()}. */
    private static final MethodHandle READ_PLAIN;
    private static final MethodHandle WRITE_PLAIN;
    private static final MethodHandle ERRNO_LOCATION;
    private static final MemoryLayout CAPTURE_LAYOUT;
    private static final long ERRNO_OFFSET;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
        // A plain int read at the errno offset: a layout VarHandle allocated per call in some
        // JIT states (measured: 40 bytes per read/write).
        ERRNO_OFFSET = CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
        OPEN = linker.downcallHandle(libc.findOrThrow("open"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), errno);
        IOCTL = linker.downcallHandle(libc.findOrThrow("ioctl"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            errno, Linker.Option.firstVariadicArg(2));
        READ = linker.downcallHandle(libc.findOrThrow("read"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), errno);
        WRITE = linker.downcallHandle(libc.findOrThrow("write"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), errno);
        // poll(2) needs no errno: a failure (EINTR) just reports "nothing to read" this time
        POLL = linker.downcallHandle(libc.findOrThrow("poll"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        CLOSE = linker.downcallHandle(libc.findOrThrow("close"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        READ_PLAIN = linker.downcallHandle(libc.findOrThrow("read"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        WRITE_PLAIN = linker.downcallHandle(libc.findOrThrow("write"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        ERRNO_LOCATION = libc.find("__errno_location")
            .map(a -> linker.downcallHandle(a, FunctionDescriptor.of(ValueLayout.ADDRESS)))
            .orElse(null);
    }

    private MemorySegment errnoCell;
    private Thread errnoThread;

    /**
     * errno right after a failed plain read/write. On JDK 25 a downcall that captures errno can
     * allocate a state segment per call for millions of calls before C2 removes it (seen under
     * load), and an empty non-blocking read fails with EAGAIN on every poll — so the per-frame calls
     * capture nothing and errno is read from its per-thread cell afterwards. Best effort: the JVM
     * may touch errno between the two downcalls; the worst outcome is an empty read reported as an
     * error or the reverse, which the loops treat alike (stop reading until the next poll).
     */
    private int lastErrnoNow() throws Throwable {
        Thread current = Thread.currentThread();
        if (errnoThread != current) {
            errnoCell = ((MemorySegment) ERRNO_LOCATION.invokeExact()).reinterpret(4);
            errnoThread = current;
        }
        return errnoCell.get(ValueLayout.JAVA_INT, 0);
    }

    private final Arena arena;
    private final MemorySegment buffer;
    private final MemorySegment pollfd;
    private final MemorySegment capture;
    private final String name;
    private int fd;
    private int lastErrno;
    // Heap segments of the caller's arrays, cached: callers reuse one frame array, so wrapping
    // happens once (MemorySegment.copy from a byte[] may allocate a wrapper per call otherwise).
    private byte[] readArray;
    private MemorySegment readView;
    private byte[] writeArray;
    private MemorySegment writeView;

    private TapDevice(Arena arena, int fd, String name, MemorySegment capture) {
        this.arena = arena;
        this.fd = fd;
        this.name = name;
        this.capture = capture;
        this.buffer = arena.allocate(BUFFER, 16);
        this.pollfd = arena.allocate(8, 4);
        pollfd.set(ValueLayout.JAVA_INT, 0, fd);
    }

    /**
     * Opens (creating if needed) the TAP device {@code name} ({@code tap%d} patterns allowed) with
     * {@code IFF_TAP | IFF_NO_PI}, non-blocking.
     *
     * @throws IOException if /dev/net/tun cannot be opened or TUNSETIFF fails (with errno)
     */
    public static TapDevice open(String name) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) {
            throw new IOException("tap name must have 1.." + (IFNAMSIZ - 1) + " characters: " + name);
        }
        Arena arena = Arena.ofShared();
        boolean ok = false;
        try {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment path = arena.allocateFrom("/dev/net/tun");
            int fd = (int) OPEN.invokeExact(capture, path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("open /dev/net/tun failed: errno " + errno(capture));
            }
            MemorySegment ifr = arena.allocate(IFREQ_SIZE, 8);
            ifr.fill((byte) 0);
            MemorySegment.copy(nameBytes, 0, ifr, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
            ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI));
            int rc = (int) IOCTL.invokeExact(capture, fd, TUNSETIFF, ifr);
            if (rc < 0) {
                int e = errno(capture);
                int ignored = (int) CLOSE.invokeExact(fd);
                throw new IOException("TUNSETIFF " + name + " failed: errno " + e
                    + (e == 1 ? " (EPERM: needs CAP_NET_ADMIN)" : "") + " (close " + ignored + ")");
            }
            String real = ifr.getString(0, StandardCharsets.US_ASCII);
            TapDevice tap = new TapDevice(arena, fd, real, capture);
            ok = true;
            return tap;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("native call failed", t);
        } finally {
            if (!ok) {
                arena.close();
            }
        }
    }

    private static int errno(MemorySegment capture) {
        return capture.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    /** The interface name the kernel gave (resolves {@code %d} patterns). */
    public String name() {
        return name;
    }

    /** The errno of the last failed read or write (diagnostics). */
    public int lastErrno() {
        return lastErrno;
    }

    /**
     * Reads one frame into {@code dst[off..off+cap)}.
     *
     * @return its length, 0 if none is waiting (EAGAIN), or a negative value on error (-errno;
     *     -1 if closed). A frame longer than {@code cap} is truncated to {@code cap}.
     */
    public int read(byte[] dst, int off, int cap) {
        if (fd < 0) {
            return -1;
        }
        long n;
        int e = 0;
        try {
            if (ERRNO_LOCATION != null) {
                n = (long) READ_PLAIN.invokeExact(fd, buffer, (long) BUFFER);
                if (n < 0) {
                    e = lastErrnoNow();
                }
            } else {
                n = (long) READ.invokeExact(capture, fd, buffer, (long) BUFFER);
                if (n < 0) {
                    e = errno(capture);
                }
            }
        } catch (Throwable t) {
            return -1;
        }
        if (n < 0) {
            lastErrno = e;
            return e == EAGAIN || e == EINTR ? 0 : -Math.max(1, e);
        }
        int len = (int) Math.min(n, cap);
        if (dst != readArray) {
            readArray = dst;
            readView = MemorySegment.ofArray(dst);
        }
        MemorySegment.copy(buffer, 0, readView, off, len);
        return len;
    }

    /**
     * Writes one frame (destination MAC .. payload, no FCS).
     *
     * @return {@code len}, 0 if the kernel queue is full (EAGAIN), or a negative value on error
     */
    public int write(byte[] src, int off, int len) {
        if (fd < 0) {
            return -1;
        }
        if (len < 0 || len > BUFFER) {
            return -22; // EINVAL
        }
        if (src != writeArray) {
            writeArray = src;
            writeView = MemorySegment.ofArray(src);
        }
        MemorySegment.copy(writeView, off, buffer, 0, len);
        long n;
        int e = 0;
        try {
            if (ERRNO_LOCATION != null) {
                n = (long) WRITE_PLAIN.invokeExact(fd, buffer, (long) len);
                if (n < 0) {
                    e = lastErrnoNow();
                }
            } else {
                n = (long) WRITE.invokeExact(capture, fd, buffer, (long) len);
                if (n < 0) {
                    e = errno(capture);
                }
            }
        } catch (Throwable t) {
            return -1;
        }
        if (n < 0) {
            lastErrno = e;
            return e == EAGAIN || e == EINTR ? 0 : -Math.max(1, e);
        }
        return (int) n;
    }

    /** Waits up to {@code timeoutMs} (poll(2)) for a frame; true if one can be read. */
    public boolean awaitReadable(int timeoutMs) {
        if (fd < 0) {
            return false;
        }
        pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
        pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        int rc;
        try {
            rc = (int) POLL.invokeExact(pollfd, 1L, timeoutMs);
        } catch (Throwable t) {
            return false;
        }
        return rc > 0 && (pollfd.get(ValueLayout.JAVA_SHORT, 6) & POLLIN) != 0;
    }

    /** Closes the descriptor; a non-persistent tap disappears. Idempotent. */
    @Override
    public void close() {
        if (fd < 0) {
            return;
        }
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // nothing sensible to do on close
        }
        fd = -1;
        arena.close();
    }
}
