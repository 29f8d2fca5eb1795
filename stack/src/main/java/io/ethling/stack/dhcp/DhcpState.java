package io.ethling.stack.dhcp;

/** Client states of RFC 2131 §4.4 Figure 5, plus CHECKING (the RFC 5227 probe) and LINK_DOWN/STOPPED. */
public enum DhcpState {
    /** Not started, or released. */
    STOPPED,
    /** The link is down; a held lease is kept (and still expires) until the link returns. */
    LINK_DOWN,
    INIT,
    SELECTING,
    REQUESTING,
    /** ACK received; probing the address with ARP before using it (RFC 2131 §3.1 step 5, RFC 5227). */
    CHECKING,
    BOUND,
    RENEWING,
    REBINDING,
    INIT_REBOOT,
    REBOOTING
}
