package org.safeguarding.hub.auditing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.audit.JcaCheckpointSigner;
import org.safeguarding.hub.audit.JdbcAuditTrail;

/** A real audit trail (H2 in memory, EC-signed checkpoints) on a clock the test moves, with its recorder. */
public final class TrailFixture implements AutoCloseable {
    public final MovableClock clock;
    public final JdbcAuditTrail trail;
    public final AuditRecorder recorder;

    private TrailFixture(MovableClock clock, JdbcAuditTrail trail) {
        this.clock = clock;
        this.trail = trail;
        this.recorder = new AuditRecorder(trail);
    }

    public static TrailFixture at(String instant) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            MovableClock clock = new MovableClock(Instant.parse(instant));
            JdbcAuditTrail trail = JdbcAuditTrail.open("jdbc:h2:mem:routes-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "sa", "", clock, JcaCheckpointSigner.of(kp.getPrivate(), kp.getPublic()));
            return new TrailFixture(clock, trail);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every stored event, oldest first. */
    public List<AuditEvent> all() {
        List<AuditEvent> out = new ArrayList<>();
        trail.export(AuditQuery.all(), out::add);
        return out;
    }

    @Override
    public void close() {
        trail.close();
    }

    /** A clock the test moves by hand. */
    public static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        public void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        public void set(String instant) {
            now.set(Instant.parse(instant));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
