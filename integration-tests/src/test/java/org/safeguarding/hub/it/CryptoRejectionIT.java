package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.it.Rejections.audited;
import static org.safeguarding.hub.it.Rejections.problem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.DemoPki;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The scenario's crypto and identity rejections at the hub's edge (R05, R06, R11, R12, R01,
 * R02), each over a real mutual-TLS connection holding a valid certificate of the partnership:
 * the status and code of the rejection table, the SUBMISSION_REJECTED audit event for exactly
 * that body, and nothing kept of the submission. The class has a PKI of its own (one hub per
 * JVM at a time: the embedded broker's in-VM acceptor is shared), because one test revokes.
 */
class CryptoRejectionIT {
    @TempDir
    static Path dir;
    static RunningHub hub;
    static TestPki pki;

    @BeforeAll
    static void start() {
        pki = TestPki.createIn(dir.resolve("pki"), TestPki.PARTICIPANTS, KeyAlgorithm.EC_P256, Clock.systemUTC());
        hub = RunningHub.start(pki);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static byte[] c01() {
        return Submissions.current("C01-police-cce-blackpool.json");
    }

    static String submissionId(byte[] json) {
        try {
            return HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Refused with {@code status}/{@code code}, audited against the channel participant, nothing registered. */
    static void refused(RunningHub h, String channel, byte[] json, byte[] body, int status, String code) {
        HttpResponse<byte[]> r = h.client(channel).submit(body);

        problem(r, status, code);
        audited(h, channel, body, code);
        assertThat(h.app().registry().find(channel, submissionId(json))).as("nothing kept").isEmpty();
    }

    @Test
    void r05AnEnvelopeForAnotherCertificateIsUndecryptable() {
        byte[] json = c01();
        byte[] sealed = OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"), pki.key("lancs-police"),
                pki.cert("police-fib"), "-aes-256-gcm");

        refused(hub, "lancs-police", json, sealed, 400, "UNDECRYPTABLE");
    }

    @Test
    void r06ASignerFromAnotherCaIsUntrustedEvenOverOurOwnConnection() {
        TestPki foreign = TestPki.foreign();
        byte[] json = c01();
        byte[] sealed = OpenSsl.signAndEncrypt(json, foreign.cert("lancs-police"), foreign.key("lancs-police"),
                pki.cert("hub"), "-aes-256-gcm");

        refused(hub, "lancs-police", json, sealed, 403, "UNTRUSTED_SIGNER");
    }

    @Test
    void r06ARevokedSignerIsUntrustedWhileItsOtherCertificateStillWorks() throws Exception {
        Path pkiDir = pki.dir();
        X509Certificate second = DemoPki.issue(pkiDir, "lancs-police", KeyAlgorithm.EC_P256,
                TestPki.PASSWORD.toCharArray(), Clock.systemUTC());
        String base = "lancs-police-" + second.getSerialNumber().toString(16);
        Path secondCert = pkiDir.resolve(base + ".pem");
        Path secondKey = pkiDir.resolve(base + ".key");
        HttpResponse<byte[]> ok = hub.client("lancs-police").submit(OpenSsl.signAndEncrypt(c01(), secondCert,
                secondKey, pki.cert("hub"), "-aes-256-gcm"));
        assertThat(ok.statusCode()).as("the second certificate signs while it is valid").isEqualTo(202);

        DemoPki.revoke(pkiDir, second, Clock.systemUTC());

        byte[] json = c01();
        byte[] sealed = OpenSsl.signAndEncrypt(json, secondCert, secondKey, pki.cert("hub"), "-aes-256-gcm");
        // TLS holds lancs-police's first, unrevoked certificate; only the signer is revoked
        refused(hub, "lancs-police", json, sealed, 403, "UNTRUSTED_SIGNER");
        HttpResponse<byte[]> first = hub.client("lancs-police").submit(OpenSsl.signAndEncrypt(c01(),
                pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm"));
        assertThat(first.statusCode()).as("the unrevoked certificate still signs").isEqualTo(202);
    }

    @Test
    void r11UnsignedInnerContentIsABadSignature() {
        byte[] json = c01();
        byte[] sealed = OpenSsl.encrypt(json, pki.cert("hub"), "-aes-256-gcm", List.of());

        refused(hub, "lancs-police", json, sealed, 400, "BAD_SIGNATURE");
    }

    @Test
    void r12ContentAlteredAfterSigningIsABadSignature() {
        byte[] json = c01();
        byte[] signed = OpenSsl.sign(json, pki.cert("lancs-police"), pki.key("lancs-police"), List.of());
        byte[] altered = Rejections.alterSignedContent(signed, "three evenings");
        byte[] sealed = OpenSsl.encrypt(altered, pki.cert("hub"), "-aes-256-gcm", List.of());

        refused(hub, "lancs-police", json, sealed, 400, "BAD_SIGNATURE");
    }

    @Test
    void r01SignedByOnePartnerAndSentByAnotherIsAnIdentityMismatch() {
        byte[] json = Submissions.current("C03-education-missing-blackpool.json");
        byte[] sealed = OpenSsl.signAndEncrypt(json, pki.cert("bpl-education"), pki.key("bpl-education"),
                pki.cert("hub"), "-aes-256-gcm");

        refused(hub, "lancs-police", json, sealed, 403, "IDENTITY_MISMATCH");
        assertThat(hub.app().registry().find("bpl-education", submissionId(json))).isEmpty();
    }

    @Test
    void r02APartnerIdNamingAnotherPartnerIsAnIdentityMismatch() {
        byte[] json = Submissions.current("C01-police-cce-blackpool.json", n -> n.put("partnerId", "nhs-lsc"));
        byte[] sealed = OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"), pki.key("lancs-police"),
                pki.cert("hub"), "-aes-256-gcm");

        HttpResponse<byte[]> r = hub.client("lancs-police").submit(sealed);

        problem(r, 403, "IDENTITY_MISMATCH");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).as("the failing value is not repeated")
                .doesNotContain("nhs-lsc");
        audited(hub, "lancs-police", sealed, "IDENTITY_MISMATCH");
        assertThat(hub.app().registry().find("nhs-lsc", submissionId(json))).isEmpty();
        assertThat(hub.app().registry().find("lancs-police", submissionId(json))).isEmpty();
    }
}
