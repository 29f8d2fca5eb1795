package io.ethling.firmware;

import io.ethling.stack.http.BodySink;

/**
 * A page's {@code <title>} and its text, for a 16×2 LCD: a streaming, bounded HTML-to-text
 * {@link BodySink}. Tags are dropped (HTML Living Standard §13.2.5, the tokenizer's data, tag,
 * comment and character-reference states, much simplified), {@code <script>} and {@code <style>}
 * content is skipped, character references are decoded (the named ones a page commonly uses,
 * decimal and hex), whitespace is collapsed to one space, block tags ({@code p br div li h1-h6 tr
 * td}) separate words, and what the LCD cannot show (bytes outside 0x20–0x7D: UTF-8 sequences,
 * code points above 0x7E) becomes '?'. Text beyond the fixed buffer is counted, not kept.
 *
 * <p>With {@link #plain(boolean)} the body is text/plain: only whitespace is collapsed. Nothing
 * allocates after construction; {@link #reset()} before each fetch.
 */
public final class HtmlText implements BodySink {

    private static final int S_TEXT = 0;
    private static final int S_TAG = 1;
    private static final int S_ENTITY = 2;
    private static final int S_COMMENT = 3;
    private static final int S_DECLARATION = 4;
    private static final int MAX_NAME = 8;
    private static final int MAX_ENTITY = 10;

    private final byte[] title;
    private final byte[] text;
    private int titleLength;
    private int textLength;
    private long droppedBytes;
    private boolean plain;

    private int state;
    private boolean inTitle;
    private boolean titleDone;
    private int skipping;           // 1 inside <script>, 2 inside <style>
    private boolean pendingSpace;
    private boolean pendingTitleSpace;
    private final byte[] name = new byte[MAX_NAME];
    private int nameLength;
    private boolean nameDone;
    private boolean closing;
    private int tagChars;
    private byte quote;
    private int dashes;
    private final byte[] entity = new byte[MAX_ENTITY];
    private int entityLength;
    private int status;
    private boolean ended;
    private boolean complete;

    public HtmlText(int titleBytes, int textBytes) {
        if (titleBytes < 1 || textBytes < 1) {
            throw new IllegalArgumentException("HtmlText: title and text buffers need at least 1 byte: " + titleBytes + ", " + textBytes);
        }
        title = new byte[titleBytes];
        text = new byte[textBytes];
    }

    /** Forgets the last page; the next body starts in the HTML text state. */
    public void reset() {
        titleLength = 0;
        textLength = 0;
        droppedBytes = 0;
        state = S_TEXT;
        inTitle = false;
        titleDone = false;
        skipping = 0;
        pendingSpace = false;
        pendingTitleSpace = false;
        nameLength = 0;
        entityLength = 0;
        quote = 0;
        status = 0;
        ended = false;
        complete = false;
    }

    /** True: the body is plain text (no tags, no references). */
    public void plain(boolean on) {
        this.plain = on;
    }

    @Override
    public void onStatus(int code) {
        status = code;
    }

