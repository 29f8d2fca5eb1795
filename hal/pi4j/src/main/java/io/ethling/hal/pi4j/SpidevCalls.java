package io.ethling.hal.pi4j;

import java.lang.foreign.MemorySegment;

/**
 * The few libc calls {@link SpidevSpiDevice} needs, behind an interface so tests can stand in for
 * the kernel. {@link FfmSpidevCalls} is the real one (FFM downcalls into libc).
 *
 * <p>Every call that can fail returns -1 and leaves the error number for {@link #errno()}, as libc
 * does; nothing here throws for an operating-system error.
 */
interface SpidevCalls {

    /** {@code open(path, flags)}: a file descriptor, or -1. Cold path (may allocate). */
    int open(String path, int flags);

    /**
     * {@code ioctl(fd, request, arg)}: the result (≥ 0), or -1. Must not allocate: it is on the data
     * path.
     */
    int ioctl(int fd, long request, MemorySegment arg);

    /** {@code close(fd)}: 0, or -1. */
    int close(int fd);

    /** The {@code errno} left by the last call that returned -1. */
    int errno();

    /** A readable text for an error number, e.g. "No such file or directory". Cold path. */
    String strerror(int errno);
}
