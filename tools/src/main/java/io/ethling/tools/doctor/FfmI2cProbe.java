package io.ethling.tools.doctor;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Asks whether a device answers at an I2C address the way {@code i2cdetect -r} does: open
 * {@code /dev/i2c-N}, {@code ioctl(I2C_SLAVE, addr)}, read one byte (Linux i2c-dev,
 * {@code Documentation/i2c/dev-interface.rst}). A read changes nothing on a PCF8574 (it returns
 * the port) or on an MCP23017 (it returns the register the pointer is at), so it is safe for both
 * LCDs — unlike a quick-write probe. Cold path (FFM, allocates); doctor only.
 */
@SuppressWarnings("restricted") // native downcalls, enabled by --enable-native-access
public final class FfmI2cProbe implements Doctor.I2cProbe {

    /** {@code I2C_SLAVE} from {@code linux/i2c-dev.h}. */
    static final long I2C_SLAVE = 0x0703;
    static final int O_RDWR = 0x2;
    static final int O_CLOEXEC = 0x80000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(pathTo("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");

    private static java.lang.foreign.MemoryLayout.PathElement pathTo(String name) {
        return java.lang.foreign.MemoryLayout.PathElement.groupElement(name);
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment sym = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(sym, fd, options);
    }

    @Override
    public String probe(String path, int address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MethodHandle open = handle("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ERRNO_OPT);
            MethodHandle ioctl = handle("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
                    ERRNO_OPT, Linker.Option.firstVariadicArg(2));
            MethodHandle read = handle("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPT);
            MethodHandle close = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            MethodHandle strerror = handle("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
            int fd = (int) open.invokeExact(state, arena.allocateFrom(path), O_RDWR | O_CLOEXEC);
            if (fd < 0) {
                return "cannot open " + path + ": " + text(strerror, (int) ERRNO.get(state, 0L));
            }
            try {
                if ((int) ioctl.invokeExact(state, fd, I2C_SLAVE, (long) address) < 0) {
                    int errno = (int) ERRNO.get(state, 0L);
                    return "I2C_SLAVE " + hex(address) + ": " + text(strerror, errno)
                            + (errno == 16 ? " (a kernel driver claims that address)" : "");
                }
                MemorySegment b = arena.allocate(1);
                long n = (long) read.invokeExact(state, fd, b, 1L);
                if (n != 1) {
                    return "no answer at " + hex(address) + " (" + text(strerror, (int) ERRNO.get(state, 0L)) + ")";
                }
                return null;
            } finally {
                int ignored = (int) close.invokeExact(fd);
            }
        } catch (Throwable t) {
            return "probe failed: " + t;
        }
    }

    private static String text(MethodHandle strerror, int errno) throws Throwable {
        MemorySegment s = (MemorySegment) strerror.invokeExact(errno);
        return s.reinterpret(256).getString(0);
    }

    static String hex(int address) {
        return String.format("0x%02x", address);
    }
}
