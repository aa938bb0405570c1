package org.safeguarding.hub.app;

import java.io.PrintWriter;
import org.safeguarding.hub.error.HubException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./hub}: the hub and the partner, recipient and operator tools that go with it. */
@Command(name = "hub", mixinStandardHelpOptions = true, version = "hub 0.1.0",
        description = "Secure intelligence-sharing hub for a Contextual Safeguarding partnership.",
        subcommands = {
                RunCommand.class,
                DemoCommand.class,
                PkiCommand.class,
                SealCommand.class,
                OpenCommand.class,
                SubmitCommand.class,
                WithdrawCommand.class,
                CorrectCommand.class,
                ReceiveCommand.class,
                AuditCommand.class,
                ExplainCommand.class,
                CommandLine.HelpCommand.class
        })
public final class HubCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; every failure is one line on {@code err} and a non-zero exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new HubCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, commandArgs) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            e.getCommandLine().getErr().println("hub: " + e.getMessage() + " (see " + command + " --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String reason = e instanceof HubException he ? he.detail()
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            commandLine.getErr().println("hub: " + reason);
            return e instanceof HubException ? 2 : 1;
        });
        return cl.execute(args);
    }
}
