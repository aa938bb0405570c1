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
 * R02), and those of issue 11, item 9 (SHA-1 signatures, RSA-1024 signers, weak envelopes, BER
 * lengths, RecipientInfos), each made by OpenSSL and sent over a real mutual-TLS connection holding
 * a valid certificate of the partnership:
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

    /**
     * Refused with {@code status}/{@code code}, audited against the channel participant, nothing registered; returns
     * the problem's detail, which never repeats the submission's content.
     */
    static String refused(RunningHub h, String channel, byte[] json, byte[] body, int status, String code) {
        HttpResponse<byte[]> r = h.client(channel).submit(body);

        String detail = problem(r, status, code).path("detail").asText();
        audited(h, channel, body, code);
        assertThat(h.app().registry().find(channel, submissionId(json))).as("nothing kept").isEmpty();
        assertThat(detail).doesNotContain("three evenings").doesNotContain(submissionId(json));
        return detail;
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

    // ---- issue 11, item 9: algorithms, keys and encodings, each refused with the code of its place in the order ----

    @Test
    void aSha1SignatureIsABadSignatureNamingItsAlgorithmAndWhatToUse() {
        byte[] json = c01();
        byte[] sealed = OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"),
                "-aes-256-gcm", List.of("-md", "sha1"), List.of());

        assertThat(refused(hub, "lancs-police", json, sealed, 400, "BAD_SIGNATURE")).startsWith("The signature uses SHA-1"
                + " (ecdsa-with-SHA1); sign with SHA-256, SHA-384 or SHA-512 (openssl cms -sign -md sha256).");
    }

    @Test
    void anRsa1024SignerIssuedByThePartnershipCaIsUntrustedNamingItsKeySize() {
        OpenSsl.Issued small = OpenSsl.issue(pki.caPem(), pki.caKey(), "lancs-police", List.of("rsa:1024"), dir,
                "lancs-police-rsa1024");
        byte[] json = c01();
        byte[] sealed = OpenSsl.signAndEncrypt(json, small.cert(), small.key(), pki.cert("hub"), "-aes-256-gcm");

        assertThat(refused(hub, "lancs-police", json, sealed, 403, "UNTRUSTED_SIGNER")).startsWith("The signer's certificate"
                + " is for an RSA key of 1024 bits, below the minimum of 2048; sign with a certificate from the partnership"
                + " CA for RSA keys of at least 2048 bits or EC keys on P-256, P-384 or P-521.");

        // SHA-1 by the same small key: the signature is judged first
        byte[] json2 = c01();
        byte[] sha1 = OpenSsl.signAndEncrypt(json2, small.cert(), small.key(), pki.cert("hub"), "-aes-256-gcm",
                List.of("-md", "sha1"), List.of());
        assertThat(refused(hub, "lancs-police", json2, sha1, 400, "BAD_SIGNATURE")).contains("sha1WithRSAEncryption");
    }

    @Test
    void aWeakContentEncryptionIsUndecryptableWhateverItHolds() {
        byte[] json = c01();
        byte[] sealed = OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"),
                "-des3", List.of("-md", "sha1"), List.of());

        assertThat(refused(hub, "lancs-police", json, sealed, 400, "UNDECRYPTABLE")).startsWith("The content is encrypted"
                + " with DES-EDE3-CBC, which the hub does not accept; encrypt with AES-256-GCM or AES-256-CBC");
    }

    @Test
    void indefiniteLengthsAreAcceptedAndALengthNotInItsShortestFormIsNot() {
        // OpenSSL's -stream writes BER with indefinite lengths, signing and encrypting: accepted
        byte[] signed = OpenSsl.sign(c01(), pki.cert("lancs-police"), pki.key("lancs-police"), List.of("-stream"));
        byte[] streamed = OpenSsl.encrypt(signed, pki.cert("hub"), "-aes-256-gcm", List.of("-stream"));
        assertThat(streamed[1] & 0xff).isEqualTo(0x80);
        assertThat(hub.client("lancs-police").submit(streamed).statusCode()).isEqualTo(202);

        // the ContentInfo's two-octet length written in three (a leading zero octet): refused
        byte[] json = c01();
        byte[] der = OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"),
                "-aes-256-gcm");
        assertThat(der[1] & 0xff).isEqualTo(0x82);
        byte[] longer = new byte[der.length + 1];
        longer[0] = der[0];
        longer[1] = (byte) 0x83;
        longer[2] = 0;
        System.arraycopy(der, 2, longer, 3, der.length - 2);
        assertThat(refused(hub, "lancs-police", json, longer, 400, "UNDECRYPTABLE")).startsWith("The envelope's encoding is"
                + " refused: the length of the element at byte 0 is not in its shortest form");
    }

    @Test
    void recipientInfosTheHubDoesNotAcceptAreUndecryptable() {
        byte[] json = c01();
        byte[] signed = OpenSsl.sign(json, pki.cert("lancs-police"), pki.key("lancs-police"), List.of());
        byte[] twice = OpenSsl.run(List.of("cms", "-encrypt", "-binary", "-aes-256-gcm", "-recip", pki.cert("hub").toString(),
                "-recip", pki.cert("hub").toString(), "-outform", "DER"), signed);
        assertThat(refused(hub, "lancs-police", json, twice, 400, "UNDECRYPTABLE"))
                .startsWith("Two RecipientInfos name the same certificate of the hub; address each certificate once.");

        byte[] password = OpenSsl.run(List.of("cms", "-encrypt", "-binary", "-aes-256-cbc", "-recip", pki.cert("hub").toString(),
                "-pwri_password", "correct horse", "-outform", "DER"), signed);
        assertThat(refused(hub, "lancs-police", json, password, 400, "UNDECRYPTABLE"))
                .startsWith("The envelope has a PasswordRecipientInfo;");

        // another recipient beside the hub is fine
        byte[] toTwo = OpenSsl.run(List.of("cms", "-encrypt", "-binary", "-aes-256-gcm", "-recip", pki.cert("police-fib").toString(),
                "-recip", pki.cert("hub").toString(), "-outform", "DER"), signed);
        assertThat(hub.client("lancs-police").submit(toTwo).statusCode()).isEqualTo(202);
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
