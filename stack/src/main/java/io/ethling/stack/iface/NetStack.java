package io.ethling.stack.iface;

import io.ethling.hal.CounterSet;
import io.ethling.hal.Counters;
import io.ethling.hal.EthernetDevice;
import io.ethling.stack.util.Prng;
import io.ethling.stack.wire.ArpPacket;
import io.ethling.stack.wire.Bytes;
import io.ethling.stack.wire.Checksum;
import io.ethling.stack.wire.EthernetFrame;
import io.ethling.stack.wire.IcmpPacket;
import io.ethling.stack.wire.Ipv4Packet;
import io.ethling.stack.wire.UdpDatagram;

/**
 * The stack's front door (DESIGN.md "The loop"): one Ethernet interface with its ARP cache, IPv4,
 * ICMP and UDP, driven by {@link #poll(long)} with bounded work per call and {@link #pollAtNs}
 * for the next deadline. Everything is allocated here, once, from a validated
 * {@link StackConfig}; after that nothing on the data path allocates.
 */
public final class NetStack {

    public static final int OK = 0;
    /** The datagram waits for ARP; it leaves when the next hop answers (or is dropped if it never does). */
    public static final int QUEUED_FOR_ARP = 1;
    public static final int ERR_NO_ADDRESS = -1;
    public static final int ERR_NO_ROUTE = -2;
    public static final int ERR_UNREACHABLE = -3;
    public static final int ERR_TX_FULL = -4;

    private static final int IP_OFFSET = EthernetFrame.HEADER_LENGTH;
    private static final int L4_OFFSET = IP_OFFSET + Ipv4Packet.MIN_HEADER_LENGTH;

    private final StackConfig config;
    private final EthernetDevice device;
    private final Prng random;
    private final long mac;
    private final CounterSet counters = new CounterSet(Stat.names());
    private final byte[] rx = new byte[EthernetFrame.MAX_LENGTH];
    private final TxRing tx;
    private final ArpCache arp;
    private final UdpSockets udp;
    private final EthernetFrame eth = new EthernetFrame();
    private final EthernetFrame txEth = new EthernetFrame();
    private final ArpPacket arpIn = new ArpPacket();
    private final ArpPacket arpOut = new ArpPacket();
    private final Ipv4Packet ipIn = new Ipv4Packet();
    private final Ipv4Packet ipOut = new Ipv4Packet();
    private final IcmpPacket icmpIn = new IcmpPacket();
    private final IcmpPacket icmpOut = new IcmpPacket();
    private final UdpDatagram udpIn = new UdpDatagram();
    private final UdpDatagram udpOut = new UdpDatagram();
    private final RateLimiter echoLimit;
    private final RateLimiter errorLimit;
    private final PingClient ping;

    private int ip;
    private int prefixLength;
    private int mask;
    private int gateway;
    private int ipId;
    private FrameTap tap;
    private IpHandler tcp;
    private boolean anyDestination;

    public NetStack(StackConfig config, EthernetDevice device, Prng random) {
        this.config = config.validate();
        this.device = device;
        this.random = random;
        this.mac = config.mac;
        this.tx = new TxRing(config.txRingSlots);
        this.arp = new ArpCache(this, config);
        this.udp = new UdpSockets(this, config);
        this.echoLimit = new RateLimiter(config.echoRepliesPerSecond);
        this.errorLimit = new RateLimiter(config.icmpErrorsPerSecond);
        this.ping = new PingClient();
        this.ipId = random.nextInt() & 0xFFFF;
        this.ip = config.ip;
        this.prefixLength = config.prefixLength;
        this.mask = maskOf(prefixLength);
        this.gateway = config.gateway;
    }

