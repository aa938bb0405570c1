package org.safeguarding.hub.app;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./hub}: the hub and the partner, recipient and operator tools that go with it. */
@Command(name = "hub", mixinStandardHelpOptions = true, version = "hub 0.1.0",
        description = "Secure intelligence-sharing hub for a Contextual Safeguarding partnership.",
        subcommands = {
                RunCommand.class,
                DemoCommand.class,
                PkiCommand.class,
                BrokerCommand.class,
                SealCommand.class,
                OpenCommand.class,
                SubmitCommand.class,
                WithdrawCommand.class,
                CorrectCommand.class,
                ReceiveCommand.class,
                DeskCommand.class,
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

    /**
     * Runs a command line; every failure is one line on {@code err} ({@link CommandErrors}) and a non-zero exit code;
     * with {@code HUB_DEBUG} set in the environment, its stack trace follows.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err, System.getenv("HUB_DEBUG") != null && !System.getenv("HUB_DEBUG").isBlank());
    }

    static int execute(String[] args, PrintWriter out, PrintWriter err, boolean debug) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, commandArgs) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            e.getCommandLine().getErr().println("hub: " + e.getMessage() + " (see " + command + " --help)");
            return CommandErrors.USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            CommandErrors.Failure f = CommandErrors.describe(e);
            commandLine.getErr().println("hub: " + f.message());
            if (debug) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return f.exitCode();
        });
        return cl.execute(args);
    }

    /** The whole command tree; every command's help ends with the exit codes (unless it lists its own). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new HubCommand());
        withExitCodes(cl);
        return cl;
    }

    private static void withExitCodes(CommandLine cl) {
        var usage = cl.getCommandSpec().usageMessage();
        if (usage.exitCodeList().isEmpty()) {
            usage.exitCodeListHeading("%nExit codes:%n").exitCodeList(CommandErrors.EXIT_CODES);
        }
        if (usage.footer().length == 0) {
            usage.footer("%nHUB_DEBUG=1 in the environment prints a failure's stack trace after its one line.");
        }
        cl.getSubcommands().values().forEach(HubCommand::withExitCodes);
    }
}
