package org.safeguarding.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.testing.MutableClock;
import org.safeguarding.hub.testing.RealParts;

/**
 * The scenario's rejection order: size, envelope, signature, trust, identity, role, area,
 * fields, duplicate, time window. Each case breaks two checks at once and expects the earlier
 * one to answer; every rejection is audited as SUBMISSION_REJECTED with its code and the digest
 * of exactly the body that was refused.
 */
class SubmissionIntakeOrderTest {
    static final long MAX_BYTES = 256 * 1024;

    @TempDir
    Path dir;
    MutableClock clock;
    RealParts parts;
    SubmissionIntake intake;

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        parts = new RealParts(dir, clock);
        intake = intake(MAX_BYTES);
    }

    SubmissionIntake intake(long maxBytes) {
        return new SubmissionIntake(parts.submissions, parts.registry, parts.audit, clock,
                maxBytes, parts.contentBudget, Duration.ZERO, new IntakeAdmission(() -> 0, 1_000));
    }

    @AfterEach
    void stop() {
        parts.close();
    }

    static X509Certificate certificate(String participant) {
        try {
            return Pem.readCertificate(TestPki.ec().cert(participant));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] json(String file, Consumer<ObjectNode> change) {
        return parts.submission(file, change);
    }

    /** Takes the body in as {@code channel} would send it; returns the answer. */
    IntakeAnswer take(SubmissionIntake in, String channel, byte[] body) {
        IntakeContext ctx = in.reserve(in.open(new IntakeRequest(channel, certificate(channel), body)));
        if (ctx.isRepeat()) {
            return in.repeat(ctx);
        }
        // what the intake queue's step records, applied as the audit feed applies it (no broker here)
        ctx.done();
        parts.audit.append(java.util.List.of(ctx.receivedRecord(), parts.audit.acceptedRecord(ctx.partnerId(),
                ctx.submissionId(), ctx.receipt().receiptId(), ctx.envelopeDigest())));
        new org.safeguarding.hub.registry.RegistryProjection(parts.registryDataSource(), clock).apply(java.util.List.of(
                new org.safeguarding.hub.registry.RegistryChange.Accepted(ctx.receipt())));
        return new IntakeAnswer(ctx.receipt(), false);
    }

    /** Expects a rejection with {@code code}, audited with the body's digest and that code. */
    void rejected(SubmissionIntake in, String channel, byte[] body, ErrorCode code) {
        rejectedWith(in, channel, body, code);
    }

    HubException rejectedWith(String channel, byte[] body, ErrorCode code) {
        return rejectedWith(intake, channel, body, code);
    }

    HubException rejectedWith(SubmissionIntake in, String channel, byte[] body, ErrorCode code) {
        HubException e = catchThrowableOfType(HubException.class, () -> take(in, channel, body));
        assertThat(e).as("rejected").isNotNull();
        assertThat(e.code()).isEqualTo(code);
        String digest = Digests.sha256Hex(body);
        assertThat(parts.events(AuditEventType.SUBMISSION_REJECTED))
                .filteredOn(ev -> digest.equals(ev.receivedDigest()))
                .singleElement().satisfies(ev -> {
                    assertThat(ev.reasonCode()).isEqualTo(code.name());
                    assertThat(ev.actor()).isEqualTo(channel);
                });
        return e;
    }

    void rejected(String channel, byte[] body, ErrorCode code) {
        rejected(intake, channel, body, code);
    }

    @Test
    void aWellFormedSubmissionIsAcceptedSoEveryCaseBelowFailsOnlyForWhatItBreaks() {
        IntakeAnswer a = take(intake, "lancs-police", parts.seal(json("C01-police-cce-blackpool.json", n -> { }),
                "lancs-police"));

        assertThat(a.httpStatus()).isEqualTo(202);
        assertThat(parts.events(AuditEventType.SUBMISSION_REJECTED)).isEmpty();
        assertThat(parts.events(AuditEventType.SUBMISSION_ACCEPTED)).hasSize(1);
    }

    @Test
    void sizeComesBeforeTheEnvelope() {
        byte[] garbage = new byte[1025];
        byte[] sealed = parts.seal(json("C01-police-cce-blackpool.json", n -> { }), "lancs-police");

        rejected(intake(1024), "lancs-police", garbage, ErrorCode.TOO_LARGE);
        rejected(intake(sealed.length - 1), "lancs-police", sealed, ErrorCode.TOO_LARGE);
    }

    @Test
    void theEnvelopeComesBeforeTheSignature() {
        byte[] plain = json("C01-police-cce-blackpool.json", n -> { });

        rejected("lancs-police", "not CMS".getBytes(StandardCharsets.UTF_8), ErrorCode.UNDECRYPTABLE);
        rejected("lancs-police", new byte[0], ErrorCode.UNDECRYPTABLE);
        // unsigned, and not addressed to the hub either
        rejected("lancs-police", RealParts.encrypt(plain, certificate("police-fib")), ErrorCode.UNDECRYPTABLE);
    }

    @Test
    void theSignatureComesBeforeSignerTrust() {
        byte[] json = json("C01-police-cce-blackpool.json", n -> { });
        byte[] signedByStranger = RealParts.sign(json, TestPki.foreign().identity("lancs-police"));
        byte[] altered = RealParts.alterSignedContent(signedByStranger, "three evenings");

        rejected("lancs-police", RealParts.encrypt(altered, parts.hub.certificate()), ErrorCode.BAD_SIGNATURE);
        rejected("lancs-police", RealParts.encrypt(json, parts.hub.certificate()), ErrorCode.BAD_SIGNATURE);
    }

    @Test
    void aWeakEnvelopeIsAnEnvelopeFailureBeforeItsWeakSignature() {
        // 3DES content encryption (the envelope) around a SHA-1 signature
        byte[] sealed = OpenSsl.signAndEncrypt(json("C01-police-cce-blackpool.json", n -> { }), parts.pki.cert("lancs-police"),
                parts.pki.key("lancs-police"), parts.pki.cert("hub"), "-des3", java.util.List.of("-md", "sha1"),
                java.util.List.of());

        HubException e = rejectedWith("lancs-police", sealed, ErrorCode.UNDECRYPTABLE);
        assertThat(e.detail()).startsWith("The content is encrypted with DES-EDE3-CBC, which the hub does not accept;");
    }

    @Test
    void aSha1SignatureIsABadSignatureBeforeItsSignerIsJudged() {
        // SHA-1, by a stranger's "lancs-police": the signature answers first
        TestPki foreign = TestPki.foreign();
        byte[] sealed = OpenSsl.signAndEncrypt(json("C01-police-cce-blackpool.json", n -> { }), foreign.cert("lancs-police"),
                foreign.key("lancs-police"), parts.pki.cert("hub"), "-aes-256-gcm", java.util.List.of("-md", "sha1"),
                java.util.List.of());

        HubException e = rejectedWith("lancs-police", sealed, ErrorCode.BAD_SIGNATURE);
        assertThat(e.detail()).isEqualTo("The signature uses SHA-1 (ecdsa-with-SHA1); sign with SHA-256, SHA-384 or SHA-512"
                + " (openssl cms -sign -md sha256).");
    }

    @Test
    void aSignerKeyBelowThePolicyIsAnUntrustedSignerBeforeIdentity() {
        // an RSA-1024 "lancs-police" certificate issued by the partnership CA, sent over nhs-lsc's connection
        OpenSsl.Issued small = OpenSsl.issue(parts.pki.caPem(), parts.pki.caKey(), "lancs-police", java.util.List.of("rsa:1024"),
                dir, "small");
        byte[] json = json("C01-police-cce-blackpool.json", n -> { });
        byte[] sealed = OpenSsl.signAndEncrypt(json, small.cert(), small.key(), parts.pki.cert("hub"), "-aes-256-gcm");

        HubException e = rejectedWith("nhs-lsc", sealed, ErrorCode.UNTRUSTED_SIGNER);
        assertThat(e.detail()).startsWith("The signer's certificate is for an RSA key of 1024 bits, below the minimum of 2048;"
                + " sign with a certificate from the partnership CA for RSA keys of at least 2048 bits");
        // and with SHA-1 as well, the signature answers first
        byte[] sha1 = OpenSsl.signAndEncrypt(json, small.cert(), small.key(), parts.pki.cert("hub"), "-aes-256-gcm",
                java.util.List.of("-md", "sha1"), java.util.List.of());
        rejected("nhs-lsc", sha1, ErrorCode.BAD_SIGNATURE);
    }

    @Test
    void signerTrustComesBeforeIdentity() {
        byte[] json = json("C01-police-cce-blackpool.json", n -> { });
        byte[] sealed = parts.seal(json, TestPki.foreign().identity("lancs-police"));

        // a stranger's "lancs-police", sent over a connection that is nhs-lsc's
        rejected("nhs-lsc", sealed, ErrorCode.UNTRUSTED_SIGNER);
    }

    @Test
    void identityComesBeforeRole() {
        // signed by a recipient (not a partner), sent over lancs-police's connection
        byte[] sealed = parts.seal(json("C01-police-cce-blackpool.json", n -> n.put("partnerId", "mash-bpl")),
                "mash-bpl");

        rejected("lancs-police", sealed, ErrorCode.IDENTITY_MISMATCH);
    }

    @Test
    void aPartnerIdNamingAnotherParticipantIsAnIdentityMismatchBeforeTheRoleIsJudged() {
        // signer and connection are mash-bpl (not a partner); partnerId claims lancs-police
        byte[] sealed = parts.seal(json("C01-police-cce-blackpool.json", n -> { }), "mash-bpl");

        rejected("mash-bpl", sealed, ErrorCode.IDENTITY_MISMATCH);
    }

    @Test
    void roleComesBeforeArea() {
        // mash-bpl may submit for no area at all; it is not a partner
        byte[] sealed = parts.seal(json("C01-police-cce-blackpool.json", n -> n.put("partnerId", "mash-bpl")),
                "mash-bpl");

        rejected("mash-bpl", sealed, ErrorCode.NOT_A_PARTNER);
    }

    @Test
    void areaComesBeforeFields() {
        byte[] sealed = parts.seal(json("R09-area-not-permitted.json", n -> n.putArray("categories")),
                "bwd-education");

        rejected("bwd-education", sealed, ErrorCode.AREA_NOT_PERMITTED);
    }

    @Test
    void fieldsComeBeforeTheDuplicateCheck() {
        byte[] first = json("C01-police-cce-blackpool.json", n -> { });
        String id = RealParts.submissionIdOf(first);
        take(intake, "lancs-police", parts.seal(first, "lancs-police"));

        byte[] sameIdBroken = json("C01-police-cce-blackpool.json", n -> {
            n.put("submissionId", id);
            n.putArray("categories");
        });

        rejected("lancs-police", parts.seal(sameIdBroken, "lancs-police"), ErrorCode.INVALID_SUBMISSION);
    }

    @Test
    void theDuplicateCheckComesBeforeTheTimeWindow() {
        byte[] first = json("C01-police-cce-blackpool.json", n -> { });
        String id = RealParts.submissionIdOf(first);
        IntakeAnswer receipt = take(intake, "lancs-police", parts.seal(first, "lancs-police"));
        clock.advance(Duration.ofDays(8));

        byte[] changedAndStale = json("C01-police-cce-blackpool.json", n -> {
            n.put("submissionId", id);
            n.put("submittedAt", receipt.receipt().receivedAt().toString());
            n.put("narrative", "A different account.");
        });
        rejected("lancs-police", parts.seal(changedAndStale, "lancs-police"), ErrorCode.DUPLICATE_CONFLICT);

        // the same content eight days on is still a repeat: the first receipt, not STALE_OR_FUTURE
        IntakeAnswer again = take(intake, "lancs-police", parts.seal(first, "lancs-police"));
        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(again.receipt()).isEqualTo(receipt.receipt());
    }

    @Test
    void theTimeWindowIsCheckedLast() {
        Instant now = clock.instant();
        byte[] stale = json("C01-police-cce-blackpool.json",
                n -> n.put("submittedAt", now.minus(Duration.ofDays(7)).minusSeconds(1).toString()));
        byte[] future = json("C01-police-cce-blackpool.json",
                n -> n.put("submittedAt", now.plus(Duration.ofMinutes(5)).plusSeconds(1).toString()));

        rejected("lancs-police", parts.seal(stale, "lancs-police"), ErrorCode.STALE_OR_FUTURE);
        rejected("lancs-police", parts.seal(future, "lancs-police"), ErrorCode.STALE_OR_FUTURE);
        assertThat(parts.registry.find("lancs-police", RealParts.submissionIdOf(stale))).isEmpty();
        assertThat(parts.registry.find("lancs-police", RealParts.submissionIdOf(future))).isEmpty();
    }

    @Test
    void nothingOfARejectedSubmissionIsKept() {
        byte[] json = json("C01-police-cce-blackpool.json", n -> n.putArray("categories"));

        assertThatThrownBy(() -> take(intake, "lancs-police", parts.seal(json, "lancs-police")))
                .isInstanceOf(HubException.class);
        assertThat(parts.registry.find("lancs-police", RealParts.submissionIdOf(json))).isEmpty();
        assertThat(parts.events(AuditEventType.SUBMISSION_ACCEPTED)).isEmpty();
    }
}
