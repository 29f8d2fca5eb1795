package io.ethling.stack.iface;

/**
 * Receives datagrams for a socket opened with a listener (the DHCP client and the DNS resolver
 * use this instead of a queue). Called on the loop thread during {@code poll}; the bytes are only
 * valid during the call.
 */
public interface UdpListener {

    void onDatagram(int handle, int srcIp, int srcPort, int dstIp, int dstPort, byte[] buf, int off, int len, long nowNs);
}
