package io.ethling.hal.emulator;

import java.util.Arrays;

/** A tiny raw-opcode helper for the tests (not the driver): ENC28J60.md §1.2 byte by byte. */
final class Chip {

    final VirtualClock clock;
    final Enc28j60Emulator emu;
    final byte[] tx = new byte[8200];
    final byte[] rx = new byte[8200];

    Chip() {
        this(new EmulatorConfig());
    }

    Chip(EmulatorConfig config) {
        this(new VirtualClock(), config);
    }

    Chip(VirtualClock clock, EmulatorConfig config) {
        this.clock = clock;
        this.emu = new Enc28j60Emulator(clock, config);
    }

    /** Selects a bank with BFC/BFS on ECON1 (common address 0x1F). */
    void bank(int bank) {
        bfc(0x1F, 0x03);
        if (bank != 0) {
            bfs(0x1F, bank);
        }
    }

    void wcr(int bank, int addr, int v) {
        if (addr < 0x1B) {
            bank(bank);
        }
        op2(0x40 | addr, v);
    }

    void bfs(int addr, int mask) {
        op2(0x80 | addr, mask);
    }

    void bfc(int addr, int mask) {
        op2(0xA0 | addr, mask);
    }

    void op2(int b0, int b1) {
        tx[0] = (byte) b0;
        tx[1] = (byte) b1;
        emu.transfer(tx, 0, rx, 0, 2);
    }

    /** ETH register read (2 bytes). */
    int rcr(int bank, int addr) {
        if (addr < 0x1B) {
            bank(bank);
        }
        tx[0] = (byte) addr;
        tx[1] = 0;
        emu.transfer(tx, 0, rx, 0, 2);
        return rx[1] & 0xFF;
    }

    /** MAC/MII register read (3 bytes, dummy byte skipped). */
    int rcrMac(int bank, int addr) {
        bank(bank);
        tx[0] = (byte) addr;
        tx[1] = 0;
        tx[2] = 0;
        emu.transfer(tx, 0, rx, 0, 3);
        return rx[2] & 0xFF;
    }

    void wcr16(int bank, int addrL, int v) {
        wcr(bank, addrL, v & 0xFF);
        wcr(bank, addrL + 1, (v >>> 8) & 0xFF);
    }

    int rcr16(int bank, int addrL) {
        return rcr(bank, addrL) | rcr(bank, addrL + 1) << 8;
    }

    byte[] rbm(int n) {
        tx[0] = 0x3A;
        Arrays.fill(tx, 1, n + 1, (byte) 0);
        emu.transfer(tx, 0, rx, 0, n + 1);
        return Arrays.copyOfRange(rx, 1, n + 1);
    }

    void wbm(byte... data) {
        tx[0] = 0x7A;
        System.arraycopy(data, 0, tx, 1, data.length);
        emu.transfer(tx, 0, null, 0, data.length + 1);
    }

    void src() {
        tx[0] = (byte) 0xFF;
        emu.transfer(tx, 0, rx, 0, 1);
    }

    int phyRead(int addr) {
        wcr(2, 0x14, addr);
        wcr(2, 0x12, 0x01);
        clock.advanceNanos(10_240);
        while ((rcrMac(3, 0x0A) & 0x01) != 0) {
            clock.advanceNanos(1000);
        }
        wcr(2, 0x12, 0x00);
        return rcrMac(2, 0x18) | rcrMac(2, 0x19) << 8;
    }

    void phyWrite(int addr, int v) {
        wcr(2, 0x14, addr);
        wcr(2, 0x16, v & 0xFF);
        wcr(2, 0x17, v >>> 8);
        clock.advanceNanos(10_240);
        while ((rcrMac(3, 0x0A) & 0x01) != 0) {
            clock.advanceNanos(1000);
        }
    }

    void setMac(long mac) {
        // §2.5 order trap: 0x04<-octet0, 0x05<-1, 0x02<-2, 0x03<-3, 0x00<-4, 0x01<-5
        int[] addr = {0x04, 0x05, 0x02, 0x03, 0x00, 0x01};
        for (int i = 0; i < 6; i++) {
            wcr(3, addr[i], (int) (mac >>> (40 - 8 * i)) & 0xFF);
        }
    }

    /** Linux-style init (ENC28J60.md §7): RX 0..rxEnd, TX after it; half duplex; MAC set. */
    void init(int rxEnd, long mac) {
        src();
        clock.advanceNanos(2_000_000);
        wcr(0, 0x1F, 0x00);
        wcr(0, 0x1E, 0x88);
        wcr16(0, 0x08, 0x0000);
        wcr16(0, 0x0C, rxEnd);
        wcr16(0, 0x0A, rxEnd);
        wcr16(0, 0x04, rxEnd + 1);
        wcr16(0, 0x06, 0x1FFF);
        wcr(1, 0x18, 0xA1);
        wcr(2, 0x00, 0x0D);
        wcr(2, 0x02, 0x32);
        wcr(2, 0x03, 0x40);
        wcr(2, 0x06, 0x12);
        wcr(2, 0x07, 0x0C);
        wcr(2, 0x04, 0x12);
        wcr16(2, 0x0A, 1518);
        phyWrite(0x14, 0x3476);
        phyWrite(0x00, 0x0000);
        phyWrite(0x10, 0x0100);
        setMac(mac);
        phyWrite(0x12, 0x0012);
        bfc(0x1C, 0x7B);
        wcr(0, 0x1B, 0xDB);
        bfs(0x1F, 0x04);
    }

    static byte[] frame(long dst, long src, int type, int payloadLen, int seed) {
        byte[] f = new byte[14 + payloadLen];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (dst >>> (40 - 8 * i));
            f[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        f[12] = (byte) (type >>> 8);
        f[13] = (byte) type;
        for (int i = 0; i < payloadLen; i++) {
            f[14 + i] = (byte) (seed * 31 + i * 7);
        }
        return f;
    }
}
