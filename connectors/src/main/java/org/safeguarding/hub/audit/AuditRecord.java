package org.safeguarding.hub.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a caller asks the trail to record. Validated on construction so that no event can carry
 * intelligence content (see {@link ContentRules}): identifiers and codes only, digests, paths
 * into the submission and a short machine-safe {@code detail}.
 *
 * <p>{@code key} is an idempotency key: appending a record whose key is already stored returns the
 * stored event and writes nothing. A null key means "not idempotent"; the trail then uses a random one.
 * {@code withheldPaths} is a set: it is stored sorted and without repeats.
 */
public record AuditRecord(String key, AuditEventType type, String actor, String participant, String submissionId,
                          String packageId, String agreementId, Integer agreementVersion, String decision,
                          String reasonCode, List<String> withheldPaths, String receivedDigest,
                          String packageDigest, String detail) {

    public AuditRecord {
        Objects.requireNonNull(type, "type");
        key = key == null ? null : ContentRules.key(key);
        actor = ContentRules.id("actor", actor, true);
        participant = ContentRules.id("participant", participant, false);
        submissionId = ContentRules.uuid("submissionId", submissionId);
        packageId = ContentRules.id("packageId", packageId, false);
        agreementId = ContentRules.id("agreementId", agreementId, false);
        if (agreementVersion != null && agreementVersion < 0) {
            throw new AuditContentException("agreementVersion", "must not be negative");
        }
        decision = ContentRules.code("decision", decision);
        reasonCode = ContentRules.code("reasonCode", reasonCode);
        withheldPaths = normalisePaths(withheldPaths);
        receivedDigest = ContentRules.digest("receivedDigest", receivedDigest);
        packageDigest = ContentRules.digest("packageDigest", packageDigest);
        detail = ContentRules.detail(type, detail);
    }

    private static List<String> normalisePaths(List<String> paths) {
        if (paths == null || paths.isEmpty()) {
            return List.of();
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String p : paths) {
            sorted.add(ContentRules.path(p));
        }
        if (sorted.size() > ContentRules.MAX_PATHS) {
            throw new AuditContentException("withheldPaths", "at most " + ContentRules.MAX_PATHS + " paths");
        }
        return List.copyOf(sorted);
    }

    public static Builder builder(AuditEventType type, String actor) {
        return new Builder(type, actor);
    }

    /** Fluent builder; {@link #build()} validates. */
    public static final class Builder {
        private final AuditEventType type;
        private final String actor;
        private String key;
        private String participant;
        private String submissionId;
        private String packageId;
        private String agreementId;
        private Integer agreementVersion;
        private String decision;
        private String reasonCode;
        private final List<String> withheldPaths = new ArrayList<>();
        private String receivedDigest;
        private String packageDigest;
        private String detail;

        private Builder(AuditEventType type, String actor) {
            this.type = type;
            this.actor = actor;
        }

        public Builder key(String key) {
            this.key = key;
            return this;
        }

        public Builder participant(String participant) {
            this.participant = participant;
            return this;
        }

        public Builder submissionId(String submissionId) {
            this.submissionId = submissionId;
            return this;
        }

        public Builder packageId(String packageId) {
            this.packageId = packageId;
            return this;
        }

        public Builder agreement(String agreementId, Integer agreementVersion) {
            this.agreementId = agreementId;
            this.agreementVersion = agreementVersion;
            return this;
        }

        public Builder agreementId(String agreementId) {
            this.agreementId = agreementId;
            return this;
        }

        public Builder agreementVersion(Integer agreementVersion) {
            this.agreementVersion = agreementVersion;
            return this;
        }

        public Builder decision(String decision) {
            this.decision = decision;
            return this;
        }

        public Builder reasonCode(String reasonCode) {
            this.reasonCode = reasonCode;
            return this;
        }

        public Builder withheldPaths(List<String> paths) {
            this.withheldPaths.clear();
            if (paths != null) {
                this.withheldPaths.addAll(paths);
            }
            return this;
        }

        public Builder withheldPath(String path) {
            this.withheldPaths.add(path);
            return this;
        }

        public Builder receivedDigest(String receivedDigest) {
            this.receivedDigest = receivedDigest;
            return this;
        }

        public Builder packageDigest(String packageDigest) {
            this.packageDigest = packageDigest;
            return this;
        }

        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        public AuditRecord build() {
            return new AuditRecord(key, type, actor, participant, submissionId, packageId, agreementId,
                    agreementVersion, decision, reasonCode, withheldPaths, receivedDigest, packageDigest, detail);
        }
    }
}
