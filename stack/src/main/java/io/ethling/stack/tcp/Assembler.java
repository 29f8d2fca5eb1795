package io.ethling.stack.tcp;

/**
 * The out-of-order assembler of one connection (RFC 9293 SHLD-31): up to a fixed number of
 * disjoint, sorted byte ranges received beyond RCV.NXT, as offsets relative to RCV.NXT. The bytes
 * themselves already sit at their place in the receive ring; this only remembers which are there.
 * When a range does not fit (all slots taken by other holes) it is refused and the caller drops
 * the segment (T26). Every operation is a bounded scan of at most {@code capacity} entries.
 */
final class Assembler {

    private final int[] start;
    private final int[] end;
    private int count;

    Assembler(int capacity) {
        start = new int[capacity];
        end = new int[capacity];
    }

    int count() {
        return count;
    }

    void clear() {
        count = 0;
    }

    /** Records [from, to) (0 < from < to); false when a new hole would exceed the capacity. */
    boolean add(int from, int to) {
        int i = 0;
        while (i < count && end[i] < from) {
            i++;
        }
        int j = i;
        while (j < count && start[j] <= to) {
            j++;
        }
        if (i == j) {
            if (count == start.length) {
                return false;
            }
            for (int k = count; k > i; k--) {
                start[k] = start[k - 1];
                end[k] = end[k - 1];
            }
            start[i] = from;
            end[i] = to;
            count++;
            return true;
        }
        int s = Math.min(from, start[i]);
        int e = Math.max(to, end[j - 1]);
        start[i] = s;
        end[i] = e;
        int removed = j - i - 1;
        if (removed > 0) {
            for (int k = i + 1; k + removed < count; k++) {
                start[k] = start[k + removed];
                end[k] = end[k + removed];
            }
            count -= removed;
        }
        return true;
    }

    /**
     * {@code n} bytes arrived in order at offset 0: returns how far RCV.NXT may advance (n, or
     * further when a held range now touches the front) and rebases the remaining ranges.
     */
    int advance(int n) {
        int adv = n;
        if (count > 0 && start[0] <= n) {
            adv = Math.max(n, end[0]);
        }
        int k = 0;
        for (int i = 0; i < count; i++) {
            if (end[i] <= adv) {
                continue;
            }
            start[k] = Math.max(start[i] - adv, 0);
            end[k] = end[i] - adv;
            k++;
        }
        count = k;
        return adv;
    }

    /** The end of the furthest range held (0 when none): bytes beyond RCV.NXT the ring reserves. */
    int highest() {
        return count == 0 ? 0 : end[count - 1];
    }

    int rangeStart(int i) {
        return start[i];
    }

    int rangeEnd(int i) {
        return end[i];
    }
}
