package io.ethling.stack.dhcp;

/** What the DHCP client tells the interface core; called only from {@link DhcpClient#poll}. */
public interface DhcpListener {

    /**
     * A lease was bound or extended (renewal, rebinding, INIT-REBOOT confirmation): apply it.
     * Called again with the same address after every renewal, with the new end of the lease.
     * {@code dnsServers} is the client's own array, valid during the call (copy what you keep).
     */
    void onBound(int ip, int subnetMask, int router, int[] dnsServers, int dnsCount, long leaseEndNs);

    /** Stop using {@code ip}: the lease expired, a server refused it (NAK), it was declined or released. */
    void onLeaseLost(int ip);
}
