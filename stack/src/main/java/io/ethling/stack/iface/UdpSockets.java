package io.ethling.stack.iface;

/**
 * A fixed pool of UDP sockets addressed by int handle (RFC 768). Each socket either queues
 * received datagrams in a few fixed slots (read with {@link #receive}) or hands them to a
 * long-lived {@link UdpListener}. Ephemeral ports come from the stack's seeded PRNG within the
 * configured range (RFC 6056 §3.3.1: random selection).
 */
public final class UdpSockets {

    public static final int ERR_NO_SOCKET = -10;
    public static final int ERR_PORT_IN_USE = -11;
    public static final int ERR_BAD_HANDLE = -12;
    public static final int ERR_TOO_BIG = -13;
    /** An ICMP port unreachable came back for this socket (RFC 1122 §4.1.3.3). */
    public static final int ERR_PORT_UNREACHABLE = -14;
    /** ARP found no one at the destination or the gateway (RFC 1122 §2.3.2.1). */
    public static final int ERR_HOST_UNREACHABLE = -15;

    private final NetStack stack;
    private final StackConfig config;
    private final int[] ports;               // 0 = free
    private final UdpListener[] listeners;
    private final byte[][][] queue;          // [socket][slot][payload]
    private final int[][] queueLength;
    private final int[][] queueSrcIp;
    private final int[][] queueSrcPort;
    private final int[] queueHead;
    private final int[] queueCount;
    private final int[] lastSrcIp;
    private final int[] lastSrcPort;
    private final int[] error;
    private final int[] lastDstIp;

    UdpSockets(NetStack stack, StackConfig config) {
        this.stack = stack;
        this.config = config;
        int n = config.udpSockets;
        ports = new int[n];
        listeners = new UdpListener[n];
        queue = new byte[n][config.udpQueueSlots][config.udpMaxPayload];
        queueLength = new int[n][config.udpQueueSlots];
        queueSrcIp = new int[n][config.udpQueueSlots];
        queueSrcPort = new int[n][config.udpQueueSlots];
        queueHead = new int[n];
        queueCount = new int[n];
        lastSrcIp = new int[n];
        lastSrcPort = new int[n];
        error = new int[n];
        lastDstIp = new int[n];
    }

    /** Opens a socket with a receive queue on {@code port} (0: a random ephemeral port). */
    public int open(int port) {
        return open(port, null);
    }

