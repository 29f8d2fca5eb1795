package io.ethling.stack.http;

import io.ethling.stack.dns.DnsResolver;

/**
 * The name-resolution half of {@link HttpNetwork} on the stack's {@link DnsResolver} (hosts
 * table, cache, servers); a subclass adds TCP. Allocation-free: the host bytes are handed to the
 * resolver through one reused {@link CharSequence} view.
 *
 * <p>Mapping: {@code STATE_DONE} (a stale answer too, RFC 8767) → {@link #RESOLVE_DONE};
 * {@code STATE_FAILED} by error: timeout → {@link #RESOLVE_NO_REPLY}, NXDOMAIN →
 * {@link #RESOLVE_NO_SUCH_NAME}, no data → {@link #RESOLVE_NO_ADDRESS}, anything else →
 * {@link #RESOLVE_FAILED}; a name the resolver refuses → {@link #RESOLVE_ERR_BAD_NAME}, no free
 * slot → {@link #RESOLVE_ERR_BUSY}.
 */
public abstract class ResolverNetwork implements HttpNetwork {

    private final DnsResolver resolver;
    private final AsciiView view = new AsciiView();

    protected ResolverNetwork(DnsResolver resolver) {
        if (resolver == null) {
            throw new IllegalArgumentException("resolver must not be null");
        }
        this.resolver = resolver;
    }

    @Override
    public int resolve(byte[] host, int off, int len, long nowNs) {
        view.set(host, off, len);
        int h = resolver.resolve(view, nowNs);
        if (h >= 0) {
            return h;
        }
        return h == DnsResolver.ERR_NO_SLOT ? RESOLVE_ERR_BUSY : RESOLVE_ERR_BAD_NAME;
    }

    @Override
    public int resolveState(int handle) {
        switch (resolver.state(handle)) {
            case DnsResolver.STATE_PENDING:
                return RESOLVE_PENDING;
            case DnsResolver.STATE_DONE:
                return RESOLVE_DONE;
            default:
                break;
        }
        switch (resolver.error(handle)) {
            case DnsResolver.ERROR_TIMEOUT:
                return RESOLVE_NO_REPLY;
            case DnsResolver.ERROR_NXDOMAIN:
                return RESOLVE_NO_SUCH_NAME;
            case DnsResolver.ERROR_NO_DATA:
                return RESOLVE_NO_ADDRESS;
            default:
                return RESOLVE_FAILED;
        }
    }

    @Override
    public int resolvedAddress(int handle) {
        return resolver.address(handle);
    }

    @Override
    public void releaseResolve(int handle) {
        resolver.release(handle);
    }

    /** The resolver (for the journey: source, DNS id, server of a handle). */
    public DnsResolver resolver() {
        return resolver;
    }

    /** ASCII bytes seen as a CharSequence, re-pointed for every call (never kept by the resolver). */
    private static final class AsciiView implements CharSequence {
        private byte[] b;
        private int off;
        private int len;

        void set(byte[] bytes, int offset, int length) {
            b = bytes;
            off = offset;
            len = length;
        }

        @Override
        public int length() {
            return len;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= len) {
                throw new IndexOutOfBoundsException(index);
            }
            return (char) (b[off + index] & 0xFF);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            throw new UnsupportedOperationException("not on the data path");
        }

        @Override
        public String toString() {
            return new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
