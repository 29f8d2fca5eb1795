package io.ethling.hal.pi4j;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * {@link SpidevCalls} through the Foreign Function &amp; Memory API: libc's {@code open},
 * {@code ioctl}, {@code close} and {@code strerror}, found with the native linker's default lookup
 * (PLATFORM.md §4.2).
 *
 * <ul>
 *   <li>{@code errno} is captured with {@code Linker.Option.captureCallState("errno")} into a state
 *       segment allocated once per instance (PLATFORM.md §4.2 item 2), so reading it never
 *       allocates and no later libc call can overwrite it first. Measured on Temurin 25 (x86-64):
 *       a capturing downcall allocates 40 bytes per call until C2 compiles the caller (the
 *       JDK's {@code SharedUtils.checkCaptureSegment} slices the state segment on every call,
 *       seen with JFR allocation samples), after which escape analysis removes it (about 20,000-60,000 calls; a plain downcall without
 *       capture allocates nothing even interpreted). {@code FfmSpidevCallsTest} checks that
 *       the steady state is zero.</li>
 *   <li>{@code ioctl(int, unsigned long, ...)} is variadic: linked with
 *       {@code Linker.Option.firstVariadicArg(2)} (PLATFORM.md §4.2 item 1). The request is a C
 *       {@code unsigned long}; its size comes from the linker's canonical {@code long} layout, and
 *       on a 32-bit system the Java {@code long} is narrowed, so callers always pass a
 *       {@code long}.</li>
 *   <li>Not {@code Linker.Option.critical}: an {@code SPI_IOC_MESSAGE} ioctl blocks for the whole
 *       transfer (about 1.3 ms for a 1518-byte frame at 10 MHz, longer while the SPI queue is busy),
 *       and critical downcalls must be short because they hold off the garbage collector
 *       (PLATFORM.md §4.3). The buffers are native segments instead, copied with
 *       {@code MemorySegment.copy}.</li>
 * </ul>
 *
 * <p>One instance per device: the errno state is per instance and not thread-safe.
 */
final class FfmSpidevCalls implements SpidevCalls {

    private static final StructLayout STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            STATE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** Linked once, on first use, so that tests with a fake never touch the linker. */
    private static final class Handles {
        static final MethodHandle OPEN;
        static final MethodHandle IOCTL;
        /** ioctl without errno capture: the per-transfer path (see {@link FfmSpidevCalls#ioctl}). */
        static final MethodHandle IOCTL_PLAIN;
        /** glibc's {@code int *__errno_location(void)}, or null where the C library lacks it. */
        static final MethodHandle ERRNO_LOCATION;
        static final MethodHandle CLOSE;
        static final MethodHandle STRERROR;

        static {
            final Linker linker = Linker.nativeLinker();
            final SymbolLookup libc = linker.defaultLookup();
            final Linker.Option errno = Linker.Option.captureCallState("errno");
            OPEN = linker.downcallHandle(find(libc, "open"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), errno);
            final ValueLayout cLong = (ValueLayout) linker.canonicalLayouts().get("long");
            final MethodHandle ioctl = linker.downcallHandle(find(libc, "ioctl"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, cLong, ADDRESS),
                    errno, Linker.Option.firstVariadicArg(2));
            // Present one shape, (state, int fd, long request, arg) -> int, on every ABI: on a
            // 32-bit system the request is narrowed to the C unsigned long's 32 bits.
            IOCTL = MethodHandles.explicitCastArguments(ioctl, MethodType.methodType(
                    int.class, MemorySegment.class, int.class, long.class, MemorySegment.class));
            final MethodHandle plain = linker.downcallHandle(find(libc, "ioctl"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, cLong, ADDRESS), Linker.Option.firstVariadicArg(2));
            IOCTL_PLAIN = MethodHandles.explicitCastArguments(plain, MethodType.methodType(
                    int.class, int.class, long.class, MemorySegment.class));
            ERRNO_LOCATION = libc.find("__errno_location")
                    .map(a -> linker.downcallHandle(a, FunctionDescriptor.of(ADDRESS)))
                    .orElse(null);
            CLOSE = linker.downcallHandle(find(libc, "close"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
            STRERROR = linker.downcallHandle(find(libc, "strerror"),
                    FunctionDescriptor.of(ADDRESS, JAVA_INT));
        }

        private static MemorySegment find(SymbolLookup lookup, String name) {
            return lookup.find(name).orElseThrow(
                    () -> new UnsatisfiedLinkError("libc symbol not found: " + name));
        }
    }

    private final MemorySegment state;
    private int lastErrno;
    private MemorySegment errnoCell;
    private Thread errnoThread;

    FfmSpidevCalls() {
        this.state = Arena.ofAuto().allocate(STATE_LAYOUT);
    }

    @Override
    public int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) Handles.OPEN.invokeExact(state, arena.allocateFrom(path), flags);
            lastErrno = rc < 0 ? (int) ERRNO.get(state, 0L) : 0;
            return rc;
        } catch (Throwable t) {
            throw new IllegalStateException("open(" + path + ") downcall failed", t);
        }
    }

    /**
     * One ioctl. The per-transfer path must not allocate, and on JDK 25 a downcall that captures
     * errno allocates a small state segment per call until (and unless) C2 removes it — seen to
     * persist for millions of calls on a loaded machine. So the call itself captures nothing; only
     * when it fails is errno read, through glibc's {@code __errno_location()}. That read is best
     * effort (the JVM may touch errno between the two downcalls), which is acceptable because
     * errno only names the failure for diagnostics: the failure itself is the -1 return. Where the
     * C library has no {@code __errno_location}, the capturing handle is used.
     */
    @Override
    public int ioctl(int fd, long request, MemorySegment arg) {
        try {
            if (Handles.ERRNO_LOCATION == null) {
                int rc = (int) Handles.IOCTL.invokeExact(state, fd, request, arg);
                lastErrno = rc < 0 ? (int) ERRNO.get(state, 0L) : 0;
                return rc;
            }
            int rc = (int) Handles.IOCTL_PLAIN.invokeExact(fd, request, arg);
            if (rc < 0) {
                // errno lives at a fixed address per thread: look it up once per (platform) thread
                Thread current = Thread.currentThread();
                if (errnoThread != current) {
                    errnoCell = ((MemorySegment) Handles.ERRNO_LOCATION.invokeExact()).reinterpret(4);
                    errnoThread = current;
                }
                lastErrno = errnoCell.get(ValueLayout.JAVA_INT, 0);
            }
            return rc;
        } catch (Throwable t) {
            // invokeExact declares Throwable; a downcall with these exact types does not throw.
            throw new IllegalStateException("ioctl downcall failed", t);
        }
    }

    @Override
    public int close(int fd) {
        try {
            int rc = (int) Handles.CLOSE.invokeExact(state, fd);
            lastErrno = rc < 0 ? (int) ERRNO.get(state, 0L) : 0;
            return rc;
        } catch (Throwable t) {
            throw new IllegalStateException("close downcall failed", t);
        }
    }

    /** errno of the last failed call (open and close capture it exactly; ioctl, see {@link #ioctl}). */
    @Override
    public int errno() {
        return lastErrno;
    }

    @Override
    public String strerror(int errno) {
        try {
            final MemorySegment text = (MemorySegment) Handles.STRERROR.invokeExact(errno);
            if (text.equals(MemorySegment.NULL)) {
                return "errno " + errno;
            }
            return text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
