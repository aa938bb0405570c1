package org.safeguarding.hub.submission;

/** The role of a subject in a submission. */
public enum SubjectRole {
    CHILD_AT_RISK, PERSON_OF_CONCERN, ASSOCIATE
}
