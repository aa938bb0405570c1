package org.safeguarding.hub.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.inbox.HubClient;
import org.safeguarding.hub.inbox.InboxReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./hub receive}: recipient side, fetch every pending package, open and verify it, save
 * the JSON, then acknowledge it. A package is acknowledged only once it is saved. The inbox listing is paged: every
 * page is read ({@link InboxReader}).
 */
@Command(name = "receive", mixinStandardHelpOptions = true,
        description = "Fetch pending packages, decrypt and verify each, save its JSON to --out, then acknowledge it.")
final class ReceiveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RecipientKeyOptions recipient;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Where each package's JSON is saved, as PACKAGE_ID.json (readable by you alone).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Identity identity = recipient.identity();
        Path caPem = recipient.caPem();
        HubClient client = new HubClient(recipient.url, identity, caPem);
        if (PrivateFiles.createFolder(out)) {
            spec.commandLine().getErr().printf("hub: warning: %s can be listed by others; the packages saved in it are"
                    + " readable by you alone%n", out);
        }
        int saved = new InboxReader(client, recipient.url, identity, caPem)
                .readAll((id, opened) -> PrivateFiles.write(out.resolve(id + ".json"), opened), new Progress());
        spec.commandLine().getOut().printf("%d packages received%n", saved);
        return 0;
    }

    /** Each package's line as it goes: its number on err, where it was saved and whether the hub took the ack. */
    private final class Progress implements InboxReader.Progress {
        @Override
        public void fetching(int seen, long total) {
            spec.commandLine().getErr().printf("[%d/%d] ", seen, Math.max(total, seen));
        }

        @Override
        public void notKept(String packageId, String why) {
            spec.commandLine().getErr().printf(packageId.isEmpty() ? "hub: %2$s%n" : "hub: package %s: %s%n",
                    packageId, why);
        }

        @Override
        public void kept(String packageId, int ackStatus) {
            spec.commandLine().getOut().printf("%s saved to %s, %s%n", packageId, out.resolve(packageId + ".json"),
                    ackStatus == 204 ? "acknowledged" : "NOT acknowledged (HTTP " + ackStatus + ")");
        }

        @Override
        public void stopping(int kept) {
            spec.commandLine().getOut().printf("%d packages received%n", kept);
        }
    }
}
