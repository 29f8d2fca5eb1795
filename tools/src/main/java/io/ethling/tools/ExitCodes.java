package io.ethling.tools;

/** The `ethling` exit codes: one per failing step, so scripts can tell them apart (listed in --help and README). */
public final class ExitCodes {

    public static final int OK = 0;
    /** The command ran and failed in a way no code below names. */
    public static final int FAILED = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** No address: DHCP got no lease in time. */
    public static final int NO_ADDRESS = 3;
    /** The name did not resolve (no answer, NXDOMAIN, no servers). */
    public static final int DNS = 4;
    /** ARP got no answer from the next hop. */
    public static final int ARP = 5;
    /** TCP: the connection was refused (RST). */
    public static final int TCP_REFUSED = 6;
    /** TCP: no answer, the connection timed out or was reset later. */
    public static final int TCP_TIMEOUT = 7;
    /** HTTP: the server answered with a status other than 2xx. */
    public static final int HTTP_STATUS = 8;
    /** Ping: no echo reply came back. */
    public static final int NO_REPLY = 9;

    private ExitCodes() {
    }
}
