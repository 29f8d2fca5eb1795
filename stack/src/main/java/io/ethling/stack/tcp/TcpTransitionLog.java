package io.ethling.stack.tcp;

/**
 * A {@link TcpTrace} that writes one line per transition into a pre-sized {@link StringBuilder}:
 * {@code t=1.250000s #3 SYN_SENT -> ESTABLISHED snd.una=1 snd.nxt=1 rcv.nxt=1}. Sequence numbers
 * are relative to the ISNs, as in tcpdump's default. Appending primitives into spare capacity
 * does not allocate; when the builder is full, further lines are counted as dropped.
 */
public final class TcpTransitionLog implements TcpTrace {

    private final StringBuilder out;
    private final int capacity;
    private final int onlyHandle;
    private int dropped;

    /** @param onlyHandle the handle to follow, or -1 for every connection */
    public TcpTransitionLog(int capacityChars, int onlyHandle) {
        this.out = new StringBuilder(capacityChars);
        this.capacity = capacityChars;
        this.onlyHandle = onlyHandle;
    }

    @Override
    public void onTransition(int handle, TcpState from, TcpState to, int sndUna, int sndNxt, int rcvNxt, long nowNs) {
        if (onlyHandle != -1 && handle != onlyHandle) {
            return;
        }
        if (out.length() + 160 > capacity) {
            dropped++;
            return;
        }
        out.append("t=").append(nowNs / 1_000_000_000L).append('.');
        long frac = (nowNs % 1_000_000_000L) / 1000;
        for (long d = 100_000; d > 1 && frac < d; d /= 10) {
            out.append('0');
        }
        out.append(frac).append("s #").append(handle).append(' ')
                .append(from.name()).append(" -> ").append(to.name())
                .append(" snd.una=").append(sndUna & 0xFFFF_FFFFL)
                .append(" snd.nxt=").append(sndNxt & 0xFFFF_FFFFL)
                .append(" rcv.nxt=").append(rcvNxt & 0xFFFF_FFFFL).append('\n');
    }

    /** The lines so far (a live view; cold path). */
    public CharSequence lines() {
        return out;
    }

    public int dropped() {
        return dropped;
    }

    public void clear() {
        out.setLength(0);
        dropped = 0;
    }
}
