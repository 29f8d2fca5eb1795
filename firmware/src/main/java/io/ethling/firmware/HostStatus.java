package io.ethling.firmware;

import io.ethling.hal.Counters;
import io.ethling.hal.EthernetDevice;
import io.ethling.stack.Host;
import io.ethling.stack.dhcp.DhcpClient;
import io.ethling.stack.dns.DnsCache;
import io.ethling.stack.iface.ArpCache;
import io.ethling.stack.iface.NetStack;
import io.ethling.stack.tcp.Tcp;

/**
 * What the board says about itself: link, address, lease left, counters, the ARP entries of the
 * addresses it talks to (gateway, DNS servers, open connections' peers), the DNS cache's address
 * entries, and the sockets — as the {@link StatusPage}'s HTML, and as the lines of the LCD's
 * status screen. Written into the caller's buffer; allocates nothing.
 */
public final class HostStatus implements StatusPage.Content {

    private static final String CLOSING = "</pre>\n</body></html>\n";

    private final Host host;
    private final EthernetDevice device;
    private final String name;
    private final Counters[] extra;
    private final String[] extraNames;
    private StatusPage server;

    /**
     * @param name the board's name for the page's title (from the board file)
     * @param extraNames prefixes for {@code extra} counter sets (the app's, the HTTP client's)
     */
    public HostStatus(String name, Host host, EthernetDevice device, String[] extraNames, Counters[] extra) {
        if (extraNames.length != extra.length) {
            throw new IllegalArgumentException("HostStatus: " + extraNames.length + " names for " + extra.length + " counter sets");
        }
        this.host = host;
        this.device = device;
        this.name = name;
        this.extra = extra.clone();
        this.extraNames = extraNames.clone();
    }

    /** The server that shows this page (so its connection is listed among the sockets). */
    public void server(StatusPage s) {
        this.server = s;
    }

    @Override
    public int render(byte[] d, int p, int bufferEnd, long nowNs) {
        int end = bufferEnd - CLOSING.length();     // whatever is cut, the page still ends properly
        NetStack net = host.net();
        p = Ascii.text(d, p, end, "<!DOCTYPE html>\n<html><head><title>");
        p = Ascii.html(d, p, end, name);
        p = Ascii.text(d, p, end, " status</title></head>\n<body><h1>");
        p = Ascii.html(d, p, end, name);
        p = Ascii.text(d, p, end, "</h1>\n<pre>\nlink     ");
        p = Ascii.text(d, p, end, device.linkUp() ? "up" : "down");
        p = Ascii.text(d, p, end, "\nmac      ");
        p = Ascii.mac(d, p, end, net.macAddress());
        p = Ascii.text(d, p, end, "\naddress  ");
        p = address(d, p, end);
        p = Ascii.text(d, p, end, "\ngateway  ");
        p = net.gateway() == 0 ? Ascii.text(d, p, end, "none") : Ascii.ipv4(d, p, end, net.gateway());
        p = Ascii.text(d, p, end, "\nlease    ");
        p = lease(d, p, end, nowNs);
        p = Ascii.text(d, p, end, "\ndns      ");
        int servers = host.dns().serverCount();
        for (int i = 0; i < servers; i++) {
            p = Ascii.ipv4(d, p, end, host.dns().server(i));
            p = Ascii.ch(d, p, end, ' ');
        }
        if (servers == 0) {
            p = Ascii.text(d, p, end, "none");
        }
        p = Ascii.text(d, p, end, "\n</pre>\n<h2>ARP</h2>\n<pre>\n");
        ArpCache arp = net.arp();
        p = Ascii.text(d, p, end, "entries  ");
        p = Ascii.number(d, p, end, arp.entries());
        p = Ascii.ch(d, p, end, '\n');
        p = arpLine(d, p, end, arp, net.gateway(), "gateway", nowNs);
        for (int i = 0; i < servers; i++) {
            p = arpLine(d, p, end, arp, host.dns().server(i), "dns", nowNs);
        }
        Tcp tcp = host.tcp();
        int s = server == null ? -1 : server.socket();
        if (s >= 0) {
            p = arpLine(d, p, end, arp, tcp.remoteIp(s), "client", nowNs);
        }
        p = Ascii.text(d, p, end, "</pre>\n<h2>DNS cache</h2>\n<pre>\n");
        DnsCache cache = host.dns().cache();
        int shown = 0;
        for (int i = 0; i < cache.capacity(); i++) {
            if (cache.kind(i) == DnsCache.KIND_ADDRESS) {
                p = Ascii.ipv4(d, p, end, cache.address(i));
                p = Ascii.text(d, p, end, "  ttl ");
                p = Ascii.number(d, p, end, cache.remainingTtlSeconds(i, nowNs));
                p = Ascii.text(d, p, end, " s  from ");
                p = Ascii.ipv4(d, p, end, cache.serverIp(i));
                p = Ascii.ch(d, p, end, '\n');
                shown++;
            } else if (cache.kind(i) != DnsCache.KIND_EMPTY) {
                p = Ascii.text(d, p, end, cache.kind(i) == DnsCache.KIND_NXDOMAIN ? "(no such name)" : "(no address)");
                p = Ascii.text(d, p, end, "  ttl ");
                p = Ascii.number(d, p, end, cache.remainingTtlSeconds(i, nowNs));
                p = Ascii.text(d, p, end, " s\n");
                shown++;
            }
        }
        if (shown == 0) {
            p = Ascii.text(d, p, end, "(empty)\n");
        }
        p = Ascii.text(d, p, end, "</pre>\n<h2>Sockets</h2>\n<pre>\nin use     ");
        p = Ascii.number(d, p, end, tcp.socketsInUse());
        p = Ascii.text(d, p, end, "\ntime-wait  ");
        p = Ascii.number(d, p, end, tcp.timeWaitEntries());
        p = Ascii.text(d, p, end, "\nhalf-open  ");
        p = Ascii.number(d, p, end, tcp.halfOpenEntries());
        if (s >= 0) {
            p = Ascii.text(d, p, end, "\nthis page  :");
            p = Ascii.number(d, p, end, tcp.localPort(s));
            p = Ascii.text(d, p, end, " <- ");
            p = Ascii.ipv4(d, p, end, tcp.remoteIp(s));
            p = Ascii.ch(d, p, end, ':');
            p = Ascii.number(d, p, end, tcp.remotePort(s));
            p = Ascii.ch(d, p, end, ' ');
            p = Ascii.text(d, p, end, tcp.state(s).name());
        }
        p = Ascii.text(d, p, end, "\n</pre>\n<h2>Counters</h2>\n<pre>\n");
        p = counters(d, p, end, "eth.", device.counters());
        p = counters(d, p, end, "ip.", net.counters());
        p = counters(d, p, end, "tcp.", tcp.counters());
        p = counters(d, p, end, "dns.", host.dns().counters());
        if (host.dhcp() != null) {
            p = counters(d, p, end, "dhcp.", host.dhcp().counters());
        }
        for (int i = 0; i < extra.length; i++) {
            p = counters(d, p, end, extraNames[i], extra[i]);
        }
        return Ascii.text(d, p, bufferEnd, CLOSING);
    }

