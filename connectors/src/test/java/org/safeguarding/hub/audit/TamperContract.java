package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Someone with write access changes the stored rows with plain SQL; verify must name the first bad event. */
abstract class TamperContract extends AuditContract {

    private AuditEvent at(long seq) {
        List<AuditEvent> page = trail.find(AuditQuery.all().withAfterSequence(seq - 1).withLimit(1));
        assertThat(page).isNotEmpty();
        assertThat(page.get(0).sequence()).isEqualTo(seq);
        return page.get(0);
    }

    private void assertFirstBad(String expectedId, String reasonFragment) {
        AuditVerification v = trail.verify();
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBadEvent()).isEqualTo(expectedId);
        assertThat(v.reason()).contains(reasonFragment);
    }

    @Test
    void untouchedTrailVerifies() {
        appendSome(8);
        trail.checkpoint();
        assertThat(trail.verify().ok()).isTrue();
    }

    @Test
    void aChangedFieldIsNamed() {
        appendSome(8);
        AuditEvent fifth = at(5);
        db.sql("UPDATE audit_event SET actor = 'someone-else' WHERE seq = 5");
        assertFirstBad(fifth.id(), "altered");
    }

    @Test
    void aChangedTimeIsNamed() {
        appendSome(8);
        AuditEvent third = at(3);
        db.sql("UPDATE audit_event SET event_time = event_time + INTERVAL '1' HOUR WHERE seq = 3");
        assertFirstBad(third.id(), "altered");
    }

    @Test
    void aChangedWithheldPathListIsNamedEvenWhenUnreadable() {
        appendSome(4);
        AuditEvent second = at(2);
        db.sql("UPDATE audit_event SET withheld_paths = 'not a list' WHERE seq = 2");
        assertFirstBad(second.id(), "cannot be read");
    }

    @Test
    void aDeletedMiddleEventIsNamedByTheEventAfterTheGap() {
        appendSome(8);
        AuditEvent sixth = at(6);
        db.sql("DELETE FROM audit_event WHERE seq = 5");
        assertFirstBad(sixth.id(), "5 missing");
    }

    @Test
    void aDeletedFirstEventIsDetected() {
        appendSome(3);
        AuditEvent second = at(2);
        db.sql("DELETE FROM audit_event WHERE seq = 1");
        assertFirstBad(second.id(), "1 missing");
    }

    @Test
    void truncationBackPastACheckpointIsDetected() {
        appendSome(5);
        AuditEvent checkpoint = trail.checkpoint();
        appendSome(3);
        db.sql("DELETE FROM audit_event WHERE seq >= 4");
        AuditVerification v = trail.verify();
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBadEvent()).isEqualTo(checkpoint.id());
        assertThat(v.reason()).contains("truncated").contains("ends at sequence 3");
        assertThat(v.events()).isEqualTo(3);
    }

    @Test
    void truncationThatAlsoReplacesTheTailIsDetected() {
        appendSome(5);
        AuditEvent checkpoint = trail.checkpoint();
        db.sql("DELETE FROM audit_event WHERE seq >= 4");
        // the attacker appends a well-formed replacement tail from sequence 4 with correct hashes
        AuditEvent three = at(3);
        List<AuditEvent> forged = new ArrayList<>();
        String prev = three.hash();
        for (long seq = 4; seq <= 7; seq++) {
            AuditEvent e = rehash(new AuditEvent(uuid(), seq, three.time(), AuditEventType.HUB_STARTED, uuid(), "hub",
                    null, null, null, null, null, null, null, List.of(), null, null, null, prev, null));
            forged.add(e);
            prev = e.hash();
        }
        insertRows(forged);
        assertFirstBad(forged.get(2).id(), "latest signed checkpoint");
    }

    @Test
    void aNaivelyInsertedRowIsNamed() {
        appendSome(4);
        AuditEvent four = at(4);
        AuditEvent fake = new AuditEvent(uuid(), 5, four.time(), AuditEventType.PACKAGE_FETCHED, uuid(), "mash-bpl",
                null, null, null, null, null, null, null, List.of(), null, null, null, four.hash(), "f".repeat(64));
        insertRows(List.of(fake));
        assertFirstBad(fake.id(), "altered");
    }

    @Test
    void aRowInsertedInTheMiddleWithCorrectHashBreaksTheNextLink() {
        appendSome(8);
        AuditEvent four = at(4);
        AuditEvent formerFifth = at(5);
        db.sql("UPDATE audit_event SET seq = -seq WHERE seq >= 5",
                "UPDATE audit_event SET seq = 1 - seq WHERE seq < 0");
        AuditEvent inserted = rehash(new AuditEvent(uuid(), 5, four.time(), AuditEventType.PACKAGE_FETCHED, uuid(),
                "mash-bpl", null, null, null, null, null, null, null, List.of(), null, null, null, four.hash(), null));
        insertRows(List.of(inserted));
        // the inserted row is self-consistent, so the first event that fails is the one it displaced
        assertFirstBad(formerFifth.id(), "chain broken at sequence 6");
    }

    @Test
    void swappedSequencesAreNamed() {
        appendSome(6);
        AuditEvent fourth = at(4);
        db.sql("UPDATE audit_event SET seq = -1 WHERE seq = 3",
                "UPDATE audit_event SET seq = 3 WHERE seq = 4",
                "UPDATE audit_event SET seq = 4 WHERE seq = -1");
        // the row now at sequence 3 is the former fourth event
        assertFirstBad(fourth.id(), "chain broken at sequence 3");
    }

    @Test
    void aChainRewrittenWithFreshHashesIsCaughtByTheSignedCheckpoint() {
        appendSome(4);
        AuditEvent checkpoint = trail.checkpoint();
        appendSome(2);
        // change the actor of event 2 and recompute every hash and link after it, like a careful forger
        List<AuditEvent> all = trail.find(AuditQuery.all());
        List<AuditEvent> rewritten = new ArrayList<>();
        String prev = all.get(0).hash();
        for (AuditEvent e : all.subList(1, all.size())) {
            String actor = e.sequence() == 2 ? "someone-else" : e.actor();
            AuditEvent r = rehash(new AuditEvent(e.id(), e.sequence(), e.time(), e.type(), e.key(), actor,
                    e.participant(), e.submissionId(), e.packageId(), e.agreementId(), e.agreementVersion(),
                    e.decision(), e.reasonCode(), e.withheldPaths(), e.receivedDigest(), e.packageDigest(),
                    e.detail(), prev, null));
            rewritten.add(r);
            prev = r.hash();
        }
        db.sql("DELETE FROM audit_event WHERE seq >= 2");
        insertRows(rewritten);
        assertFirstBad(checkpoint.id(), "does not cover the head");
    }

    @Test
    void aCheckpointWithAForgedSignatureIsNamed() {
        appendSome(3);
        AuditEvent checkpoint = trail.checkpoint();
        CheckpointFormat.Parsed p = CheckpointFormat.parse(checkpoint.detail());
        byte[] forgedSig = TestSigners.signer(TestSigners.ed25519())
                .sign(CheckpointFormat.checkpointBytes(p.covers(), p.head(), checkpoint.time()));
        AuditEvent forged = rehash(new AuditEvent(checkpoint.id(), checkpoint.sequence(), checkpoint.time(),
                checkpoint.type(), checkpoint.key(), "hub", null, null, null, null, null, null, null, List.of(), null,
                null, CheckpointFormat.detail(p.covers(), p.head(), forgedSig), checkpoint.previousHash(), null));
        db.sql("DELETE FROM audit_event WHERE seq = " + checkpoint.sequence());
        insertRows(List.of(forged));
        assertFirstBad(checkpoint.id(), "invalid signature");
    }

    @Test
    void aTrailSignedWithAnotherKeyFailsVerification() {
        appendSome(3);
        AuditEvent checkpoint = trail.checkpoint();
        AuditVerification v = AuditVerifier.verify(db.url(), db.user(), db.password(),
                JcaCheckpointSigner.verifyOnly(TestSigners.ed25519().getPublic()));
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBadEvent()).isEqualTo(checkpoint.id());
    }

    @Test
    void aTamperedCheckpointRecordIsDetected() {
        appendSome(3);
        AuditEvent checkpoint = trail.checkpoint();
        db.sql("UPDATE audit_checkpoint SET covered_seq = 2 WHERE seq = " + checkpoint.sequence());
        assertFirstBad(checkpoint.id(), "not correctly signed");
    }

    @Test
    void eventsAfterTheTamperedOneAreNotCounted() {
        appendSome(10);
        clock.advance(Duration.ofHours(1));
        db.sql("UPDATE audit_event SET reason_code = 'NO_AGREEMENT' WHERE seq = 7");
        AuditVerification v = trail.verify();
        assertThat(v.events()).isEqualTo(7);
        assertThat(v.head()).isEqualTo(at(6).hash());
    }

    // ---------------------------------------------------------------- helpers

    private static AuditEvent rehash(AuditEvent e) {
        return new AuditEvent(e.id(), e.sequence(), e.time(), e.type(), e.key(), e.actor(), e.participant(),
                e.submissionId(), e.packageId(), e.agreementId(), e.agreementVersion(), e.decision(), e.reasonCode(),
                e.withheldPaths(), e.receivedDigest(), e.packageDigest(), e.detail(), e.previousHash(),
                AuditHashing.hashOf(e));
    }

    private void insertRows(List<AuditEvent> events) {
        try (Connection c = db.connect(); PreparedStatement p = c.prepareStatement(EventRows.INSERT)) {
            for (AuditEvent e : events) {
                EventRows.bind(p, e);
                p.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
