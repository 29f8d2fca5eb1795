package io.ethling.hal.enc28j60;

/**
 * ENC28J60 opcodes, registers and bits, written from ENC28J60.md (data sheet DS39662E; errata
 * DS80349C). A register constant packs: bits 4..0 the address inside its bank, bits 6..5 the bank,
 * bit 7 {@link #MACMII} (an RCR returns a dummy byte first, §1.2) and bit 8 {@link #COMMON}
 * (0x1B..0x1F, reachable from every bank, §2.1).
 */
final class Regs {

    private Regs() {
    }

    // ---- §1.2 instruction set: 3-bit opcode + 5-bit argument
    static final int OP_RCR = 0x00;
    static final int OP_RBM = 0x3A;
    static final int OP_WCR = 0x40;
    static final int OP_WBM = 0x7A;
    static final int OP_BFS = 0x80;
    static final int OP_BFC = 0xA0;
    static final int OP_SRC = 0xFF;

    static final int MACMII = 0x80;
    static final int COMMON = 0x100;

    static int addr(int reg) {
        return reg & 0x1F;
    }

    static int bank(int reg) {
        return (reg >> 5) & 3;
    }

    private static int b0(int a) {
        return a;
    }

    private static int b1(int a) {
        return a | 1 << 5;
    }

    private static int b2(int a) {
        return a | 2 << 5 | MACMII;
    }

    private static int b3(int a) {
        return a | 3 << 5;
    }

    // ---- §2.1 common registers
    static final int EIE = 0x1B | COMMON;
    static final int EIR = 0x1C | COMMON;
    static final int ESTAT = 0x1D | COMMON;
    static final int ECON2 = 0x1E | COMMON;
    static final int ECON1 = 0x1F | COMMON;

    // ---- §2.2 bank 0 (ETH)
    static final int ERDPTL = b0(0x00);
    static final int ERDPTH = b0(0x01);
    static final int EWRPTL = b0(0x02);
    static final int EWRPTH = b0(0x03);
    static final int ETXSTL = b0(0x04);
    static final int ETXSTH = b0(0x05);
    static final int ETXNDL = b0(0x06);
    static final int ETXNDH = b0(0x07);
    static final int ERXSTL = b0(0x08);
    static final int ERXSTH = b0(0x09);
    static final int ERXNDL = b0(0x0A);
    static final int ERXNDH = b0(0x0B);
    static final int ERXRDPTL = b0(0x0C);
    static final int ERXRDPTH = b0(0x0D);
    static final int ERXWRPTL = b0(0x0E);
    static final int ERXWRPTH = b0(0x0F);

    // ---- §2.3 bank 1 (ETH)
    static final int ERXFCON = b1(0x18);
    static final int EPKTCNT = b1(0x19);

    // ---- §2.4 bank 2 (all MAC/MII)
    static final int MACON1 = b2(0x00);
    static final int MACON3 = b2(0x02);
    static final int MACON4 = b2(0x03);
    static final int MABBIPG = b2(0x04);
    static final int MAIPGL = b2(0x06);
    static final int MAIPGH = b2(0x07);
    static final int MAMXFLL = b2(0x0A);
    static final int MAMXFLH = b2(0x0B);
    static final int MICMD = b2(0x12);
    static final int MIREGADR = b2(0x14);
    static final int MIWRL = b2(0x16);
    static final int MIWRH = b2(0x17);
    static final int MIRDL = b2(0x18);
    static final int MIRDH = b2(0x19);

    // ---- §2.5 bank 3: MAADRx are MAC registers (dummy byte), MISTAT is MII, the rest ETH.
    // The register at the lowest address holds the FIFTH octet (§2.5 "MAC address order trap").
    static final int MAADR5 = b3(0x00) | MACMII; // octet 4
    static final int MAADR6 = b3(0x01) | MACMII; // octet 5 (last)
    static final int MAADR3 = b3(0x02) | MACMII; // octet 2
    static final int MAADR4 = b3(0x03) | MACMII; // octet 3
    static final int MAADR1 = b3(0x04) | MACMII; // octet 0 (first on the wire)
    static final int MAADR2 = b3(0x05) | MACMII; // octet 1
    static final int MISTAT = b3(0x0A) | MACMII;
    static final int EREVID = b3(0x12);

