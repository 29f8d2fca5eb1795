package io.ethling.stack.dhcp;

/** How the DHCP client sends: the interface core wraps the message in UDP/IPv4/Ethernet. */
public interface DhcpTransport {

    int CLIENT_PORT = 68;
    int SERVER_PORT = 67;
    /** 255.255.255.255, the limited broadcast address. */
    int BROADCAST = 0xFFFF_FFFF;

    /**
     * Sends {@code len} bytes of DHCP message from port 68 to {@code dstIp}:67. {@code dstIp} is
     * 255.255.255.255 while unbound and when rebinding, the server when renewing or releasing;
     * {@code srcIp} is 0 before an address is bound (RFC 2131 §4.1). The bytes are only valid
     * during the call. Returns 0, or a negative status (counted, and retried at the next timer).
     */
    int send(int srcIp, int dstIp, byte[] buf, int off, int len, long nowNs);
}
