package io.ethling.tools.journey;

import io.ethling.stack.journey.Journey;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The journey as a text ladder, one event per row (long labels wrap onto more lines), three
 * columns — board notes, the network with arrows between the board's and the server's
 * lifelines, and the other end — with the time of each row in ms from the first event:
 *
 * <pre>
 *       t/ms  board                         network                                                      server
 *      0.000  fetch http://lab.test/        |                                                          |
 *      0.120                                |-- ARP who-has 203.0.113.1? tell 203.0.113.50 ----------->| 203.0.113.1
 *      0.610                                |&lt;-- ARP 203.0.113.1 is-at 02:45:00:00:00:0b -------------| 203.0.113.1
 * </pre>
 *
 * Plain ASCII; retransmissions and other trouble are marked with a {@code !} after the time.
 * Deterministic for a given journey.
 */
public final class JourneyText {

    static final int TIME_WIDTH = 11;
    static final int BOARD_WIDTH = 38;
    static final int NETWORK_WIDTH = 62;

    private JourneyText() {
    }

    public static String render(Journey journey) {
        return render(JourneyLadder.build(journey), "board", "server");
    }

    public static String render(JourneyLadder.Ladder ladder, String boardTitle, String serverTitle) {
        StringBuilder out = new StringBuilder();
        if (ladder.overwritten() > 0) {
            out.append("(").append(ladder.overwritten()).append(" earlier events were overwritten: the ring was full)\n");
        }
        out.append(pad(pad("", TIME_WIDTH - 4) + "t/ms", TIME_WIDTH)).append("  ")
            .append(pad(boardTitle, BOARD_WIDTH)).append(pad("network", NETWORK_WIDTH)).append(' ').append(serverTitle)
            .append('\n');
        int inner = NETWORK_WIDTH - 2;
        for (JourneyLadder.Row row : ladder.rows()) {
            String time = String.format(Locale.ROOT, "%" + (TIME_WIDTH - 1) + ".3f", row.ms()) + (row.alert() ? "!" : " ");
            if (row.lane() == JourneyLadder.Lane.NOTE) {
                List<String> lines = wrap(row.label(), BOARD_WIDTH - 1);
                for (int i = 0; i < lines.size(); i++) {
                    out.append(i == 0 ? time : pad("", TIME_WIDTH)).append("  ").append(pad(lines.get(i), BOARD_WIDTH))
                        .append('|').append(pad("", inner)).append('|').append('\n');
                }
                continue;
            }
            List<String> lines = wrap(row.label(), inner - 8);
            for (int i = 0; i < lines.size(); i++) {
                boolean last = i == lines.size() - 1;
                out.append(i == 0 ? time : pad("", TIME_WIDTH)).append("  ").append(pad("", BOARD_WIDTH)).append('|');
                if (!last) {
                    out.append(pad("   " + lines.get(i), inner));
                } else if (row.lane() == JourneyLadder.Lane.SEND) {
                    out.append(fill("-- " + lines.get(i) + " ", inner - 1, '-')).append('>');
                } else {
                    out.append("<").append(fill("-- " + lines.get(i) + " ", inner - 1, '-'));
                }
                out.append('|');
                if (last && !row.peer().isEmpty()) {
                    out.append(' ').append(row.peer());
                }
                out.append('\n');
            }
        }
        out.append(ladder.summary()).append('\n');
        return out.toString();
    }

    static String pad(String s, int width) {
        return fill(s, width, ' ');
    }

    private static String fill(String s, int width, char c) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < width) {
            sb.append(c);
        }
        return sb.toString();
    }

    /** Splits at spaces into lines of at most {@code width} characters (a longer word is cut). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ", -1)) {
            while (word.length() > width) {
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
