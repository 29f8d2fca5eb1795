package io.ethling.hal.enc28j60.emu;

/** Keeps the last lines of the emulator trace (for failure messages). */
final class TailTrace implements Appendable {
    private final String[] lines;
    private int next;
    private final StringBuilder cur = new StringBuilder();

    TailTrace(int n) {
        lines = new String[n];
    }

    @Override
    public Appendable append(CharSequence csq) {
        for (int i = 0; i < csq.length(); i++) {
            append(csq.charAt(i));
        }
        return this;
    }

    @Override
    public Appendable append(CharSequence csq, int start, int end) {
        return append(csq.subSequence(start, end));
    }

    @Override
    public Appendable append(char c) {
        if (c == '\n') {
            lines[next++ % lines.length] = cur.toString();
            cur.setLength(0);
        } else {
            cur.append(c);
        }
        return this;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[(next + i) % lines.length];
            if (l != null) {
                sb.append(l).append('\n');
            }
        }
        return sb.toString();
    }
}
