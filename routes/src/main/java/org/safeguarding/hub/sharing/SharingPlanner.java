package org.safeguarding.hub.sharing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.safeguarding.hub.partnership.Agreement;
import org.safeguarding.hub.partnership.Clause;
import org.safeguarding.hub.partnership.FurtherCondition;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.submission.HandlingCode;
import org.safeguarding.hub.submission.SubjectFacts;
import org.safeguarding.hub.submission.ValidSubmission;

/**
 * Decides, for every recipient of the partnership, whether a submission is shared with it and
 * under which agreement, and builds the redacted package of each SHARED one. Agreements are
 * judged at the time the hub received the submission, whenever planning runs; the result depends
 * only on the submission, that time and the partnership (not on the order of its file).
 */
public final class SharingPlanner {
    private final Partnership partnership;
    private final Redactor redactor;

    public SharingPlanner(Partnership partnership, Pseudonymiser pseudonymiser) {
        this.partnership = Objects.requireNonNull(partnership, "partnership");
        this.redactor = new Redactor(pseudonymiser, new NarrativeScrubber());
    }

    public Partnership partnership() {
        return partnership;
    }

    public SharingPlan plan(ValidSubmission s, Instant receivedAt) {
        Objects.requireNonNull(s, "submission");
        Objects.requireNonNull(receivedAt, "receivedAt");
        List<RecipientDecision> decisions = new ArrayList<>();
        List<RecipientPackage> packages = new ArrayList<>();
        for (Participant recipient : partnership.recipients()) {
            RecipientDecision d = decide(s, recipient, receivedAt);
            if (d.shared()) {
                Redactor.Redaction r = redactor.redact(s, recipient.id(), partnership.profile(recipient.sector()));
                d = new RecipientDecision(d.recipientId(), Decision.SHARED, d.agreementId(), d.agreementVersion(),
                        null, r.withheld());
                packages.add(new RecipientPackage(d, r.submission(), List.copyOf(r.withheld())));
            }
            decisions.add(d);
        }
        return new SharingPlan(s.submissionId(), decisions, packages);
    }

    /** The decision for one recipient (its withheld set is filled in by {@link #plan}). */
    public RecipientDecision decide(ValidSubmission s, Participant recipient, Instant receivedAt) {
        if (recipient.suspended()) {
            return RecipientDecision.notShared(recipient.id(), ReasonCode.RECIPIENT_SUSPENDED, null, null);
        }
        List<Agreement> naming = partnership.agreementsNaming(recipient.id());
        if (naming.isEmpty()) {
            return RecipientDecision.notShared(recipient.id(), ReasonCode.NO_AGREEMENT, null, null);
        }
        List<Agreement> inForce = naming.stream().filter(a -> a.inForceAt(receivedAt)).toList();
        if (inForce.isEmpty()) {
            Agreement first = naming.get(0);
            return RecipientDecision.notShared(recipient.id(), ReasonCode.AGREEMENT_EXPIRED, first.id(), first.version());
        }
        RecipientDecision firstRefusal = null;
        for (Agreement a : inForce) {
            Clause clause = a.clauseFor(recipient.id()).orElseThrow();
            ReasonCode reason = check(s, recipient, clause);
            if (reason == null) {
                return new RecipientDecision(recipient.id(), Decision.SHARED, a.id(), a.version(), null, java.util.Set.of());
            }
            if (firstRefusal == null) {
                firstRefusal = RecipientDecision.notShared(recipient.id(), reason, a.id(), a.version());
            }
        }
        return firstRefusal;
    }

    /** The first reason, in the scenario's order, why the clause does not share; {@code null} when it shares. */
    ReasonCode check(ValidSubmission s, Participant recipient, Clause clause) {
        if (!clause.areas().admits(s.area(), recipient)) {
            return ReasonCode.OUT_OF_AREA;
        }
        if (!clause.coversAny(s.categories())) {
            return ReasonCode.CATEGORY_NOT_COVERED;
        }
        if (!clause.purposes().contains(s.purpose())) {
            return ReasonCode.PURPOSE_NOT_PERMITTED;
        }
        if (s.childrenAtRisk().stream().noneMatch(c -> clause.ageInScope(c.age(), s.area()))) {
            return ReasonCode.OUT_OF_AGE_SCOPE;
        }
        if (clause.condition() != null && !meets(s, clause.condition())) {
            return ReasonCode.CONDITION_NOT_MET;
        }
        if (!clause.classifications().contains(s.classification())) {
            return ReasonCode.CLASSIFICATION;
        }
        if (s.handlingCode() == HandlingCode.C && !partnership.conditionalHandlingSectors().contains(recipient.sector())) {
            return ReasonCode.HANDLING_CONDITIONS;
        }
        return null;
    }

    private static boolean meets(ValidSubmission s, FurtherCondition condition) {
        String wanted = condition.lookedAfterPlacedBy().trim();
        for (SubjectFacts c : s.childrenAtRisk()) {
            if (c.lookedAfter() && c.placingAuthority() != null && c.placingAuthority().trim().equalsIgnoreCase(wanted)) {
                return true;
            }
        }
        return false;
    }
}