    private static int maskOf(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    // ---- configuration and state -----------------------------------------------------------

    /**
     * Sets (or, with ip 0, clears) the interface address. Forgets the neighbour table (it may
     * belong to another subnet), pins the gateway, and announces the new address with two
     * gratuitous ARPs (RFC 5227 §2.3).
     */
    public void setAddress(int ip, int prefixLength, int gateway, long nowNs) {
        if (ip != 0 && (!Ipv4Packet.isValidUnicastSource(ip) || prefixLength < 1 || prefixLength > 30)) {
            throw new IllegalArgumentException("bad address " + Ipv4Packet.format(ip) + "/" + prefixLength);
        }
        boolean changed = ip != this.ip;
        this.ip = ip;
        this.prefixLength = prefixLength;
        this.mask = maskOf(prefixLength);
        this.gateway = gateway;
        if (changed) {
            arp.clear();
        }
        if (gateway != 0) {
            arp.pin(gateway, nowNs);
        }
        if (ip != 0 && changed) {
            arp.announce(ip, nowNs);
        }
    }

    public int address() {
        return ip;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public int gateway() {
        return gateway;
    }

    public int subnetBroadcast() {
        return ip == 0 ? -1 : ip | ~mask;
    }

    public long macAddress() {
        return mac;
    }

    public Prng random() {
        return random;
    }

    public Counters counters() {
        return counters;
    }

    public ArpCache arp() {
        return arp;
    }

    public UdpSockets udp() {
        return udp;
    }

    public PingClient ping() {
        return ping;
    }

    /** Installs the hook that sees every frame in and out (pcap, journey); null removes it. */
    public void frameTap(FrameTap tap) {
        this.tap = tap;
    }

    /** Registers TCP (protocol 6). */
    public void tcpHandler(IpHandler handler) {
        this.tcp = handler;
    }

    /**
     * Gateway mode, for a stack that stands in for a whole network (the desktop's user-mode
     * network): TCP segments to ANY unicast destination are taken as ours and handed to the TCP
     * handler with their destination address, and TCP may send from such an address
     * ({@link #sendIpFrom}). Only TCP: other protocols to other addresses are still dropped (I9).
     * A gateway mode never forwards anything; a board's stack leaves it off.
     */
    public void gatewayMode(boolean on) {
        this.anyDestination = on;
    }

    public boolean gatewayMode() {
        return anyDestination;
    }

    void count(int index) {
        counters.inc(index);
    }

    // ---- the loop ----------------------------------------------------------------------------

    /** Handles up to {@code maxFramesPerPoll} frames, runs due timers, sends what waits. @return work done */
    public int poll(long nowNs) {
        int work = device.poll(nowNs);
        for (int i = 0; i < config.maxFramesPerPoll; i++) {
            int n = device.receive(rx, 0, rx.length);
            if (n == 0) {
                break;
            }
            if (n < 0) {
                counters.inc(Stat.RX_DEVICE_ERRORS);
                if (n == EthernetDevice.ERR_DEVICE || n == EthernetDevice.ERR_LINK_DOWN) {
                    break;
                }
                continue;
            }
            onFrame(n, nowNs);
            work++;
        }
        work += arp.poll(nowNs);
        work += drain(nowNs);
        return work;
    }

    /** The next instant {@link #poll} has timed work, or {@link Long#MAX_VALUE}. */
    public long pollAtNs(long nowNs) {
        long at = Math.min(device.pollAtNs(nowNs), arp.pollAtNs(nowNs));
        if (!tx.isEmpty()) {
            at = Math.min(at, nowNs);   // the device was busy: try again at once after its own poll
        }
        return at;
    }

    private int drain(long nowNs) {
        int sent = 0;
        while (!tx.isEmpty()) {
            byte[] f = tx.headFrame();
            int len = tx.headLength();
            int rc = device.transmit(f, 0, len);
            if (rc == EthernetDevice.ERR_BUSY) {
                counters.inc(Stat.TX_DEVICE_BUSY);
                break;
            }
            if (rc == EthernetDevice.OK) {
                counters.inc(Stat.TX_FRAMES);
                counters.add(Stat.TX_BYTES, len);
                if (tap != null) {
                    tap.onFrame(true, f, 0, len, nowNs);
                }
                sent++;
            } else {
                counters.inc(Stat.TX_DROP_DEVICE);
            }
            tx.pop();
        }
        return sent;
    }

    // ---- input --------------------------------------------------------------------------------

    private void onFrame(int n, long nowNs) {
        counters.inc(Stat.RX_FRAMES);
        counters.add(Stat.RX_BYTES, n);
        if (tap != null) {
            tap.onFrame(false, rx, 0, n, nowNs);
        }
        eth.wrap(rx, 0, n);
        if (!eth.hasHeader()) {
            counters.inc(Stat.RX_DROP_SHORT);                // E1
            return;
        }
        long dst = eth.destination();
        boolean broadcast = dst == EthernetFrame.BROADCAST;
        if (dst != mac && !broadcast) {
            counters.inc(Stat.RX_DROP_NOT_FOR_US);           // E4 (no multicast groups joined)
            return;
        }
        int type = eth.etherType();
        if (type == EthernetFrame.ETHERTYPE_ARP) {
            counters.inc(Stat.ARP_RX);
            arpIn.wrap(rx, eth.payloadOffset(), eth.payloadLength());
            if (arpIn.check() != ArpPacket.OK) {
                counters.inc(Stat.ARP_DROP_MALFORMED);       // A1, A2
                return;
            }
            arp.input(arpIn, eth.source(), nowNs);
        } else if (type == EthernetFrame.ETHERTYPE_IPV4) {
            ipInput(eth.source(), nowNs);
        } else {
            counters.inc(Stat.RX_DROP_ETHERTYPE);            // E3: VLAN, 802.3 lengths, IPv6, others
        }
    }

    private void ipInput(long ethSource, long nowNs) {
        counters.inc(Stat.IP_RX);
        Ipv4Packet p = ipIn.wrap(rx, eth.payloadOffset(), eth.payloadLength());
        int status = p.check();
        if (status != Ipv4Packet.OK) {
            counters.inc(Stat.IP_DROP_BASE + status - 1);
            return;
        }
        int src = p.source();
        int dst = p.destination();
        int protocol = p.protocol();
        boolean broadcast = dst == -1 || (ip != 0 && dst == subnetBroadcast());
        // RFC 1122 §3.2.1.3: 0.0.0.0 is a source only while a host learns its address (BOOTP/DHCP,
        // a broadcast UDP datagram); everything else from an unusable source is dropped (I8).
        boolean bootstrapping = src == 0 && dst == -1 && protocol == Ipv4Packet.PROTOCOL_UDP;
        if ((!Ipv4Packet.isValidUnicastSource(src) && !bootstrapping)
                || (ip != 0 && (src == ip || src == subnetBroadcast()))) {
            counters.inc(Stat.IP_DROP_SOURCE);               // I8 (incl. the Land attack)
            return;
        }
        boolean forUs = (ip != 0 && dst == ip) || broadcast
                || (ip == 0 && protocol == Ipv4Packet.PROTOCOL_UDP)   // DHCP before we have an address
                || (anyDestination && ip != 0 && protocol == Ipv4Packet.PROTOCOL_TCP
                    && Ipv4Packet.isValidUnicastSource(dst));        // gateway mode: any unicast destination
        if (!forUs) {
            counters.inc(Stat.IP_DROP_NOT_FOR_US);           // I9: no forwarding
            return;
        }
        int off = p.payloadOffset();
        int len = p.payloadLength();
        switch (protocol) {
            case Ipv4Packet.PROTOCOL_ICMP:
                icmpInput(src, dst, broadcast, ethSource, off, len, nowNs);
                break;
            case Ipv4Packet.PROTOCOL_UDP:
                udpInput(src, dst, broadcast, off, len, nowNs);
                break;
            case Ipv4Packet.PROTOCOL_TCP:
                if (tcp != null && !broadcast) {
                    tcp.onDatagram(src, dst, rx, off, len, nowNs);
                } else {
                    counters.inc(Stat.IP_DROP_PROTOCOL);
                }
                break;
            default:
                counters.inc(Stat.IP_DROP_PROTOCOL);          // I14: no tunnels
                if (!broadcast) {
                    sendUnreachable(2, src, nowNs);          // protocol unreachable, quoting real bytes only
                }
                break;
        }
    }

    private void icmpInput(int src, int dst, boolean broadcast, long ethSource, int off, int len, long nowNs) {
        counters.inc(Stat.ICMP_RX);
        IcmpPacket m = icmpIn.wrap(rx, off, len);
        if (m.check() != IcmpPacket.OK) {
            counters.inc(Stat.ICMP_DROP_MALFORMED);          // C1, C3
            return;
        }
        switch (m.type()) {
            case IcmpPacket.TYPE_ECHO_REQUEST:
                if (broadcast) {
                    counters.inc(Stat.ICMP_DROP_BROADCAST);  // C8: no smurf amplification
                    return;
                }
                if (!echoLimit.allow(nowNs)) {
                    counters.inc(Stat.ICMP_ECHO_RATE_LIMITED); // C10
                    return;
                }
                echoReply(src, ethSource, off, len, nowNs);
                break;
            case IcmpPacket.TYPE_ECHO_REPLY:
                counters.inc(Stat.ICMP_ECHO_REPLIES_RX);
                ping.onReply(src, m.identifier(), m.sequence(), m.dataLength(), nowNs);
                break;
            case IcmpPacket.TYPE_DEST_UNREACHABLE:
                counters.inc(Stat.ICMP_UNREACH_RX);
                unreachableInput(m.code(), m.dataOffset(), m.dataLength(), nowNs);
                break;
            default:
                counters.inc(Stat.ICMP_DROP_TYPE);           // C6 redirects, C7 timestamp/mask/info: ignored
                break;
        }
    }

    /** RFC 792 echo reply: the same identifier, sequence and data — exactly the bytes the IP length covers (E5, C2). */
    private void echoReply(int to, long ethTo, int off, int len, long nowNs) {
        byte[] f = tx.acquire();
        if (f == null) {
            counters.inc(Stat.TX_DROP_RING_FULL);
            return;
        }
        System.arraycopy(rx, off, f, L4_OFFSET, len);
        icmpOut.wrap(f, L4_OFFSET, len).emit(IcmpPacket.TYPE_ECHO_REPLY, 0, Bytes.i32(f, L4_OFFSET + 4));
        ipOut.wrap(f, IP_OFFSET, Ipv4Packet.MIN_HEADER_LENGTH + len)
                .emitHeader(ip, to, Ipv4Packet.PROTOCOL_ICMP, len, nextIpId(), Ipv4Packet.DEFAULT_TTL);
        txEth.wrap(f, 0, L4_OFFSET + len).header(ethTo, mac, EthernetFrame.ETHERTYPE_IPV4);
        tx.commit(L4_OFFSET + len);
        counters.inc(Stat.ICMP_ECHO_REPLIES_SENT);
    }

    /** A destination unreachable quoting one of our datagrams: checked before use (C4), then handed to its owner. */
    private void unreachableInput(int code, int off, int len, long nowNs) {
        if (len < Ipv4Packet.MIN_HEADER_LENGTH + 8 || (rx[off] & 0xF0) != 0x40) {
            counters.inc(Stat.ICMP_UNREACH_IGNORED);
            return;
        }
        int ihl = (rx[off] & 0x0F) * 4;
        if (ihl < Ipv4Packet.MIN_HEADER_LENGTH || ihl + 8 > len || Bytes.i32(rx, off + 12) != ip) {
            counters.inc(Stat.ICMP_UNREACH_IGNORED);
            return;
        }
        int protocol = rx[off + 9] & 0xFF;
        if (protocol == Ipv4Packet.PROTOCOL_UDP && code == 3) {
            udp.portUnreachable(Bytes.u16(rx, off + ihl));
        } else if (protocol == Ipv4Packet.PROTOCOL_TCP && tcp != null) {
            tcp.onUnreachable(code, rx, off, len, nowNs);
        } else {
            counters.inc(Stat.ICMP_UNREACH_IGNORED);
        }
    }

    private void udpInput(int src, int dst, boolean broadcast, int off, int len, long nowNs) {
        counters.inc(Stat.UDP_RX);
        UdpDatagram d = udpIn.wrap(rx, off, len);
        switch (d.check(src, dst)) {
            case UdpDatagram.OK:
                break;
            case UdpDatagram.ERR_PORT:
                counters.inc(Stat.UDP_DROP_PORT);            // U5
                return;
            case UdpDatagram.ERR_CHECKSUM:
                counters.inc(Stat.UDP_DROP_CHECKSUM);        // U3
                return;
            default:
                counters.inc(Stat.UDP_DROP_MALFORMED);       // U1, U2
                return;
        }
        if (!udp.deliver(src, d.sourcePort(), dst, d.destinationPort(), rx, d.dataOffset(), d.dataLength(), nowNs)) {
            counters.inc(Stat.UDP_DROP_NO_SOCKET);
            if (!broadcast && ip != 0) {
                sendUnreachable(3, src, nowNs);              // U4: port unreachable, unicast only
            }
        }
    }

    /**
     * ICMP destination unreachable for the datagram now in {@code rx}, quoting its IP header and
     * the first 8 bytes of its payload (RFC 792; RFC 1122 §3.2.2: never about an ICMP error, a
     * broadcast or a fragment — the callers only get here for unicast, non-ICMP datagrams).
     */
    private void sendUnreachable(int code, int to, long nowNs) {
        if (ip == 0) {
            return;
        }
        if (!errorLimit.allow(nowNs)) {
            counters.inc(Stat.ICMP_ERRORS_RATE_LIMITED);
            return;
        }
        int ihl = ipIn.headerLength();
        int quote = ihl + Math.min(8, ipIn.payloadLength());
        byte[] f = tx.acquire();
        if (f == null) {
            counters.inc(Stat.TX_DROP_RING_FULL);
            return;
        }
        int icmpLen = IcmpPacket.HEADER_LENGTH + quote;
        System.arraycopy(rx, IP_OFFSET, f, L4_OFFSET + IcmpPacket.HEADER_LENGTH, quote);
        icmpOut.wrap(f, L4_OFFSET, icmpLen).emit(IcmpPacket.TYPE_DEST_UNREACHABLE, code, 0);
        ipOut.wrap(f, IP_OFFSET, Ipv4Packet.MIN_HEADER_LENGTH + icmpLen)
                .emitHeader(ip, to, Ipv4Packet.PROTOCOL_ICMP, icmpLen, nextIpId(), Ipv4Packet.DEFAULT_TTL);
        if (route(f, L4_OFFSET + icmpLen, to, nowNs) >= 0) {
            counters.inc(Stat.ICMP_UNREACH_SENT);
        }
    }

    // ---- output -------------------------------------------------------------------------------

    private int nextIpId() {
        ipId = (ipId + 1) & 0xFFFF;
        return ipId;
    }

    /** Builds and queues a UDP datagram (used by {@link UdpSockets}). */
    int sendUdp(int srcIp, int srcPort, int dstIp, int dstPort, byte[] src, int off, int len, long nowNs) {
        if (srcIp == 0 && dstIp != -1) {
            return ERR_NO_ADDRESS;
        }
        byte[] f = tx.acquire();
        if (f == null) {
            counters.inc(Stat.TX_DROP_RING_FULL);
            return ERR_TX_FULL;
        }
        int payload = L4_OFFSET + UdpDatagram.HEADER_LENGTH;
        System.arraycopy(src, off, f, payload, len);
        int udpLen = udpOut.wrap(f, L4_OFFSET, UdpDatagram.HEADER_LENGTH + len).emit(srcIp, dstIp, srcPort, dstPort, len);
        ipOut.wrap(f, IP_OFFSET, Ipv4Packet.MIN_HEADER_LENGTH + udpLen)
                .emitHeader(srcIp, dstIp, Ipv4Packet.PROTOCOL_UDP, udpLen, nextIpId(), Ipv4Packet.DEFAULT_TTL);
        counters.inc(Stat.UDP_TX);
        return route(f, L4_OFFSET + udpLen, dstIp, nowNs);
    }

    /** Sends an IP datagram whose payload ({@code len} bytes) the caller provides; for TCP. */
    public int sendIp(int dstIp, int protocol, byte[] src, int off, int len, long nowNs) {
        return sendIpFrom(ip, dstIp, protocol, src, off, len, nowNs);
    }

    /**
     * As {@link #sendIp}, from {@code srcIp}: our address, or in {@link #gatewayMode(boolean)} any
     * unicast address (the destination a connection was made to). @return ERR_NO_ADDRESS when
     * {@code srcIp} is neither
     */
    public int sendIpFrom(int srcIp, int dstIp, int protocol, byte[] src, int off, int len, long nowNs) {
        if (ip == 0 || (srcIp != ip && !(anyDestination && Ipv4Packet.isValidUnicastSource(srcIp)))) {
            return ERR_NO_ADDRESS;
        }
        byte[] f = tx.acquire();
        if (f == null) {
            counters.inc(Stat.TX_DROP_RING_FULL);
            return ERR_TX_FULL;
        }
        System.arraycopy(src, off, f, L4_OFFSET, len);
        ipOut.wrap(f, IP_OFFSET, Ipv4Packet.MIN_HEADER_LENGTH + len)
                .emitHeader(srcIp, dstIp, protocol, len, nextIpId(), Ipv4Packet.DEFAULT_TTL);
        return route(f, L4_OFFSET + len, dstIp, nowNs);
    }

    /**
     * Picks the next hop (on-link, else the gateway; RFC 1122 §3.3.1), resolves its MAC and
     * queues the acquired frame — or hands it to ARP to wait.
     */
    private int route(byte[] f, int len, int dstIp, long nowNs) {
        counters.inc(Stat.IP_TX);
        long dstMac;
        if (dstIp == -1 || (ip != 0 && dstIp == subnetBroadcast())) {
            dstMac = EthernetFrame.BROADCAST;
        } else {
            int nextHop = (dstIp & mask) == (ip & mask) ? dstIp : gateway;
            if (nextHop == 0 || ip == 0) {
                tx.abandon();
                counters.inc(Stat.IP_DROP_NO_ROUTE);
                return ERR_NO_ROUTE;
            }
            dstMac = arp.lookup(nextHop, nowNs);
            if (dstMac < 0) {
                txEth.wrap(f, 0, len).header(0L, mac, EthernetFrame.ETHERTYPE_IPV4);
                int st = arp.hold(nextHop, f, len, nowNs);   // copies the frame, may queue an ARP request
                tx.abandon();
                drain(nowNs);
                return st == ArpCache.PENDING ? QUEUED_FOR_ARP : ERR_UNREACHABLE;
            }
        }
        txEth.wrap(f, 0, len).header(dstMac, mac, EthernetFrame.ETHERTYPE_IPV4);
        tx.commit(len);
        drain(nowNs);
        return OK;
    }

    /** A frame ARP held until {@code dstMac} was known (called by {@link ArpCache}). */
    void sendHeld(byte[] held, int len, long dstMac, long nowNs) {
        byte[] f = tx.acquire();
        if (f == null) {
            counters.inc(Stat.TX_DROP_RING_FULL);
            return;
        }
        System.arraycopy(held, 0, f, 0, len);
        Bytes.putMac(f, EthernetFrame.DESTINATION_OFFSET, dstMac);
        tx.commit(len);
    }

    /** Writes and queues one ARP packet (RFC 826). */
    void sendArp(int op, long ethDst, int senderIp, long targetMac, int targetIp, long nowNs) {
        byte[] f = tx.acquire();
        if (f == null) {
            counters.inc(Stat.TX_DROP_RING_FULL);
            return;
        }
        txEth.wrap(f, 0, EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH).header(ethDst, mac, EthernetFrame.ETHERTYPE_ARP);
        arpOut.wrap(f, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH).emit(op, mac, senderIp, targetMac, targetIp);
        tx.commit(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
    }

    /** ARP gave up on {@code ip}: tell whoever waits — UDP sockets that sent there, and TCP. */
    void onUnreachable(int nextHop, long nowNs) {
        udp.neighbourUnreachable(nextHop, nextHop == gateway, mask, ip);
        if (tcp != null) {
            tcp.onNeighbourUnreachable(nextHop, nowNs);
        }
    }

    /** Sends an ICMP echo request (the ping client's half of the stack). */
    int sendEcho(int dstIp, int identifier, int sequence, int dataLength, long nowNs) {
        if (ip == 0) {
            return ERR_NO_ADDRESS;
        }
        byte[] f = tx.acquire();
        if (f == null) {
            counters.inc(Stat.TX_DROP_RING_FULL);
            return ERR_TX_FULL;
        }
        int len = IcmpPacket.HEADER_LENGTH + dataLength;
        for (int i = 0; i < dataLength; i++) {
            f[L4_OFFSET + IcmpPacket.HEADER_LENGTH + i] = (byte) (0x10 + i);
        }
        icmpOut.wrap(f, L4_OFFSET, len).emit(IcmpPacket.TYPE_ECHO_REQUEST, 0, (identifier << 16) | (sequence & 0xFFFF));
        ipOut.wrap(f, IP_OFFSET, Ipv4Packet.MIN_HEADER_LENGTH + len)
                .emitHeader(ip, dstIp, Ipv4Packet.PROTOCOL_ICMP, len, nextIpId(), Ipv4Packet.DEFAULT_TTL);
        return route(f, L4_OFFSET + len, dstIp, nowNs);
    }

    /** At most N events per second, in fixed one-second windows. */
    private static final class RateLimiter {
        private final int perSecond;
        private long windowStartNs;
        private int used;
        private boolean started;

        RateLimiter(int perSecond) {
            this.perSecond = perSecond;
        }

        boolean allow(long nowNs) {
            if (!started || nowNs - windowStartNs >= 1_000_000_000L) {
                started = true;
                windowStartNs = nowNs;
                used = 0;
            }
            if (used >= perSecond) {
                return false;
            }
            used++;
            return true;
        }
    }

    /** The ping client: echo requests out, replies matched by identifier and sequence, RTT measured. */
    public final class PingClient {
        private static final int SLOTS = 16;
        private final long[] sentAtNs = new long[SLOTS];
        private final int[] sentSeq = new int[SLOTS];
        private final boolean[] outstanding = new boolean[SLOTS];
        private int identifier = random.nextInt() & 0xFFFF;
        private int replies;
        private int lastSequence = -1;
        private int lastFrom;
        private long lastRttNs = -1;

        /** Sends echo request {@code sequence} of {@code dataLength} bytes to {@code dstIp}. @return a NetStack status */
        public int send(int dstIp, int sequence, int dataLength, long nowNs) {
            if (dataLength < 0 || dataLength > 1472) {
                throw new IllegalArgumentException("ping data length " + dataLength + " must be 0..1472");
            }
            int slot = sequence & (SLOTS - 1);
            sentAtNs[slot] = nowNs;
            sentSeq[slot] = sequence & 0xFFFF;
            outstanding[slot] = true;
            return sendEcho(dstIp, identifier, sequence, dataLength, nowNs);
        }

        void onReply(int from, int id, int sequence, int dataLength, long nowNs) {
            int slot = sequence & (SLOTS - 1);
            if (id != identifier || !outstanding[slot] || sentSeq[slot] != sequence) {
                return;
            }
            outstanding[slot] = false;
            replies++;
            lastSequence = sequence;
            lastFrom = from;
            lastRttNs = nowNs - sentAtNs[slot];
        }

        public int replies() {
            return replies;
        }

        public int lastSequence() {
            return lastSequence;
        }

        public int lastFrom() {
            return lastFrom;
        }

        public long lastRttNs() {
            return lastRttNs;
        }

        public int identifier() {
            return identifier;
        }
    }
}
