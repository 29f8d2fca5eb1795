package io.ethling.hal.enc28j60;

import static io.ethling.hal.enc28j60.Regs.*;

import io.ethling.hal.Clock;
import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.hal.DigitalInput;
import io.ethling.hal.DigitalOutput;
import io.ethling.hal.EthernetDevice;
import io.ethling.hal.SpiDevice;

/**
 * Driver for the Microchip ENC28J60 10BASE-T controller over SPI, written from ENC28J60.md (data
 * sheet DS39662E, errata DS80349C).
 *
 * <p>Design, in short (details at each method):
 * <ul>
 *   <li>Memory: receive ring 0x0000..rxBufferEnd (errata #5: ERXST = 0; errata #14: odd end),
 *       one transmit buffer right after it (control byte, frame, 7-byte status vector).</li>
 *   <li>The data path never leaves bank 0. "Packet pending" is learned from ERXWRPT against the
 *       driver's next-packet pointer (ERXWRPT moves only when a whole packet is stored, §5 design
 *       note), never from EIR.PKTIF (errata #6); EPKTCNT (bank 1) is only used by the supervisor
 *       and the E10 reconciliation. Usually one RCR of ERXWRPTL suffices: the write pointer and
 *       the next pointer are both even, so any difference in either byte means a packet; a burst
 *       costs one such read, and ERXRDPT is written once after it.</li>
 *   <li>Trust: with an INT pin an asserted INT proves EIE is still ours (any reset clears it), so
 *       the ring is read at once; otherwise ECON1 is confirmed first (at most once per ms). A
 *       transmission is started only after ECON1 reads back as we left it.</li>
 *   <li>Streaming receive (§5 streaming variant): one RBM for the 6-byte header, one for the frame,
 *       its FCS and the pad byte, after which ERDPT already sits on the next packet.</li>
 *   <li>Transmit returns as soon as TXRTS is set; completion is checked by the next
 *       {@link #transmit} or {@link #poll}. Pointer registers are shadowed so that only the bytes
 *       that change are written.</li>
 *   <li>A supervisor, run from {@link #poll} every supervisorIntervalNs, checks that the chip still
 *       holds our configuration and re-initialises it (same MAC, same configuration) if it was
 *       reset or stopped answering, retrying with exponential back-off while the bus is dead.</li>
 * </ul>
 * Single-threaded; nothing on the data path allocates.
 */
public final class Enc28j60 implements EthernetDevice {

    // ---- counters (indices into the CounterSet, names below)
    static final int C_RX_FRAMES = 0;
    static final int C_RX_BYTES = 1;
    static final int C_RX_DROP_STATUS = 2;
    static final int C_RX_DROP_CRC = 3;
    static final int C_RX_DROP_LENGTH = 4;
    static final int C_RX_DROP_TOOSMALL = 5;
    static final int C_RX_DROP_NEXTPTR = 6;
    static final int C_RX_OVERFLOW = 7;
    static final int C_RX_RESET = 8;
    static final int C_RX_PHANTOM = 9;
    static final int C_RX_DEAF = 10;
    static final int C_TX_FRAMES = 11;
    static final int C_TX_BYTES = 12;
    static final int C_TX_ABORT = 13;
    static final int C_TX_LATECOL_RETRY = 14;
    static final int C_TX_TIMEOUT = 15;
    static final int C_TX_RESET = 16;
    static final int C_TX_BUSY = 17;
    static final int C_TX_DROP_LENGTH = 18;
    static final int C_TX_DROP_LINKDOWN = 19;
    static final int C_TX_LOST = 20;
    static final int C_LINK_DOWN = 21;
    static final int C_LINK_UP = 22;
    static final int C_CHIP_REINIT = 23;
    static final int C_CHIP_ABSENT = 24;
    static final int C_CHIP_FAULT = 25;
    static final int C_SUPERVISOR_CHECKS = 26;
    static final int C_SPI_ERRORS = 27;
    static final int C_SPI_GARBAGE = 28;
    static final int C_MII_TIMEOUT = 29;
    static final int C_INT_SPURIOUS = 30;
    static final int C_BUFFER_ERROR = 31;
    static final int C_INIT_FAILED = 32;

    private static final String[] COUNTER_NAMES = {
        "rx.frames", "rx.bytes", "rx.drop.status", "rx.drop.crc", "rx.drop.length", "rx.drop.toosmall",
        "rx.drop.nextptr", "rx.overflow", "rx.reset", "rx.phantom", "rx.deaf",
        "tx.frames", "tx.bytes", "tx.abort", "tx.latecollision.retry", "tx.timeout", "tx.reset", "tx.busy",
        "tx.drop.length", "tx.drop.linkdown", "tx.lost",
        "link.down", "link.up", "chip.reinit", "chip.absent", "chip.fault", "supervisor.checks",
        "spi.errors", "spi.garbage", "mii.timeout", "int.spurious", "rx.buffer.error", "chip.init.failed",
    };

    /** Errata #1: MAC/MII access is unreliable below 8 MHz. */
    static final int MIN_SAFE_SPI_HZ = 8_000_000;
    /** Errata #2: after SRC wait at least 1 ms without trusting CLKRDY; we wait 2 ms like Linux. */
    static final long RESET_WAIT_NS = 2_000_000L;
    /** Errata #19: after clearing PWRSV give the chip time to wake (dalibor-drgon: 1 ms). */
    static final long WAKE_WAIT_NS = 1_000_000L;
    /** A generous low pulse on the RESET line. */
    static final long RESET_PULSE_NS = 10_000L;
    /** §3.1: one MII operation takes 10.24 µs. */
    static final long MII_WAIT_NS = 10_240L;
    static final int MII_POLLS = 8;
    /** Retry back-off while the chip does not answer (E9): 20 ms doubling to 10 s. */
    static final long BACKOFF_MIN_NS = 20_000_000L;
    static final long BACKOFF_MAX_NS = 10_000_000_000L;
    /** After a failed SPI transfer in a supervisor check, look again this soon. */
    static final long SUPERVISOR_RETRY_NS = 1_000_000L;
    /** Without an INT pin, how often poll()/receive() want to run. */
    static final long POLL_INTERVAL_NS = 1_000_000L;
    /** After an unexplained (spurious) INT, ignore the pin this long so the loop cannot spin. */
    static final long INT_QUIET_NS = 1_000_000L;
    /** Most packets one receive() call looks at (dropped ones included). */
    static final int MAX_PACKETS_PER_CALL = 8;
    /** Bytes written and read back per round of the SPI clock probe, and rounds per clock. */
    static final int TUNE_LEN = 1024;
    static final int TUNE_ROUNDS = 4;

    static final int EIE_VALUE = EIE_INTIE | EIE_PKTIE | EIE_LINKIE | EIE_TXIE | EIE_TXERIE | EIE_RXERIE;

