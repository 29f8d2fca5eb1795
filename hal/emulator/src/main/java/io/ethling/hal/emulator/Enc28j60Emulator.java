package io.ethling.hal.emulator;

import io.ethling.hal.Clock;
import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.hal.DigitalInput;
import io.ethling.hal.DigitalOutput;
import io.ethling.hal.SpiDevice;
import java.io.IOException;

/**
 * A register-level model of the Microchip ENC28J60 behind {@link SpiDevice}: the seven SPI
 * instructions, four register banks, 8 KB buffer memory, RX FIFO with next pointers and receive
 * status vectors, transmit with control byte, padding, CRC and transmit status vector, MII/PHY
 * with 10.24 µs busy time, interrupts and the INT pin, soft reset, DMA, and the silicon errata a
 * driver must survive. Written from ENC28J60.md (data sheet DS39662E, errata DS80349C); section
 * and errata numbers are cited beside each rule.
 *
 * <p>Not thread-safe: call every method from one thread (the poll loop; a TAP reader must hand
 * frames to that thread). {@link #transfer}, {@link #receive} and {@link #tick} do not allocate
 * (except when tracing, or when recording a misuse line).
 *
 * <p>Time: every instruction first brings time-driven state up to {@code clock.nanoTime()}
 * (transmit completion after the 10BASE-T wire time, MII busy 10.24 µs, CLKRDY 300 µs after a
 * power-on reset, the 1 ms settling window after SRC, link-flap ends). With a
 * {@link VirtualClock} and {@link EmulatorConfig#advanceClockOnSpi()} (default), each
 * transaction also advances the clock by its bus time, so a driver that polls makes time pass; a
 * driver that waits must sleep on the clock or the test must advance it
 * (see {@link #nextEventNs()}).
 *
 * <p>Documented choices where the chip is undefined: the byte clocked out during an opcode byte
 * is 0x00; the RCR dummy byte of MAC/MII registers is random (seeded); while the RESET pin is
 * low every byte read back is 0xFF and nothing is executed; BFS/BFC on MAC/MII registers is
 * ignored (and recorded); frames shorter than 60 bytes arriving from the wire are zero-padded to
 * 60 first, as the sending MAC would have done.
 */
public final class Enc28j60Emulator implements SpiDevice {

    // ---------------------------------------------------------------------------------------
    // Register indices: bank * 32 + address for 0x00..0x1A; the common registers 0x1B..0x1F are
    // stored once, at their bare address (ENC28J60.md §2). Own constants, shared with nobody.
    // ---------------------------------------------------------------------------------------
    static final int ERDPTL = 0x00;
    static final int ERDPTH = 0x01;
    static final int EWRPTL = 0x02;
    static final int EWRPTH = 0x03;
    static final int ETXSTL = 0x04;
    static final int ETXSTH = 0x05;
    static final int ETXNDL = 0x06;
    static final int ETXNDH = 0x07;
    static final int ERXSTL = 0x08;
    static final int ERXSTH = 0x09;
    static final int ERXNDL = 0x0A;
    static final int ERXNDH = 0x0B;
    static final int ERXRDPTL = 0x0C;
    static final int ERXRDPTH = 0x0D;
    static final int ERXWRPTL = 0x0E;
    static final int ERXWRPTH = 0x0F;
    static final int EDMASTL = 0x10;
    static final int EDMANDL = 0x12;
    static final int EDMADSTL = 0x14;
    static final int EDMACSL = 0x16;
    static final int EDMACSH = 0x17;

    static final int EIE = 0x1B;
    static final int EIR = 0x1C;
    static final int ESTAT = 0x1D;
    static final int ECON2 = 0x1E;
    static final int ECON1 = 0x1F;

    static final int B1 = 32;
    static final int EHT0 = B1;
    static final int EPMM0 = B1 + 0x08;
    static final int EPMCSL = B1 + 0x10;
    static final int EPMCSH = B1 + 0x11;
    static final int EPMOL = B1 + 0x14;
    static final int EPMOH = B1 + 0x15;
    static final int ERXFCON = B1 + 0x18;
    static final int EPKTCNT = B1 + 0x19;

    static final int B2 = 64;
    static final int MACON1 = B2;
    static final int MACON3 = B2 + 0x02;
    static final int MACON4 = B2 + 0x03;
    static final int MABBIPG = B2 + 0x04;
    static final int MAIPGL = B2 + 0x06;
    static final int MAIPGH = B2 + 0x07;
    static final int MACLCON1 = B2 + 0x08;
    static final int MACLCON2 = B2 + 0x09;
    static final int MAMXFLL = B2 + 0x0A;
    static final int MAMXFLH = B2 + 0x0B;
    static final int MICMD = B2 + 0x12;
    static final int MIREGADR = B2 + 0x14;
    static final int MIWRL = B2 + 0x16;
    static final int MIWRH = B2 + 0x17;
    static final int MIRDL = B2 + 0x18;
    static final int MIRDH = B2 + 0x19;

    static final int B3 = 96;
    static final int MAADR5 = B3;
    static final int MAADR6 = B3 + 0x01;
    static final int MAADR3 = B3 + 0x02;
    static final int MAADR4 = B3 + 0x03;
    static final int MAADR1 = B3 + 0x04;
    static final int MAADR2 = B3 + 0x05;
    static final int EBSTSD = B3 + 0x06;
    static final int EBSTCON = B3 + 0x07;
    static final int EBSTCSL = B3 + 0x08;
    static final int EBSTCSH = B3 + 0x09;
    static final int MISTAT = B3 + 0x0A;
    static final int EREVID = B3 + 0x12;
    static final int ECOCON = B3 + 0x15;
    static final int EFLOCON = B3 + 0x17;
    static final int EPAUSL = B3 + 0x18;
    static final int EPAUSH = B3 + 0x19;

    // Bits (ENC28J60.md §2.6).
    static final int ECON1_TXRST = 0x80;
    static final int ECON1_RXRST = 0x40;
    static final int ECON1_DMAST = 0x20;
    static final int ECON1_CSUMEN = 0x10;
    static final int ECON1_TXRTS = 0x08;
    static final int ECON1_RXEN = 0x04;
    static final int ECON2_AUTOINC = 0x80;
    static final int ECON2_PKTDEC = 0x40;
    static final int ECON2_PWRSV = 0x20;
    static final int ESTAT_INT = 0x80;
    static final int ESTAT_BUFER = 0x40;
    static final int ESTAT_LATECOL = 0x10;
    static final int ESTAT_TXABRT = 0x02;
    static final int ESTAT_CLKRDY = 0x01;
    static final int EIE_INTIE = 0x80;
    static final int EIR_PKTIF = 0x40;
    static final int EIR_DMAIF = 0x20;
    static final int EIR_LINKIF = 0x10;
    static final int EIR_TXIF = 0x08;
    static final int EIR_TXERIF = 0x02;
    static final int EIR_RXERIF = 0x01;
    /** EIR bits a host can clear (R/C): DMAIF, TXIF, TXERIF, RXERIF. */
    static final int EIR_CLEARABLE = EIR_DMAIF | EIR_TXIF | EIR_TXERIF | EIR_RXERIF;
    static final int ESTAT_CLEARABLE = ESTAT_BUFER | ESTAT_LATECOL | ESTAT_TXABRT;
    static final int MACON1_MARXEN = 0x01;
    static final int MACON1_PASSALL = 0x02;
    static final int MACON3_TXCRCEN = 0x10;
    static final int MACON3_HFRMEN = 0x04;
    static final int MACON3_FRMLNEN = 0x02;
    static final int MACON3_FULDPX = 0x01;
    static final int MICMD_MIISCAN = 0x02;
    static final int MICMD_MIIRD = 0x01;
    static final int MISTAT_NVALID = 0x04;
    static final int MISTAT_SCAN = 0x02;
    static final int MISTAT_BUSY = 0x01;
    static final int ERXFCON_UCEN = 0x80;
    static final int ERXFCON_ANDOR = 0x40;
    static final int ERXFCON_CRCEN = 0x20;
    static final int ERXFCON_PMEN = 0x10;
    static final int ERXFCON_MPEN = 0x08;
    static final int ERXFCON_HTEN = 0x04;
    static final int ERXFCON_MCEN = 0x02;
    static final int ERXFCON_BCEN = 0x01;

    // PHY (ENC28J60.md §3).
    static final int PHCON1 = 0x00;
    static final int PHSTAT1 = 0x01;
    static final int PHID1 = 0x02;
    static final int PHID2 = 0x03;
    static final int PHCON2 = 0x10;
    static final int PHSTAT2 = 0x11;
    static final int PHIE = 0x12;
    static final int PHIR = 0x13;
    static final int PHLCON = 0x14;
    static final int PHCON1_PRST = 0x8000;
    static final int PHCON1_PDPXMD = 0x0100;
    static final int PHCON1_PLOOPBK = 0x4000;
    static final int PHCON2_HDLDIS = 0x0100;
    static final int PHSTAT1_LLSTAT = 0x0004;
    static final int PHSTAT2_LSTAT = 0x0400;
    static final int PHSTAT2_DPXSTAT = 0x0200;
    static final int PHIE_PLNKIE = 0x0010;
    static final int PHIE_PGEIE = 0x0002;
    static final int PHIR_PLNKIF = 0x0010;
    static final int PHIR_PGIF = 0x0004;

    /** MII operation time (ENC28J60.md §3.1): 10.24 µs. */
    static final long MII_NS = 10_240L;
    /** 10BASE-T: 0.8 µs per byte (ENC28J60.md §10). */
    static final long WIRE_NS_PER_BYTE = 800L;
    static final int MEM_SIZE = 0x2000;
    static final int MEM_MASK = 0x1FFF;

