package io.ethling.hal.emulator;

/** SPI traffic seen by the emulator: transactions, bytes and bus time at the SCK in effect. */
public final class SpiStats {

    long transactions;
    long bytes;
    long busNanos;
    private long remainder;

    SpiStats() {
    }

    /** Chip-select-framed transactions. */
    public long transactions() {
        return transactions;
    }

    /** Bytes clocked, opcode bytes included. */
    public long bytes() {
        return bytes;
    }

    /** Bus time: 8 SCK periods per byte at the clock in effect for each transaction. */
    public long busNanos() {
        return busNanos;
    }

    /** Sets every figure to zero. */
    public void reset() {
        transactions = 0;
        bytes = 0;
        busNanos = 0;
        remainder = 0;
    }

    /** Records one transaction; returns its bus time in ns (fractions carried to the next one). */
    long record(int len, int hz) {
        transactions++;
        bytes += len;
        long total = len * 8_000_000_000L + remainder;
        long ns = total / hz;
        remainder = total % hz;
        busNanos += ns;
        return ns;
    }
}
