package io.ethling.tools;

import io.ethling.stack.dns.DnsResolver;
import io.ethling.stack.iface.ArpCache;
import io.ethling.stack.iface.NetStack;
import io.ethling.stack.wire.Ipv4Packet;
import io.ethling.tools.net.NetworkOptions;
import io.ethling.tools.net.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ethling ping HOST}: ICMP echo from the emulated board, through its stack, driver and chip. */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = {
            "Pings HOST from the emulated board: address by DHCP (or --ip), the name through the",
            "board's resolver, ARP for the next hop, then ICMP echo requests one --interval apart.",
            "The user-mode network (the default) answers for its gateway 10.0.2.2; use --tap to reach more."})
final class PingCommand implements Callable<Integer> {

    @Parameters(paramLabel = "HOST", description = "a name or an IPv4 address")
    String target;

    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "echo requests to send (default ${DEFAULT-VALUE})")
    int count = 4;

    @Option(names = {"-i", "--interval"}, paramLabel = "S", description = "seconds between requests (default ${DEFAULT-VALUE})")
    double interval = 1.0;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES", description = "data bytes per request (default ${DEFAULT-VALUE})")
    int size = 56;

    @Option(names = {"-W", "--timeout"}, paramLabel = "S", description = "seconds to wait for the last reply (default ${DEFAULT-VALUE})")
    double timeout = 2.0;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 1_000_000) {
            throw new IllegalArgumentException("--count " + count + ": must be 1..1000000");
        }
        if (!(interval >= 0.01 && interval <= 3600)) {
            throw new IllegalArgumentException("--interval " + interval + ": must be 0.01..3600 seconds");
        }
        if (size < 0 || size > 1472) {
            throw new IllegalArgumentException("--size " + size + ": must be 0..1472 bytes");
        }
        if (!(timeout > 0 && timeout <= 60)) {
            throw new IllegalArgumentException("--timeout " + timeout + ": must be more than 0 and at most 60 seconds");
        }
        NetworkOptions.Resolved o = network.resolve();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Session s = new Session(o, network.wire())) {
            NetStack net = s.host.net();
            // RFC 2131 §4.1 retransmits at 4, 8, 16 s: give a lossy wire time for a few rounds
            if (!s.runUntil(() -> net.address() != 0, 60_000_000_000L)) {
                err.println("dhcp: no lease after 60 s (" + s.host.dhcp().state() + ")");
                return ExitCodes.NO_ADDRESS;
            }
            int h = s.host.dns().resolve(target, s.nowNs());
            if (h < 0) {
                err.println("dns: '" + target + "' is not a valid name (" + h + ")");
                return ExitCodes.DNS;
            }
            s.runUntil(() -> s.host.dns().state(h) != DnsResolver.STATE_PENDING, 30_000_000_000L);
            if (s.host.dns().state(h) != DnsResolver.STATE_DONE) {
                err.println("dns: " + target + ": " + DnsResolver.ERROR_NAMES[s.host.dns().error(h)]
                        + (s.host.dns().serverCount() > 0 ? " from " + Ipv4Packet.format(s.host.dns().server(0)) : "")
                        + " after " + s.host.dns().tries(h) + " tries");
                return ExitCodes.DNS;
            }
            int ip = s.host.dns().address(h);
            String via = DnsResolver.SOURCE_NAMES[s.host.dns().source(h)];
            s.host.dns().release(h);
            out.printf(Locale.ROOT, "PING %s (%s) from %s: %d data bytes (name from %s)%n", target,
                    Ipv4Packet.format(ip), Ipv4Packet.format(net.address()), size, via);
            int received = 0;
            long minNs = Long.MAX_VALUE;
            long maxNs = 0;
            long sumNs = 0;
            long intervalNs = (long) (interval * 1e9);
            for (int seq = 1; seq <= count; seq++) {
                long sentAt = s.nowNs();
                int before = net.ping().replies();
                int rc = net.ping().send(ip, seq, size, sentAt);
                if (rc < 0) {
                    err.println("ping: cannot send to " + Ipv4Packet.format(ip) + " (" + rc + ")");
                    return ExitCodes.FAILED;
                }
                long wait = seq == count ? (long) (timeout * 1e9) : intervalNs;
                int want = before + 1;
                boolean got = s.runUntil(() -> net.ping().replies() >= want, wait);
                if (got) {
                    long rtt = net.ping().lastRttNs();
                    received++;
                    minNs = Math.min(minNs, rtt);
                    maxNs = Math.max(maxNs, rtt);
                    sumNs += rtt;
                    out.printf(Locale.ROOT, "%d bytes from %s: icmp_seq=%d time=%.3f ms%n", size + 8,
                            Ipv4Packet.format(net.ping().lastFrom()), net.ping().lastSequence(), rtt / 1e6);
                    long left = intervalNs - (s.nowNs() - sentAt);
                    if (seq < count && left > 0) {
                        s.runUntil(() -> false, left);
                    }
                }
                out.flush();
            }
            out.printf(Locale.ROOT, "--- %s ping statistics ---%n", target);
            out.printf(Locale.ROOT, "%d packets transmitted, %d received, %d%% packet loss%n", count, received,
                    (count - received) * 100 / count);
            if (received > 0) {
                out.printf(Locale.ROOT, "rtt min/avg/max = %.3f/%.3f/%.3f ms%n", minNs / 1e6, sumNs / 1e6 / received, maxNs / 1e6);
                return ExitCodes.OK;
            }
            int nextHop = (ip & mask(net.prefixLength())) == (net.address() & mask(net.prefixLength())) ? ip : net.gateway();
            if (net.arp().status(nextHop, s.nowNs()) != ArpCache.RESOLVED) {
                err.println("arp: no answer from " + Ipv4Packet.format(nextHop) + " (" + net.counters().value("arp.requests.sent") + " requests)");
                return ExitCodes.ARP;
            }
            err.println("ping: no reply from " + Ipv4Packet.format(ip) + " to " + count + " requests");
            return ExitCodes.NO_REPLY;
        }
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }
}
