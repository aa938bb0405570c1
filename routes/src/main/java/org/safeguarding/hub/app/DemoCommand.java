package org.safeguarding.hub.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.settings.SettingsLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./hub demo}: the reference partnership on embedded defaults, its files in {@code ./demo-data}. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the hub with the reference partnership. First start creates ./demo-data"
                + " (demo PKI, configuration, broker journal, audit database); later starts reuse it.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "demo-data",
            description = "Where the demo keeps everything (default: ${DEFAULT-VALUE}).")
    Path data;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DemoData demo = new DemoData(data.toAbsolutePath().normalize());
        boolean created = demo.createIfMissing();
        out.println(created ? "created " + demo.root() : "reusing " + demo.root());
        HubSettings settings = SettingsLoader.load(demo.configDirectory());
        RunCommand.runUntilStopped(settings, out, () -> demo.printGuide(out));
        return 0;
    }
}
