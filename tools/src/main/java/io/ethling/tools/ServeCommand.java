package io.ethling.tools;

import io.ethling.firmware.HostStatus;
import io.ethling.firmware.StatusPage;
import io.ethling.hal.Counters;
import io.ethling.stack.wire.Ipv4Packet;
import io.ethling.tools.net.NetworkOptions;
import io.ethling.tools.net.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code ethling serve}: the emulated board answers ARP and ping and serves its status page. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
            "Runs the emulated board: address by DHCP (or --ip), answers ARP and ping, and serves its status",
            "page (link, address, lease, counters, ARP and DNS caches, sockets) over HTTP on --port.",
            "Runs until interrupted, or for --duration seconds."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", description = "the status page's TCP port (default ${DEFAULT-VALUE})")
    int port = 80;

    @Option(names = "--duration", paramLabel = "S", description = "stop after S seconds (default: run until interrupted)")
    double duration;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + ": must be 1..65535");
        }
        if (duration < 0 || duration > 31_536_000) {
            throw new IllegalArgumentException("--duration " + duration + ": must be 0..31536000 seconds");
        }
        NetworkOptions.Resolved o = network.resolve();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Session s = new Session(o, network.wire())) {
            if (!s.runUntil(() -> s.host.net().address() != 0, 60_000_000_000L)) {
                err.println("dhcp: no lease after 60 s (" + s.host.dhcp().state() + ")");
                return ExitCodes.NO_ADDRESS;
            }
            HostStatus status = new HostStatus("ethling (emulated)", s.host, s.device, new String[0], new Counters[0]);
            StatusPage page = new StatusPage(s.host.tcp(), port, status);
            status.server(page);
            int rc = page.start();
            if (rc != 0) {
                err.println("serve: cannot listen on TCP port " + port + " (" + rc + ")");
                return ExitCodes.FAILED;
            }
            String ip = Ipv4Packet.format(s.host.net().address());
            out.println("serving http://" + ip + (port == 80 ? "" : ":" + port) + "/ (status page); answering ARP and ping at " + ip);
            out.println(o.tap != null
                    ? "reachable from this machine through TAP " + o.tap + " (e.g. curl http://" + ip + (port == 80 ? "" : ":" + port) + "/, ping " + ip + ")"
                    : "on the built-in user-mode network (gateway " + Ipv4Packet.format(io.ethling.tools.net.UserNet.GATEWAY)
                        + "); use --tap NAME to reach it from this machine");
            out.flush();
            s.work(new Session.Work() {
                @Override
                public int poll(long nowNs) {
                    return page.poll(nowNs);
                }

                @Override
                public long pollAtNs(long nowNs) {
                    return page.pollAtNs(nowNs);
                }
            });
            long forNs = duration > 0 ? (long) (duration * 1e9) : Long.MAX_VALUE / 4;
            s.runUntil(() -> Thread.currentThread().isInterrupted(), forNs);
            s.work(null);
            out.println("served " + page.counters().value(StatusPage.C_OK) + " page(s), "
                    + page.counters().value(StatusPage.C_NOT_FOUND) + " not found");
            return ExitCodes.OK;
        }
    }
}