    // Counter indices.
    static final int C_RX_FRAMES = 0;
    static final int C_RX_FILTERED = 1;
    static final int C_RX_OVERFLOW = 2;
    static final int C_RX_PKTCNT_FULL = 3;
    static final int C_RX_CRC = 4;
    static final int C_RX_GIANT = 5;
    static final int C_RX_DISABLED = 6;
    static final int C_RX_LINKDOWN = 7;
    static final int C_RX_CONTROL = 8;
    static final int C_RX_HEADER_FAULTS = 9;
    static final int C_TX_FRAMES = 10;
    static final int C_TX_ABORTED = 11;
    static final int C_TX_LATECOL = 12;
    static final int C_TX_STALLED = 13;
    static final int C_TX_CANCELLED = 14;
    static final int C_TX_GIANT = 15;
    static final int C_TX_LINKDOWN = 16;
    static final int C_TX_BADCRC = 17;
    static final int C_RESETS = 18;
    static final int C_LINK_CHANGES = 19;
    static final int C_MISUSE = 20;
    static final int C_SPI_BITERRORS = 21;
    static final int C_DMA = 22;
    static final int C_INT_EDGES = 23;
    static final int C_RX_RUNT = 24;
    static final int C_RX_LOOPBACK = 25;

    private static final String[] NAMES = new String[128];
    private static final boolean[] RESERVED = new boolean[128];
    private static final boolean[] MACMII = new boolean[128];
    private static final boolean[] READ_ONLY = new boolean[128];
    private static final int[] WRITE_MASK = new int[128];
    private static final int[] CRC_TABLE = new int[256];
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final Faults.RxHeaderFault[] HEADER_FAULTS = Faults.RxHeaderFault.values();