    public boolean hasAddress() {
        return host.net().address() != 0;
    }

    public boolean linkUp() {
        return device.linkUp();
    }

    public long mac() {
        return host.net().macAddress();
    }

    /** The gateway, or "none". */
    public int gateway(byte[] d, int p, int end) {
        int gw = host.net().gateway();
        return gw == 0 ? Ascii.text(d, p, end, "none") : Ascii.ipv4(d, p, end, gw);
    }

    /** The first DNS server, or "none". */
    public int dnsServer(byte[] d, int p, int end) {
        return host.dns().serverCount() == 0 ? Ascii.text(d, p, end, "none") : Ascii.ipv4(d, p, end, host.dns().server(0));
    }

    public int socketsInUse() {
        return host.tcp().socketsInUse();
    }

    public int arpEntries() {
        return host.net().arp().entries();
    }

    /** A counter of the interface ("ip."), TCP ("tcp."), DNS ("dns.") or the device ("eth."); -1 if unknown. */
    public long counter(String set, String name) {
        Counters c = switch (set) {
            case "ip." -> host.net().counters();
            case "tcp." -> host.tcp().counters();
            case "dns." -> host.dns().counters();
            case "eth." -> device.counters();
            default -> null;
        };
        return c == null ? -1 : c.value(name);
    }

    /** "10.0.2.15/24", or "none". */
    public int address(byte[] d, int p, int end) {
        NetStack net = host.net();
        if (net.address() == 0) {
            return Ascii.text(d, p, end, "none");
        }
        p = Ascii.ipv4(d, p, end, net.address());
        p = Ascii.ch(d, p, end, '/');
        return Ascii.number(d, p, end, net.prefixLength());
    }

    /** "23h 59m 58s" left of the DHCP lease, "static", or "none (STATE)". */
    public int lease(byte[] d, int p, int end, long nowNs) {
        DhcpClient dhcp = host.dhcp();
        if (dhcp == null) {
            return Ascii.text(d, p, end, "static");
        }
        if (!dhcp.hasLease()) {
            p = Ascii.text(d, p, end, "none (");
            p = Ascii.text(d, p, end, dhcp.state().name());
            return Ascii.ch(d, p, end, ')');
        }
        return Ascii.duration(d, p, end, (dhcp.leaseEndNs() - nowNs) / 1_000_000_000L);
    }

    private static int arpLine(byte[] d, int p, int end, ArpCache arp, int ip, String role, long nowNs) {
        if (ip == 0) {
            return p;
        }
        p = Ascii.ipv4(d, p, end, ip);
        p = Ascii.text(d, p, end, "  ");
        int st = arp.status(ip, nowNs);
        if (st == ArpCache.RESOLVED) {
            p = Ascii.mac(d, p, end, arp.macOf(ip));
        } else {
            p = Ascii.text(d, p, end, st == ArpCache.PENDING ? "(pending)" : st == ArpCache.UNREACHABLE ? "(unreachable)" : "(not cached)");
        }
        p = Ascii.text(d, p, end, "  ");
        p = Ascii.text(d, p, end, role);
        return Ascii.ch(d, p, end, '\n');
    }

    /** Every non-zero counter, one "prefix.name value" line each. */
    static int counters(byte[] d, int p, int end, String prefix, Counters c) {
        if (c == null) {
            return p;
        }
        for (int i = 0; i < c.size(); i++) {
            long v = c.value(i);
            if (v != 0) {
                p = Ascii.text(d, p, end, prefix);
                p = Ascii.html(d, p, end, c.name(i));
                p = Ascii.ch(d, p, end, ' ');
                p = Ascii.number(d, p, end, v);
                p = Ascii.ch(d, p, end, '\n');
            }
        }
        return p;
    }
}
