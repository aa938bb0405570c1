package org.safeguarding.hub.audit;

import java.security.KeyPair;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the contract tests: each runs against a fresh database from {@link #newDatabase()}
 * (H2 in memory, or PostgreSQL when HUB_TEST_POSTGRES_URL is set), with a hand-moved clock
 * and a fresh Ed25519 checkpoint key.
 */
abstract class AuditContract {
    protected TestDatabase db;
    protected TestClock clock;
    protected KeyPair keys;
    protected CheckpointSigner signer;
    protected JdbcAuditTrail trail;

    protected abstract TestDatabase newDatabase();

    /** Options of the trail each test starts with; no automatic checkpoints so tests control them. */
    protected AuditTrailOptions options() {
        return AuditTrailOptions.defaults().withCheckpointEveryEvents(0);
    }

    @BeforeEach
    void startTrail() {
        db = newDatabase();
        clock = TestClock.at("2026-03-01T09:00:00Z");
        keys = TestSigners.ed25519();
        signer = TestSigners.signer(keys);
        trail = open();
    }

    @AfterEach
    void stopTrail() {
        if (trail != null) {
            trail.close();
        }
        db.close();
    }

    protected JdbcAuditTrail open() {
        return JdbcAuditTrail.open(db.url(), db.user(), db.password(), clock, signer, options());
    }

    protected static String uuid() {
        return UUID.randomUUID().toString();
    }

    protected AuditRecord received(String submissionId) {
        return AuditRecord.builder(AuditEventType.SUBMISSION_RECEIVED, "lancs-police")
                .key("received:" + submissionId)
                .submissionId(submissionId)
                .receivedDigest("a".repeat(64))
                .build();
    }

    protected AuditRecord decision(String submissionId, String recipient, String decision, String reason) {
        return AuditRecord.builder(AuditEventType.DECISION, "hub")
                .key("decision:" + submissionId + ":" + recipient)
                .participant(recipient)
                .submissionId(submissionId)
                .agreement("CS-CORE", 3)
                .decision(decision)
                .reasonCode(reason)
                .build();
    }

    protected AuditRecord plain(AuditEventType type, String actor) {
        return AuditRecord.builder(type, actor).build();
    }

    /** Appends n plain events, advancing the clock a second between each. */
    protected void appendSome(int n) {
        for (int i = 0; i < n; i++) {
            trail.append(received(uuid()));
            clock.advance(Duration.ofSeconds(1));
        }
    }
}
