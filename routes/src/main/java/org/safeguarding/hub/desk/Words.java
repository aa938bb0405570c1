package org.safeguarding.hub.desk;

import java.util.Map;

/**
 * The codes a package carries, in the words an officer reads (the partnership's scenario and the 3x5x2 evaluation);
 * a code the desk does not know is shown as it is.
 */
final class Words {
    private Words() {
    }

    private static final Map<String, String> HANDLING = Map.of(
            "P", "P: lawful sharing permitted",
            "C", "C: lawful sharing permitted only under the conditions below, which travel with this package");
    private static final Map<String, String> SOURCE_GRADE = Map.of(
            "1", "1: reliable source",
            "2", "2: untested source",
            "3", "3: not reliable source");
    private static final Map<String, String> INTELLIGENCE_GRADE = Map.of(
            "A", "A: known directly to the source",
            "B", "B: known indirectly to the source, corroborated",
            "C", "C: known indirectly to the source",
            "D", "D: not known",
            "E", "E: suspected to be false or malicious");
    private static final Map<String, String> CLASSIFICATION = Map.of(
            "OFFICIAL", "OFFICIAL",
            "OFFICIAL_SENSITIVE", "OFFICIAL-SENSITIVE: need-to-know only");
    private static final Map<String, String> PURPOSE = Map.of(
            "SAFEGUARDING", "safeguarding",
            "PREVENTION", "prevention",
            "DISRUPTION", "disruption",
            "DETECTION_PROSECUTION", "detection and prosecution");
    private static final Map<String, String> CATEGORY = Map.of(
            "CSE", "child sexual exploitation",
            "CCE", "child criminal exploitation",
            "TRAFFICKING", "trafficking",
            "MODERN_SLAVERY", "modern slavery",
            "MISSING", "missing from home");
    private static final Map<String, String> ROLE = Map.of(
            "CHILD_AT_RISK", "child at risk",
            "PERSON_OF_CONCERN", "person of concern",
            "ASSOCIATE", "associate");
    private static final Map<String, String> CONTEXT = Map.of(
            "LOCATION", "location",
            "PEER_GROUP", "peer group",
            "SCHOOL", "school",
            "ONLINE", "online",
            "VEHICLE", "vehicle",
            "BUSINESS", "business");
    private static final Map<String, String> AREA = Map.of(
            "BWD", "Blackburn with Darwen",
            "BPL", "Blackpool",
            "LANCS", "Lancashire");
    private static final Map<String, String> SECTOR = Map.of(
            "POLICE", "police",
            "HEALTH", "health",
            "EDUCATION", "education",
            "LOCAL_AUTHORITY", "local authority",
            "VOLUNTARY", "voluntary sector",
            "UNKNOWN", "no sector given");
    private static final Map<String, String> RECALL_REASON = Map.of(
            "WRONG_SUBJECT", "it was about the wrong person",
            "SENT_IN_ERROR", "it was sent in error",
            "DUPLICATE", "it duplicated another submission",
            "NO_LONGER_SHAREABLE", "it may no longer be shared",
            "NOT_SUBSTANTIATED", "it was not substantiated",
            "NO_LONGER_SHARED", "a correction no longer shares it with you");
    private static final Map<String, String> CORRECTION_REASON = Map.of(
            "WRONG_SUBJECT", "wrong subject",
            "FACTUAL_ERROR", "factual error",
            "REGRADED", "regraded",
            "HANDLING_CHANGED", "handling changed",
            "EPISODE_UPDATED", "missing episode updated",
            "FURTHER_INFORMATION", "further information");
    private static final Map<String, String> LINK_KIND = Map.of(
            "NHS_NUMBER", "the same NHS number",
            "UPN", "the same Unique Pupil Number",
            "NAME_DOB", "the same name and date of birth",
            "VEHICLE", "the same vehicle",
            "LOCATION_POSTCODE", "the same location postcode",
            "ONLINE_HANDLE", "the same online handle");
    /** What each withheld part is, by the last part of its path. */
    private static final Map<String, String> WITHHELD_PART = Map.of(
            "health", "health details",
            "identity", "identity details",
            "lookedAfter", "looked-after (care) details",
            "grading", "the intelligence grading",
            "source", "the source details (source protection)",
            "narrative", "the narrative",
            "missingEpisode", "the missing episode",
            "attachments", "the attachments",
            "contexts", "every context");

    static String handling(String code) {
        return HANDLING.getOrDefault(code, code);
    }

    static String sourceGrade(String code) {
        return SOURCE_GRADE.getOrDefault(code, code);
    }

    static String intelligenceGrade(String code) {
        return INTELLIGENCE_GRADE.getOrDefault(code, code);
    }

    static String classification(String code) {
        return CLASSIFICATION.getOrDefault(code, code);
    }

    static String purpose(String code) {
        return PURPOSE.getOrDefault(code, code);
    }

    static String category(String code) {
        return CATEGORY.getOrDefault(code, code);
    }

    static String role(String code) {
        return ROLE.getOrDefault(code, code);
    }

    static String context(String code) {
        return CONTEXT.getOrDefault(code, code);
    }

    static String area(String code) {
        return AREA.getOrDefault(code, code);
    }

    static String sector(String code) {
        return SECTOR.getOrDefault(code, code);
    }

    static String recallReason(String code) {
        return RECALL_REASON.getOrDefault(code, code);
    }

    static String correctionReason(String code) {
        return CORRECTION_REASON.getOrDefault(code, code);
    }

    static String linkKind(String code) {
        return LINK_KIND.getOrDefault(code, code);
    }

    /**
     * A withheld path in words: {@code subjects[0].health} is "health details of subject 1", {@code subjects[1]} "subject 2
     * (left out of your copy)", {@code contexts[2]} "context 3".
     */
    static String withheld(String path) {
        java.util.regex.Matcher subject = SUBJECT_PATH.matcher(path);
        if (subject.matches()) {
            int n = Integer.parseInt(subject.group(1)) + 1;
            return subject.group(2) == null ? "subject " + n + ", left out of your copy altogether"
                    : WITHHELD_PART.getOrDefault(subject.group(2), subject.group(2)) + " of subject " + n;
        }
        java.util.regex.Matcher context = CONTEXT_PATH.matcher(path);
        if (context.matches()) {
            return "context " + (Integer.parseInt(context.group(1)) + 1);
        }
        return WITHHELD_PART.getOrDefault(path, path);
    }

    private static final java.util.regex.Pattern SUBJECT_PATH =
            java.util.regex.Pattern.compile("subjects\\[(\\d{1,3})\\](?:\\.(identity|lookedAfter|health))?");
    private static final java.util.regex.Pattern CONTEXT_PATH = java.util.regex.Pattern.compile("contexts\\[(\\d{1,3})\\]");
}