    static {
        String[] b0 = {"ERDPTL", "ERDPTH", "EWRPTL", "EWRPTH", "ETXSTL", "ETXSTH", "ETXNDL", "ETXNDH",
            "ERXSTL", "ERXSTH", "ERXNDL", "ERXNDH", "ERXRDPTL", "ERXRDPTH", "ERXWRPTL", "ERXWRPTH",
            "EDMASTL", "EDMASTH", "EDMANDL", "EDMANDH", "EDMADSTL", "EDMADSTH", "EDMACSL", "EDMACSH",
            null, null, null};
        String[] b1 = {"EHT0", "EHT1", "EHT2", "EHT3", "EHT4", "EHT5", "EHT6", "EHT7",
            "EPMM0", "EPMM1", "EPMM2", "EPMM3", "EPMM4", "EPMM5", "EPMM6", "EPMM7",
            "EPMCSL", "EPMCSH", null, null, "EPMOL", "EPMOH", null, null, "ERXFCON", "EPKTCNT", null};
        String[] b2 = {"MACON1", null, "MACON3", "MACON4", "MABBIPG", null, "MAIPGL", "MAIPGH",
            "MACLCON1", "MACLCON2", "MAMXFLL", "MAMXFLH", null, null, null, null, null, null,
            "MICMD", null, "MIREGADR", null, "MIWRL", "MIWRH", "MIRDL", "MIRDH", null};
        String[] b3 = {"MAADR5", "MAADR6", "MAADR3", "MAADR4", "MAADR1", "MAADR2", "EBSTSD", "EBSTCON",
            "EBSTCSL", "EBSTCSH", "MISTAT", null, null, null, null, null, null, null,
            "EREVID", null, null, "ECOCON", null, "EFLOCON", "EPAUSL", "EPAUSH", null};
        String[][] banks = {b0, b1, b2, b3};
        for (int bank = 0; bank < 4; bank++) {
            for (int a = 0; a < 0x1B; a++) {
                int idx = bank * 32 + a;
                NAMES[idx] = banks[bank][a];
                RESERVED[idx] = banks[bank][a] == null;
                WRITE_MASK[idx] = 0xFF;
            }
        }
        NAMES[EIE] = "EIE";
        NAMES[EIR] = "EIR";
        NAMES[ESTAT] = "ESTAT";
        NAMES[ECON2] = "ECON2";
        NAMES[ECON1] = "ECON1";
        // §1.2: every bank-2 register, and bank-3 MAADR1..6 and MISTAT, are MAC/MII registers.
        for (int a = 0; a < 0x1B; a++) {
            MACMII[B2 + a] = true;
        }
        for (int a = 0; a <= 5; a++) {
            MACMII[B3 + a] = true;
        }
        MACMII[MISTAT] = true;
        // §2.2: pointer high bytes hold 5 bits (13-bit addresses); EDMACSH holds all 8.
        for (int a = 1; a <= 0x15; a += 2) {
            WRITE_MASK[a] = 0x1F;
        }
        WRITE_MASK[EPMOH] = 0x1F;
        // §2.6 bit layouts: unimplemented bits read 0.
        WRITE_MASK[EIE] = 0xFB;
        WRITE_MASK[EIR] = 0x7B;
        WRITE_MASK[ESTAT] = 0xFF;
        WRITE_MASK[ECON2] = 0xA8;
        WRITE_MASK[ECON1] = 0xFF;
        WRITE_MASK[MACON1] = 0x0F;
        WRITE_MASK[MACON4] = 0x70;
        WRITE_MASK[MABBIPG] = 0x7F;
        WRITE_MASK[MAIPGL] = 0x7F;
        WRITE_MASK[MAIPGH] = 0x7F;
        WRITE_MASK[MACLCON1] = 0x0F;
        WRITE_MASK[MACLCON2] = 0x3F;
        WRITE_MASK[MICMD] = 0x03;
        WRITE_MASK[MIREGADR] = 0x1F;
        WRITE_MASK[ECOCON] = 0x07;
        WRITE_MASK[EFLOCON] = 0x03;
        WRITE_MASK[EBSTCON] = 0xFF;
        // Read-only registers (§11): ERXWRPT, EPKTCNT, EREVID, MISTAT, MIRD; BIST checksum.
        READ_ONLY[ERXWRPTL] = true;
        READ_ONLY[ERXWRPTH] = true;
        READ_ONLY[EPKTCNT] = true;
        READ_ONLY[EREVID] = true;
        READ_ONLY[MISTAT] = true;
        READ_ONLY[MIRDL] = true;
        READ_ONLY[MIRDH] = true;
        READ_ONLY[EBSTCSL] = true;
        READ_ONLY[EBSTCSH] = true;
        // IEEE 802.3 CRC-32, reflected polynomial 0xEDB88320 (LSB first).
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            CRC_TABLE[n] = c;
        }
    }

    // ---------------------------------------------------------------------------------------
    // State.
    // ---------------------------------------------------------------------------------------
    private final Clock clock;
    private final VirtualClock virtualClock;
    private final EmulatorConfig config;
    private final Rng rng;
    private final Rng spiRng;
    private final Faults faults;
    private final Misuse misuse;
    private final SpiStats stats = new SpiStats();
    private final CounterSet counters = new CounterSet(
        "rx.frames", "rx.filtered", "rx.overflow", "rx.overflow.pktcnt", "rx.crc", "rx.giant",
        "rx.disabled", "rx.linkdown", "rx.control", "rx.header.faults",
        "tx.frames", "tx.aborted", "tx.latecollision", "tx.stalled", "tx.cancelled", "tx.giant",
        "tx.linkdown", "tx.badcrc", "resets", "link.changes", "misuse", "spi.biterrors", "dma.ops",
        "int.edges", "rx.runt", "rx.loopback");

    final byte[] mem = new byte[MEM_SIZE];
    private final int[] regs = new int[128];
    private final int[] phy = new int[32];
    private final byte[] txFrame = new byte[MEM_SIZE + 64];
    private final byte[] fillFrame = new byte[60];
    private final StringBuilder traceLine = new StringBuilder(256);
    private final IntPin intPin = new IntPin();
    private final ResetPin resetPin = new ResetPin();
    private final FrameSink wireInput = this::receive;

    private int hz = 12_000_000;
    private FrameSink wire;
    private Appendable trace;

    private boolean link;
    private boolean llstat;
    private boolean jbstat;
    private int erxrdptlBuffer;
    private int epktcnt;
    private int phantom;
    private boolean dropSinceLast;
    private boolean inReset;
    private boolean clkrdy;
    private boolean clkrdyPending;
    private long clkrdyAt;
    private long notReadyUntil;
    private boolean settling;
    private boolean txBusy;
    private long txDoneAt;
    private boolean txStalled;
    private boolean txStallArmed;
    private boolean miiBusy;
    private long miiDoneAt;
    private boolean miiIsWrite;
    private int miiAddr;
    private int miiData;
    private boolean dmaPending;
    private boolean linkUpPending;
    private long linkUpAt;
    private boolean spuriousHold;
    private boolean intLow;

    /** Builds a chip that has just been powered on at {@code clock.nanoTime()}. */
    public Enc28j60Emulator(Clock clock, EmulatorConfig config) {
        this.clock = clock;
        this.virtualClock = clock instanceof VirtualClock v ? v : null;
        this.config = config;
        this.rng = new Rng(config.seed());
        this.spiRng = new Rng(config.seed() * 0x9E3779B97F4A7C15L + 7);
        this.faults = new Faults(this);
        this.misuse = new Misuse(config.strict());
        this.link = config.linkUp();
        for (int i = 0; i < 6; i++) {
            fillFrame[i] = (byte) 0xFF;
        }
        fillFrame[12] = (byte) 0x88;
        fillFrame[13] = (byte) 0xB5;
        powerOnReset();
    }

    // =======================================================================================
    // SpiDevice
    // =======================================================================================

    @Override
    public int transfer(byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
        if (len <= 0) {
            return len == 0 ? 0 : ERR_IO;
        }
        tick();
        long busNs = stats.record(len, hz);
        int stuck = faults.stuckMiso;
        if (inReset || stuck >= 0) {
            // RESET held low: nothing executes, SO reads 0xFF (our choice). E9: stuck MISO.
            if (rx != null) {
                byte v = (byte) (inReset ? 0xFF : stuck);
                for (int i = 0; i < len; i++) {
                    rx[rxOff + i] = v;
                }
            }
            if (trace != null) {
                traceStart();
                traceLine.append(inReset ? "(in reset)" : "(stuck SPI)");
                traceEnd();
            }
        } else {
            execute(tx, txOff, rx, rxOff, len);
            if (rx != null && hz > config.reliableSpiHz()) {
                injectBitErrors(rx, rxOff, len);
            }
        }
        if (spuriousHold) {
            spuriousHold = false;
        }
        if (config.advanceClockOnSpi() && virtualClock != null) {
            virtualClock.advanceNanos(busNs);
        }
        tick();
        updateInt();
        return len;
    }

    @Override
    public int clockHz() {
        return hz;
    }

    /** Accepts any SCK from 1 MHz to 50 MHz as given (clamped to that range) and returns it. */
    @Override
    public int clockHz(int requestedHz) {
        hz = Math.max(1_000_000, Math.min(50_000_000, requestedHz));
        return hz;
    }

    private void injectBitErrors(byte[] rx, int rxOff, int len) {
        double p = config.bitErrorRate();
        for (int i = 1; i < len; i++) { // byte 0 (during the opcode) is don't-care anyway
            if (spiRng.chance(p)) {
                rx[rxOff + i] ^= (byte) (1 << spiRng.nextInt(8));
                counters.inc(C_SPI_BITERRORS);
            }
        }
    }

    private void execute(byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
        int b0 = tx[txOff] & 0xFF;
        int op = b0 >>> 5;
        int arg = b0 & 0x1F;
        if (rx != null) {
            rx[rxOff] = 0; // SO during the opcode byte is don't-care (§1.1); we drive 0x00
        }
        switch (op) {
            case 0 -> rcr(arg, tx, txOff, rx, rxOff, len);
            case 1 -> rbm(arg, rx, rxOff, len);
            case 2, 4, 5 -> writeOp(op, arg, tx, txOff, rx, rxOff, len);
            case 3 -> wbm(arg, tx, txOff, rx, rxOff, len);
            default -> {
                if (b0 == 0xFF) {
                    src(rx, rxOff, len);
                } else {
                    fillRx(rx, rxOff, 1, len, 0);
                    misuse("undefined opcode 0x" + hex2(b0));
                    traceOp("???", b0);
                }
            }
        }
    }

    private int index(int arg) {
        return arg >= 0x1B ? arg : bank() * 32 + arg;
    }

    private int bank() {
        return regs[ECON1] & 0x03;
    }

    private void rcr(int arg, byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
        int idx = index(arg);
        boolean macMii = MACMII[idx];
        int need = macMii ? 3 : 2;
        if (len < need) {
            fillRx(rx, rxOff, 1, len, 0);
            if (macMii && len == 2) {
                if (rx != null) {
                    rx[rxOff + 1] = (byte) spiRng.nextInt(256); // the driver gets the dummy byte
                }
                misuse("RCR of MAC/MII register " + name(idx) + " without the dummy byte (2 bytes, §1.2)");
            } else {
                misuse("incomplete RCR (" + len + " byte)");
            }
            return;
        }
        if (RESERVED[idx]) {
            misuse(reservedText(idx));
        }
        int value = hostRead(idx);
        if (rx != null) {
            if (macMii) {
                rx[rxOff + 1] = (byte) spiRng.nextInt(256); // dummy byte (§1.2): undefined content
                rx[rxOff + 2] = (byte) value;
            } else {
                rx[rxOff + 1] = (byte) value;
            }
            fillRx(rx, rxOff, need, len, 0);
        }
        if (len > need) {
            misuse("extra bytes after RCR " + name(idx) + " (" + len + " bytes, §1.2)");
        }
        if (trace != null) {
            traceStart();
            traceLine.append("RCR ");
            traceReg(idx);
            traceLine.append(" -> ");
            traceHex(value);
            traceEnd();
        }
    }

    private void writeOp(int op, int arg, byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
        String mnemonic = op == 2 ? "WCR" : op == 4 ? "BFS" : "BFC";
        int idx = index(arg);
        if (len < 2) {
            misuse("incomplete " + mnemonic + " (1 byte)");
            return;
        }
        int data = tx[txOff + 1] & 0xFF; // read before rx is written: tx and rx may be one array
        fillRx(rx, rxOff, 1, len, 0);
        if (trace != null) {
            traceStart();
            traceLine.append(mnemonic).append(' ');
            traceReg(idx);
            traceLine.append(' ');
            traceHex(data);
            traceEnd();
        }
        if (len > 2) {
            misuse("extra bytes after " + mnemonic + " " + name(idx) + " (" + len + " bytes, §1.2)");
        }
        if (RESERVED[idx]) {
            misuse(reservedText(idx));
            return;
        }
        if (op != 2 && MACMII[idx]) {
            // §1.2: BFS/BFC work on ETH registers only; ignored here and flagged.
            misuse(mnemonic + " on MAC/MII register " + name(idx) + " (bank " + (idx >> 5) + " 0x"
                + hex2(idx & 0x1F) + ")");
            return;
        }
        if (MACMII[idx] && macMiiNotReady()) {
            return;
        }
        int old = readReg(idx);
        int value = op == 2 ? data : op == 4 ? old | data : old & ~data;
        writeReg(idx, value, op, data);
    }

    private boolean macMiiNotReady() {
        long now = clock.nanoTime();
        if (settling && now - notReadyUntil < 0) {
            // Errata #2 (DS80349C): CLKRDY stays 1 after SRC but the MAC/MII are not ready yet.
            misuse("MAC/MII access within 1 ms after SRC (errata #2)");
            return true;
        }
        if (!clkrdy) {
            misuse("MAC/MII access before ESTAT.CLKRDY (oscillator start-up, §7 step 1)");
            return true;
        }
        if (hz < 8_000_000 && config.revision() <= 0x04) {
            // Errata #1 (B1/B4): below 8 MHz SCK, MAC/MII accesses are unreliable. Recorded only.
            misuse("MAC/MII access at SCK " + hz + " Hz < 8 MHz (errata #1)");
        }
        return false;
    }

    private void rbm(int arg, byte[] rx, int rxOff, int len) {
        if (arg != 0x1A) {
            misuse("RBM with argument 0x" + hex2(arg) + " (must be 0x1A, §1.2)");
        }
        boolean autoinc = (regs[ECON2] & ECON2_AUTOINC) != 0;
        int p = ptr(ERDPTL);
        int start = p;
        boolean pastWrite = false;
        boolean txArea = false;
        boolean checkRing = (regs[ECON1] & ECON1_RXEN) != 0 || epktcnt > 0;
        for (int i = 1; i < len; i++) {
            if (checkRing && !pastWrite && inUnreadFreeArea(p)) {
                pastWrite = true;
            }
            if (txBusy && !txArea && inTxArea(p)) {
                txArea = true;
            }
            if (rx != null) {
                rx[rxOff + i] = mem[p];
            }
            if (autoinc) {
                p = rbmNext(p);
            }
        }
        setPtr(ERDPTL, p);
        if (trace != null) {
            traceStart();
            traceLine.append("RBM ").append(len - 1).append(" ->");
            traceData(rx, rxOff + 1, len - 1, start, true);
            traceEnd();
        }
        if (pastWrite) {
            misuse("RBM read past ERXWRPT (bytes of a packet not yet complete) at ERDPT 0x"
                + hex4(start) + ", ERXWRPT 0x" + hex4(ptr(ERXWRPTL)));
        }
        if (txArea) {
            misuse("RBM of TX bytes while TXRTS=1 (§6)");
        }
    }

    /** RBM pointer rule (§1.2): ERXND jumps to ERXST, else 0x1FFF wraps to 0, else +1. */
    private int rbmNext(int p) {
        if (p == ptr(ERXNDL)) {
            return ptr(ERXSTL);
        }
        return (p + 1) & MEM_MASK;
    }

    private void wbm(int arg, byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
        if (arg != 0x1A) {
            misuse("WBM with argument 0x" + hex2(arg) + " (must be 0x1A, §1.2)");
        }
        boolean autoinc = (regs[ECON2] & ECON2_AUTOINC) != 0;
        boolean rxen = (regs[ECON1] & ECON1_RXEN) != 0;
        int p = ptr(EWRPTL);
        int start = p;
        boolean txArea = false;
        boolean ring = false;
        for (int i = 1; i < len; i++) {
            if (txBusy && !txArea && inTxArea(p)) {
                txArea = true;
            }
            if (rxen && !ring && inRing(p)) {
                ring = true;
            }
            mem[p] = tx[txOff + i];
            if (autoinc) {
                p = (p + 1) & MEM_MASK; // WBM wraps 0x1FFF -> 0, no RX wrap (§1.2)
            }
        }
        setPtr(EWRPTL, p);
        if (trace != null) {
            traceStart();
            traceLine.append("WBM ").append(len - 1);
            traceData(tx, txOff + 1, len - 1, start, false);
            traceEnd();
        }
        fillRx(rx, rxOff, 1, len, 0); // after reading tx: they may be the same array
        if (txArea) {
            misuse("TX bytes written while TXRTS=1 (§6)");
        }
        if (ring) {
            misuse("WBM into the RX ring while RXEN=1 at EWRPT 0x" + hex4(start));
        }
    }

    private void src(byte[] rx, int rxOff, int len) {
        fillRx(rx, rxOff, 1, len, 0);
        traceOp("SRC", -1);
        // Trailing bytes after SRC are accepted (Linux sends 0xFF 0xFF; §1.2).
        if ((regs[ECON2] & ECON2_PWRSV) != 0) {
            misuse("SRC while PWRSV=1 ignored (errata #19)");
            return;
        }
        softReset();
    }

    // =======================================================================================
    // Register model
    // =======================================================================================

    /** The value a register holds now (no side effects). */
    private int readReg(int idx) {
        switch (idx) {
            case EIR:
                return regs[EIR] | (epktcnt > 0 ? EIR_PKTIF : 0) | ((phy[PHIR] & PHIR_PGIF) != 0 ? EIR_LINKIF : 0);
            case ESTAT:
                return (regs[ESTAT] & ~(ESTAT_INT | ESTAT_CLKRDY)) | (intCondition() ? ESTAT_INT : 0)
                    | (clkrdy ? ESTAT_CLKRDY : 0);
            case EPKTCNT:
                return epktcnt;
            default:
                return RESERVED[idx] ? 0 : regs[idx];
        }
    }

    /** A register read over SPI, with its side effects and errata. */
    private int hostRead(int idx) {
        if (MACMII[idx] && macMiiNotReady()) {
            return spiRng.nextInt(256); // errata #2: garbled
        }
        int v = readReg(idx);
        if (idx == EIR && (v & EIR_PKTIF) != 0 && config.unreliablePktif()
                && rng.chance(config.pktifMissRate())) {
            v &= ~EIR_PKTIF; // errata #6: PKTIF does not reliably report pending packets
        }
        if ((idx == MIRDL || idx == MIRDH) && (regs[MISTAT] & MISTAT_BUSY) != 0
                && (regs[MISTAT] & MISTAT_SCAN) == 0) {
            misuse("PHY access while MISTAT.BUSY (" + name(idx) + " read, §3.1)");
        }
        return v;
    }

    private void writeReg(int idx, int value, int op, int data) {
        if (READ_ONLY[idx]) {
            misuse("write to read-only register " + name(idx));
            return;
        }
        int old = regs[idx];
        switch (idx) {
            case ECON1 -> writeEcon1(old, value & 0xFF);
            case ECON2 -> writeEcon2(value, op, data);
            case EIR -> {
                // R/C flags can only be cleared; PKTIF/LINKIF are read-only (§2.6).
                if (op == 4) {
                    misuse("BFS on EIR (flags are read-only or clear-only)");
                    return;
                }
                regs[EIR] = old & (value | ~EIR_CLEARABLE) & EIR_CLEARABLE;
            }
            case ESTAT -> {
                if (op != 5) {
                    misuse(op == 4 ? "BFS on ESTAT (read-only/clear-only)" : "WCR on ESTAT (read-only/clear-only)");
                    if (op == 4) {
                        return;
                    }
                }
                regs[ESTAT] = old & (value | ~ESTAT_CLEARABLE);
            }
            case ERXSTL, ERXSTH, ERXNDL, ERXNDH -> {
                if ((regs[ECON1] & ECON1_RXEN) != 0) {
                    misuse((idx <= ERXSTH ? "ERXST" : "ERXND") + " changed while RXEN=1 (§4)");
                }
                regs[idx] = value & WRITE_MASK[idx];
                // §6.1: writing ERXST loads ERXWRPT; errata #5: the write pointer may be loaded
                // with 0x0000 instead of ERXST. Model the worst case: always 0x0000 after an
                // ERXST/ERXND write, so a ring not starting at 0 breaks visibly.
                setPtr(ERXWRPTL, 0);
            }
            case ERXRDPTL -> erxrdptlBuffer = value & 0xFF; // buffered until the high byte (§5 step 5)
            case ERXRDPTH -> {
                regs[ERXRDPTH] = value & 0x1F;
                regs[ERXRDPTL] = erxrdptlBuffer;
                int rd = ptr(ERXRDPTL);
                if ((rd & 1) == 0) {
                    misuse("even ERXRDPT 0x" + hex4(rd) + " written (errata #14)");
                }
            }
            case ETXSTL, ETXSTH, ETXNDL, ETXNDH -> {
                if (txBusy || (regs[ECON1] & ECON1_TXRTS) != 0) {
                    misuse("TX registers changed while TXRTS=1 (" + name(idx) + ", §6)");
                }
                regs[idx] = value & WRITE_MASK[idx];
            }
            case MICMD -> writeMicmd(old, value & 0x03);
            case MIREGADR -> {
                if ((regs[MISTAT] & MISTAT_BUSY) != 0) {
                    misuse("PHY access while MISTAT.BUSY (MIREGADR write, §3.1)");
                }
                regs[idx] = value & 0x1F;
            }
            case MIWRH -> {
                regs[idx] = value & 0xFF;
                if ((regs[MISTAT] & MISTAT_BUSY) != 0) {
                    misuse("PHY access while MISTAT.BUSY (MIWRH write, §3.1)");
                    return;
                }
                // §3.1: the MIWRH write starts the PHY write, 10.24 µs busy.
                startMii(true, regs[MIREGADR], regs[MIWRL] | (value & 0xFF) << 8);
            }
            case MACON3 -> {
                regs[idx] = value & 0xFF;
                regs[EFLOCON] = (regs[EFLOCON] & 0x03) | ((value & MACON3_FULDPX) != 0 ? 0x04 : 0);
            }
            case EFLOCON -> regs[idx] = (value & 0x03) | (regs[EFLOCON] & 0x04);
            case EBSTCON -> regs[idx] = value & 0xFE; // BIST not modelled; BISTST self-clears
            default -> regs[idx] = value & WRITE_MASK[idx];
        }
    }

    private void writeEcon1(int old, int value) {
        int rose = value & ~old;
        int fell = old & ~value;
        regs[ECON1] = value;
        if ((rose & ECON1_TXRST) != 0) {
            if (txBusy) {
                txBusy = false;
                counters.inc(C_TX_CANCELLED);
            }
            regs[ECON1] &= ~ECON1_TXRTS;
        }
        if ((fell & ECON1_TXRST) != 0) {
            txStalled = false; // errata #12: TXRST pulse frees a stalled transmit logic
        }
        if ((rose & ECON1_RXRST) != 0) {
            // RX logic reset: EPKTCNT cleared, nothing received while held (UNCONFIRMED detail).
            epktcnt = 0;
            phantom = 0;
        }
        if ((rose & ECON1_RXEN) != 0 && ptr(ERXSTL) != 0) {
            misuse("ERXST != 0 (errata #5): ERXST=0x" + hex4(ptr(ERXSTL)));
        }
        if ((rose & ECON1_TXRTS) != 0) {
            startTx();
        } else if ((fell & ECON1_TXRTS) != 0 && (rose & ECON1_TXRST) == 0 && (txBusy || txStalled)) {
            // §6: clearing TXRTS by software cancels the transmission.
            if (txBusy) {
                txBusy = false;
                counters.inc(C_TX_CANCELLED);
            }
        }
        if ((rose & ECON1_DMAST) != 0) {
            dmaPending = true;
            if (!txBusy) {
                runDma();
            }
        } else if ((fell & ECON1_DMAST) != 0) {
            dmaPending = false;
        }
    }

    private void writeEcon2(int value, int op, int data) {
        int old = regs[ECON2];
        regs[ECON2] = value & WRITE_MASK[ECON2];
        // PKTDEC is a write-1 action that reads back 0 (§2.6); with BFC it is never written as 1.
        boolean pktdec = (value & ECON2_PKTDEC) != 0 && (op != 5) && (op == 2 || (data & ECON2_PKTDEC) != 0);
        if (pktdec) {
            if (epktcnt > 0) {
                epktcnt--;
                if (phantom > epktcnt) {
                    phantom = epktcnt;
                }
            } else {
                misuse("PKTDEC with EPKTCNT=0");
            }
        }
        if ((old & ECON2_PWRSV) == 0 && (value & ECON2_PWRSV) != 0) {
            clkrdy = false;
            clkrdyPending = false;
        } else if ((old & ECON2_PWRSV) != 0 && (value & ECON2_PWRSV) == 0) {
            clkrdyPending = true;
            clkrdyAt = clock.nanoTime() + config.oscillatorStartNs();
        }
    }

    // ---------------------------------------------------------------------------------------
    // MII / PHY (§3, §3.1)
    // ---------------------------------------------------------------------------------------

    private void writeMicmd(int old, int value) {
        regs[MICMD] = value;
        int rose = value & ~old;
        if ((rose & (MICMD_MIIRD | MICMD_MIISCAN)) != 0) {
            if ((regs[MISTAT] & MISTAT_BUSY) != 0) {
                misuse("PHY access while MISTAT.BUSY (MICMD write, §3.1)");
                return;
            }
            if ((rose & MICMD_MIISCAN) != 0) {
                regs[MISTAT] |= MISTAT_SCAN;
            }
            regs[MISTAT] |= MISTAT_NVALID;
            startMii(false, regs[MIREGADR], 0);
        }
        if ((old & MICMD_MIISCAN) != 0 && (value & MICMD_MIISCAN) == 0) {
            regs[MISTAT] &= ~MISTAT_SCAN; // the running read finishes, no new one starts
        }
    }

    private void startMii(boolean write, int addr, int data) {
        miiBusy = true;
        miiIsWrite = write;
        miiAddr = addr & 0x1F;
        miiData = data & 0xFFFF;
        miiDoneAt = clock.nanoTime() + MII_NS;
        regs[MISTAT] |= MISTAT_BUSY;
    }

    private void finishMii() {
        if (miiIsWrite) {
            phyWrite(miiAddr, miiData);
            miiBusy = false;
            regs[MISTAT] &= ~MISTAT_BUSY;
            return;
        }
        int v = phyRead(miiAddr, true);
        regs[MIRDL] = v & 0xFF;
        regs[MIRDH] = v >>> 8;
        regs[MISTAT] &= ~MISTAT_NVALID;
        if ((regs[MISTAT] & MISTAT_SCAN) != 0) {
            miiDoneAt += MII_NS; // MIISCAN: read again and again
            miiAddr = regs[MIREGADR];
        } else {
            miiBusy = false;
            regs[MISTAT] &= ~MISTAT_BUSY;
        }
    }

    private int phyRead(int addr, boolean sideEffects) {
        switch (addr) {
            case PHSTAT1: {
                int v = 0x1800 | (llstat ? PHSTAT1_LLSTAT : 0) | (jbstat ? 0x0002 : 0);
                if (sideEffects) {
                    llstat = link; // reading re-arms the latches (§3)
                    jbstat = false;
                }
                return v;
            }
            case PHSTAT2:
                return (link ? PHSTAT2_LSTAT : 0) | ((phy[PHCON1] & PHCON1_PDPXMD) != 0 ? PHSTAT2_DPXSTAT : 0);
            case PHIR: {
                int v = phy[PHIR];
                if (sideEffects && v != 0) {
                    phy[PHIR] = 0; // PHIR read clears PGIF and PLNKIF -> EIR.LINKIF clears (§2.6)
                }
                return v;
            }
            case PHCON1, PHID1, PHID2, PHCON2, PHIE, PHLCON:
                return phy[addr];
            default:
                return 0; // unimplemented PHY addresses read 0 (§3)
        }
    }

    private void phyWrite(int addr, int v) {
        switch (addr) {
            case PHCON1 -> {
                if ((v & PHCON1_PRST) != 0) {
                    phyReset(); // self-clearing PHY reset
                } else {
                    phy[PHCON1] = v & 0x4900;
                }
            }
            case PHCON2 -> phy[PHCON2] = v & 0x6500;
            case PHIE -> phy[PHIE] = v & (PHIE_PLNKIE | PHIE_PGEIE);
            case PHLCON -> phy[PHLCON] = v & 0x3FFE;
            case PHSTAT1, PHSTAT2, PHID1, PHID2, PHIR ->
                misuse("write to read-only PHY register 0x" + hex2(addr));
            default -> {
                // unimplemented: ignored (§3)
            }
        }
    }

    private void phyReset() {
        phy[PHCON1] = 0x0000; // PDPXMD reset 0 here (errata #16: drivers must program it)
        phy[PHID1] = 0x0083;
        phy[PHID2] = 0x1400;
        phy[PHCON2] = 0;
        phy[PHIE] = 0;
        phy[PHIR] = 0;
        phy[PHLCON] = 0x3422;
        llstat = link;
        jbstat = false;
    }

    // ---------------------------------------------------------------------------------------
    // Resets (§7 step 1, errata #2, #19)
    // ---------------------------------------------------------------------------------------

    private void registerReset() {
        int ecocon = regs[ECOCON];
        java.util.Arrays.fill(regs, 0);
        // Reset values, ENC28J60.md §2 (bank-0 values UNCONFIRMED there).
        setPtr(ERDPTL, 0x05FA);
        setPtr(ERXSTL, 0x05FA);
        setPtr(ERXNDL, 0x1FFF);
        setPtr(ERXRDPTL, 0x05FA);
        erxrdptlBuffer = 0xFA;
        regs[ECON2] = ECON2_AUTOINC;
        regs[ERXFCON] = 0xA1;
        regs[MACLCON1] = 0x0F;
        regs[MACLCON2] = 0x37;
        regs[MAMXFLL] = 0x00;
        regs[MAMXFLH] = 0x06;
        regs[EREVID] = config.revision();
        regs[ECOCON] = ecocon;
        regs[EPAUSL] = 0x00;
        regs[EPAUSH] = 0x10;
        epktcnt = 0;
        phantom = 0;
        dropSinceLast = false;
        txBusy = false;
        txStalled = false;
        miiBusy = false;
        dmaPending = false;
        phyReset();
    }

    private void powerOnReset() {
        registerReset();
        regs[ECOCON] = 0x04;
        clkrdy = false;
        clkrdyPending = true;
        clkrdyAt = clock.nanoTime() + config.oscillatorStartNs();
        settling = false;
        updateInt();
    }

    private void softReset() {
        counters.inc(C_RESETS);
        registerReset(); // SRC keeps ECOCON (Microchip stack comment; UNCONFIRMED)
        // Errata #2: CLKRDY is not cleared by SRC, but MAC/MII/PHY need ~1 ms.
        settling = true;
        notReadyUntil = clock.nanoTime() + config.resetSettleNs();
        updateInt();
    }

    void spontaneousReset() {
        counters.inc(C_RESETS);
        for (int i = 0; i < MEM_SIZE; i++) {
            mem[i] = (byte) rng.nextInt(256);
        }
        powerOnReset();
    }

    // =======================================================================================
    // Time
    // =======================================================================================

    /** Brings time-driven state up to {@code clock.nanoTime()}; transfer() does this first. */
    public void tick() {
        long now = clock.nanoTime();
        for (int guard = 0; guard < 1_000_000; guard++) {
            long next = nextEventNs();
            if (next == Long.MAX_VALUE || next - now > 0) {
                break;
            }
            if (clkrdyPending && clkrdyAt == next) {
                clkrdyPending = false;
                clkrdy = true;
            } else if (settling && notReadyUntil == next) {
                settling = false;
            } else if (txBusy && txDoneAt == next) {
                completeTx();
            } else if (miiBusy && miiDoneAt == next) {
                finishMii();
            } else if (linkUpPending && linkUpAt == next) {
                linkUpPending = false;
                setLink(true);
            } else {
                break;
            }
        }
        updateInt();
    }

    /** When tick() would next change something, else Long.MAX_VALUE. */
    public long nextEventNs() {
        long next = Long.MAX_VALUE;
        if (clkrdyPending) {
            next = clkrdyAt;
        }
        if (settling && (next == Long.MAX_VALUE || notReadyUntil - next < 0)) {
            next = notReadyUntil;
        }
        if (txBusy && (next == Long.MAX_VALUE || txDoneAt - next < 0)) {
            next = txDoneAt;
        }
        if (miiBusy && (next == Long.MAX_VALUE || miiDoneAt - next < 0)) {
            next = miiDoneAt;
        }
        if (linkUpPending && (next == Long.MAX_VALUE || linkUpAt - next < 0)) {
            next = linkUpAt;
        }
        return next;
    }

    // =======================================================================================
    // Transmit (§4.2, §6, errata #12, #13, #15)
    // =======================================================================================

    private void startTx() {
        if ((regs[ECON1] & ECON1_TXRST) != 0) {
            regs[ECON1] &= ~ECON1_TXRTS; // transmit logic held in reset: request ignored
            return;
        }
        if (txStalled) {
            counters.inc(C_TX_STALLED); // errata #12: TXRTS stays set, never completes
            return;
        }
        if (((regs[MACON3] & MACON3_FULDPX) != 0) != ((phy[PHCON1] & PHCON1_PDPXMD) != 0)) {
            misuse("MACON3.FULDPX != PHCON1.PDPXMD at TXRTS (§2.6 MACON3, §7 step 7)");
        }
        int len = txLength();
        txBusy = true;
        // Wire time: preamble+SFD 8, frame (padded) + FCS, IFG 12 bytes at 0.8 µs (§10).
        int control = mem[ptr(ETXSTL)] & 0xFF;
        boolean padded = (control & 0x01) != 0 ? (control & 0x04) != 0 : (regs[MACON3] & 0x20) != 0;
        boolean appendCrc = (control & 0x01) != 0 ? (control & 0x02) != 0
            : (regs[MACON3] & (MACON3_TXCRCEN | 0x20)) != 0;
        int wireBytes = (padded ? Math.max(len, 60) : len) + (appendCrc ? 4 : 0);
        txDoneAt = clock.nanoTime() + (8L + wireBytes + 12L) * WIRE_NS_PER_BYTE;
        if (dmaPending) {
            // §4.3: TX and DMA share a port; a running DMA finishes first (DMA is instant here).
            runDma();
        }
    }

    /** Frame bytes after the control byte: ETXST+1 .. ETXND. */
    private int txLength() {
        return (ptr(ETXNDL) - ptr(ETXSTL)) & MEM_MASK;
    }

    private void completeTx() {
        txBusy = false;
        int st = ptr(ETXSTL);
        int nd = ptr(ETXNDL);
        int len = txLength();
        int control = mem[st] & 0xFF;
        int macon3 = regs[MACON3];
        boolean crc;
        int padTo;
        boolean huge;
        if ((control & 0x01) != 0) { // POVERRIDE (§4.2)
            crc = (control & 0x02) != 0;
            padTo = (control & 0x04) != 0 ? 60 : 0;
            huge = (control & 0x08) != 0;
        } else {
            int padcfg = macon3 >>> 5;
            crc = (macon3 & MACON3_TXCRCEN) != 0 || (padcfg & 1) != 0;
            padTo = 0;
            if ((padcfg & 1) != 0) {
                padTo = padcfg == 1 ? 60 : 64; // 001: 60; 011, 111: 64; 101: VLAN 64 else 60
            }
            huge = (macon3 & MACON3_HFRMEN) != 0;
            if (padcfg == 5) {
                padTo = -1; // decided after reading the type field
            }
        }
        int p = (st + 1) & MEM_MASK;
        for (int i = 0; i < len; i++) {
            txFrame[i] = mem[p];
            p = (p + 1) & MEM_MASK;
        }
        if (padTo == -1) {
            boolean vlan = len >= 14 && (txFrame[12] & 0xFF) == 0x81 && txFrame[13] == 0;
            padTo = vlan ? 64 : 60;
        }
        int frameLen = len;
        while (frameLen < padTo) {
            txFrame[frameLen++] = 0;
        }
        int wireLen = crc ? frameLen + 4 : frameLen;
        long tsv = 0;
        tsv |= wireLen & 0xFFFFL;
        tsv |= (long) (wireLen & 0xFFFF) << 32;
        if (len >= 6 && (txFrame[0] & 1) != 0) {
            boolean bc = true;
            for (int i = 0; i < 6; i++) {
                bc &= txFrame[i] == (byte) 0xFF;
            }
            tsv |= bc ? 1L << 25 : 1L << 24;
        }
        if (len >= 14) {
            int type = (txFrame[12] & 0xFF) << 8 | (txFrame[13] & 0xFF);
            if (type == 0x8808) {
                tsv |= 1L << 48;
            }
            if (type == 0x8100) {
                tsv |= 1L << 51;
            }
            if (type > 1500) {
                tsv |= 1L << 22;
            } else if ((macon3 & MACON3_FRMLNEN) != 0 && type != frameLen - 14 && !(frameLen == padTo && type < frameLen - 14)) {
                tsv |= 1L << 21;
            }
        }
        int mamxfl = regs[MAMXFLL] | regs[MAMXFLH] << 8;
        boolean aborted = false;
        boolean late = false;
        boolean badCrc = false;
        if (!crc) {
            // The host supplied the FCS: the last 4 bytes are checked as the CRC (§4.2).
            if (frameLen < 4 || crc32(txFrame, 0, frameLen - 4) != le32(txFrame, frameLen - 4)) {
                badCrc = true;
                tsv |= 1L << 20;
            }
        }
        if (!huge && wireLen > mamxfl) {
            tsv |= 1L << 30;
            aborted = true;
            counters.inc(C_TX_GIANT);
        } else if (faults.abortTx > 0) {
            faults.abortTx--;
            tsv |= 1L << 28; // excessive collisions
            tsv |= (long) (regs[MACLCON1] & 0x0F) << 16;
            aborted = true;
        } else if (faults.lateCollisionTx > 0) {
            faults.lateCollisionTx--;
            tsv |= 1L << 29; // errata #13: reported as late collision
            aborted = true;
            late = true;
        }
        if (aborted) {
            tsv &= ~0xFFFFL; // nothing transmitted successfully
        } else {
            tsv |= 1L << 23; // transmit done
        }
        // TSV at ETXND+1 .. ETXND+7 (§4.2), little-endian.
        int t = (nd + 1) & MEM_MASK;
        for (int i = 0; i < 7; i++) {
            mem[t] = (byte) (tsv >>> (8 * i));
            t = (t + 1) & MEM_MASK;
        }
        regs[ECON1] &= ~ECON1_TXRTS;
        regs[EIR] |= EIR_TXIF;
        if (aborted) {
            regs[EIR] |= EIR_TXERIF;
            regs[ESTAT] |= ESTAT_TXABRT; // ESTAT.LATECOL stays 0 (errata #15)
            counters.inc(C_TX_ABORTED);
            if (late) {
                counters.inc(C_TX_LATECOL);
            }
            if ((tsv & (3L << 28)) != 0) {
                txStalled = true; // errata #12: half-duplex abort stalls the next TXRTS
            }
        } else if (!link) {
            counters.inc(C_TX_LINKDOWN);
        } else if (badCrc) {
            counters.inc(C_TX_BADCRC); // a receiving MAC would discard it
        } else {
            counters.inc(C_TX_FRAMES);
            int out = crc ? frameLen : frameLen - 4;
            if (wire != null) {
                wire.frame(txFrame, 0, out);
            }
            if ((phy[PHCON1] & (PHCON1_PDPXMD | PHCON1_PLOOPBK)) == 0 && (phy[PHCON2] & PHCON2_HDLDIS) == 0) {
                // PHCON2.HDLDIS = 0 in half duplex: the PHY loops transmitted data back to the MAC
                // (§3 PHCON2, errata #9), so the chip may receive its own frame.
                counters.inc(C_RX_LOOPBACK);
                receiveNow(txFrame, 0, out, true);
            }
        }
        if (dmaPending) {
            runDma();
        }
        updateInt();
    }

    // =======================================================================================
    // DMA (§4.3)
    // =======================================================================================

    private void runDma() {
        dmaPending = false;
        counters.inc(C_DMA);
        int st = ptr(EDMASTL);
        int nd = ptr(EDMANDL);
        boolean csum = (regs[ECON1] & ECON1_CSUMEN) != 0;
        int p = st;
        int d = ptr(EDMADSTL);
        long sum = 0;
        boolean high = true;
        for (int n = 0; n < MEM_SIZE; n++) {
            int b = mem[p] & 0xFF;
            if (csum) {
                sum += high ? b << 8 : b;
                high = !high;
            } else {
                mem[d] = (byte) b;
                d = (d + 1) & MEM_MASK; // DMA writes do not follow the RX wrap (UNCONFIRMED)
            }
            if (p == nd) {
                break;
            }
            p = rbmNext(p); // DMA reads follow the RX-FIFO wrap (UNCONFIRMED)
        }
        if (csum) {
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            int cs = (int) (~sum & 0xFFFF);
            regs[EDMACSH] = cs >>> 8;
            regs[EDMACSL] = cs & 0xFF;
        }
        regs[ECON1] &= ~ECON1_DMAST;
        regs[EIR] |= EIR_DMAIF;
        updateInt();
    }

    // =======================================================================================
    // Receive (§4.1, §5)
    // =======================================================================================

    /** The same as {@link #receive(byte[], int, int)}, as a FrameSink created once. */
    public FrameSink wireInput() {
        return wireInput;
    }

    /**
     * A frame (no FCS) arrives from the wire: the emulator computes the FCS, filters it, stores
     * it in the RX FIFO or drops it (counted).
     */
    public void receive(byte[] frame, int off, int len) {
        receive(frame, off, len, true);
    }

    /**
     * A frame arrives; {@code fcsValid == false} models a frame damaged on the wire (its stored
     * FCS does not match: RSV bit 20; dropped if ERXFCON.CRCEN).
     */
    public void receive(byte[] frame, int off, int len, boolean fcsValid) {
        tick();
        receiveNow(frame, off, len, fcsValid);
    }

    private void receiveNow(byte[] frame, int off, int len, boolean fcsValid) {
        if (len <= 0) {
            counters.inc(C_RX_RUNT);
            return;
        }
        if (inReset || !link || (regs[ECON2] & ECON2_PWRSV) != 0 || !clkrdy) {
            counters.inc(C_RX_LINKDOWN);
            return;
        }
        if ((regs[ECON1] & (ECON1_RXEN | ECON1_RXRST)) != ECON1_RXEN || (regs[MACON1] & MACON1_MARXEN) == 0) {
            counters.inc(C_RX_DISABLED); // needs ECON1.RXEN and MACON1.MARXEN (§11)
            return;
        }
        int frameLen = Math.max(len, 60);
        int withFcs = frameLen + 4;
        int mamxfl = regs[MAMXFLL] | regs[MAMXFLH] << 8;
        if ((regs[MACON3] & MACON3_HFRMEN) == 0 && withFcs > mamxfl) {
            counters.inc(C_RX_GIANT); // MAMXFL: giants aborted unless HFRMEN (§2.6 MACON3)
            dropSinceLast = true;
            return;
        }
        int type = len >= 14 ? (frame[off + 12] & 0xFF) << 8 | (frame[off + 13] & 0xFF) : 0;
        if (type == 0x8808 && (regs[MACON1] & MACON1_PASSALL) == 0) {
            counters.inc(C_RX_CONTROL); // control frames pass only with PASSALL
            return;
        }
        if (!acceptedByFilters(frame, off, len, frameLen)) {
            counters.inc(C_RX_FILTERED);
            return;
        }
        if (!fcsValid && (regs[ERXFCON] & ERXFCON_CRCEN) != 0) {
            counters.inc(C_RX_CRC);
            return;
        }
        if (faults.rxOverflowFrames > 0) {
            faults.rxOverflowFrames--;
            overflow(false);
            return;
        }
        store(frame, off, len, frameLen, fcsValid, type);
    }

    private void overflow(boolean pktcnt) {
        regs[EIR] |= EIR_RXERIF;
        counters.inc(C_RX_OVERFLOW);
        if (pktcnt) {
            counters.inc(C_RX_PKTCNT_FULL);
        }
        dropSinceLast = true;
        updateInt();
    }

    /** Stores one packet; returns false if it did not fit (overflow signalled). */
    private boolean store(byte[] frame, int off, int len, int frameLen, boolean fcsValid, int type) {
        if (epktcnt >= 255) {
            overflow(true); // EPKTCNT saturates at 255: next packet dropped with RXERIF (§11)
            return false;
        }
        int st = ptr(ERXSTL);
        int nd = ptr(ERXNDL);
        int wr = ptr(ERXWRPTL);
        int rd = ptr(ERXRDPTL);
        int size = ringSize();
        if (size <= 0 || !inRing(rd)) {
            if (size > 0) {
                misuse("ERXRDPT 0x" + hex4(rd) + " outside the RX ring 0x" + hex4(st) + "..0x" + hex4(nd));
            }
            overflow(false);
            return false;
        }
        int withFcs = frameLen + 4;
        int need = 6 + withFcs;
        need += need & 1; // pad to even: every packet starts at an even address (§4.1)
        // Free space: bytes from ERXWRPT up to, not including, the ERXRDPT byte (§5).
        int free = wr == rd ? size : ringDistance(wr, rd, st, size);
        if (need > free) {
            overflow(false);
            return false;
        }
        int next = wr;
        for (int i = 0; i < need; i++) {
            next = ringNext(next, st, nd);
        }
        long rsv = withFcs & 0xFFFF;
        if (dropSinceLast) {
            rsv |= 1L << 16;
        }
        if (!fcsValid) {
            rsv |= 1L << 20;
        } else {
            rsv |= 1L << 23;
        }
        boolean bc = true;
        for (int i = 0; i < 6; i++) {
            bc &= frame[off + i] == (byte) 0xFF;
        }
        if (bc) {
            rsv |= 1L << 25;
        } else if ((frame[off] & 1) != 0) {
            rsv |= 1L << 24;
        }
        if (type > 1500) {
            rsv |= 1L << 22; // type field, not a length: "length out of range" (§4.1 bit 22)
        } else if ((regs[MACON3] & MACON3_FRMLNEN) != 0 && type != len - 14 && !(len <= 60 && type < frameLen - 14)) {
            rsv |= 1L << 21;
        }
        if (type == 0x8808) {
            rsv |= 1L << 27;
            if (len >= 16 && frame[off + 14] == 0 && frame[off + 15] == 1) {
                rsv |= 1L << 28;
            } else {
                rsv |= 1L << 29;
            }
        }
        if (type == 0x8100) {
            rsv |= 1L << 30;
        }
        int storedNext = next;
        Faults.RxHeaderFault fault = faults.nextHeaderFault;
        faults.nextHeaderFault = null;
        if (fault == null && faults.headerFaultProbability > 0 && rng.chance(faults.headerFaultProbability)) {
            fault = HEADER_FAULTS[rng.nextInt(HEADER_FAULTS.length)];
        }
        if (fault != null) {
            counters.inc(C_RX_HEADER_FAULTS);
            switch (fault) {
                case NEXT_POINTER_ODD -> storedNext = next | 1;
                case NEXT_POINTER_OUTSIDE_RING -> storedNext = nd < MEM_MASK - 1 ? nd + 1 : st >= 2 ? st - 2 : MEM_MASK;
                case BYTE_COUNT_ZERO -> rsv &= ~0xFFFFL;
                case BYTE_COUNT_3 -> rsv = (rsv & ~0xFFFFL) | 3;
                case BYTE_COUNT_1600 -> rsv = (rsv & ~0xFFFFL) | 1600;
                case RECEIVED_OK_CLEAR -> rsv &= ~(1L << 23);
                case CRC_ERROR_SET -> rsv = (rsv | 1L << 20) & ~(1L << 23);
            }
        }
        int p = wr;
        p = put(p, storedNext, st, nd);
        p = put(p, storedNext >>> 8, st, nd);
        for (int i = 0; i < 4; i++) {
            p = put(p, (int) (rsv >>> (8 * i)), st, nd);
        }
        int crc = 0xFFFFFFFF;
        for (int i = 0; i < frameLen; i++) {
            int b = i < len ? frame[off + i] & 0xFF : 0;
            crc = CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >>> 8);
            p = put(p, b, st, nd);
        }
        int fcs = ~crc;
        if (!fcsValid) {
            fcs ^= 0x00000100 << rng.nextInt(16); // a wrong FCS as it arrived
        }
        for (int i = 0; i < 4; i++) {
            p = put(p, fcs >>> (8 * i), st, nd); // FCS LSB first (IEEE 802.3)
        }
        // the padding byte (if any) keeps whatever the memory held
        setPtr(ERXWRPTL, next);
        epktcnt++;
        dropSinceLast = false;
        counters.inc(C_RX_FRAMES);
        updateInt();
        return true;
    }

    private int put(int p, int b, int st, int nd) {
        mem[p] = (byte) b;
        return ringNext(p, st, nd);
    }

    /** RX hardware write pointer advance: after ERXND continue at ERXST (§4). */
    private static int ringNext(int p, int st, int nd) {
        return p == nd ? st : (p + 1) & MEM_MASK;
    }

    private int ringSize() {
        return ptr(ERXNDL) - ptr(ERXSTL) + 1;
    }

    private boolean inRing(int p) {
        return p >= ptr(ERXSTL) && p <= ptr(ERXNDL);
    }

    private static int ringDistance(int from, int to, int st, int size) {
        int d = to - from;
        if (d < 0) {
            d += size;
        }
        return d;
    }

    /** Whether an RBM at {@code p} reads ring bytes that hold no complete unread packet. */
    private boolean inUnreadFreeArea(int p) {
        if (!inRing(p)) {
            return false;
        }
        int st = ptr(ERXSTL);
        int size = ringSize();
        int wr = ptr(ERXWRPTL);
        int rd = ptr(ERXRDPTL);
        if (!inRing(wr) || !inRing(rd)) {
            return false;
        }
        int freeLen = wr == rd ? (epktcnt - phantom > 0 ? 0 : size) : ringDistance(wr, rd, st, size);
        return ringDistance(wr, p, st, size) < freeLen;
    }

    private boolean inTxArea(int p) {
        int st = ptr(ETXSTL);
        int end = (ptr(ETXNDL) + 7) & MEM_MASK;
        return st <= end ? p >= st && p <= end : p >= st || p <= end;
    }

    private boolean acceptedByFilters(byte[] f, int off, int len, int frameLen) {
        int fc = regs[ERXFCON];
        int enabled = fc & (ERXFCON_UCEN | ERXFCON_PMEN | ERXFCON_MPEN | ERXFCON_HTEN | ERXFCON_MCEN | ERXFCON_BCEN);
        if (enabled == 0) {
            return true; // ERXFCON 0x00 / 0x20: promiscuous (§2.6)
        }
        boolean and = (fc & ERXFCON_ANDOR) != 0;
        boolean any = false;
        boolean all = true;
        if ((fc & ERXFCON_UCEN) != 0) {
            boolean m = isUnicastToUs(f, off);
            any |= m;
            all &= m;
        }
        if ((fc & ERXFCON_BCEN) != 0) {
            boolean m = isBroadcast(f, off);
            any |= m;
            all &= m;
        }
        if ((fc & ERXFCON_MCEN) != 0) {
            boolean m = (f[off] & 1) != 0; // LSb of the first octet set (broadcast included)
            any |= m;
            all &= m;
        }
        if ((fc & ERXFCON_HTEN) != 0) {
            // Hash: CRC-32 of the DA, bits 28:23 pick an EHT bit (UNCONFIRMED, ENC28J60.md §2.6).
            int h = (crc32(f, off, 6) >>> 23) & 0x3F;
            boolean m = (regs[EHT0 + (h >>> 3)] & (1 << (h & 7))) != 0;
            any |= m;
            all &= m;
        }
        if ((fc & ERXFCON_PMEN) != 0) {
            boolean m = patternMatch(f, off, len, frameLen);
            any |= m;
            all &= m;
        }
        if ((fc & ERXFCON_MPEN) != 0) {
            boolean m = magicPacket(f, off, len);
            any |= m;
            all &= m;
        }
        return and ? all : any;
    }

    private boolean isBroadcast(byte[] f, int off) {
        for (int i = 0; i < 6; i++) {
            if (f[off + i] != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    private boolean isUnicastToUs(byte[] f, int off) {
        for (int i = 0; i < 6; i++) {
            if ((f[off + i] & 0xFF) != macOctet(i)) {
                return false;
            }
        }
        return true;
    }

    /** Octet {@code i} (0 = first on the wire) of MAADR, mind the order trap of §2.5. */
    private int macOctet(int i) {
        return switch (i) {
            case 0 -> regs[MAADR1];
            case 1 -> regs[MAADR2];
            case 2 -> regs[MAADR3];
            case 3 -> regs[MAADR4];
            case 4 -> regs[MAADR5];
            default -> regs[MAADR6];
        };
    }

    private boolean patternMatch(byte[] f, int off, int len, int frameLen) {
        int epmo = regs[EPMOL] | regs[EPMOH] << 8;
        if (epmo + 64 > frameLen + 4) {
            return false;
        }
        long sum = 0;
        boolean high = true;
        for (int i = 0; i < 64; i++) {
            if ((regs[EPMM0 + (i >>> 3)] & (1 << (i & 7))) != 0) {
                int pos = epmo + i;
                int b = pos < len ? f[off + pos] & 0xFF : 0;
                sum += high ? b << 8 : b;
                high = !high;
            }
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int cs = (int) (~sum & 0xFFFF);
        return cs == (regs[EPMCSL] | regs[EPMCSH] << 8);
    }

    private boolean magicPacket(byte[] f, int off, int len) {
        if (!isUnicastToUs(f, off) && !isBroadcast(f, off)) {
            return false;
        }
        for (int s = 14; s + 6 + 96 <= len; s++) {
            boolean ok = true;
            for (int i = 0; i < 6 && ok; i++) {
                ok = f[off + s + i] == (byte) 0xFF;
            }
            for (int r = 0; r < 16 && ok; r++) {
                for (int i = 0; i < 6 && ok; i++) {
                    ok = (f[off + s + 6 + r * 6 + i] & 0xFF) == macOctet(i);
                }
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }

    int fillRing() {
        tick();
        if ((regs[ECON1] & ECON1_RXEN) == 0 || (regs[MACON1] & MACON1_MARXEN) == 0) {
            return 0;
        }
        for (int i = 0; i < 6; i++) {
            fillFrame[6 + i] = (byte) macOctet(i);
        }
        int n = 0;
        while (epktcnt < 255) {
            int wr = ptr(ERXWRPTL);
            int rd = ptr(ERXRDPTL);
            int size = ringSize();
            if (size <= 0 || !inRing(rd)) {
                break;
            }
            int free = wr == rd ? size : ringDistance(wr, rd, ptr(ERXSTL), size);
            if (free < 6 + 64) {
                break;
            }
            store(fillFrame, 0, 60, 60, true, 0x88B5);
            n++;
        }
        return n;
    }

    void phantomPackets(int n) {
        int add = Math.max(0, Math.min(n, 255 - epktcnt));
        epktcnt += add;
        phantom += add;
        updateInt();
    }

    void spuriousInterrupt() {
        spuriousHold = true;
        updateInt();
    }

    void linkFlap(long downNs) {
        setLink(false);
        linkUpPending = true;
        linkUpAt = clock.nanoTime() + Math.max(0, downNs);
    }

    // =======================================================================================
    // Wire side, link
    // =======================================================================================

    /** Frames the chip transmits go to {@code wire} (no FCS), at the moment the TX completes. */
    public void connect(FrameSink wire) {
        this.wire = wire;
    }

    /**
     * Sets the PHY link: PHSTAT2.LSTAT follows, PHSTAT1.LLSTAT latches low on loss, PHIR.PLNKIF is
     * set on a change and PGIF too if PHIE enables (PGEIE and PLNKIE), which shows as EIR.LINKIF.
     */
    public void setLink(boolean up) {
        if (up == link) {
            return;
        }
        link = up;
        counters.inc(C_LINK_CHANGES);
        if (!up) {
            llstat = false;
        }
        phy[PHIR] |= PHIR_PLNKIF;
        if ((phy[PHIE] & (PHIE_PGEIE | PHIE_PLNKIE)) == (PHIE_PGEIE | PHIE_PLNKIE)) {
            phy[PHIR] |= PHIR_PGIF;
        }
        updateInt();
    }

    public boolean linkUp() {
        return link;
    }

    // =======================================================================================
    // Pins
    // =======================================================================================

    /** INT, active low: isHigh() == false while asserted; edges reach the wake-up synchronously. */
    public DigitalInput interruptPin() {
        return intPin;
    }

    /** RESET, active low: low holds the chip in reset; the rising edge is a power-on-like reset. */
    public DigitalOutput resetPin() {
        return resetPin;
    }

    /** INT output low ⇔ EIE.INTIE ∧ (EIE ∧ EIR ∧ 0x7B ≠ 0) (§2.6, §11); PKTIF here is the true one. */
    private boolean intCondition() {
        int eie = regs[EIE];
        if ((eie & EIE_INTIE) == 0) {
            return false;
        }
        return (eie & readReg(EIR) & 0x7B) != 0;
    }

    private void updateInt() {
        boolean low = !inReset && (intCondition() || spuriousHold);
        if (low == intLow) {
            return;
        }
        intLow = low;
        counters.inc(C_INT_EDGES);
        intPin.edge(low);
    }

    private final class IntPin implements DigitalInput {
        private Edge edge = Edge.FALLING;
        private Runnable wakeup;

        @Override
        public boolean isHigh() {
            return !intLow;
        }

        @Override
        public void onEdge(Edge edge, Runnable wakeup) {
            this.edge = edge == null ? Edge.FALLING : edge;
            this.wakeup = wakeup;
        }

        void edge(boolean fell) {
            Runnable w = wakeup;
            if (w == null) {
                return;
            }
            if (edge == Edge.BOTH || (fell ? edge == Edge.FALLING : edge == Edge.RISING)) {
                w.run();
            }
        }
    }

    private final class ResetPin implements DigitalOutput {
        private boolean high = true;

        @Override
        public void set(boolean level) {
            if (level == high) {
                return;
            }
            high = level;
            if (!level) {
                inReset = true;
                txBusy = false;
                miiBusy = false;
                updateInt();
            } else {
                inReset = false;
                counters.inc(C_RESETS);
                powerOnReset();
            }
        }

        @Override
        public boolean isHigh() {
            return high;
        }
    }

    // =======================================================================================
    // Faults, misuse, statistics, inspection
    // =======================================================================================

    public Faults faults() {
        return faults;
    }

    public Misuse misuse() {
        return misuse;
    }

    public SpiStats stats() {
        return stats;
    }

    /**
     * The emulator's own counters: rx.frames, rx.filtered, rx.overflow, rx.overflow.pktcnt,
     * rx.crc, rx.giant, rx.disabled, rx.linkdown, rx.control, rx.header.faults, tx.frames,
     * tx.aborted, tx.latecollision, tx.stalled, tx.cancelled, tx.giant, tx.linkdown, tx.badcrc,
     * resets, link.changes, misuse, spi.biterrors, dma.ops, int.edges, rx.runt.
     */
    public Counters counters() {
        return counters;
    }

    /**
     * Traces every SPI transaction as one line, e.g. {@code WCR b2 MACON3 32}, {@code RCR b3
     * MISTAT -> 00}, {@code RBM 6 -> 0a 01 40 00 80 00}, {@code BFS ECON1 04}, {@code SRC};
     * decoded with the bank current at that moment. {@code null} stops tracing.
     */
    public void trace(Appendable out) {
        this.trace = out;
    }

    /** Raw ETH/MAC/MII register value (bank 0..3, address 0..0x1F; common ones in any bank). */
    public int register(int bank, int address) {
        int idx = address >= 0x1B ? address : (bank & 3) * 32 + (address & 0x1F);
        if (idx == ERXRDPTL) {
            return regs[ERXRDPTL];
        }
        return readReg(idx);
    }

    /** PHY register value, without read side effects. */
    public int phyRegister(int address) {
        return phyRead(address & 0x1F, false);
    }

    /** Buffer byte 0..0x1FFF. */
    public int memory(int address) {
        return mem[address & MEM_MASK] & 0xFF;
    }

    /** EPKTCNT. */
    public int pendingPackets() {
        return epktcnt;
    }

    // =======================================================================================
    // Helpers
    // =======================================================================================

    private int ptr(int lowIdx) {
        return regs[lowIdx] | (regs[lowIdx + 1] & 0x1F) << 8;
    }

    private void setPtr(int lowIdx, int v) {
        regs[lowIdx] = v & 0xFF;
        regs[lowIdx + 1] = (v >>> 8) & 0x1F;
    }

    private static void fillRx(byte[] rx, int rxOff, int from, int len, int v) {
        if (rx == null) {
            return;
        }
        for (int i = from; i < len; i++) {
            rx[rxOff + i] = (byte) v;
        }
    }

    /** IEEE 802.3 CRC-32 (the FCS value, LSB-first on the wire). */
    static int crc32(byte[] b, int off, int len) {
        int crc = 0xFFFFFFFF;
        for (int i = 0; i < len; i++) {
            crc = CRC_TABLE[(crc ^ b[off + i]) & 0xFF] ^ (crc >>> 8);
        }
        return ~crc;
    }

    private static int le32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    private void misuse(String line) {
        counters.inc(C_MISUSE);
        misuse.record(line);
    }

    private static String name(int idx) {
        String n = NAMES[idx];
        return n != null ? n : "reserved b" + (idx >> 5) + " 0x" + hex2(idx & 0x1F);
    }

    private static String reservedText(int idx) {
        return "register 0x" + hex2(idx & 0x1F) + " in bank " + (idx >> 5) + " is reserved";
    }

    static String hex2(int v) {
        return new String(new char[] {HEX[(v >>> 4) & 0xF], HEX[v & 0xF]});
    }

    static String hex4(int v) {
        return hex2(v >>> 8) + hex2(v & 0xFF);
    }

    private void traceStart() {
        traceLine.setLength(0);
    }

    private void traceReg(int idx) {
        if (idx < 0x1B || idx >= 32) {
            traceLine.append('b').append((char) ('0' + (idx >> 5))).append(' ');
        }
        String n = NAMES[idx];
        if (n != null) {
            traceLine.append(n);
        } else {
            traceLine.append("0x");
            traceHex(idx & 0x1F);
        }
    }

    private void traceHex(int v) {
        traceLine.append(HEX[(v >>> 4) & 0xF]).append(HEX[v & 0xF]);
    }

    private void traceData(byte[] b, int off, int n, int addr, boolean fromMem) {
        int shown = Math.min(n, 16);
        for (int i = 0; i < shown; i++) {
            traceLine.append(' ');
            traceHex(b != null ? b[off + i] & 0xFF : mem[(addr + i) & MEM_MASK] & 0xFF);
        }
        if (n > shown) {
            traceLine.append(" \u2026(").append(n).append(')');
        }
    }

    private void traceOp(String text, int b0) {
        if (trace == null) {
            return;
        }
        traceStart();
        traceLine.append(text);
        if (b0 >= 0) {
            traceLine.append(' ');
            traceHex(b0);
        }
        traceEnd();
    }

    private void traceEnd() {
        try {
            trace.append(traceLine).append('\n');
        } catch (IOException e) {
            trace = null; // a broken trace sink stops tracing, never the emulator
        }
    }
}
