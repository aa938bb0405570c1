package org.safeguarding.hub.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.safeguarding.hub.audit.AuditStoreException;
import org.safeguarding.hub.audit.AuditVerification;
import org.safeguarding.hub.audit.AuditVerifier;
import org.safeguarding.hub.audit.JcaCheckpointSigner;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.settings.SettingsLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./hub audit verify}: operators check the whole audit trail offline. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Audit trail tools for operators.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the whole audit trail (hash chain and signed checkpoints) with the hub stopped;"
                    + " names the first event that fails.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", defaultValue = "demo-data/config", paramLabel = "DIR",
                description = "The hub's configuration directory (default: ${DEFAULT-VALUE}).")
        Path config;

        @Override
        public Integer call() throws Exception {
            HubSettings s = SettingsLoader.load(config);
            var verifier = JcaCheckpointSigner.verifyOnly(Pem.readCertificate(s.identity().certificate()).getPublicKey());
            // read only: opens nothing for writing, creates or migrates nothing, signs no closing checkpoint
            AuditVerification v;
            try {
                v = AuditVerifier.verify(s.audit().jdbcUrl(), s.audit().user(),
                        Secrets.read(s.audit().passwordEnv(), s.audit().passwordFile(), ""), verifier);
            } catch (AuditStoreException e) {
                throw new HubException(ErrorCode.UNAVAILABLE, "cannot read the audit store (" + e.getMessage()
                        + "); an embedded H2 store can be read only while the hub is stopped: stop it, or use"
                        + " GET /api/v1/audit/verify", e);
            }
            if (v.ok()) {
                spec.commandLine().getOut().printf("audit trail OK: %d events, head %s%n", v.events(), v.head());
                return 0;
            }
            spec.commandLine().getErr().printf("hub: audit trail FAILED at event %s: %s (%d events read)%n",
                    v.firstBadEvent(), v.reason(), v.events());
            return 4;
        }
    }
}