    private static final int ST_NEW = 0;
    private static final int ST_UP = 1;
    private static final int ST_DOWN = 2;

    private static final int DROPPED = Integer.MIN_VALUE;

    private final SpiDevice spi;
    private final DigitalInput intPin;
    private final DigitalOutput resetPin;
    private final Clock clock;
    private final CounterSet counters = new CounterSet(COUNTER_NAMES);

    private final long mac;
    private final boolean fullDuplex;
    private final boolean multicast;
    private final boolean tune;
    private final int rxEnd;
    private final int txStart;
    private final int[] candidates;
    private final int maxRetries;
    private final long txTimeoutNs;
    private final long deafTimeoutNs;
    private final long supervisorIntervalNs;

    /** One pre-allocated scratch array: opcode + 6-byte header or 1518-byte frame + pad, or the control byte + 1514. */
    private final byte[] buf = new byte[1 + MAX_RX_COUNT + 9];
    private final byte[] cmd = new byte[3];

    private int state = ST_NEW;
    private boolean tuned;
    private int revision = -1;
    private int spiHz;

    /** Cached ECON1.BSEL, -1 when unknown. */
    private int bank = -1;
    /** Shadows of what we know the chip's pointers hold, -1 when unknown. */
    private int erdpt = -1;
    private int ewrpt = -1;
    private int etxnd = -1;

    private int rxNext;
    /**
     * Low byte of an ERXWRPT value read earlier, or -1. That value was at or ahead of rxNext and
     * rxNext only advances over complete packets up to it, so while rxNext's low byte differs from
     * it another complete packet is known to be waiting: a burst costs one ERXWRPT read, not one
     * per packet (§5 design note).
     */
    private int wrptLow = -1;
    /** ERXRDPT as last written, plus one (the packet start it frees up to). */
    private int freedTo;
    private boolean rxCheckRequested;
    private boolean intUnexplained;
    private int pollsSinceReceive;
    private long intQuietUntilNs;
    private long lastRxNs;
    private int txSinceRx;

    private boolean txInFlight;
    private long txStartNs;
    private int txLen;
    private int txRetries;

    private boolean link;
    private long nextSupervisorNs;
    private long nextRetryNs;
    private long backoffNs = BACKOFF_MIN_NS;
    private int supervisorBusErrors;
    /** Something looked wrong: run the supervisor at the next poll (at most once per millisecond). */
    private boolean superviseSoon;
    private long lastSuperviseNs;
    /** The receive path read something a live chip cannot hold; reset RX if the chip looks fine. */
    private boolean rxGarbage;
    /** When ECON1 was last seen as we left it (RXEN set, bank as cached). */
    private long aliveNs;
    private boolean aliveKnown;

    public Enc28j60(SpiDevice spi, Clock clock, Enc28j60Config config) {
        this(spi, null, null, clock, config);
    }

    public Enc28j60(SpiDevice spi, DigitalInput intPin, DigitalOutput resetPin, Clock clock, Enc28j60Config config) {
        if (spi == null) {
            throw new IllegalArgumentException("spi: required");
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock: required");
        }
        if (config == null) {
            throw new IllegalArgumentException("config: required");
        }
        config.validate();
        this.spi = spi;
        this.intPin = intPin;
        this.resetPin = resetPin;
        this.clock = clock;
        this.mac = config.macAddress();
        this.fullDuplex = config.fullDuplex();
        this.multicast = config.multicast();
        this.tune = config.tuneSpiClock();
        this.rxEnd = config.rxBufferEnd();
        this.txStart = rxEnd + 1;
        this.candidates = usableCandidates(config.spiClockCandidatesHz());
        this.maxRetries = config.maxLateCollisionRetries();
        this.txTimeoutNs = config.txTimeoutNs();
        this.deafTimeoutNs = config.deafTimeoutNs();
        this.supervisorIntervalNs = config.supervisorIntervalNs();
    }

