package io.ethling.tools.net;

import io.ethling.stack.wire.Ipv4Packet;
import io.ethling.tools.EmulatedBoard;
import io.ethling.tools.WireOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The options every command that touches a network takes (DESIGN.md "The command line"). */
public final class NetworkOptions {

    @Option(names = "--tap", paramLabel = "NAME", description = "attach to the Linux TAP device NAME (needs CAP_NET_ADMIN); default: the built-in user-mode network")
    String tap;

    @Option(names = "--dhcp", description = "get the address by DHCP (the default)")
    boolean dhcp;

    @Option(names = "--ip", paramLabel = "A.B.C.D/N", description = "a static address instead of DHCP")
    String ip;

    @Option(names = "--gateway", paramLabel = "IP", description = "the gateway, with --ip")
    String gateway;

    @Option(names = "--dns", paramLabel = "IP[,IP...]", split = ",", description = "DNS servers (instead of the ones DHCP offers)")
    String[] dns = new String[0];

    @Option(names = "--mac", paramLabel = "XX:XX:XX:XX:XX:XX", description = "the board's MAC (default: a locally administered one derived from this machine)")
    String mac;

    @Option(names = "--hosts", paramLabel = "FILE", description = "static names, /etc/hosts format")
    Path hosts;

    @Option(names = "--direct", description = "skip the emulated ENC28J60 and hand frames straight to the wire")
    boolean direct;

    @Mixin
    WireOptions wire = new WireOptions();

    /** Validated view of the options; every problem is one line naming the option. */
    public static final class Resolved {
        public long mac;
        public boolean dhcp = true;
        public int ip;
        public int prefixLength = 24;
        public int gateway;
        public int[] dns = new int[0];
        public String hostsText = "";
        public String tap;
        public boolean direct;
    }

    public Resolved resolve() {
        Resolved r = new Resolved();
        r.mac = mac != null ? EmulatedBoard.parseMac(mac) : defaultMac();
        if ((r.mac & 0x0100_0000_0000L) != 0) {
            throw new IllegalArgumentException("--mac " + mac + ": a multicast address cannot be a station's MAC");
        }
        if (ip != null) {
            if (dhcp) {
                throw new IllegalArgumentException("--dhcp and --ip exclude each other");
            }
            int slash = ip.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("--ip " + ip + ": expected A.B.C.D/N, e.g. 203.0.113.2/24");
            }
            r.ip = Ipv4Packet.parse(ip.substring(0, slash));
            try {
                r.prefixLength = Integer.parseInt(ip.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--ip " + ip + ": prefix length '" + ip.substring(slash + 1) + "' is not a number");
            }
            if (r.prefixLength < 1 || r.prefixLength > 30) {
                throw new IllegalArgumentException("--ip " + ip + ": prefix length must be 1..30");
            }
            r.dhcp = false;
            if (gateway != null) {
                r.gateway = Ipv4Packet.parse(gateway);
            }
        } else if (gateway != null) {
            throw new IllegalArgumentException("--gateway needs --ip (with DHCP the server names the gateway)");
        }
        r.dns = new int[dns.length];
        for (int i = 0; i < dns.length; i++) {
            r.dns[i] = Ipv4Packet.parse(dns[i].strip());
        }
        if (hosts != null) {
            try {
                r.hostsText = Files.readString(hosts);
            } catch (IOException e) {
                throw new IllegalArgumentException("--hosts " + hosts + ": cannot read it (" + e.getMessage() + ")");
            }
        }
        r.tap = tap;
        r.direct = direct;
        return r;
    }

    public WireOptions wire() {
        return wire;
    }

    /** 02:xx:xx:xx:xx:xx from a hash of the host name and user: locally administered, stable per machine. */
    static long defaultMac() {
        String id = System.getProperty("user.name", "") + "@" + hostName();
        long h = 1125899906842597L;
        for (int i = 0; i < id.length(); i++) {
            h = 31 * h + id.charAt(i);
        }
        return 0x02_00_00_00_00_00L | (h & 0x00_FF_FF_FF_FF_FFL);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
