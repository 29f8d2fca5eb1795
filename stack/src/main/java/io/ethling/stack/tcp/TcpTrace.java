package io.ethling.stack.tcp;

/**
 * Sees every state transition of every connection (the journey, DESIGN.md story steps 3 and 5).
 * Called on the loop thread with primitives only; an implementation must not allocate if the
 * steady state is to stay allocation-free ({@link TcpTransitionLog} does not once sized).
 */
public interface TcpTrace {

    /**
     * @param handle the socket handle (or -1 for a half-open entry of a listener)
     * @param sndUna oldest unacknowledged sequence number, relative to our ISN
     * @param sndNxt next sequence number to send, relative to our ISN
     * @param rcvNxt next sequence number expected, relative to the peer's ISN (0 before the SYN)
     */
    void onTransition(int handle, TcpState from, TcpState to, int sndUna, int sndNxt, int rcvNxt, long nowNs);
}
