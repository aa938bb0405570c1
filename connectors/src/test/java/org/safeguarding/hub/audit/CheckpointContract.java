package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

abstract class CheckpointContract extends AuditContract {

    @Test
    void aCheckpointSignsTheHeadAndIsItselfChained() {
        appendSome(3);
        AuditEvent head = trail.find(AuditQuery.all()).get(2);
        AuditEvent cp = trail.checkpoint();

        assertThat(cp.type()).isEqualTo(AuditEventType.CHECKPOINT);
        assertThat(cp.sequence()).isEqualTo(4);
        assertThat(cp.previousHash()).isEqualTo(head.hash());
        CheckpointFormat.Parsed p = CheckpointFormat.parse(cp.detail());
        assertThat(p.covers()).isEqualTo(3);
        assertThat(p.head()).isEqualTo(head.hash());
        assertThat(signer.verify(CheckpointFormat.checkpointBytes(3, head.hash(), cp.time()), p.signature())).isTrue();
        assertThat(new String(CheckpointFormat.checkpointBytes(3, head.hash(), cp.time()), StandardCharsets.US_ASCII))
                .startsWith("hub-audit-checkpoint|v1|covers=3|head=" + head.hash());
        assertThat(trail.verify().ok()).isTrue();
    }

    @Test
    void checkpointingAnAlreadySignedHeadReturnsTheExistingCheckpoint() {
        appendSome(2);
        AuditEvent first = trail.checkpoint();
        assertThat(trail.checkpoint()).isEqualTo(first);
        assertThat(trail.find(AuditQuery.all())).hasSize(3);
    }

    @Test
    void closeSignsAFinalCheckpoint() {
        appendSome(2);
        trail.close();
        trail = open();
        List<AuditEvent> all = trail.find(AuditQuery.all());
        assertThat(all).extracting(AuditEvent::type).containsExactly(AuditEventType.SUBMISSION_RECEIVED,
                AuditEventType.SUBMISSION_RECEIVED, AuditEventType.CHECKPOINT);
        // a second close/open with nothing new adds nothing
        trail.close();
        trail = open();
        assertThat(trail.find(AuditQuery.all())).hasSize(3);
    }

    @Test
    void anEmptyTrailCanBeCheckpointed() {
        AuditEvent cp = trail.checkpoint();
        assertThat(cp.sequence()).isEqualTo(1);
        assertThat(CheckpointFormat.parse(cp.detail()).covers()).isZero();
        assertThat(trail.verify().ok()).isTrue();
    }

    @Test
    void ecdsaKeysWorkToo() {
        trail.close();
        db.close();
        db = newDatabase();
        signer = TestSigners.signer(TestSigners.ecP256());
        trail = open();
        appendSome(2);
        trail.checkpoint();
        assertThat(trail.verify().ok()).isTrue();
    }

    @Test
    void checkpointsSignedWithARetiredKeyFailUnlessTheVerifierStillTrustsIt() {
        appendSome(2);
        trail.close(); // signed with the first key
        CheckpointSigner oldKey = signer;
        CheckpointSigner newKey = TestSigners.signer(TestSigners.ed25519());
        signer = newKey;
        trail = open();
        appendSome(1);
        trail.checkpoint();
        assertThat(trail.verify().ok()).isFalse();

        // a verifier that accepts either key (what the hub's own signer should do across a key renewal)
        CheckpointSigner both = new CheckpointSigner() {
            public byte[] sign(byte[] data) {
                return newKey.sign(data);
            }

            public boolean verify(byte[] data, byte[] signature) {
                return newKey.verify(data, signature) || oldKey.verify(data, signature);
            }
        };
        assertThat(AuditVerifier.verify(db.url(), db.user(), db.password(), both).ok()).isTrue();
    }
}
