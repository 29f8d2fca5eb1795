package io.ethling.stack;

import io.ethling.hal.Counters;
import io.ethling.hal.EthernetDevice;
import io.ethling.stack.dhcp.AddressProber;
import io.ethling.stack.dhcp.DhcpClient;
import io.ethling.stack.dhcp.DhcpConfig;
import io.ethling.stack.dhcp.DhcpListener;
import io.ethling.stack.dhcp.DhcpTransport;
import io.ethling.stack.dns.DnsCache;
import io.ethling.stack.dns.DnsResolver;
import io.ethling.stack.dns.DnsTransport;
import io.ethling.stack.dns.HostsTable;
import io.ethling.stack.iface.ArpCache;
import io.ethling.stack.iface.NetStack;
import io.ethling.stack.iface.StackConfig;
import io.ethling.stack.iface.UdpListener;
import io.ethling.stack.iface.UdpSockets;
import io.ethling.stack.tcp.NetStackTransport;
import io.ethling.stack.tcp.Tcp;
import io.ethling.stack.tcp.TcpConfig;
import io.ethling.stack.util.Prng;

/**
 * A whole host on one Ethernet device: the interface ({@link NetStack}: ARP, IPv4, ICMP, UDP),
 * its address from DHCP or static configuration, and the DNS resolver — one {@link #poll} and one
 * {@link #pollAtNs} for the loop (DESIGN.md). The DHCP client and the resolver talk UDP through
 * sockets of the interface; the DHCP client checks offered addresses with the ARP layer's RFC 5227
 * probe; a lease configures the interface and gives the resolver its servers (unless servers were
 * configured); a link loss and return sends DHCP to INIT-REBOOT (RFC 2131 §3.2).
 */
public final class Host {

    private final NetStack net;
    private final DhcpClient dhcp;
    private final DnsResolver dns;
    private final Tcp tcp;
    private final EthernetDevice device;
    private final boolean fixedDnsServers;
    private final DnsOverUdp dnsTransport;
    private boolean linkWasUp;
    private long nowNs;                  // the instant of the poll in progress (DHCP's callbacks carry none)

    /** Options beyond {@link StackConfig}. */
    public static final class Options {
        boolean dhcp = true;
        int[] dnsServers = new int[0];
        String hostsText = "";
        String hostname = "ethling";
        int hostsCapacity = 32;
        int dnsCacheEntries = 32;
        long dhcpInitialDelayMaxNs = 2_000_000_000L;
        TcpConfig tcp = new TcpConfig();

        /** Sizes and tunes TCP (sockets, rings, timers). */
        public Options tcp(TcpConfig config) {
            this.tcp = config;
            return this;
        }

        /** DHCP (true, the default) or the static address of the {@link StackConfig}. */
        public Options dhcp(boolean on) {
            this.dhcp = on;
            return this;
        }

        /** DNS servers to use instead of the ones DHCP offers. */
        public Options dnsServers(int... ips) {
            this.dnsServers = ips.clone();
            return this;
        }

        /** A hosts table in /etc/hosts format. */
        public Options hosts(String text) {
            this.hostsText = text;
            return this;
        }

        public Options hostname(String name) {
            this.hostname = name;
            return this;
        }

        public Options dnsCacheEntries(int n) {
            this.dnsCacheEntries = n;
            return this;
        }

        /** The random wait before the first DISCOVER (RFC 2131 §4.4.1; tests use 0). */
        public Options dhcpInitialDelayMaxNs(long ns) {
            this.dhcpInitialDelayMaxNs = ns;
            return this;
        }
    }

    public Host(StackConfig config, Options options, EthernetDevice device, Prng prng) {
        this.device = device;
        this.net = new NetStack(config, device, prng);
        this.tcp = new Tcp(options.tcp, new NetStackTransport(net), prng);
        net.tcpHandler(tcp);
        HostsTable hosts = new HostsTable(options.hostsCapacity);
        if (!options.hostsText.isEmpty()) {
            hosts.load(options.hostsText);
        }
        this.dnsTransport = new DnsOverUdp(net.udp(), new DnsResolver.Config().querySlots);
        this.dns = new DnsResolver(dnsTransport, prng, hosts, new DnsCache(options.dnsCacheEntries));
        dnsTransport.resolver = dns;
        this.fixedDnsServers = options.dnsServers.length > 0;
        if (fixedDnsServers) {
            dns.setServers(options.dnsServers, options.dnsServers.length);
        }
        if (options.dhcp) {
            DhcpOverUdp glue = new DhcpOverUdp();
            DhcpConfig dc = new DhcpConfig(config.macAddress(), options.hostname, 3, options.dhcpInitialDelayMaxNs,
                    true, DhcpConfig.DEFAULT_MIN_LEASE_SECONDS, DhcpConfig.DEFAULT_MAX_LEASE_SECONDS);
            this.dhcp = new DhcpClient(dc, prng, glue, glue, glue);
            glue.client = dhcp;
            glue.handle = net.udp().open(68, glue);
            if (glue.handle < 0) {
                throw new IllegalStateException("cannot open UDP port 68 for DHCP: " + glue.handle);
            }
        } else {
            this.dhcp = null;
            if (config.address() != 0) {
                net.setAddress(config.address(), config.prefixLength(), config.gateway(), 0);
            }
        }
        this.linkWasUp = device.linkUp();
    }

