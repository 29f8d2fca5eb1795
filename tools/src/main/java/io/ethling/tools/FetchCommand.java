package io.ethling.tools;

import io.ethling.stack.HostNetwork;
import io.ethling.stack.http.BodySink;
import io.ethling.stack.http.HttpClient;
import io.ethling.stack.http.HttpFailure;
import io.ethling.stack.http.HttpUrl;
import io.ethling.stack.journey.FetchTracer;
import io.ethling.stack.journey.JourneyRecorder;
import io.ethling.stack.wire.Ipv4Packet;
import io.ethling.tools.journey.JourneyStats;
import io.ethling.tools.journey.JourneySvg;
import io.ethling.tools.journey.JourneyText;
import io.ethling.tools.net.NetworkOptions;
import io.ethling.tools.net.Session;
import io.ethling.tools.pcap.PcapWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ethling fetch URL}: the whole story — DHCP, DNS, ARP, TCP, HTTP — from the emulated board. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {
            "Fetches URL from the emulated board and writes the body to stdout (or -o FILE): address by",
            "DHCP (or --ip), the name through the board's resolver, ARP, the TCP handshake, the HTTP",
            "request and response, the close. Exit 0 only for HTTP 2xx; other codes name the failing step."})
final class FetchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "URL", description = "http://host[:port]/path (host: a name or an IPv4 address)")
    String url;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the body to FILE instead of stdout")
    Path output;

    @Option(names = "--journey", description = "print the story of the request (a ladder: board | network | server) on stderr")
    boolean journey;

    @Option(names = "--journey-svg", paramLabel = "FILE", description = "also draw the story as an SVG file")
    Path journeySvg;

    @Option(names = "--stats", description = "one line on stderr: stats bytes=… dns.ms=… connect.ms=… ttfb.ms=… total.ms=… mbps=… retransmits=…")
    boolean stats;

    @Option(names = "--pcap", paramLabel = "FILE", description = "write every frame sent and received (pcap, Ethernet)")
    Path pcap;

    @Option(names = "--timeout", paramLabel = "S", description = "give up after S seconds in all (default ${DEFAULT-VALUE})")
    double timeout = 120;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HttpUrl target = HttpUrl.of(url);   // one clear line on a bad URL (exit 2)
        if (!(timeout > 0 && timeout <= 86_400)) {
            throw new IllegalArgumentException("--timeout " + timeout + ": must be more than 0 and at most 86400 seconds");
        }
        NetworkOptions.Resolved o = network.resolve();
        try (Session s = new Session(o, network.wire())) {
            return fetch(s, target, spec.commandLine().getErr());
        }
    }

    int fetch(Session s, HttpUrl target, PrintWriter err) throws IOException {
        PcapWriter capture = pcap == null ? null : PcapWriter.create(pcap, PcapWriter.epochOffsetOfNanoTime());
        JourneyRecorder recorder = new JourneyRecorder(4096);
        recorder.attach(s.host.net(), s.host.dns(), capture);
        FetchTracer tracer = new FetchTracer(recorder.journey(), s.host.net(), s.host.tcp());
        s.host.tcp().trace(tracer);
        try (OutputStream out = output == null ? nonClosing(System.out) : new BufferedOutputStream(Files.newOutputStream(output), 65536)) {
            // RFC 2131 §4.1 retransmits at 4, 8, 16 s: give a lossy wire time for a few rounds
            if (!s.runUntil(() -> s.host.net().address() != 0, 60_000_000_000L)) {
                err.println("dhcp: no lease after 60 s (" + s.host.dhcp().state() + ")");
                return ExitCodes.NO_ADDRESS;
            }
            Sink sink = new Sink(out, err);
            HttpClient.Config cfg = new HttpClient.Config();
            cfg.totalTimeoutNs = (long) (timeout * 1e9);
            HttpClient client = new HttpClient(new HostNetwork(s.host), sink, cfg);
            client.listener(tracer);
            tracer.client(client);
            byte[] urlBytes = url.getBytes(StandardCharsets.US_ASCII);
            long start = s.nowNs();
            recorder.begin(urlBytes, 0, urlBytes.length, start);
            s.work(new Session.Work() {
                @Override
                public int poll(long nowNs) {
                    sink.progress(nowNs);
                    return client.poll(nowNs);
                }

                @Override
                public long pollAtNs(long nowNs) {
                    return client.pollAtNs(nowNs);
                }
            });
            client.start(target, start);
            s.runUntil(() -> client.state() == HttpClient.STATE_DONE || client.state() == HttpClient.STATE_FAILED,
                    (long) (timeout * 1e9) + 5_000_000_000L);
            // close what keep-alive held, and let the close (FIN / ACK / FIN / ACK) finish so the
            // story and the capture have it
            client.closeAll(s.nowNs());
            s.runUntil(() -> s.host.tcp().socketsInUse() == 0, 2_000_000_000L);
            s.work(null);
            out.flush();
            sink.endProgress();
            if (journey) {
                err.print(JourneyText.render(recorder.journey()));
            }
            if (journeySvg != null) {
                Files.writeString(journeySvg, JourneySvg.render(recorder.journey()));
            }
            if (stats) {
                err.println(JourneyStats.of(recorder.journey()).kvLine());
            }
            return outcome(client, s, err);
        } finally {
            s.host.tcp().trace(null);
            if (capture != null) {
                capture.close();
            }
        }
    }

    private int outcome(HttpClient client, Session s, PrintWriter err) {
        if (client.state() == HttpClient.STATE_DONE) {
            int status = client.status();
            if (status >= 200 && status <= 299) {
                return ExitCodes.OK;
            }
            err.println("http: " + url + " answered " + status);
            return ExitCodes.HTTP_STATUS;
        }
        int f = client.failure();
        String line = client.state() == HttpClient.STATE_FAILED ? client.failureText() : "fetch: did not finish in time";
        err.println(line.toLowerCase(Locale.ROOT).startsWith("http") || line.contains(":")
                ? detail(line, f, s) : "fetch: " + line);
        switch (f) {
            case HttpFailure.DNS_NO_REPLY, HttpFailure.DNS_NO_SUCH_NAME, HttpFailure.DNS_NO_ADDRESS,
                    HttpFailure.DNS_FAILED, HttpFailure.DNS_TIMEOUT, HttpFailure.DNS_BAD_NAME, HttpFailure.DNS_BUSY:
                return ExitCodes.DNS;
            case HttpFailure.ARP_NO_REPLY, HttpFailure.ARP_TIMEOUT:
                return ExitCodes.ARP;
            case HttpFailure.TCP_REFUSED:
                return ExitCodes.TCP_REFUSED;
            case HttpFailure.TCP_TIMEOUT, HttpFailure.TCP_RESET, HttpFailure.TCP_UNREACHABLE:
                return ExitCodes.TCP_TIMEOUT;
            case HttpFailure.HTTP_STATUS:
                return ExitCodes.HTTP_STATUS;
            default:
                return ExitCodes.FAILED;
        }
    }

    /** The client's LCD-sized line, with the numbers a terminal has room for. */
    private String detail(String line, int failure, Session s) {
        StringBuilder sb = new StringBuilder(line);
        if (failure >= HttpFailure.DNS_NO_REPLY && failure <= HttpFailure.DNS_BUSY && s.host.dns().serverCount() > 0) {
            sb.append(" (").append(url).append("; server ").append(Ipv4Packet.format(s.host.dns().server(0))).append(')');
        } else {
            sb.append(" (").append(url).append(')');
        }
        return sb.toString();
    }

    private static OutputStream nonClosing(OutputStream o) {
        return new java.io.FilterOutputStream(o) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Writes the body as it streams in; a progress line on stderr when stderr is a terminal. */
    private static final class Sink implements BodySink {
        private final OutputStream out;
        private final PrintWriter err;
        private final boolean terminal = System.console() != null && System.console().isTerminal();
        private long bytes;
        private long startNs;
        private long lastNs;
        private boolean shown;
        private IOException failed;

        Sink(OutputStream out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public void onStatus(int code) {
        }

        @Override
        public void onBody(byte[] b, int off, int len) {
            if (failed != null) {
                return;
            }
            try {
                out.write(b, off, len);
                bytes += len;
            } catch (IOException e) {
                failed = e;
            }
        }

        @Override
        public void onEnd(boolean complete) {
        }

        void progress(long nowNs) {
            if (!terminal) {
                return;
            }
            if (startNs == 0) {
                startNs = nowNs;
                lastNs = nowNs;
            }
            if (nowNs - lastNs >= 250_000_000L && bytes > 0) {
                lastNs = nowNs;
                double s = (nowNs - startNs) / 1e9;
                err.printf(Locale.ROOT, "\r%,d bytes  %.1f KiB/s   ", bytes, bytes / 1024.0 / Math.max(s, 1e-3));
                err.flush();
                shown = true;
            }
        }

        void endProgress() throws IOException {
            if (shown) {
                err.println();
            }
            if (failed != null) {
                throw failed;
            }
        }
    }
}
