package io.ethling.tools.journey;

import io.ethling.stack.journey.Journey;

import java.util.List;
import java.util.Locale;

/**
 * The journey as a standalone SVG ladder diagram (opens in any browser): the board's and the
 * server's lifelines, one arrow per frame with its label above it, board notes on the left, the
 * time of each row in ms, the other end on the right; trouble in red. The same rows as
 * {@link JourneyText}; deterministic for a given journey.
 */
public final class JourneySvg {

    static final int WIDTH = 1190;
    static final int LINE = 16;
    static final int TIME_X = 84;
    static final int NOTE_X = 96;
    static final int NOTE_CHARS = 40;
    static final int BOARD_X = 410;
    static final int SERVER_X = 990;
    static final int LABEL_CHARS = 76;
    static final int TOP = 56;

    private JourneySvg() {
    }

    public static String render(Journey journey) {
        return render(JourneyLadder.build(journey), "board", "server");
    }

    public static String render(JourneyLadder.Ladder ladder, String boardTitle, String serverTitle) {
        StringBuilder body = new StringBuilder();
        int y = TOP;
        for (JourneyLadder.Row row : ladder.rows()) {
            boolean note = row.lane() == JourneyLadder.Lane.NOTE;
            List<String> lines = JourneyText.wrap(row.label(), note ? NOTE_CHARS : LABEL_CHARS);
            String color = row.alert() ? "#c0392b" : note ? "#333333" : row.lane() == JourneyLadder.Lane.SEND ? "#1f5fbf" : "#1a7f37";
            int first = y + LINE - 4;
            body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"t\">%.3f</text>%n", TIME_X, first, row.ms()));
            for (int i = 0; i < lines.size(); i++) {
                int ly = first + i * LINE;
                if (note) {
                    body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"n\" fill=\"%s\">%s</text>%n",
                            NOTE_X, ly, color, xml(lines.get(i))));
                } else {
                    body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"l\" fill=\"%s\">%s</text>%n",
                            (BOARD_X + SERVER_X) / 2, ly, color, xml(lines.get(i))));
                }
            }
            int height = lines.size() * LINE + 4;
            if (!note) {
                int ay = y + lines.size() * LINE + 3;
                boolean send = row.lane() == JourneyLadder.Lane.SEND;
                body.append(String.format(Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.5\" marker-end=\"url(#%s)\"/>%n",
                        send ? BOARD_X + 2 : SERVER_X - 2, ay, send ? SERVER_X - 4 : BOARD_X + 4, ay, color,
                        row.alert() ? "ha" : send ? "hs" : "hr"));
                if (!row.peer().isEmpty()) {
                    body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"p\">%s</text>%n",
                            SERVER_X + 10, ay + 4, xml(row.peer())));
                }
                height += 6;
            }
            y += height;
        }
        int bottom = y + 8;
        int total = bottom + 30;
        StringBuilder out = new StringBuilder();
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n",
                WIDTH, total, WIDTH, total));
        out.append("<title>The request's journey</title>\n");
        out.append("<style>text{font-family:monospace;font-size:12px}.t{text-anchor:end;fill:#666}"
                + ".l{text-anchor:middle}.h{font-weight:bold;text-anchor:middle}.p{fill:#444}.s{fill:#444}</style>\n");
        out.append("<defs>\n");
        marker(out, "hs", "#1f5fbf");
        marker(out, "hr", "#1a7f37");
        marker(out, "ha", "#c0392b");
        out.append("</defs>\n");
        out.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, total));
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" class=\"t\">t/ms</text>%n", TIME_X));
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" class=\"h\">%s</text>%n", BOARD_X, xml(boardTitle)));
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" class=\"h\">network</text>%n", (BOARD_X + SERVER_X) / 2));
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" class=\"h\">%s</text>%n", SERVER_X, xml(serverTitle)));
        if (ladder.overwritten() > 0) {
            out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"44\" class=\"s\">(%d earlier events were overwritten)</text>%n",
                    NOTE_X, ladder.overwritten()));
        }
        for (int x : new int[] {BOARD_X, SERVER_X}) {
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"32\" x2=\"%d\" y2=\"%d\" stroke=\"#999999\" stroke-width=\"2\"/>%n",
                    x, x, bottom));
        }
        out.append(body);
        out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"s\">%s</text>%n", NOTE_X, bottom + 20,
                xml(ladder.summary())));
        out.append("</svg>\n");
        return out.toString();
    }

    private static void marker(StringBuilder out, String id, String color) {
        out.append(String.format(Locale.ROOT,
                "<marker id=\"%s\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
                        + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"%s\"/></marker>%n", id, color));
    }

    static String xml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