    /** Sorted fastest first; below 8 MHz only if nothing at or above 8 MHz is offered (errata #1). */
    static int[] usableCandidates(int[] hz) {
        int[] sorted = hz.clone();
        java.util.Arrays.sort(sorted);
        int fast = 0;
        for (int h : sorted) {
            if (h >= MIN_SAFE_SPI_HZ) {
                fast++;
            }
        }
        int n = fast > 0 ? fast : sorted.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = sorted[sorted.length - 1 - i];
        }
        return out;
    }

    // =============================================================================================
    // Public API

    /**
     * Resets and configures the chip (ENC28J60.md §7) and, the first time, tunes the SPI clock.
     *
     * @return {@link #OK}, or {@link #ERR_DEVICE} when no chip answers (EREVID 0x00/0xFF, E9) or the
     *     configuration did not read back; {@link #poll} then keeps retrying with back-off
     */
    public int init() {
        resetSoftState();
        int r = bringUp();
        long now = clock.nanoTime();
        if (r == OK) {
            state = ST_UP;
            backoffNs = BACKOFF_MIN_NS;
            nextSupervisorNs = now + supervisorIntervalNs;
            lastSuperviseNs = now;
            lastRxNs = now;
        } else {
            counters.inc(C_INIT_FAILED);
            state = ST_DOWN;
            nextRetryNs = now + backoffNs;
            backoffNs = Math.min(backoffNs * 2, BACKOFF_MAX_NS);
        }
        return r;
    }

    /** EREVID as read at the last successful reset (B1 = 0x02, B4 = 0x04, B5 = 0x05, B7 = 0x06), or -1. */
    public int revision() {
        return revision;
    }

    /** The SPI clock in effect (as reported by the SpiDevice). */
    public int spiClockHz() {
        return spiHz;
    }

    /** Whether the INT line is asserted (active low); false without a pin. */
    public boolean interruptPending() {
        return intPin != null && !intPin.isHigh();
    }

    @Override
    public long macAddress() {
        return mac;
    }

    @Override
    public boolean linkUp() {
        return state == ST_UP && link;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public int receive(byte[] dst, int off, int cap) {
        if (state != ST_UP) {
            return ERR_DEVICE;
        }
        pollsSinceReceive = 0;
        for (int i = 0; i < MAX_PACKETS_PER_CALL; i++) {
            // With an INT pin and nothing asking for a look, an idle receive() costs no SPI.
            if (intPin != null && !rxCheckRequested && intPin.isHigh()) {
                return 0;
            }
            // An asserted INT proves EIE is still ours (any reset clears it, §2.1), so the ring
            // registers are ours too. Without that proof, confirm ECON1 first (at most once per
            // millisecond): a chip reset since the last look has ERXWRPT = 0 and a ring full of
            // stale bytes that must not be read as packets.
            if ((intPin == null || rxCheckRequested) && !recentlyAlive()) {
                rxCheckRequested = false;
                return 0;
            }
            rxCheckRequested = false;
            int p = rxPending();
            if (p <= 0) {
                if (p == 0 && interruptPending()) {
                    intUnexplained = true; // INT low, ring empty: poll() reads EIR to find out why
                }
                return 0;
            }
            int r = readPacket(dst, off, cap);
            if (r != DROPPED) {
                return r;
            }
        }
        rxCheckRequested = true; // more may be waiting; pollAtNs() asks to be called again at once
        return 0;
    }

    @Override
    public int transmit(byte[] src, int off, int len) {
        if (state != ST_UP) {
            return ERR_DEVICE;
        }
        if (len < 14 || len > 1514) {
            counters.inc(C_TX_DROP_LENGTH);
            return ERR_LENGTH;
        }
        if (!link) {
            counters.inc(C_TX_DROP_LINKDOWN);
            return ERR_LINK_DOWN;
        }
        if (txInFlight) {
            int eir = rcr(EIR);
            if (eir < 0 || (eir & EIR_MUST_BE_ZERO) != 0) {
                garbage();
                return ERR_DEVICE;
            }
            completeTx(eir, clock.nanoTime());
            if (txInFlight) {
                counters.inc(C_TX_BUSY);
                return ERR_BUSY;
            }
            if (state != ST_UP) {
                return ERR_DEVICE;
            }
        }
        // Never start a transmission on a chip that was reset behind our back: ETXST would be at its
        // reset value and the chip would send whatever lies in buffer memory.
        if (!alive()) {
            return ERR_DEVICE;
        }
        // §6 step 2: EWRPT = ETXST, then WBM control byte + frame in one transaction.
        if (!setPointer(EWRPTL, EWRPTH, txStart, ewrpt)) {
            return ERR_DEVICE;
        }
        ewrpt = -1;
        buf[0] = (byte) OP_WBM;
        buf[1] = 0x00; // §4.2 per-packet control byte: 0 = use MACON3 (pad to 60, append CRC)
        System.arraycopy(src, off, buf, 2, len);
        if (!transfer(buf, 2 + len)) {
            return ERR_DEVICE;
        }
        ewrpt = txStart + 1 + len;
        // §6 step 3: ETXND = last byte of the frame = ETXST + len (control byte first).
        int end = txStart + len;
        if (!setPointer(ETXNDL, ETXNDH, end, etxnd)) {
            etxnd = -1;
            return ERR_DEVICE;
        }
        etxnd = end;
        // §6 step 5. No TXRST here: the TX logic is reset after every abort instead (errata #12).
        if (!bfs(ECON1, ECON1_TXRTS)) {
            return ERR_DEVICE;
        }
        txInFlight = true;
        txStartNs = clock.nanoTime();
        txLen = len;
        txRetries = 0;
        return OK;
    }

    @Override
    public int poll(long nowNs) {
        if (state == ST_NEW) {
            return 0;
        }
        if (state == ST_DOWN) {
            if (nowNs - nextRetryNs >= 0) {
                recover();
                return 1;
            }
            return 0;
        }
        int work = 0;
        if (intPin == null) {
            work += serviceFlags(nowNs);
        } else if (interruptPending() && nowNs - intQuietUntilNs >= 0) {
            // While receive() is draining the ring the INT line is explained by PKTIF; read EIR only
            // when a transmission is out, receive() found the ring empty, or nobody calls receive().
            if (txInFlight || intUnexplained || pollsSinceReceive >= 2) {
                work += serviceFlags(nowNs);
            }
        }
        if (pollsSinceReceive < Integer.MAX_VALUE) {
            pollsSinceReceive++;
        }
        if (state == ST_UP && txInFlight && nowNs - txStartNs - txTimeoutNs > 0) {
            int eir = rcr(EIR);
            if (eir >= 0 && (eir & EIR_MUST_BE_ZERO) == 0) {
                completeTx(eir, nowNs);
            } else {
                garbage();
            }
            work++;
        }
        if (state == ST_UP && (nowNs - nextSupervisorNs >= 0
                || superviseSoon && nowNs - lastSuperviseNs - SUPERVISOR_RETRY_NS >= 0)) {
            work += supervise(nowNs);
        }
        return work;
    }

    @Override
    public long pollAtNs(long nowNs) {
        if (state == ST_NEW) {
            return Long.MAX_VALUE;
        }
        if (state == ST_DOWN) {
            return nextRetryNs;
        }
        if (rxCheckRequested && pollsSinceReceive < 2) {
            return nowNs; // receive() should look at the ring (only while someone calls it)
        }
        long t = nextSupervisorNs;
        if (superviseSoon) {
            t = earlier(t, lastSuperviseNs + SUPERVISOR_RETRY_NS);
        }
        if (txInFlight) {
            t = earlier(t, txStartNs + txTimeoutNs + 1);
        }
        if (intPin == null) {
            t = earlier(t, nowNs + POLL_INTERVAL_NS);
        } else if (interruptPending()) {
            if (nowNs - intQuietUntilNs >= 0) {
                return nowNs;
            }
            t = earlier(t, intQuietUntilNs);
        }
        return t;
    }

    /** ECON1 as we left it: RXEN set, no reset bits, BSEL as cached. Otherwise the supervisor runs. */
    private boolean alive() {
        int bankNow = bank;
        int econ1 = rcr(ECON1);
        if (econ1 < 0) {
            return false;
        }
        if ((econ1 & ECON1_RXEN) == 0 || (econ1 & (ECON1_TXRST | ECON1_RXRST)) != 0
                || (bankNow >= 0 && (econ1 & ECON1_BSEL) != bankNow)) {
            garbage();
            return false;
        }
        aliveNs = clock.nanoTime();
        aliveKnown = true;
        return true;
    }

    private boolean recentlyAlive() {
        return aliveKnown && clock.nanoTime() - aliveNs - POLL_INTERVAL_NS < 0 || alive();
    }

    private static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }

    // =============================================================================================
    // Receive

    /**
     * Whether a packet is waiting at {@link #rxNext}: ERXWRPT differs from it (§5 design note; never
     * PKTIF, errata #6; never EPKTCNT, E10). ERXWRPT and rxNext are both even (§4.1), so a read
     * of the low byte alone usually decides, and a torn 16-bit read cannot cause a false "pending":
     * any byte that differs means the pointer had moved off rxNext, i.e. the packet at rxNext is
     * complete.
     *
     * @return 1 pending, 0 empty, -1 bus error or nonsense (counted; the supervisor runs next)
     */
    private int rxPending() {
        if (wrptLow >= 0 && wrptLow != (rxNext & 0xFF)) {
            return 1;
        }
        wrptLow = -1;
        int lo = rcr(ERXWRPTL);
        if (lo < 0) {
            return -1;
        }
        if ((lo & 1) != 0) { // ERXWRPT is always even: the bus returned garbage (e.g. stuck 0xFF, E9)
            garbage();
            rxGarbage = true;
            return -1;
        }
        wrptLow = lo;
        if (lo != (rxNext & 0xFF)) {
            return 1;
        }
        int hi = rcr(ERXWRPTH);
        if (hi < 0) {
            return -1;
        }
        if (hi > (rxEnd >> 8)) {
            garbage();
            return -1;
        }
        if (hi != (rxNext >> 8)) {
            return 1;
        }
        wrptLow = -1;
        return 0;
    }

    /**
     * Reads and validates the packet at rxNext (§5 steps 2-6, E6, E7).
     *
     * @return the frame length, ERR_TOO_SMALL, 0 (nothing delivered: ring reset or bus fault) or
     *     DROPPED (a bad frame was skipped; the caller may look at the next one)
     */
    private int readPacket(byte[] dst, int off, int cap) {
        if (erdpt != rxNext) { // only after a TSV read, a probe or a fault: streaming keeps it there
            if (!setPointer(ERDPTL, ERDPTH, rxNext, -1)) {
                erdpt = -1;
                return 0;
            }
            erdpt = rxNext;
        }
        buf[0] = (byte) OP_RBM;
        for (int i = 1; i <= RX_HEADER; i++) {
            buf[i] = 0;
        }
        erdpt = -1;
        if (!transfer(buf, 1 + RX_HEADER)) {
            return 0;
        }
        int next = (buf[1] & 0xFF) | (buf[2] & 0xFF) << 8;
        int count = (buf[3] & 0xFF) | (buf[4] & 0xFF) << 8;
        int rsv = count | (buf[5] & 0xFF) << 16 | (buf[6] & 0xFF) << 24;
        if ((rsv & RSV_ZERO) != 0 || (next | rsv) == 0) {
            // RSV bit 31 always reads 0 (§4.1); an all-zero header is a dead bus, not a packet.
            garbage();
            rxGarbage = true;
            return 0;
        }
        erdpt = ringAdd(rxNext, RX_HEADER);
        // E6: the next pointer must be even and inside the ring (§4.1: packets start at even
        // addresses); otherwise the ring cannot be walked any more: reset the receive logic.
        if ((next & 1) != 0 || next > rxEnd) {
            counters.inc(C_RX_DROP_NEXTPTR);
            rxReset();
            return 0;
        }
        // E7: byte count out of 64..1518 (incl. FCS): drop, but still follow the next pointer -
        // after checking it lies within the packets the chip has actually stored (E10).
        if (count < MIN_RX_COUNT || count > MAX_RX_COUNT) {
            counters.inc(C_RX_DROP_LENGTH);
            if (!nextWithinWritten(next)) {
                counters.inc(C_RX_DROP_NEXTPTR);
                rxReset();
                return 0;
            }
            wrptLow = -1;
            return skipTo(next) ? DROPPED : 0;
        }
        // With a plausible count the hardware's next pointer is exactly start + 6 + count rounded
        // up to even (§4.1). Anything else is a corrupted header: walking on would read stale data.
        if (next != ringAdd(rxNext, (RX_HEADER + count + 1) & ~1)) {
            counters.inc(C_RX_DROP_NEXTPTR);
            rxReset();
            return 0;
        }
        if ((rsv & RSV_CRC_ERROR) != 0) {
            counters.inc(C_RX_DROP_CRC);
            return skipTo(next) ? DROPPED : 0;
        }
        if ((rsv & RSV_RECEIVED_OK) == 0) {
            counters.inc(C_RX_DROP_STATUS);
            return skipTo(next) ? DROPPED : 0;
        }
        int frameLen = count - FCS;
        if (frameLen > cap) {
            counters.inc(C_RX_DROP_TOOSMALL);
            return skipTo(next) ? ERR_TOO_SMALL : 0;
        }
        // Frame + FCS + pad in one RBM: ERDPT wraps ERXND->ERXST by itself (§1.2) and ends on next.
        int n = count + (count & 1);
        buf[0] = (byte) OP_RBM;
        erdpt = -1;
        if (!transfer(buf, 1 + n)) {
            return 0;
        }
        erdpt = next;
        System.arraycopy(buf, 1, dst, off, frameLen);
        if (!release(next)) {
            return 0;
        }
        counters.inc(C_RX_FRAMES);
        counters.add(C_RX_BYTES, frameLen);
        lastRxNs = clock.nanoTime();
        txSinceRx = 0;
        return frameLen;
    }

    private int ringAdd(int p, int n) {
        int r = p + n;
        return r > rxEnd ? r - (rxEnd + 1) : r;
    }

    /** Ring distance from rxNext forward to p. */
    private int ringDistance(int p) {
        int d = p - rxNext;
        return d < 0 ? d + rxEnd + 1 : d;
    }

    /** Reads ERXWRPT in full and checks rxNext < next <= ERXWRPT in ring order (E10). */
    private boolean nextWithinWritten(int next) {
        int wrpt = readWritePointer();
        if (wrpt < 0) {
            return false;
        }
        int dn = ringDistance(next);
        int dw = ringDistance(wrpt);
        return dn > 0 && dn <= dw;
    }

    /**
     * ERXWRPT as a consistent 16-bit value (high, low, high; the pointer may move between reads),
     * or -1 when unreadable or impossible (odd or outside the ring).
     */
    private int readWritePointer() {
        int h1 = rcr(ERXWRPTH);
        int lo = rcr(ERXWRPTL);
        int h2 = rcr(ERXWRPTH);
        if (h1 < 0 || lo < 0 || h2 < 0) {
            return -1;
        }
        if (h1 != h2) {
            lo = rcr(ERXWRPTL);
            if (lo < 0) {
                return -1;
            }
        }
        int w = h2 << 8 | lo;
        if ((w & 1) != 0 || w > rxEnd) {
            return -1;
        }
        return w;
    }

    private boolean skipTo(int next) {
        if (!setPointer(ERDPTL, ERDPTH, next, -1)) {
            erdpt = -1;
            return false;
        }
        erdpt = next;
        return release(next);
    }

    /**
     * Frees the packet: ERXRDPT (low then high, §5 step 5) = next - 1, or ERXND when next is ERXST
     * (errata #14: ERXRDPT must be odd), then PKTDEC (§5 step 6).
     */
    private boolean release(int next) {
        rxNext = next;
        // Inside a known burst the space is freed once, after its last packet (or after a quarter
        // of the ring), instead of two WCRs per packet. Only the hardware's headroom shrinks.
        boolean more = wrptLow >= 0 && wrptLow != (next & 0xFF);
        boolean defer = more && ringDistanceFrom(freedTo, next) < (rxEnd + 1) / 4;
        return (defer || freeTo(next)) && bfs(ECON2, ECON2_PKTDEC);
    }

    private boolean freeTo(int next) {
        int rd = next == 0 ? rxEnd : next - 1;
        if (wcr(ERXRDPTL, rd & 0xFF) && wcr(ERXRDPTH, rd >> 8)) {
            freedTo = next;
            return true;
        }
        return false;
    }

    private int ringDistanceFrom(int from, int to) {
        int d = to - from;
        return d < 0 ? d + rxEnd + 1 : d;
    }

    /** Programs an empty ring: ERXST = 0 (errata #5), ERXND, ERXRDPT = ERXND (errata #14), ERDPT = 0. */
    private boolean ringInit() {
        boolean ok = wcr(ERXSTL, 0) && wcr(ERXSTH, 0)
                && wcr(ERXNDL, rxEnd & 0xFF) && wcr(ERXNDH, rxEnd >> 8)
                && wcr(ERXRDPTL, rxEnd & 0xFF) && wcr(ERXRDPTH, rxEnd >> 8)
                && wcr(ERDPTL, 0) && wcr(ERDPTH, 0);
        rxNext = 0; // ERXWRPT follows the ERXST write (§4)
        freedTo = 0;
        wrptLow = -1;
        erdpt = ok ? 0 : -1;
        return ok;
    }

    /**
     * Receive-logic reset after a corrupted next pointer (E6; Linux's recovery, ENC28J60.md §5):
     * RXEN off, RXRST pulse, ring re-initialised, stale EPKTCNT drained, RXERIF cleared, RXEN on.
     */
    private void rxReset() {
        counters.inc(C_RX_RESET);
        boolean ok = bfc(ECON1, ECON1_RXEN) && bfs(ECON1, ECON1_RXRST) && bfc(ECON1, ECON1_RXRST) && ringInit();
        int cnt = ok ? rcr(EPKTCNT) : -1;
        for (int i = 0; i < cnt && i < 255; i++) {
            ok &= bfs(ECON2, ECON2_PKTDEC);
        }
        ok = ok && cnt >= 0 && bfc(EIR, EIR_RXERIF) && bfs(ECON1, ECON1_RXEN) && selectBank(0);
        if (!ok) {
            garbage();
        }
    }

    /**
     * E10: EPKTCNT may count packets that are not in the ring (or stay high after a fault), which
     * keeps PKTIF and INT asserted and, at 255, makes the chip drop everything (RXERIF). When the
     * ring is provably empty, decrement EPKTCNT back to zero. EPKTCNT is read first, so a packet
     * arriving meanwhile either shows in ERXWRPT (no drain) or is not in the drained count.
     */
    private void reconcilePacketCount() {
        int cnt = rcr(EPKTCNT);
        int wrpt = readWritePointer();
        if (cnt < 0 || wrpt < 0) {
            garbage();
            return;
        }
        if (wrpt != rxNext) {
            rxCheckRequested = true;
        } else if (cnt > 0) {
            for (int i = 0; i < cnt; i++) {
                if (!bfs(ECON2, ECON2_PKTDEC)) {
                    return;
                }
            }
            counters.add(C_RX_PHANTOM, cnt);
        }
    }

    // =============================================================================================
    // Transmit

    /** Handles the end of a transmission seen in {@code eir} (or its absence: time-out). */
    private void completeTx(int eir, long now) {
        if ((eir & (EIR_TXIF | EIR_TXERIF)) == 0) {
            if (now - txStartNs - txTimeoutNs > 0) {
                // Hang guard (§6): cancel by clearing TXRTS, then reset the TX logic (errata #12).
                counters.inc(C_TX_TIMEOUT);
                bfc(ECON1, ECON1_TXRTS);
                txLogicReset();
                txInFlight = false;
            }
            return;
        }
        if ((eir & EIR_TXERIF) != 0) {
            // Errata #13/#15: decide on a late collision from TSV bit 29, never ESTAT.LATECOL.
            boolean late = tsvLateCollision();
            // Errata #12: after an abort the TX logic may stall; pulse TXRST, then clear TXERIF.
            txLogicReset();
            if (late && txRetries < maxRetries) {
                txRetries++;
                counters.inc(C_TX_LATECOL_RETRY);
                if (bfs(ECON1, ECON1_TXRTS)) { // the frame is still in the buffer (§6)
                    txStartNs = now;
                    return;
                }
            }
            counters.inc(C_TX_ABORT);
            txInFlight = false;
            return;
        }
        bfc(EIR, EIR_TXIF);
        counters.inc(C_TX_FRAMES);
        counters.add(C_TX_BYTES, txLen);
        txInFlight = false;
        if (txSinceRx < Integer.MAX_VALUE) {
            txSinceRx++;
        }
    }

    /** Reads the 7-byte TSV at ETXND+1 (§4.2) and returns bit 29, late collision. */
    private boolean tsvLateCollision() {
        int at = txStart + txLen + 1;
        erdpt = -1; // the receive path restores ERDPT = rxNext before its next read
        if (!setPointer(ERDPTL, ERDPTH, at, -1)) {
            return false;
        }
        buf[0] = (byte) OP_RBM;
        if (!transfer(buf, 1 + TSV_LENGTH)) {
            return false;
        }
        return (buf[1 + 3] & TSV_BYTE3_LATE_COLLISION) != 0;
    }

    /**
     * Errata #12: pulse ECON1.TXRST (BFS then BFC) and clear TXERIF afterwards (releasing TXRST can
     * set it), also TXIF and the ESTAT abort flags. ETXST/ETXND are programmed again.
     */
    private void txLogicReset() {
        counters.inc(C_TX_RESET);
        boolean ok = bfs(ECON1, ECON1_TXRST) && bfc(ECON1, ECON1_TXRST)
                && bfc(EIR, EIR_TXERIF | EIR_TXIF) && bfc(ESTAT, ESTAT_TXABRT | ESTAT_LATECOL)
                && wcr(ETXSTL, txStart & 0xFF) && wcr(ETXSTH, txStart >> 8);
        int end = txStart + txLen;
        ok = ok && wcr(ETXNDL, end & 0xFF) && wcr(ETXNDH, end >> 8);
        etxnd = ok ? end : -1;
        if (!ok) {
            garbage();
        }
    }

    // =============================================================================================
    // Flags, supervisor, recovery

    /** Reads EIR and handles overflow, TX completion, link change and spurious interrupts. */
    private int serviceFlags(long now) {
        int eir = rcr(EIR);
        if (eir < 0) {
            return 0;
        }
        if ((eir & EIR_MUST_BE_ZERO) != 0) {
            garbage();
            return 1;
        }
        int work = 0;
        if ((eir & EIR_RXERIF) != 0) {
            // E8: the chip dropped an incoming packet (ring full or EPKTCNT = 255) and left the
            // stored ones intact. Count, clear (BFC, §2.6), and make sure EPKTCNT is not stuck.
            counters.inc(C_RX_OVERFLOW);
            bfc(EIR, EIR_RXERIF);
            reconcilePacketCount();
            rxCheckRequested = true;
            work++;
        }
        if ((eir & (EIR_TXIF | EIR_TXERIF)) != 0) {
            if (txInFlight) {
                completeTx(eir, now);
            } else {
                bfc(EIR, EIR_TXIF | EIR_TXERIF);
            }
            work++;
        }
        if ((eir & EIR_LINKIF) != 0) {
            // §3: LINKIF clears by reading PHIR; then PHSTAT2.LSTAT is the current link.
            phyRead(PHIR);
            int st = phyRead(PHSTAT2);
            if (st >= 0) {
                updateLink((st & PHSTAT2_LSTAT) != 0);
            }
            selectBank(0);
            work++;
        }
        if ((eir & EIR_DMAIF) != 0) {
            bfc(EIR, EIR_DMAIF);
        }
        if (intPin != null && work == 0) {
            if (intUnexplained) {
                // INT low, ring empty, nothing else: PKTIF held by a phantom EPKTCNT (E10), or noise.
                counters.inc(C_INT_SPURIOUS);
                reconcilePacketCount();
                selectBank(0);
                work++;
            }
            if (interruptPending()) {
                // Still asserted with nothing to do here (packets nobody reads, or a stuck line):
                // ignore the pin for a while so the loop cannot spin on it.
                intQuietUntilNs = now + INT_QUIET_NS;
            }
        }
        intUnexplained = false;
        return work;
    }

    /**
     * The supervisor (the cure for "goes deaf after hours"): checks that the chip still holds our
     * configuration — ECON1.RXEN set, BSEL as cached, no reset bits; EIE as written; ESTAT sane
     * (bit 3 reads 0, CLKRDY 1); EREVID unchanged — and otherwise re-initialises it. Also
     * reconciles EPKTCNT with the ring (E10), validates ERXWRPT, re-reads the link, and resets the
     * receive logic if frames go out but nothing has come in for deafTimeoutNs.
     */
    private int supervise(long now) {
        counters.inc(C_SUPERVISOR_CHECKS);
        nextSupervisorNs = now + supervisorIntervalNs;
        lastSuperviseNs = now;
        superviseSoon = false;
        boolean sawRxGarbage = rxGarbage;
        rxGarbage = false;
        int bankAtRead = bank; // ECON1 is common: reading it does not switch banks
        int econ1 = rcr(ECON1);
        int eie = rcr(EIE);
        int estat = rcr(ESTAT);
        int rev = econ1 >= 0 && eie >= 0 && estat >= 0 ? rcr(EREVID) : -1;
        if (rev < 0) {
            // The transfer itself failed (SpiDevice.ERR_IO): look again soon; only repeated
            // failures count as a dead chip.
            if (++supervisorBusErrors < 3) {
                nextSupervisorNs = now + SUPERVISOR_RETRY_NS;
                return 1;
            }
        }
        supervisorBusErrors = 0;
        boolean healthy = rev >= 0
                && (econ1 & ECON1_RXEN) != 0
                && (econ1 & (ECON1_TXRST | ECON1_RXRST | ECON1_DMAST)) == 0
                && (bankAtRead < 0 || (econ1 & ECON1_BSEL) == bankAtRead)
                && eie == EIE_VALUE
                && (estat & ESTAT_UNIMPL3) == 0 && (estat & ESTAT_CLKRDY) != 0
                && rev == revision;
        if (!healthy) {
            counters.inc(C_CHIP_FAULT);
            recover();
            return 1;
        }
        if ((estat & ESTAT_BUFER) != 0) {
            counters.inc(C_BUFFER_ERROR);
            bfc(ESTAT, ESTAT_BUFER);
        }
        aliveNs = now;
        aliveKnown = true;
        if (sawRxGarbage) {
            // The chip answers sensibly, yet the ring held an impossible header: start it afresh
            // rather than read the same bytes again (E6 recovery).
            rxReset();
        }
        if (freedTo != rxNext) {
            freeTo(rxNext);
        }
        int cnt = rcr(EPKTCNT);
        int wrpt = readWritePointer();
        if (cnt < 0 || wrpt < 0) {
            // ERXWRPT odd or outside the ring: the receive side is lost
            rxReset();
        } else if (wrpt != rxNext) {
            rxCheckRequested = true;
        } else if (cnt > 0) {
            for (int i = 0; i < cnt; i++) {
                bfs(ECON2, ECON2_PKTDEC);
            }
            counters.add(C_RX_PHANTOM, cnt);
        }
        int st = phyRead(PHSTAT2);
        if (st >= 0) {
            updateLink((st & PHSTAT2_LSTAT) != 0);
        }
        if (link && txSinceRx > 0 && now - lastRxNs - deafTimeoutNs > 0) {
            counters.inc(C_RX_DEAF);
            rxReset();
            lastRxNs = now;
            txSinceRx = 0;
        }
        selectBank(0);
        return 1;
    }

    /** Something read back that a live chip cannot return: let the supervisor look at once. */
    private void garbage() {
        counters.inc(C_SPI_GARBAGE);
        superviseSoon = true;
        aliveKnown = false;
        erdpt = -1;
        bank = -1;
        wrptLow = -1;
    }

    private void updateLink(boolean up) {
        if (up != link) {
            counters.inc(up ? C_LINK_UP : C_LINK_DOWN);
            link = up;
        }
    }

    /**
     * Re-initialises the chip keeping the MAC and configuration; on failure (no chip, stuck bus:
     * E9) reports the link down and schedules the next attempt with exponential back-off.
     */
    private void recover() {
        updateLink(false);
        if (txInFlight) {
            counters.inc(C_TX_LOST);
        }
        resetSoftState();
        state = ST_DOWN;
        int r = bringUp();
        long now = clock.nanoTime();
        if (r == OK) {
            counters.inc(C_CHIP_REINIT);
            state = ST_UP;
            backoffNs = BACKOFF_MIN_NS;
            nextSupervisorNs = now + supervisorIntervalNs;
            lastSuperviseNs = now;
            lastRxNs = now;
        } else {
            counters.inc(C_INIT_FAILED);
            nextRetryNs = now + backoffNs;
            backoffNs = Math.min(backoffNs * 2, BACKOFF_MAX_NS);
        }
    }

    private void resetSoftState() {
        txInFlight = false;
        rxCheckRequested = false;
        intUnexplained = false;
        txSinceRx = 0;
        bank = -1;
        erdpt = -1;
        ewrpt = -1;
        etxnd = -1;
        rxNext = 0;
        freedTo = 0;
        wrptLow = -1;
        superviseSoon = false;
        rxGarbage = false;
        aliveKnown = false;
    }

    // =============================================================================================
    // Initialisation (ENC28J60.md §7)

    private int bringUp() {
        if (resetPin != null) {
            resetPin.set(false);
            clock.sleepNanos(RESET_PULSE_NS);
            resetPin.set(true);
        }
        if (!tuned) {
            spiHz = spi.clockHz(tune ? candidates[candidates.length - 1] : candidates[0]);
        }
        if (!softReset()) {
            return ERR_DEVICE;
        }
        // §7 step 2: EREVID 0x00 or 0xFF means no chip (E9).
        int rev = rcr(EREVID);
        if (rev <= 0 || rev == 0xFF) {
            counters.inc(C_CHIP_ABSENT);
            return ERR_DEVICE;
        }
        revision = rev;
        if (!tuned && tune) {
            if (!tuneSpiClock()) {
                return ERR_DEVICE;
            }
            // The probe may have garbled registers at a too-fast clock: start clean at the chosen one.
            if (!softReset() || rcr(EREVID) != revision) {
                return ERR_DEVICE;
            }
        }
        tuned = true;
        if (!configure()) {
            return ERR_DEVICE;
        }
        return OK;
    }

    /**
     * Errata #19: SRC is ignored while ECON2.PWRSV = 1, so wake the chip first. Then SRC and wait
     * 2 ms without trusting CLKRDY (errata #2). ESTAT must then look alive: bit 3 reads 0 and
     * CLKRDY is 1 (Microchip's "SPI alive" test, ENC28J60.md §7 step 1).
     */
    private boolean softReset() {
        bank = -1;
        int econ2 = rcr(ECON2);
        if (econ2 > 0 && econ2 != 0xFF && (econ2 & ECON2_PWRSV) != 0) {
            bfc(ECON2, ECON2_PWRSV);
            clock.sleepNanos(WAKE_WAIT_NS);
        }
        cmd[0] = (byte) OP_SRC;
        if (!transfer(cmd, 1)) {
            return false;
        }
        clock.sleepNanos(RESET_WAIT_NS);
        bank = 0; // ECON1 resets to 0x00 (§2.1)
        for (int i = 0; i < 5; i++) {
            int estat = rcr(ESTAT);
            if (estat < 0) {
                return false;
            }
            if (estat == 0x00 || estat == 0xFF) {
                break; // a dead bus (E9): nothing to wait for
            }
            if ((estat & ESTAT_UNIMPL3) == 0 && (estat & ESTAT_CLKRDY) != 0) {
                return true;
            }
            clock.sleepNanos(WAKE_WAIT_NS);
        }
        counters.inc(C_CHIP_ABSENT);
        return false;
    }

    /**
     * SPI clock probe: from the fastest candidate down, write a pseudo-random pattern into the
     * transmit area and read it back {@link #TUNE_ROUNDS} times; keep the fastest clock that
     * passes, then step down to the next candidate that is really slower, for margin. Decisions
     * use the clock the SpiDevice reports, because a divider may round a request down (a Pi with
     * power-of-two dividers gives 7.8 MHz for 12 MHz, ENC28J60.md §1.1): an effective clock below
     * 8 MHz is refused (errata #1) unless the caller only offered clocks below 8 MHz.
     */
    private boolean tuneSpiClock() {
        boolean allSlow = candidates[0] < MIN_SAFE_SPI_HZ;
        int pass = -1;
        int passHz = 0;
        for (int i = 0; i < candidates.length && pass < 0; i++) {
            int actual = spi.clockHz(candidates[i]);
            if (actual < MIN_SAFE_SPI_HZ && !allSlow) {
                continue;
            }
            if (probeBuffer(candidates[i])) {
                pass = i;
                passHz = actual;
            }
        }
        if (pass < 0) {
            spiHz = spi.clockHz(candidates[candidates.length - 1]);
            return false;
        }
        int pick = pass;
        for (int q = pass + 1; q < candidates.length; q++) {
            int actual = spi.clockHz(candidates[q]);
            if (actual < passHz) {
                if (actual >= MIN_SAFE_SPI_HZ || allSlow) {
                    pick = q;
                }
                break;
            }
        }
        spiHz = spi.clockHz(candidates[pick]);
        return true;
    }

    private boolean probeBuffer(int hz) {
        for (int round = 0; round < TUNE_ROUNDS; round++) {
            bank = -1; // a garbled bank switch at this clock must not poison the cache
            long seed = 0x9E3779B97F4A7C15L * (round + 1) ^ hz;
            buf[0] = (byte) OP_WBM;
            long s = seed;
            for (int i = 1; i <= TUNE_LEN; i++) {
                s = xorshift(s);
                buf[i] = (byte) s;
            }
            if (!(wcr(EWRPTL, txStart & 0xFF) && wcr(EWRPTH, txStart >> 8) && transfer(buf, 1 + TUNE_LEN))) {
                return false;
            }
            if (!(wcr(ERDPTL, txStart & 0xFF) && wcr(ERDPTH, txStart >> 8))) {
                return false;
            }
            buf[0] = (byte) OP_RBM;
            if (!transfer(buf, 1 + TUNE_LEN)) {
                return false;
            }
            s = seed;
            for (int i = 1; i <= TUNE_LEN; i++) {
                s = xorshift(s);
                if (buf[i] != (byte) s) {
                    return false;
                }
            }
        }
        erdpt = -1;
        ewrpt = -1;
        return true;
    }

    private static long xorshift(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    /** §7 steps 3-8 with the errata workarounds named inline; RXEN last. */
    private boolean configure() {
        boolean ok = wcr(ECON1, 0x00); // TX/RX off, bank 0
        bank = 0;
        ok = ok && wcr(ECON2, ECON2_AUTOINC);
        // §7 step 3: RX ring at 0 (errata #5) with an odd end; ERXRDPT = ERXND (errata #14).
        ok = ok && ringInit();
        // §7 step 4: the TX buffer follows the ring; the TSV needs 7 bytes after a 1514-byte frame.
        ok = ok && wcr(ETXSTL, txStart & 0xFF) && wcr(ETXSTH, txStart >> 8);
        ewrpt = -1;
        etxnd = -1;
        // §7 step 5: unicast OR broadcast, CRC checked (+ multicast when asked).
        ok = ok && wcr(ERXFCON, ERXFCON_UCEN | ERXFCON_CRCEN | ERXFCON_BCEN | (multicast ? ERXFCON_MCEN : 0));
        // §7 step 6: MAC (bank 2; WCR only: BFS/BFC do not work on MAC/MII registers, §1.2).
        ok = ok && wcr(MACON1, MACON1_MARXEN | (fullDuplex ? MACON1_TXPAUS | MACON1_RXPAUS : 0));
        ok = ok && wcr(MACON3, MACON3_PADCFG0 | MACON3_TXCRCEN | MACON3_FRMLNEN | (fullDuplex ? MACON3_FULDPX : 0));
        ok = ok && wcr(MACON4, fullDuplex ? 0 : MACON4_DEFER);
        ok = ok && wcr(MAMXFLL, MAX_RX_COUNT & 0xFF) && wcr(MAMXFLH, MAX_RX_COUNT >> 8);
        ok = ok && wcr(MABBIPG, fullDuplex ? 0x15 : 0x12);
        ok = ok && wcr(MAIPGL, 0x12);
        if (!fullDuplex) {
            ok = ok && wcr(MAIPGH, 0x0C);
        }
        // §2.5: the register at the lowest address holds the fifth octet.
        ok = ok && wcr(MAADR1, octet(0)) && wcr(MAADR2, octet(1)) && wcr(MAADR3, octet(2))
                && wcr(MAADR4, octet(3)) && wcr(MAADR5, octet(4)) && wcr(MAADR6, octet(5));
        // §7 step 7: PHY. Errata #16: always program PDPXMD (its reset default is unreliable).
        // Errata #9: HDLDIS in half duplex. LEDs (§3): LEDA = link status (0100), LEDB = transmit
        // and receive activity (0111), stretched; errata #11 rules out the duplex+collision mode
        // (1110, it shows duplex only), so collisions are not shown on a shared LED.
        ok = ok && phyWrite(PHCON1, fullDuplex ? PHCON1_PDPXMD : 0);
        ok = ok && phyWrite(PHCON2, fullDuplex ? 0 : PHCON2_HDLDIS);
        ok = ok && phyWrite(PHLCON, 0x3000 | 0x4 << 8 | 0x7 << 4 | 0x2);
        // §7 step 8: link-change interrupts, clear flags, enable interrupts, RXEN last.
        ok = ok && phyWrite(PHIE, PHIE_PGEIE | PHIE_PLNKIE);
        ok = ok && phyRead(PHIR) >= 0; // clears PGIF/PLNKIF, hence EIR.LINKIF
        int st = ok ? phyRead(PHSTAT2) : -1;
        ok = ok && st >= 0;
        ok = ok && selectBank(0) && bfc(EIR, EIR_DMAIF | EIR_TXIF | EIR_TXERIF | EIR_RXERIF);
        ok = ok && bfc(ESTAT, ESTAT_BUFER | ESTAT_LATECOL | ESTAT_TXABRT);
        // Read back: a chip that took our writes holds ERXND and MACON3 as written.
        ok = ok && rcr(ERXNDL) == (rxEnd & 0xFF) && rcr(ERXNDH) == (rxEnd >> 8);
        ok = ok && rcr(MACON3) == (MACON3_PADCFG0 | MACON3_TXCRCEN | MACON3_FRMLNEN | (fullDuplex ? MACON3_FULDPX : 0));
        ok = ok && wcr(EIE, EIE_VALUE);
        ok = ok && selectBank(0) && bfs(ECON1, ECON1_RXEN);
        if (ok) {
            updateLink((st & PHSTAT2_LSTAT) != 0);
        }
        return ok;
    }

    private int octet(int i) {
        return (int) (mac >>> (40 - 8 * i)) & 0xFF;
    }

    // =============================================================================================
    // PHY access through MII (§3.1)

    private int phyRead(int phyReg) {
        if (!(wcr(MIREGADR, phyReg) && wcr(MICMD, MICMD_MIIRD))) {
            return -1;
        }
        boolean done = miiWait();
        if (!wcr(MICMD, 0) || !done) {
            return -1;
        }
        int lo = rcr(MIRDL);
        int hi = rcr(MIRDH);
        if (lo < 0 || hi < 0) {
            return -1;
        }
        return hi << 8 | lo;
    }

    private boolean phyWrite(int phyReg, int value) {
        // MIWRL first: the MIWRH write starts the MII transaction (§3.1).
        return wcr(MIREGADR, phyReg) && wcr(MIWRL, value & 0xFF) && wcr(MIWRH, value >> 8) && miiWait();
    }

    /** Waits 10.24 µs (§3.1), then polls MISTAT.BUSY a bounded number of times. */
    private boolean miiWait() {
        for (int i = 0; i < MII_POLLS; i++) {
            clock.sleepNanos(MII_WAIT_NS);
            int st = rcr(MISTAT);
            if (st < 0) {
                return false;
            }
            if ((st & MISTAT_BUSY) == 0) {
                return true;
            }
        }
        counters.inc(C_MII_TIMEOUT);
        return false;
    }

    // =============================================================================================
    // SPI primitives: one instruction = one transaction (§1.2)

    private boolean transfer(byte[] a, int len) {
        int r = spi.transfer(a, 0, a, 0, len);
        if (r != len) {
            counters.inc(C_SPI_ERRORS);
            bank = -1;
            erdpt = -1;
            ewrpt = -1;
            etxnd = -1;
            superviseSoon = true;
            return false;
        }
        return true;
    }

    /**
     * Selects the bank of {@code reg} with BFS/BFC on ECON1.BSEL (common registers need none; a
     * cached bank costs nothing). BFS/BFC leave TXRTS and RXEN alone.
     */
    private boolean selectBank(int reg) {
        if ((reg & COMMON) != 0) {
            return true;
        }
        int b = bank(reg);
        if (bank == b) {
            return true;
        }
        int clear = bank < 0 ? ECON1_BSEL : bank & ~b;
        int set = bank < 0 ? b : b & ~bank;
        if (clear != 0 && !op(OP_BFC, ECON1, clear)) {
            return false;
        }
        if (set != 0 && !op(OP_BFS, ECON1, set)) {
            return false;
        }
        bank = b;
        return true;
    }

    private boolean op(int opcode, int reg, int value) {
        cmd[0] = (byte) (opcode | addr(reg));
        cmd[1] = (byte) value;
        return transfer(cmd, 2);
    }

    /** RCR: 2 bytes for ETH registers, 3 for MAC/MII (a dummy byte comes first, §1.2). */
    private int rcr(int reg) {
        if (!selectBank(reg)) {
            return -1;
        }
        int n = (reg & MACMII) != 0 ? 3 : 2;
        cmd[0] = (byte) (OP_RCR | addr(reg));
        cmd[1] = 0;
        cmd[2] = 0;
        if (!transfer(cmd, n)) {
            return -1;
        }
        return cmd[n - 1] & 0xFF;
    }

    private boolean wcr(int reg, int value) {
        return selectBank(reg) && op(OP_WCR, reg, value);
    }

    /** BFS: ETH registers only (§1.2). */
    private boolean bfs(int reg, int mask) {
        return selectBank(reg) && op(OP_BFS, reg, mask);
    }

    private boolean bfc(int reg, int mask) {
        return selectBank(reg) && op(OP_BFC, reg, mask);
    }

    /** Writes a 13-bit pointer pair, skipping bytes the chip is known to hold ({@code shadow}, -1 unknown). */
    private boolean setPointer(int regL, int regH, int value, int shadow) {
        if (shadow < 0 || (shadow & 0xFF) != (value & 0xFF)) {
            if (!wcr(regL, value & 0xFF)) {
                return false;
            }
        }
        if (shadow < 0 || (shadow >> 8) != (value >> 8)) {
            return wcr(regH, value >> 8);
        }
        return true;
    }

    @Override
    public String toString() {
        return "Enc28j60{rev=" + revision + ", spiHz=" + spiHz + ", link=" + link + ", state=" + state + '}';
    }
}
