package io.ethling.stack.http;

/**
 * Where a fetch delivers its response: a long-lived object (never a lambda made per request).
 * For every {@link HttpClient#start} exactly one {@link #onEnd} follows; {@link #onStatus} and
 * {@link #onBody} come before it only for the final response (redirect and 1xx responses are
 * not delivered). Body bytes are handed over in place: {@code b[off, off + len)} is valid only
 * during the call.
 */
public interface BodySink {

    /** The final status code (a page served from the cache after a 304 is reported as 200). */
    void onStatus(int code);

    void onBody(byte[] b, int off, int len);

    /**
     * {@code complete} is true when the whole body arrived (its framing was satisfied). The fetch
     * is over when this is called: the client's state, status and failure are final, and the sink
     * may start the next fetch from here.
     */
    void onEnd(boolean complete);
}
