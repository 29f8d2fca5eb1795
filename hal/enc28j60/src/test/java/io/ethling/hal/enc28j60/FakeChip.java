package io.ethling.hal.enc28j60;

import io.ethling.hal.Clock;
import io.ethling.hal.DigitalInput;
import io.ethling.hal.SpiDevice;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately small ENC28J60 model for unit tests: banks, pointer registers with the RBM
 * receive-ring wrap, ERXRDPT low-byte buffering, EPKTCNT/PKTDEC, PHY registers behind MII,
 * instant transmission with a TSV, and knobs for faults. It records every transaction (when
 * {@link #record} is set) so tests can assert exact byte sequences. Not the project's emulator.
 */
final class FakeChip implements SpiDevice {

    /** A virtual clock: sleeping advances time. */
    static final class VClock implements Clock {
        long now = 1_000_000_000L;
        long slept;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long ns) {
            now += ns;
            slept += ns;
        }
    }

    final byte[] mem = new byte[8192];
    final int[][] regs = new int[4][32];
    final int[] phy = new int[32];
    int revision = 0x06;
    int stuck = -1;
    int clockHz = 1_000_000;
    int reliableHz = 20_000_000;
    boolean record = true;
    final List<byte[]> log = new ArrayList<>();
    final List<byte[]> sent = new ArrayList<>();
    int transactions;
    long bytes;

    java.util.Random failRandom;
    double failRate;
    int failures;
    int erxrdptlBuffer;
    int wrpt;
    boolean holdTx;          // TXRTS stays set (stalled TX logic)
    int lateCollisions;      // abort the next n transmissions with TSV bit 29
    int txStallAfterAbort;   // errata #12 model: after an abort, ignore TXRTS until TXRST pulses
    boolean stalled;
    int misuse;
    final List<String> misuseLines = new ArrayList<>();

    final DigitalInput intPin = new DigitalInput() {
        @Override
        public boolean isHigh() {
            int eie = common(0x1B);
            int eir = eir();
            return !((eie & 0x80) != 0 && (eie & eir & 0x7B) != 0);
        }

        @Override
        public void onEdge(Edge edge, Runnable wakeup) {
        }
    };

    FakeChip() {
        powerOn();
    }

    void powerOn() {
        for (int[] r : regs) {
            java.util.Arrays.fill(r, 0);
        }
        setCommon(0x1E, 0x80);
        setCommon(0x1D, 0x01);
        regs[0][0x00] = 0xFA;
        regs[0][0x01] = 0x05;
        regs[0][0x08] = 0xFA;
        regs[0][0x09] = 0x05;
        regs[0][0x0A] = 0xFF;
        regs[0][0x0B] = 0x1F;
        regs[0][0x0C] = 0xFA;
        regs[0][0x0D] = 0x05;
        regs[1][0x18] = 0xA1;
        regs[2][0x0A] = 0x00;
        regs[2][0x0B] = 0x06;
        regs[3][0x12] = revision;
        wrpt = 0;
        phy[0x11] = 0x0400; // link up
        stalled = false;
    }

    int common(int a) {
        return regs[0][a];
    }

    void setCommon(int a, int v) {
        for (int[] r : regs) {
            r[a] = v & 0xFF;
        }
    }

    int bank() {
        return common(0x1F) & 3;
    }

    int epktcnt() {
        return regs[1][0x19];
    }

    int eir() {
        int eir = common(0x1C) & ~0x40;
        if (epktcnt() > 0) {
            eir |= 0x40;
        }
        return eir;
    }

    int p16(int bank, int lo) {
        return regs[bank][lo] | regs[bank][lo + 1] << 8;
    }

    int erxst() {
        return p16(0, 0x08);
    }

    int erxnd() {
        return p16(0, 0x0A);
    }

    int erxrdpt() {
        return p16(0, 0x0C);
    }

    long mac() {
        int[] r = regs[3];
        return (long) r[4] << 40 | (long) r[5] << 32 | (long) r[2] << 24 | (long) r[3] << 16 | (long) r[0] << 8 | r[1];
    }

    void misuse(String s) {
        misuse++;
        misuseLines.add(s);
    }

    boolean isMacMii(int bank, int a) {
        return a < 0x1B && (bank == 2 || (bank == 3 && (a <= 5 || a == 0x0A)));
    }

    @Override
    public int transfer(byte[] tx, int txOff, byte[] rx, int rxOff, int len) {
        if (failRandom != null && failRandom.nextDouble() < failRate) {
            failures++;
            return ERR_IO;
        }
        transactions++;
        bytes += len;
        byte[] in = record ? new byte[len] : scratchIn;
        System.arraycopy(tx, txOff, in, 0, len);
        if (record) {
            log.add(in);
        }
        byte[] out = scratchOut;
        java.util.Arrays.fill(out, 0, len, (byte) 0);
        execute(in, out, len);
        if (clockHz > reliableHz) {
            for (int i = 1; i < len; i += 7) {
                out[i] ^= 0x10; // too fast: read-back is garbled
            }
        }
        if (stuck >= 0) {
            java.util.Arrays.fill(out, (byte) stuck);
        }
        if (rx != null) {
            System.arraycopy(out, 0, rx, rxOff, len);
        }
        return len;
    }

    private final byte[] scratchIn = new byte[4096];
    private final byte[] scratchOut = new byte[4096];

    private void execute(byte[] in, byte[] out, int len) {
        if (stuck >= 0) {
            return;
        }
        int op = in[0] & 0xFF;
        int a = op & 0x1F;
        int b = bank();
        if (op == 0xFF) {
            if ((common(0x1E) & 0x20) != 0) {
                misuse("SRC while PWRSV");
                return;
            }
            softReset();
            return;
        }
        switch (op >> 5) {
            case 0 -> { // RCR
                int v = read(b, a);
                if (isMacMii(b, a)) {
                    if (len != 3) {
                        misuse("RCR of MAC/MII without dummy byte");
                    } else {
                        out[2] = (byte) v;
                    }
                } else {
                    if (len != 2) {
                        misuse("RCR ETH with " + len + " bytes");
                    }
                    out[1] = (byte) v;
                }
            }
            case 1 -> { // RBM (0x3A) or RCR? op 0x20..0x3F
                if (op != 0x3A) {
                    misuse("bad op " + op);
                    return;
                }
                int p = p16(0, 0x00);
                for (int i = 1; i < len; i++) {
                    out[i] = mem[p];
                    if (p == erxnd()) {
                        p = erxst();
                    } else {
                        p = (p + 1) & 0x1FFF;
                    }
                }
                regs[0][0] = p & 0xFF;
                regs[0][1] = p >> 8;
            }
            case 2 -> {
                if (len != 2) {
                    misuse("WCR length " + len);
                }
                write(b, a, in[1] & 0xFF);
            }
            case 3 -> { // WBM
                if (op != 0x7A) {
                    misuse("bad op " + op);
                    return;
                }
                int p = p16(0, 0x02);
                for (int i = 1; i < len; i++) {
                    mem[p] = in[i];
                    p = (p + 1) & 0x1FFF;
                }
                regs[0][2] = p & 0xFF;
                regs[0][3] = p >> 8;
            }
            case 4, 5 -> {
                if (isMacMii(b, a)) {
                    misuse("BFS/BFC on MAC/MII");
                    return;
                }
                int cur = a >= 0x1B ? common(a) : regs[b][a];
                int v = (op >> 5) == 4 ? cur | (in[1] & 0xFF) : cur & ~(in[1] & 0xFF);
                write(b, a, v);
            }
            default -> misuse("bad op " + op);
        }
    }

    private int read(int b, int a) {
        if (a == 0x1C) {
            return eir();
        }
        if (a >= 0x1B) {
            return common(a);
        }
        if (b == 0 && a == 0x0E) {
            return wrpt & 0xFF;
        }
        if (b == 0 && a == 0x0F) {
            return wrpt >> 8;
        }
        return regs[b][a];
    }

    private void write(int b, int a, int v) {
        v &= 0xFF;
        if (a >= 0x1B) {
            if (a == 0x1E) { // ECON2
                if ((v & 0x40) != 0 && regs[1][0x19] > 0) {
                    regs[1][0x19]--;
                }
                v &= ~0x40;
            }
            if (a == 0x1F) {
                int old = common(0x1F);
                if ((old & 0x80) != 0 && (v & 0x80) == 0) {
                    stalled = false; // TXRST released
                }
                setCommon(a, v);
                if ((v & 0x08) != 0 && (old & 0x08) == 0 && (v & 0x80) == 0) {
                    startTx();
                }
                return;
            }
            setCommon(a, v);
            return;
        }
        if (b == 0) {
            if ((a & 1) == 1 && a <= 0x0B) {
                v &= 0x1F;
            }
            if (a == 0x0C) {
                erxrdptlBuffer = v;
                return;
            }
            if (a == 0x0D) {
                regs[0][0x0C] = erxrdptlBuffer;
                regs[0][0x0D] = v & 0x1F;
                if ((erxrdpt() & 1) == 0) {
                    misuse("even ERXRDPT (errata #14)");
                }
                return;
            }
            if (a == 0x0E || a == 0x0F) {
                misuse("write to ERXWRPT");
                return;
            }
            regs[0][a] = v;
            if (a == 0x08 || a == 0x09) {
                wrpt = erxst();
            }
            return;
        }
        if (b == 1 && a == 0x19) {
            misuse("write EPKTCNT");
            return;
        }
        if (b == 2 && a == 0x17) { // MIWRH: PHY write
            regs[2][a] = v;
            phy[regs[2][0x14]] = regs[2][0x16] | v << 8;
            return;
        }
        if (b == 2 && a == 0x12) {
            regs[2][a] = v;
            if ((v & 1) != 0) {
                int pr = regs[2][0x14];
                int val = phy[pr];
                if (pr == 0x13) {
                    phy[0x13] = 0;
                    setCommon(0x1C, common(0x1C) & ~0x10);
                }
                regs[2][0x18] = val & 0xFF;
                regs[2][0x19] = val >> 8;
            }
            return;
        }
        if (b == 3 && a == 0x12) {
            misuse("write EREVID");
            return;
        }
        regs[b][a] = v;
    }

    void softReset() {
        int[] keepPhy = phy.clone();
        powerOn();
        System.arraycopy(keepPhy, 0, phy, 0, 32);
    }

    private final byte[] tsvScratch = new byte[7];
    int sentCount;

    private void startTx() {
        if (holdTx || stalled) {
            return; // TXRTS stays set
        }
        int st = p16(0, 0x04);
        int nd = p16(0, 0x06);
        int flen = nd - st;
        byte[] f = record ? new byte[flen] : null;
        if (f != null) {
            System.arraycopy(mem, st + 1, f, 0, flen);
        }
        byte[] tsv = tsvScratch;
        java.util.Arrays.fill(tsv, (byte) 0);
        tsv[0] = (byte) flen;
        tsv[1] = (byte) (flen >> 8);
        boolean abort = lateCollisions > 0;
        if (abort) {
            lateCollisions--;
            tsv[3] = 0x20;
            stalled = txStallAfterAbort > 0;
        } else {
            tsv[2] = (byte) 0x80;
            sentCount++;
            if (f != null) {
                sent.add(f);
            }
        }
        System.arraycopy(tsv, 0, mem, nd + 1, 7);
        setCommon(0x1F, common(0x1F) & ~0x08);
        int eir = common(0x1C) | 0x08 | (abort ? 0x02 : 0);
        setCommon(0x1C, eir);
        if (abort) {
            setCommon(0x1D, common(0x1D) | 0x02);
        }
    }

    /** Lets a held transmission complete. */
    void releaseTx() {
        holdTx = false;
        if ((common(0x1F) & 0x08) != 0) {
            startTx();
        }
    }

    /** Stores a frame (payload without FCS) as the hardware would; false if it does not fit. */
    boolean receive(byte[] frame, int rsvHigh) {
        int count = frame.length + 4;
        byte[] pkt = new byte[6 + count];
        int start = wrpt;
        int size = 6 + count + (count & 1);
        int ringSize = erxnd() - erxst() + 1;
        int used = (start - (erxrdpt() + 1) + ringSize) % ringSize;
        int free = ringSize - used - 1;
        if ((common(0x1F) & 0x04) == 0 || size > free || epktcnt() == 255) {
            if ((common(0x1F) & 0x04) != 0) {
                setCommon(0x1C, common(0x1C) | 0x01);
            }
            return false;
        }
        int next = start + size;
        if (next > erxnd()) {
            next -= ringSize;
        }
        pkt[0] = (byte) next;
        pkt[1] = (byte) (next >> 8);
        pkt[2] = (byte) count;
        pkt[3] = (byte) (count >> 8);
        pkt[4] = (byte) rsvHigh;
        pkt[5] = (byte) (rsvHigh >> 8);
        System.arraycopy(frame, 0, pkt, 6, frame.length);
        int p = start;
        for (byte x : pkt) {
            mem[p] = x;
            p = p == erxnd() ? erxst() : p + 1;
        }
        wrpt = next;
        regs[1][0x19]++;
        return true;
    }

    boolean receive(byte[] frame) {
        return receive(frame, 0x0080); // Received OK
    }

    /** Overwrites header bytes of the packet at {@code at} (after it was stored). */
    void patch(int at, int offset, int value) {
        int p = at + offset;
        if (p > erxnd()) {
            p -= erxnd() - erxst() + 1;
        }
        mem[p] = (byte) value;
    }

    void setLink(boolean up) {
        phy[0x11] = up ? 0x0400 : 0;
        phy[0x13] |= 0x14;
        setCommon(0x1C, common(0x1C) | 0x10);
    }

    @Override
    public int clockHz() {
        return clockHz;
    }

    @Override
    public int clockHz(int requestedHz) {
        if (powerOfTwoDivider) {
            int div = 2;
            while (250_000_000 / div > requestedHz) {
                div <<= 1;
            }
            clockHz = 250_000_000 / div;
        } else {
            clockHz = requestedHz;
        }
        return clockHz;
    }

    /** Old Raspberry Pi kernels: core clock / power of two, rounding the request down. */
    boolean powerOfTwoDivider;

    void clearLog() {
        log.clear();
        transactions = 0;
        bytes = 0;
    }
}
