package io.ethling.firmware;

import io.ethling.stack.http.HttpUrl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The app's configuration, {@code /etc/ethling/ethling.conf} on the board: {@code key = value}
 * lines, {@code #} comments.
 *
 * <pre>
 * bookmark.1 = http://example.com/      # the list on the LCD, in number order (at least one)
 * bookmark.2 = http://10.0.0.1:8080/status
 * status.port = 80                      # the status page's TCP port; 0: no status page
 * hostname = ethling                    # sent in DHCP (RFC 2132 §3.14)
 * </pre>
 *
 * Any problem is an {@link IllegalArgumentException} with one line naming the file, line and key.
 */
public final class AppConfig {

    public static final int MAX_BOOKMARKS = 32;

    private final String source;
    private final String[] bookmarks;
    private final int statusPort;
    private final String hostname;

    private AppConfig(String source, String[] bookmarks, int statusPort, String hostname) {
        this.source = source;
        this.bookmarks = bookmarks;
        this.statusPort = statusPort;
        this.hostname = hostname;
    }

    public static AppConfig load(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file (the app's configuration: bookmark.1 = http://... lines)");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    public static AppConfig parse(String source, String text) {
        String[] slots = new String[MAX_BOOKMARKS + 1];
        int port = 80;
        String hostname = "ethling";
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = source + ":" + (n + 1) + ": ";
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(where + "expected key = value, not \"" + clip(line) + "\"");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.startsWith("bookmark.")) {
                int i;
                try {
                    i = Integer.parseInt(key.substring("bookmark.".length()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + key + ": expected bookmark.1 .. bookmark." + MAX_BOOKMARKS);
                }
                if (i < 1 || i > MAX_BOOKMARKS) {
                    throw new IllegalArgumentException(where + key + ": expected bookmark.1 .. bookmark." + MAX_BOOKMARKS);
                }
                if (slots[i] != null) {
                    throw new IllegalArgumentException(where + key + ": given twice");
                }
                try {
                    HttpUrl.of(value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + key + ": " + e.getMessage());
                }
                slots[i] = value;
            } else if (key.equals("status.port")) {
                try {
                    port = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException(where + "status.port: \"" + clip(value) + "\" is not a TCP port 0..65535");
                }
            } else if (key.equals("hostname")) {
                if (!value.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
                    throw new IllegalArgumentException(where + "hostname: \"" + clip(value) + "\" is not a host name (RFC 1123 §2.1)");
                }
                hostname = value;
            } else {
                throw new IllegalArgumentException(where + key + ": unknown key; known: bookmark.N, status.port, hostname");
            }
        }
        List<String> list = new ArrayList<>();
        for (String s : slots) {
            if (s != null) {
                list.add(s);
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException(source + ": no bookmark.1 = http://... line (the app needs at least one URL)");
        }
        return new AppConfig(source, list.toArray(new String[0]), port, hostname);
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    public String source() {
        return source;
    }

    public String[] bookmarks() {
        return bookmarks.clone();
    }

    /** 0: no status page. */
    public int statusPort() {
        return statusPort;
    }

    public String hostname() {
        return hostname;
    }
}