    // ---- §2.6 bits
    static final int ECON1_TXRST = 0x80;
    static final int ECON1_RXRST = 0x40;
    static final int ECON1_DMAST = 0x20;
    static final int ECON1_TXRTS = 0x08;
    static final int ECON1_RXEN = 0x04;
    static final int ECON1_BSEL = 0x03;

    static final int ECON2_AUTOINC = 0x80;
    static final int ECON2_PKTDEC = 0x40;
    static final int ECON2_PWRSV = 0x20;

    static final int ESTAT_INT = 0x80;
    static final int ESTAT_BUFER = 0x40;
    static final int ESTAT_LATECOL = 0x10;
    static final int ESTAT_UNIMPL3 = 0x08;
    static final int ESTAT_TXABRT = 0x02;
    static final int ESTAT_CLKRDY = 0x01;

    static final int EIE_INTIE = 0x80;
    static final int EIE_PKTIE = 0x40;
    static final int EIE_LINKIE = 0x10;
    static final int EIE_TXIE = 0x08;
    static final int EIE_TXERIE = 0x02;
    static final int EIE_RXERIE = 0x01;

    static final int EIR_PKTIF = 0x40;
    static final int EIR_DMAIF = 0x20;
    static final int EIR_LINKIF = 0x10;
    static final int EIR_TXIF = 0x08;
    static final int EIR_TXERIF = 0x02;
    static final int EIR_RXERIF = 0x01;
    /** EIR bit 7 is unimplemented and bit 2 reserved: both read 0 on a live chip. */
    static final int EIR_MUST_BE_ZERO = 0x84;

    static final int ERXFCON_UCEN = 0x80;
    static final int ERXFCON_CRCEN = 0x20;
    static final int ERXFCON_MCEN = 0x02;
    static final int ERXFCON_BCEN = 0x01;

    static final int MACON1_TXPAUS = 0x08;
    static final int MACON1_RXPAUS = 0x04;
    static final int MACON1_MARXEN = 0x01;

    static final int MACON3_PADCFG0 = 0x20;
    static final int MACON3_TXCRCEN = 0x10;
    static final int MACON3_FRMLNEN = 0x02;
    static final int MACON3_FULDPX = 0x01;

    static final int MACON4_DEFER = 0x40;

    static final int MICMD_MIIRD = 0x01;
    static final int MISTAT_BUSY = 0x01;

    // ---- §3 PHY registers and bits
    static final int PHCON1 = 0x00;
    static final int PHCON2 = 0x10;
    static final int PHSTAT2 = 0x11;
    static final int PHIE = 0x12;
    static final int PHIR = 0x13;
    static final int PHLCON = 0x14;

    static final int PHCON1_PDPXMD = 0x0100;
    static final int PHCON2_HDLDIS = 0x0100;
    static final int PHSTAT2_LSTAT = 0x0400;
    static final int PHIE_PLNKIE = 0x0010;
    static final int PHIE_PGEIE = 0x0002;

    // ---- §4.1 receive status vector (32 bits after the 2-byte next pointer)
    static final int RSV_CRC_ERROR = 1 << 20;
    static final int RSV_RECEIVED_OK = 1 << 23;
    static final int RSV_ZERO = 1 << 31;

    // ---- §4.2 transmit status vector: byte 3 bit 5 = bit 29 late collision
    static final int TSV_BYTE3_LATE_COLLISION = 0x20;
    static final int TSV_LENGTH = 7;

    // ---- §10 frame sizes
    static final int MIN_RX_COUNT = 64;   // incl. FCS
    static final int MAX_RX_COUNT = 1518; // incl. FCS
    static final int FCS = 4;
    static final int RX_HEADER = 6;
    static final int BUFFER_END = 0x1FFF;
}