    /** Starts DHCP (if configured); call once when the loop starts. */
    public void start(long nowNs) {
        if (dhcp != null) {
            dhcp.start(nowNs);
        }
    }

    public int poll(long nowNs) {
        this.nowNs = nowNs;
        int work = net.poll(nowNs);
        boolean up = device.linkUp();
        if (up != linkWasUp) {
            linkWasUp = up;
            if (dhcp != null) {
                if (up) {
                    dhcp.linkUp(nowNs);     // RFC 2131 §3.2: INIT-REBOOT with the address we had
                } else {
                    dhcp.linkDown();
                }
            }
            work++;
        }
        if (dhcp != null) {
            work += dhcp.poll(nowNs);
        }
        work += dns.poll(nowNs);
        work += tcp.poll(nowNs);
        return work;
    }

    public long pollAtNs(long nowNs) {
        long at = Math.min(Math.min(net.pollAtNs(nowNs), dns.pollAtNs(nowNs)), tcp.pollAtNs(nowNs));
        if (dhcp != null) {
            at = Math.min(at, dhcp.pollAtNs(nowNs));
        }
        return at;
    }

    public NetStack net() {
        return net;
    }

    /** The DHCP client, or null with a static address. */
    public DhcpClient dhcp() {
        return dhcp;
    }

    public DnsResolver dns() {
        return dns;
    }

    /** TCP: connect, listen/accept, send, receive, close by int handle. */
    public Tcp tcp() {
        return tcp;
    }

    public Counters counters() {
        return net.counters();
    }

    static int prefixLength(int mask) {
        return Integer.bitCount(mask);
    }

    /** The resolver's UDP: one socket per port it binds, datagrams straight to the resolver. */
    static final class DnsOverUdp implements DnsTransport, UdpListener {
        private final UdpSockets udp;
        private final int[] ports;
        private final int[] handles;
        DnsResolver resolver;

        DnsOverUdp(UdpSockets udp, int slots) {
            this.udp = udp;
            this.ports = new int[slots + 1];
            this.handles = new int[slots + 1];
        }

        @Override
        public boolean bind(int localPort) {
            for (int i = 0; i < ports.length; i++) {
                if (ports[i] == 0) {
                    int h = udp.open(localPort, this);
                    if (h < 0) {
                        return false;
                    }
                    ports[i] = localPort;
                    handles[i] = h;
                    return true;
                }
            }
            return false;
        }

        @Override
        public int send(int localPort, int serverIp, byte[] buf, int off, int len, long nowNs) {
            for (int i = 0; i < ports.length; i++) {
                if (ports[i] == localPort) {
                    int rc = udp.send(handles[i], serverIp, DnsResolver.DNS_PORT, buf, off, len, nowNs);
                    return rc >= 0 ? 0 : rc;
                }
            }
            return UdpSockets.ERR_BAD_HANDLE;
        }

        @Override
        public void unbind(int localPort) {
            for (int i = 0; i < ports.length; i++) {
                if (ports[i] == localPort) {
                    udp.close(handles[i]);
                    ports[i] = 0;
                    return;
                }
            }
        }

        @Override
        public void onDatagram(int handle, int srcIp, int srcPort, int dstIp, int dstPort, byte[] buf, int off, int len,
                long nowNs) {
            resolver.onDatagram(srcIp, srcPort, dstPort, buf, off, len, nowNs);
        }
    }

    /** DHCP's UDP (port 68 to 67), its RFC 5227 prober (the ARP layer) and its lease events. */
    final class DhcpOverUdp implements DhcpTransport, AddressProber, DhcpListener, UdpListener {
        DhcpClient client;
        int handle;

        @Override
        public int send(int srcIp, int dstIp, byte[] buf, int off, int len, long nowNs) {
            int rc = net.udp().sendFrom(handle, srcIp, dstIp, 67, buf, off, len, nowNs);
            return rc >= 0 ? 0 : rc;
        }

        @Override
        public void onDatagram(int h, int srcIp, int srcPort, int dstIp, int dstPort, byte[] buf, int off, int len,
                long nowNs) {
            client.onDatagram(srcIp, srcPort, buf, off, len, nowNs);
        }

        @Override
        public void startProbe(int ip, long nowNs) {
            net.arp().startProbe(ip, nowNs);
        }

        @Override
        public int probeResult(int ip) {
            switch (net.arp().probeResult(ip)) {
                case ArpCache.PROBE_FREE:
                    return AddressProber.FREE;
                case ArpCache.PROBE_CONFLICT:
                    return AddressProber.CONFLICT;
                default:
                    return AddressProber.PROBING;
            }
        }

        @Override
        public void announce(int ip, long nowNs) {
            net.arp().announce(ip, nowNs);        // RFC 5227 §2.3, also after INIT-REBOOT keeps the address
        }

        @Override
        public void onBound(int ip, int subnetMask, int router, int[] dnsServers, int dnsCount, long leaseEndNs) {
            net.setAddress(ip, prefixLength(subnetMask), router, Host.this.nowNs);
            if (!fixedDnsServers && dnsCount > 0) {
                dns.setServers(dnsServers, dnsCount);
            }
        }

        @Override
        public void onLeaseLost(int ip) {
            net.setAddress(0, net.prefixLength(), 0, Host.this.nowNs);
        }
    }
}
