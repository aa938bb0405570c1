package org.safeguarding.hub.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;
import org.safeguarding.hub.crypto.DemoPki;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.PartnershipLoader;

/**
 * The demo's directory: {@code pki/} (the demo CA and every participant's key and
 * certificate), {@code config/} (hub.yaml and the reference partnership), {@code secrets/}
 * (the pseudonym secret) and {@code data/} (broker journal, audit and registry databases).
 */
final class DemoData {
    static final String PASSWORD_ENV = "HUB_DEMO_PASSWORD";
    private final Path root;

    DemoData(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * The demo CA publishes a fresh CRL (the same revocations) when its current one is within 30 days of its
     * nextUpdate or past it, as a real CA would: the hub trusts nobody once the CRL is out of date.
     */
    boolean publishCrlIfDue(Clock clock) throws IOException {
        Path crl = pki().resolve("ca.crl");
        if (!Files.exists(crl) || !Files.exists(pki().resolve("ca.key"))) {
            return false;
        }
        java.util.Date next = org.safeguarding.hub.crypto.Pem.readCrl(crl).getNextUpdate();
        if (next != null && next.toInstant().isAfter(clock.instant().plus(java.time.Duration.ofDays(30)))) {
            return false;
        }
        DemoPki.revoke(pki(), null, clock);
        return true;
    }

    Path pki() {
        return root.resolve("pki");
    }

    Path configDirectory() {
        return root.resolve("config");
    }

    /** The demo's people, each a certificate for the console: the participant they act for, and their name. */
    static final java.util.List<java.util.Map.Entry<String, String>> DEMO_PEOPLE = java.util.List.of(
            java.util.Map.entry("ig-lead", "Demo IG Officer"), java.util.Map.entry("board", "Demo Board Member"),
            java.util.Map.entry("police-fib", "Demo Duty Officer"));

    /** Issues the demo's people ({@link #DEMO_PEOPLE}) whose participant is in {@code ids}; how many. */
    static int issueDemoPeople(Path pki, java.util.Collection<String> ids) throws IOException {
        int n = 0;
        for (java.util.Map.Entry<String, String> p : DEMO_PEOPLE) {
            if (ids.contains(p.getKey())) {
                DemoPki.issuePerson(pki, p.getKey(), p.getValue(), KeyAlgorithm.EC_P256, password(), Clock.systemUTC());
                n++;
            }
        }
        return n;
    }

    /** Creates whatever part of the layout is missing; true if anything was created. */
    boolean createIfMissing() throws IOException {
        boolean created = false;
        Path config = configDirectory();
        Files.createDirectories(config);
        Path partnership = config.resolve("partnership.yaml");
        if (!Files.exists(partnership)) {
            Files.writeString(partnership, PartnershipLoader.referencePartnershipYaml(), StandardCharsets.UTF_8);
            created = true;
        }
        if (!Files.exists(pki().resolve("ca.pem"))) {
            DemoPki.generate(pki(), participantIds(partnership), KeyAlgorithm.EC_P256, password(), Clock.systemUTC());
            issueDemoPeople(pki(), participantIds(partnership));
            created = true;
        } else {
            publishCrlIfDue(Clock.systemUTC());
        }
        Path hubYaml = config.resolve("hub.yaml");
        if (!Files.exists(hubYaml)) {
            Files.writeString(hubYaml, """
                    # The demo hub: the reference partnership on embedded defaults.
                    # Every key is optional; see the README for all of them.
                    dataDirectory: ../data
                    partnershipFile: partnership.yaml
                    pseudonymKeyFile: ../secrets/pseudonym.key
                    identity:
                      certificate: ../pki/hub.pem
                      privateKey: ../pki/hub.key
                      caCertificates: ../pki/ca.pem
                      crl: ../pki/ca.crl
                      participantCertificates: ../pki
                    """ + (Files.exists(pki().resolve("hub-rsa.pem")) ? """
                      # the hub's RSA encryption certificate, for partners whose CMS library encrypts only to RSA
                      rsaCertificate: ../pki/hub-rsa.pem
                      rsaPrivateKey: ../pki/hub-rsa.key
                    """ : ""), StandardCharsets.UTF_8);
            created = true;
        }
        return created;
    }

    static Set<String> participantIds(Path partnershipFile) {
        Set<String> ids = new LinkedHashSet<>();
        PartnershipLoader.load(partnershipFile).participants().stream().map(Participant::id).forEach(ids::add);
        ids.add("hub");
        ids.add("ig-lead");
        ids.add("board");
        return ids;
    }

    static char[] password() {
        String p = System.getenv(PASSWORD_ENV);
        return (p == null || p.isEmpty() ? "changeit" : p).toCharArray();
    }

    void printGuide(PrintWriter out) {
        Path p = pki();
        out.printf("demo PKI in %s%n", p);
        out.printf("  partnership CA   %s%n", p.resolve("ca.pem"));
        out.printf("  hub certificate  %s%n", p.resolve("hub.pem"));
        if (Files.exists(p.resolve("hub-rsa.pem"))) {
            out.printf("  hub RSA (encrypt only) %s%n", p.resolve("hub-rsa.pem"));
        }
        out.printf("  a partner        %s  %s%n", p.resolve("lancs-police.pem"), p.resolve("lancs-police.key"));
        out.printf("  a recipient      %s  %s%n", p.resolve("mash-bpl.pem"), p.resolve("mash-bpl.key"));
        out.printf("  the IG lead      %s  %s%n", p.resolve("ig-lead.pem"), p.resolve("ig-lead.key"));
        out.printf("  PKCS#12 files    %s/<participant>.p12 (password from $%s, default changeit)%n", p, PASSWORD_ENV);
        out.println("The README shows how to seal, submit, receive and open with openssl and curl.");
    }
}
