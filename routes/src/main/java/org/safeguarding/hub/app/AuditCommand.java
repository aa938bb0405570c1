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
import org.safeguarding.hub.inbox.HubClient;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.settings.SettingsLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./hub audit verify}: operators check the whole audit trail offline. {@code ./hub audit subjects}: an IG lead
 * asks the running hub who received what about a child.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Audit trail tools for operators.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Subjects.class})
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
            // a PKCS#12 identity is opened with its password (the certificate is inside it); a PEM one is read as is
            java.security.cert.X509Certificate hub = HubIdentity.isPkcs12(s.identity().certificate())
                    ? HubIdentity.load(s.identity()).certificate() : Pem.readCertificate(s.identity().certificate());
            var verifier = JcaCheckpointSigner.verifyOnly(hub.getPublicKey());
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

    @Command(name = "subjects", mixinStandardHelpOptions = true,
            description = "IG lead: every submission, package, redaction, acknowledgement and alert about a child,"
                    + " asked of the running hub with your certificate. The child's identifiers are typed at the"
                    + " prompt (give the option without a value) so that they stay out of the shell's history and"
                    + " the process list; they are sent in the request body only and never stored. The answer is"
                    + " written to --out, readable by you alone (0600).")
    static final class Subjects implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--url", defaultValue = "https://localhost:8443/",
                description = "The hub (default: ${DEFAULT-VALUE}).")
        java.net.URI url;

        @picocli.CommandLine.Mixin
        ParticipantKeyOptions me;

        @Option(names = "--ca", required = true, paramLabel = "ca.pem",
                description = "The partnership CA, which the hub's certificate must be issued by.")
        Path ca;

        @Option(names = "--nhs-number", interactive = true, arity = "0..1", paramLabel = "NHS",
                description = "The child's NHS number (prompted for when given without a value).")
        String nhsNumber;

        @Option(names = "--upn", interactive = true, arity = "0..1", paramLabel = "UPN",
                description = "The child's Unique Pupil Number (prompted for).")
        String upn;

        @Option(names = "--name", interactive = true, arity = "0..1", paramLabel = "NAME",
                description = "The child's full name, with --date-of-birth (prompted for).")
        String name;

        @Option(names = "--date-of-birth", interactive = true, arity = "0..1", paramLabel = "YYYY-MM-DD",
                description = "The child's date of birth, with --name (prompted for).")
        String dateOfBirth;

        @Option(names = "--case", required = true, paramLabel = "REF",
                description = "The case or subject-access reference (audited).")
        String caseReference;

        @Option(names = "--reason", required = true, paramLabel = "REASON",
                description = "Why you ask (audited): ${COMPLETION-CANDIDATES}.")
        org.safeguarding.hub.api.SubjectTrace.Reason reason;

        @Option(names = "--format", defaultValue = "json", paramLabel = "json|csv",
                description = "The answer's format (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "Where the answer is written (0600; an existing file is replaced).")
        Path out;

        @Override
        public Integer call() throws Exception {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            var body = mapper.createObjectNode();
            var child = body.putObject("child");
            putIfGiven(child, "nhsNumber", nhsNumber);
            putIfGiven(child, "upn", upn);
            putIfGiven(child, "name", name);
            putIfGiven(child, "dateOfBirth", dateOfBirth);
            body.put("caseReference", caseReference);
            body.put("reason", reason.name());
            HubClient client = new HubClient(url, me.load(), ca);
            var response = client.post("api/v1/audit/subjects?format=" + java.net.URLEncoder.encode(format,
                    java.nio.charset.StandardCharsets.UTF_8), "application/json", mapper.writeValueAsBytes(body));
            if (response.statusCode() != 200) {
                spec.commandLine().getErr().println("hub: HTTP " + response.statusCode() + " "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
                return 3;
            }
            PrivateFiles.write(out, response.body());
            spec.commandLine().getOut().printf("subject trace written to %s (readable by you alone)%n", out);
            return 0;
        }

        private static void putIfGiven(com.fasterxml.jackson.databind.node.ObjectNode n, String field, String v) {
            if (v != null && !v.isBlank()) {
                n.put(field, v.trim());
            }
        }
    }
}
