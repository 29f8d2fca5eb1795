package io.ethling.firmware;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppConfigTest {

    @Test
    void bookmarksInNumberOrder() {
        AppConfig c = AppConfig.parse("e.conf", "# comment\nbookmark.2 = http://b/\nbookmark.1 = http://a/  # first\nstatus.port = 8080\nhostname = pi-1\n");
        assertArrayEquals(new String[] {"http://a/", "http://b/"}, c.bookmarks());
        assertEquals(8080, c.statusPort());
        assertEquals("pi-1", c.hostname());
    }

    @Test
    void eachMistakeIsOneLineNamingTheKey() {
        String[][] cases = {
            {"", "e.conf: no bookmark.1"},
            {"bookmark.1 = ftp://x/", "e.conf:1: bookmark.1: "},
            {"bookmark.0 = http://x/", "e.conf:1: bookmark.0: expected bookmark.1"},
            {"bookmark.1 = http://x/\nbookmark.1 = http://y/", "e.conf:2: bookmark.1: given twice"},
            {"bookmark.1 = http://x/\nstatus.port = 99999", "e.conf:2: status.port: \"99999\" is not a TCP port"},
            {"bookmark.1 = http://x/\nhostname = bad_name", "e.conf:2: hostname: \"bad_name\" is not a host name"},
            {"bookmark.1 = http://x/\nbookmarks.1 = http://y/", "e.conf:2: bookmarks.1: unknown key"},
            {"just words", "e.conf:1: expected key = value"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AppConfig.parse("e.conf", c[0]), c[0]);
            assertTrue(e.getMessage().startsWith(c[1]), c[0] + " -> " + e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
