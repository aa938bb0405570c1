package org.safeguarding.hub.submission;

/**
 * What decisions need to know of one subject.
 *
 * @param index            the subject's index in {@code subjects}
 * @param age              whole years on the UTC date of {@code submittedAt}, from {@code dateOfBirth},
 *                         else {@code ageYears}; {@code null} when unknown
 * @param placingAuthority {@code lookedAfter.placingAuthority}, or {@code null}
 */
public record SubjectFacts(int index, String ref, SubjectRole role, Integer age, boolean lookedAfter,
                           String placingAuthority) {

    /** Its place and role only: a subject's reference and placing authority are content. */
    @Override
    public String toString() {
        return "SubjectFacts[index=" + index + ", role=" + role + "]";
    }

    public boolean isChildAtRisk() {
        return role == SubjectRole.CHILD_AT_RISK;
    }
}