    /** Opens a socket on {@code port} (0: random ephemeral) whose datagrams go to {@code listener} (or a queue if null). */
    public int open(int port, UdpListener listener) {
        if (port < 0 || port > 65535) {
            return ERR_BAD_HANDLE;
        }
        int slot = -1;
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] == 0) {
                slot = i;
                break;
            }
        }
        if (slot < 0) {
            return ERR_NO_SOCKET;
        }
        if (port == 0) {
            port = ephemeralPort();
            if (port == 0) {
                return ERR_PORT_IN_USE;
            }
        } else if (find(port) >= 0) {
            return ERR_PORT_IN_USE;
        }
        ports[slot] = port;
        listeners[slot] = listener;
        queueHead[slot] = 0;
        queueCount[slot] = 0;
        error[slot] = 0;
        return slot;
    }

    private int ephemeralPort() {
        int span = config.ephemeralTo - config.ephemeralFrom + 1;
        for (int attempt = 0; attempt < 64; attempt++) {
            int p = config.ephemeralFrom + stack.random().nextInt(span);
            if (find(p) < 0) {
                return p;
            }
        }
        return 0;
    }

    public void close(int handle) {
        if (valid(handle)) {
            ports[handle] = 0;
            listeners[handle] = null;
            queueCount[handle] = 0;
        }
    }

    private boolean valid(int handle) {
        return handle >= 0 && handle < ports.length && ports[handle] != 0;
    }

    /** The local port of {@code handle}, or a negative status. */
    public int localPort(int handle) {
        return valid(handle) ? ports[handle] : ERR_BAD_HANDLE;
    }

    int find(int port) {
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] == port) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Sends {@code len} bytes to {@code dstIp:dstPort} from the socket's port and the interface
     * address. @return {@link NetStack#OK}, {@link NetStack#QUEUED_FOR_ARP} or a negative status
     */
    public int send(int handle, int dstIp, int dstPort, byte[] src, int off, int len, long nowNs) {
        return sendFrom(handle, stack.address(), dstIp, dstPort, src, off, len, nowNs);
    }

    /** As {@link #send}, from an explicit source address (DHCP sends from 0.0.0.0 before it has one). */
    public int sendFrom(int handle, int srcIp, int dstIp, int dstPort, byte[] src, int off, int len, long nowNs) {
        if (!valid(handle)) {
            return ERR_BAD_HANDLE;
        }
        if (len < 0 || len > config.udpMaxPayload) {
            return ERR_TOO_BIG;
        }
        lastDstIp[handle] = dstIp;
        return stack.sendUdp(srcIp, ports[handle], dstIp, dstPort, src, off, len, nowNs);
    }

    /** Copies the next queued datagram into {@code dst}; its source is then {@link #sourceIp}/{@link #sourcePort}. @return length, 0 if none */
    public int receive(int handle, byte[] dst, int off, int cap) {
        if (!valid(handle)) {
            return ERR_BAD_HANDLE;
        }
        if (queueCount[handle] == 0) {
            return 0;
        }
        int slot = queueHead[handle];
        int n = Math.min(cap, queueLength[handle][slot]);
        System.arraycopy(queue[handle][slot], 0, dst, off, n);
        lastSrcIp[handle] = queueSrcIp[handle][slot];
        lastSrcPort[handle] = queueSrcPort[handle][slot];
        queueHead[handle] = (slot + 1) % queue[handle].length;
        queueCount[handle]--;
        return n;
    }

    public int sourceIp(int handle) {
        return lastSrcIp[handle];
    }

    public int sourcePort(int handle) {
        return lastSrcPort[handle];
    }

    /** The last error reported for the socket (0 if none), cleared by reading. */
    public int takeError(int handle) {
        if (!valid(handle)) {
            return ERR_BAD_HANDLE;
        }
        int e = error[handle];
        error[handle] = 0;
        return e;
    }

    /** Delivers a validated datagram. @return false when no socket has the port (U4) */
    boolean deliver(int srcIp, int srcPort, int dstIp, int dstPort, byte[] buf, int off, int len, long nowNs) {
        int s = find(dstPort);
        if (s < 0) {
            return false;
        }
        UdpListener l = listeners[s];
        if (l != null) {
            l.onDatagram(s, srcIp, srcPort, dstIp, dstPort, buf, off, len, nowNs);
            return true;
        }
        if (queueCount[s] == queue[s].length || len > config.udpMaxPayload) {
            stack.count(Stat.UDP_DROP_QUEUE_FULL);
            return true;
        }
        int slot = (queueHead[s] + queueCount[s]) % queue[s].length;
        System.arraycopy(buf, off, queue[s][slot], 0, len);
        queueLength[s][slot] = len;
        queueSrcIp[s][slot] = srcIp;
        queueSrcPort[s][slot] = srcPort;
        queueCount[s]++;
        return true;
    }

    /** An ICMP port unreachable quoting a datagram we sent from {@code localPort} (RFC 1122 §4.1.3.3). */
    void portUnreachable(int localPort) {
        int s = find(localPort);
        if (s >= 0) {
            error[s] = ERR_PORT_UNREACHABLE;
        }
    }

    /** Marks sockets whose last destination went through {@code nextHop} as unreachable. */
    void neighbourUnreachable(int nextHop, boolean isGateway, int mask, int ourIp) {
        for (int s = 0; s < ports.length; s++) {
            if (ports[s] == 0 || lastDstIp[s] == 0) {
                continue;
            }
            boolean offLink = (lastDstIp[s] & mask) != (ourIp & mask);
            if (lastDstIp[s] == nextHop || (isGateway && offLink)) {
                error[s] = ERR_HOST_UNREACHABLE;
            }
        }
    }
}
