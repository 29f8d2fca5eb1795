package io.ethling.hal.pi4j;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/**
 * A stand-in for the kernel's spidev behind {@link SpidevCalls}. It decodes what the device puts
 * in memory exactly as the kernel would (struct spi_ioc_transfer at the offsets of PLATFORM.md
 * §1.3, ioctl numbers checked here independently from the _IOC formula), records it, and writes
 * the programmed response into the receive buffer the struct points at.
 *
 * <p>Steady-state transfers allocate nothing: the native views of the tx/rx addresses are made
 * once per address and reused, and everything recorded goes into primitive fields or
 * pre-allocated arrays.
 */
final class FakeSpidev implements SpidevCalls {

    static final int FD = 42;

    // Recorded setup.
    String openedPath;
    int openFlags;
    int openErrno;          // non-zero: open fails with this errno
    int closes;
    final long[] settingRequests = new long[64];
    final int[] settingValues = new int[64];
    int settings;
    int mode = -1;          // last SPI_IOC_WR_MODE32 value
    int modeReadback = -2;  // what SPI_IOC_RD_MODE32 reports; -2 = echo `mode`
    int bitsPerWord = -1;
    int maxSpeedHz = -1;
    int settingErrno;       // non-zero: the setting ioctl with request failRequest fails
    long failRequest;

    // Recorded transfers.
    int messages;
    long lastTxBuf;
    long lastRxBuf;
    int lastLen;
    int lastSpeedHz;
    int lastDelayUsecs;
    int lastBitsPerWord;
    int lastCsChange;
    int lastTxNbits;
    int lastRxNbits;
    int lastWordDelay;
    final byte[] lastTx = new byte[8192];
    int nextFailErrno;     // non-zero: the next message fails with this errno
    int shortBy;           // non-zero: messages report this many bytes fewer
    /** Byte i of every transfer's response is response[i]. */
    final byte[] response = new byte[8192];

    int errno;
    int wrongRequests;     // ioctls with a request number no spidev knows

    private long txViewAddr;
    private MemorySegment txView;
    private long rxViewAddr;
    private MemorySegment rxView;

    @Override
    public int open(String path, int flags) {
        openedPath = path;
        openFlags = flags;
        if (openErrno != 0) {
            errno = openErrno;
            return -1;
        }
        return FD;
    }

    @Override
    public int ioctl(int fd, long request, MemorySegment arg) {
        if (fd != FD) {
            errno = 9; // EBADF
            return -1;
        }
        if (request == ioc(1, 0, 32)) { // SPI_IOC_MESSAGE(1)
            return message(arg);
        }
        if (settings < settingRequests.length) {
            settingRequests[settings] = request;
            settingValues[settings] = request == ioc(1, 3, 1) ? arg.get(JAVA_BYTE, 0) : arg.get(JAVA_INT, 0);
            settings++;
        }
        if (settingErrno != 0 && request == failRequest) {
            errno = settingErrno;
            return -1;
        }
        if (request == ioc(1, 5, 4)) {          // SPI_IOC_WR_MODE32
            mode = arg.get(JAVA_INT, 0);
        } else if (request == ioc(2, 5, 4)) {   // SPI_IOC_RD_MODE32
            arg.set(JAVA_INT, 0, modeReadback == -2 ? mode : modeReadback);
        } else if (request == ioc(1, 3, 1)) {   // SPI_IOC_WR_BITS_PER_WORD
            bitsPerWord = arg.get(JAVA_BYTE, 0);
        } else if (request == ioc(1, 4, 4)) {   // SPI_IOC_WR_MAX_SPEED_HZ
            maxSpeedHz = arg.get(JAVA_INT, 0);
        } else {
            wrongRequests++;
            errno = 25; // ENOTTY
            return -1;
        }
        return 0;
    }

    private int message(MemorySegment arg) {
        messages++;
        if (arg.byteSize() < 32) {
            errno = 14; // EFAULT
            return -1;
        }
        lastTxBuf = arg.get(JAVA_LONG, 0);
        lastRxBuf = arg.get(JAVA_LONG, 8);
        lastLen = arg.get(JAVA_INT, 16);
        lastSpeedHz = arg.get(JAVA_INT, 20);
        lastDelayUsecs = arg.get(JAVA_SHORT, 24) & 0xFFFF;
        lastBitsPerWord = arg.get(JAVA_BYTE, 26);
        lastCsChange = arg.get(JAVA_BYTE, 27);
        lastTxNbits = arg.get(JAVA_BYTE, 28);
        lastRxNbits = arg.get(JAVA_BYTE, 29);
        lastWordDelay = arg.get(JAVA_BYTE, 30);
        if (nextFailErrno != 0) {
            errno = nextFailErrno;
            nextFailErrno = 0;
            return -1;
        }
        final int len = lastLen;
        if (len > 4096) {
            errno = 90; // EMSGSIZE, as spidev with the default bufsiz
            return -1;
        }
        if (lastTxBuf != 0) {
            if (lastTxBuf != txViewAddr) {
                txViewAddr = lastTxBuf;
                txView = MemorySegment.ofAddress(lastTxBuf).reinterpret(4096);
            }
            MemorySegment.copy(txView, JAVA_BYTE, 0, lastTx, 0, len);
        } else {
            java.util.Arrays.fill(lastTx, 0, len, (byte) 0);
        }
        if (lastRxBuf != 0) {
            if (lastRxBuf != rxViewAddr) {
                rxViewAddr = lastRxBuf;
                rxView = MemorySegment.ofAddress(lastRxBuf).reinterpret(4096);
            }
            MemorySegment.copy(response, 0, rxView, JAVA_BYTE, 0, len);
        }
        return len - shortBy;
    }

    @Override
    public int close(int fd) {
        closes++;
        return 0;
    }

    @Override
    public int errno() {
        return errno;
    }

    @Override
    public String strerror(int errno) {
        return switch (errno) {
            case 2 -> "No such file or directory";
            case 13 -> "Permission denied";
            case 16 -> "Device or resource busy";
            case 22 -> "Invalid argument";
            case 25 -> "Inappropriate ioctl for device";
            default -> "errno " + errno;
        };
    }

    /** _IOC(dir, 'k', nr, size) as in the kernel's asm-generic/ioctl.h: dir 1 = write, 2 = read. */
    static long ioc(int dir, int nr, int size) {
        return ((long) dir << 30) | ((long) size << 16) | ((long) 'k' << 8) | nr;
    }
}