    @Override
    public void onBody(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (plain) {
                emit(b[i]);
            } else {
                feed(b[i]);
            }
        }
    }

    @Override
    public void onEnd(boolean complete) {
        if (state == S_ENTITY) {                 // a '&' run at the very end is literal text
            flushEntityLiterally();
            state = S_TEXT;
        }
        this.ended = true;
        this.complete = complete;
    }

    private void feed(byte c) {
        switch (state) {
            case S_TEXT -> {
                if (c == '<') {
                    state = S_TAG;
                    nameLength = 0;
                    nameDone = false;
                    closing = false;
                    tagChars = 0;
                    quote = 0;
                } else if (c == '&' && skipping == 0) {
                    state = S_ENTITY;
                    entityLength = 0;
                } else if (skipping == 0) {
                    emit(c);
                }
            }
            case S_TAG -> tag(c);
            case S_ENTITY -> {
                if (c == ';') {
                    decodeEntity();
                    state = S_TEXT;
                } else if (entityLength < MAX_ENTITY && (isAlnum(c) || c == '#')) {
                    entity[entityLength++] = c;
                } else {
                    flushEntityLiterally();          // not a reference: "&" and what followed as text
                    state = S_TEXT;
                    feed(c);
                }
            }
            case S_COMMENT -> {
                if (c == '-') {
                    dashes++;
                } else if (c == '>' && dashes >= 2) {
                    state = S_TEXT;
                } else {
                    dashes = 0;
                }
            }
            default -> {                              // S_DECLARATION: <!DOCTYPE ...>, <?xml ...?>, "<!--"
                tagChars++;
                if (c == '-' && tagChars == dashes + 2) {
                    if (++dashes == 2) {
                        state = S_COMMENT;          // "<!--": a comment runs to "-->"
                        dashes = 0;
                    }
                } else if (c == '>') {
                    state = S_TEXT;
                }
            }
        }
    }

    private void tag(byte c) {
        tagChars++;
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            }
            return;
        }
        if (tagChars == 1) {
            if (c == '/') {
                closing = true;
                return;
            }
            if (c == '!' || c == '?') {
                state = S_DECLARATION;
                dashes = 0;
                return;
            }
            if (!isAlpha(c)) {                       // "a < b": the '<' was text
                state = S_TEXT;
                if (skipping == 0) {
                    emit((byte) '<');
                }
                feed(c);
                return;
            }
        }
        if (c == '>') {
            state = S_TEXT;
            endTag();
            return;
        }
        if (!nameDone) {
            if (isAlnum(c)) {
                if (nameLength < MAX_NAME) {
                    name[nameLength++] = lower(c);
                } else {
                    nameDone = true;
                    nameLength = 0;               // too long to be a name we act on
                }
            } else {
                nameDone = true;
            }
        } else if (c == '"' || c == '\'') {
            quote = c;
        }
    }

    private void endTag() {
        if (nameIs("title")) {
            if (!closing && !titleDone) {
                inTitle = true;
            } else if (closing && inTitle) {
                inTitle = false;
                titleDone = true;
            }
        } else if (nameIs("script")) {
            skipping = closing ? 0 : 1;
        } else if (nameIs("style")) {
            skipping = closing ? 0 : 2;
        } else if (isBlock()) {
            if (inTitle) {
                pendingTitleSpace = titleLength > 0;
            } else {
                pendingSpace = textLength > 0;
            }
        }
    }

    private boolean isBlock() {
        return nameIs("p") || nameIs("br") || nameIs("div") || nameIs("li") || nameIs("tr") || nameIs("td")
                || nameIs("th") || nameIs("hr") || nameIs("ul") || nameIs("ol") || nameIs("table")
                || (nameLength == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6');
    }

    private boolean nameIs(String s) {
        if (s.length() != nameLength) {
            return false;
        }
        for (int i = 0; i < nameLength; i++) {
            if (name[i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void decodeEntity() {
        int cp = -1;
        if (entityLength >= 2 && entity[0] == '#') {
            boolean hex = entity[1] == 'x' || entity[1] == 'X';
            int v = 0;
            boolean ok = entityLength > (hex ? 2 : 1);
            for (int i = hex ? 2 : 1; i < entityLength && ok; i++) {
                int d = Character.digit(entity[i], hex ? 16 : 10);
                if (d < 0 || v > 0x10FFFF) {
                    ok = false;
                } else {
                    v = v * (hex ? 16 : 10) + d;
                }
            }
            cp = ok ? v : -1;
        } else if (entityIs("amp")) {
            cp = '&';
        } else if (entityIs("lt")) {
            cp = '<';
        } else if (entityIs("gt")) {
            cp = '>';
        } else if (entityIs("quot")) {
            cp = '"';
        } else if (entityIs("apos")) {
            cp = '\'';
        } else if (entityIs("nbsp")) {
            cp = ' ';
        } else if (entityIs("ndash") || entityIs("mdash") || entityIs("minus")) {
            cp = '-';
        } else if (entityIs("lsquo") || entityIs("rsquo")) {
            cp = '\'';
        } else if (entityIs("ldquo") || entityIs("rdquo")) {
            cp = '"';
        } else if (entityIs("hellip")) {
            emit((byte) '.');
            emit((byte) '.');
            cp = '.';
        } else if (entityIs("copy")) {
            emit((byte) '(');
            emit((byte) 'c');
            cp = ')';
        }
        if (cp < 0) {
            flushEntityLiterally();
            emit((byte) ';');
            return;
        }
        switch (cp) {
            case 0xA0 -> cp = ' ';
            case 0x2013, 0x2014, 0x2212 -> cp = '-';
            case 0x2018, 0x2019 -> cp = '\'';
            case 0x201C, 0x201D -> cp = '"';
            default -> {
            }
        }
        emitCodePoint(cp);
    }

    private boolean entityIs(String s) {
        if (s.length() != entityLength) {
            return false;
        }
        for (int i = 0; i < entityLength; i++) {
            if (entity[i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void flushEntityLiterally() {
        emit((byte) '&');
        for (int i = 0; i < entityLength; i++) {
            emit(entity[i]);
        }
    }

    private void emitCodePoint(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r' || cp == ' ') {
            emit((byte) ' ');
        } else if (cp < 0x20 || cp > 0x7D) {
            emit((byte) '?');
        } else {
            put((byte) cp);
        }
    }

    /** One byte of text: whitespace collapses, UTF-8 sequences become one '?'. */
    private void emit(byte c) {
        int u = c & 0xFF;
        if (u >= 0x80) {
            if (u >= 0xC0) {                          // a lead byte (RFC 3629 §3): one '?' per sequence;
                put((byte) '?');                      // continuation bytes (0x80-0xBF) show nothing
            }
            return;
        }
        if (u == ' ' || u == '\t' || u == '\n' || u == '\r' || u == '\f') {
            if (inTitle) {
                pendingTitleSpace = titleLength > 0;
            } else {
                pendingSpace = textLength > 0;
            }
            return;
        }
        if (u < 0x20 || u > 0x7D) {
            u = '?';
        }
        put((byte) u);
    }

    private void put(byte c) {
        if (inTitle) {
            if (pendingTitleSpace && titleLength < title.length) {
                title[titleLength++] = ' ';
            }
            pendingTitleSpace = false;
            if (titleLength < title.length) {
                title[titleLength++] = c;
            }
            return;
        }
        if (pendingSpace) {
            pendingSpace = false;
            if (textLength < text.length) {
                text[textLength++] = ' ';
            } else {
                droppedBytes++;
            }
        }
        if (textLength < text.length) {
            text[textLength++] = c;
        } else {
            droppedBytes++;
        }
    }

    private static boolean isAlpha(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAlnum(byte c) {
        return isAlpha(c) || (c >= '0' && c <= '9');
    }

    private static byte lower(byte c) {
        return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }

    // ---- what the app reads ----

    public byte[] title() {
        return title;
    }

    public int titleLength() {
        return titleLength;
    }

    public byte[] text() {
        return text;
    }

    public int textLength() {
        return textLength;
    }

    /** Text bytes that did not fit the buffer. */
    public long droppedBytes() {
        return droppedBytes;
    }

    public int status() {
        return status;
    }

    public boolean ended() {
        return ended;
    }

    public boolean complete() {
        return complete;
    }

    /** The title as a String (tests, cold path). */
    public String titleString() {
        return new String(title, 0, titleLength, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The text as a String (tests, cold path). */
    public String textString() {
        return new String(text, 0, textLength, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
