package io.ethling.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code ethling} command line (DESIGN.md, "The command line"). One runnable jar,
 * {@code tools/target/ethling.jar}, with subcommands; this issue brings {@code demo} and
 * {@code bench spi}, later issues add fetch, ping, serve, emulate, doctor and deploy.
 */
@Command(name = "ethling",
        mixinStandardHelpOptions = true,
        versionProvider = Ethling.Version.class,
        description = {
            "Ethling: an allocation-free TCP/IP stack for the ENC28J60 on a Raspberry Pi,",
            "running here against a register-level emulator of the chip."},
        subcommands = {FetchCommand.class, PingCommand.class, ServeCommand.class, EmulateCommand.class, DemoCommand.class, BenchCommand.class, DoctorCommand.class, DeployCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the command ran and failed (the line on stderr says which step)",
            "2:bad command line (the line on stderr says what is wrong)",
            "3:no address: DHCP got no lease",
            "4:DNS: the name did not resolve",
            "5:ARP: the next hop did not answer",
            "6:TCP: connection refused",
            "7:TCP: timed out or reset",
            "8:HTTP: the status was not 2xx",
            "9:ping: no reply"})
public final class Ethling implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with Ethling's error conventions: one clear line, then exit 2. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Ethling());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine bad = ex.getCommandLine();
            bad.getErr().println("ethling: " + ex.getMessage()
                    + " (see: " + bad.getCommandSpec().qualifiedName() + " --help)");
            bad.getErr().flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, bad, parsed) -> {
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            bad.getErr().println("ethling: " + msg);
            bad.getErr().flush();
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Version from the jar manifest when packaged, else "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Ethling.class.getPackage().getImplementationVersion();
            return new String[] {"ethling " + (v == null ? "0.1.0-SNAPSHOT" : v)
                    + " (Java " + Runtime.version() + ")"};
        }
    }
}
