package io.ethling.stack.tcp;

/** The eleven connection states of RFC 9293 §3.3.2. */
public enum TcpState {
    CLOSED,
    LISTEN,
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT;

    private static final TcpState[] VALUES = values();

    /** The state with this ordinal (no array clone). */
    public static TcpState of(int ordinal) {
        return VALUES[ordinal];
    }

    /** RFC 9293 §3.3.2: the synchronized states (after the handshake). */
    public boolean isSynchronized() {
        return ordinal() >= ESTABLISHED.ordinal();
    }

    /** The states in which the peer may still send us data (its FIN not yet received). */
    public boolean receivesData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }
}
