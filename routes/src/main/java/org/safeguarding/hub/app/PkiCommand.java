package org.safeguarding.hub.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.crypto.DemoPki;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.partnership.PartnershipLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./hub pki}: a demo PKI for the reference partnership. Demo and test use only. */
@Command(name = "pki", mixinStandardHelpOptions = true, description = "Demo PKI for the reference partnership.",
        subcommands = {PkiCommand.Init.class, PkiCommand.Issue.class, PkiCommand.Person.class,
                PkiCommand.Revoke.class})
final class PkiCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static KeyAlgorithm algorithm(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "ec" -> KeyAlgorithm.EC_P256;
            case "rsa" -> KeyAlgorithm.RSA_3072;
            default -> throw new HubException(ErrorCode.BAD_REQUEST, "--algorithm must be ec or rsa.");
        };
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create DIR/ca.pem, ca.key, ca.crl and, for every participant P, P.pem, P.key and P.p12"
                    + " (password changeit unless HUB_DEMO_PASSWORD is set).")
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the PKI.")
        Path out;

        @Option(names = "--algorithm", defaultValue = "ec", paramLabel = "ec|rsa",
                description = "EC P-256 (default) or RSA-3072.")
        String algorithm;

        @Override
        public Integer call() throws Exception {
            KeyAlgorithm alg = algorithm(algorithm);
            if (Files.exists(out.resolve("ca.key"))) {
                throw new HubException(ErrorCode.BAD_REQUEST, out + " already holds a CA (ca.key): choose another"
                        + " directory, or remove it to start again.");
            }
            Path reference = Files.createTempFile("partnership", ".yaml");
            try {
                Files.writeString(reference, PartnershipLoader.referencePartnershipYaml(), StandardCharsets.UTF_8);
                var ids = DemoData.participantIds(reference);
                DemoPki.generate(out, ids, alg, DemoData.password(), Clock.systemUTC());
                int people = DemoData.issueDemoPeople(out, ids);
                spec.commandLine().getOut().printf("demo PKI (%s) for %d participants and %d people in %s%n", alg,
                        ids.size(), people, out.toAbsolutePath());
            } finally {
                Files.deleteIfExists(reference);
            }
            return 0;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue another certificate for a participant from the demo CA in DIR (rollover).")
    static final class Issue implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--pki", required = true, paramLabel = "DIR",
                description = "The demo PKI folder, with ca.pem and ca.key (made by ./hub pki init).")
        Path pki;

        @Option(names = "--algorithm", defaultValue = "ec", paramLabel = "ec|rsa",
                description = "The new key's algorithm: EC P-256 (default) or RSA-3072.")
        String algorithm;

        @Parameters(paramLabel = "PARTICIPANT", description = "The participant's id, e.g. lancs-police.")
        String participant;

        @Override
        public Integer call() throws Exception {
            X509Certificate c = DemoPki.issue(pki, participant, algorithm(algorithm), DemoData.password(),
                    Clock.systemUTC());
            spec.commandLine().getOut().printf("issued %s serial %s (%s)%n", Certificates.commonName(c),
                    c.getSerialNumber().toString(16), Certificates.sha256Fingerprint(c));
            String base = participant + "-" + c.getSerialNumber().toString(16);
            for (String ext : new String[] {".pem", ".key", ".p12"}) {
                Path written = pki.resolve(base + ext);
                if (Files.exists(written)) {
                    spec.commandLine().getOut().printf("wrote %s%n", written);
                }
            }
            return 0;
        }
    }

    @Command(name = "person", mixinStandardHelpOptions = true,
            description = "Issue a person a certificate for the console from the demo CA in DIR: TLS client"
                    + " authentication only, naming the person and the participant they act for; written as"
                    + " person-PARTICIPANT-NAME.pem, .key and .p12 (to import into a browser).")
    static final class Person implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--pki", required = true, paramLabel = "DIR",
                description = "The demo PKI folder, with ca.pem and ca.key (made by ./hub pki init).")
        Path pki;

        @Option(names = "--for", required = true, paramLabel = "PARTICIPANT",
                description = "The participant the person acts for, e.g. ig-lead, board or police-fib.")
        String participant;

        @Option(names = "--algorithm", defaultValue = "ec", paramLabel = "ec|rsa",
                description = "EC P-256 (default) or RSA-3072.")
        String algorithm;

        @Parameters(paramLabel = "NAME", description = "The person's name, e.g. \"Jane Smith\".")
        String name;

        @Override
        public Integer call() throws Exception {
            if (name.isBlank() || name.length() > 64 || !name.matches("[\\p{L}\\p{N} .'-]+")) {
                throw new HubException(ErrorCode.BAD_REQUEST, "NAME must be 1-64 letters, digits, spaces, dots,"
                        + " apostrophes or hyphens.");
            }
            if (!participant.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new HubException(ErrorCode.BAD_REQUEST, "--for must be a participant id, e.g. ig-lead.");
            }
            X509Certificate c = DemoPki.issuePerson(pki, participant, name, algorithm(algorithm), DemoData.password(),
                    Clock.systemUTC());
            Path p12 = pki.resolve(DemoPki.personFileBase(participant, name) + ".p12");
            spec.commandLine().getOut().printf("issued %s for %s serial %s; import %s into the browser"
                            + " (password as the demo's) and open the console%n", Certificates.commonName(c),
                    participant, c.getSerialNumber().toString(16), p12);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a certificate: the demo CA in DIR re-signs ca.crl with it added.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--pki", required = true, paramLabel = "DIR",
                description = "The demo PKI folder, with ca.pem, ca.key and ca.crl.")
        Path pki;

        @Parameters(paramLabel = "CERT.pem", description = "The certificate to revoke.")
        Path certificate;

        @Override
        public Integer call() throws Exception {
            X509Certificate c = Pem.readCertificate(certificate);
            DemoPki.revoke(pki, c, Clock.systemUTC());
            spec.commandLine().getOut().printf("revoked %s serial %s; %s updated%n", Certificates.commonName(c),
                    c.getSerialNumber().toString(16), pki.resolve("ca.crl"));
            return 0;
        }
    }
}
