package org.safeguarding.hub.partnership;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

import static org.safeguarding.hub.partnership.TreeShape.BOOL;
import static org.safeguarding.hub.partnership.TreeShape.TEXT;
import static org.safeguarding.hub.partnership.TreeShape.TEXT_LIST;
import static org.safeguarding.hub.partnership.TreeShape.WHOLE_NUMBER;
import static org.safeguarding.hub.partnership.TreeShape.listOf;
import static org.safeguarding.hub.partnership.TreeShape.mapOf;
import static org.safeguarding.hub.partnership.TreeShape.obj;

/**
 * The partnership file as written, before cross-references are checked: the typed form that
 * Hibernate Validator checks. Values that name enum constants stay text here so that a wrong
 * one is reported with its path instead of stopping the binding.
 */
record PartnershipFile(
        @NotBlank String name,
        @NotNull List<@NotNull @OneOf(Sector.class) String> conditionalHandlingSectors,
        @NotEmpty List<@NotNull @Valid ParticipantEntry> participants,
        @NotEmpty List<@NotNull @Valid AgreementEntry> agreements,
        @NotEmpty Map<String, @NotNull @Valid ProfileEntry> redactionProfiles,
        List<@NotNull @Valid AlertRuleEntry> alertRules,
        @Valid UrgencyEntry urgency) {

    static final String ID = "[a-z0-9][a-z0-9-]{0,62}";
    static final String ID_MESSAGE = "must be 1 to 63 lower-case letters, digits or hyphens, starting with a letter or digit";
    static final String AGREEMENT_ID = "[A-Z0-9][A-Z0-9-]{0,62}";
    static final String AGREEMENT_ID_MESSAGE = "must be 1 to 63 capital letters, digits or hyphens, starting with a letter or digit";

    record ParticipantEntry(
            @NotNull @Pattern(regexp = ID, message = ID_MESSAGE) String id,
            @NotBlank String organisation,
            @OneOf(Sector.class) String sector,
            @NotEmpty List<@NotNull @OneOf(Role.class) String> roles,
            List<@NotNull @OneOf(Area.class) String> submitAreas,
            List<@NotNull @OneOf(Area.class) String> serves,
            Boolean suspended,
            @jakarta.validation.constraints.Pattern(regexp = PACKAGE_FORMAT, message = PACKAGE_FORMAT_MESSAGE)
            String packageFormat,
            Boolean allowRsaPkcs1v15) {
    }

    static final String PACKAGE_FORMAT = "auth-enveloped-aes256-gcm|enveloped-aes256-cbc-rsa-oaep"
            + "|enveloped-aes256-cbc-rsa-pkcs1";
    static final String PACKAGE_FORMAT_MESSAGE = "must be one of auth-enveloped-aes256-gcm, enveloped-aes256-cbc-rsa-oaep,"
            + " enveloped-aes256-cbc-rsa-pkcs1";

    record AgreementEntry(
            @NotNull @Pattern(regexp = AGREEMENT_ID, message = AGREEMENT_ID_MESSAGE) String id,
            @NotNull @Min(1) Integer version,
            @NotNull @Min(1) Integer precedence,
            @NotNull @OneOf(AgreementStatus.class) String status,
            @NotNull @IsoDate String validFrom,
            @NotNull @IsoDate String validTo,
            String title,
            @NotEmpty List<@NotNull @Valid ClauseEntry> clauses) {
    }

    record ClauseEntry(
            @NotNull @Pattern(regexp = ID, message = ID_MESSAGE) String recipient,
            @NotEmpty List<@NotNull String> areas,
            @NotNull @AllOrSome(Category.class) List<String> categories,
            @NotNull @AllOrSome(Purpose.class) List<String> purposes,
            @NotEmpty List<@NotNull @Valid AgeEntry> ages,
            @NotNull @AllOrSome(Classification.class) List<String> classifications,
            @Valid ConditionEntry condition) {
    }

    record AgeEntry(
            @NotNull @Min(0) @Max(120) Integer from,
            @Min(0) @Max(120) Integer to,
            List<@NotNull @OneOf(Area.class) String> areas) {
    }

    record ConditionEntry(@NotBlank String lookedAfterPlacedBy) {
    }

    static final String RULE_ID = "[A-Z0-9][A-Z0-9_-]{0,63}";
    static final String RULE_ID_MESSAGE =
            "must be 1 to 64 capital letters, digits, hyphens or underscores, starting with a letter or digit";
    static final int RULE_DESCRIPTION_MAX = 200;

    /** One of {@code alertRules}; cross-references (notify, countsBySector, kinds together) are checked by the loader. */
    record AlertRuleEntry(
            @NotNull(message = "is required: give the rule an id, such as CONTEXT-2-SECTORS")
            @Pattern(regexp = RULE_ID, message = RULE_ID_MESSAGE) String id,
            @NotBlank(message = "is required: say in one sentence what the rule looks for")
            @Size(max = RULE_DESCRIPTION_MAX, message = "must be at most 200 characters; shorten it") String description,
            @NotEmpty(message = "is required: list the link kinds the rule follows, of NHS_NUMBER, UPN, NAME_DOB,"
                    + " VEHICLE, LOCATION_POSTCODE, ONLINE_HANDLE")
            List<@NotNull @OneOf(LinkKind.class) String> kinds,
            @NotNull(message = "is required: SECTORS, PARTNERS or SUBMISSIONS (what is counted among the linked"
                    + " submissions)")
            @OneOf(value = AlertRule.Distinct.class, message = "must be SECTORS, PARTNERS or SUBMISSIONS (what is"
                    + " counted among the linked submissions)") String distinct,
            @NotNull(message = "is required: a whole number from 2 to 50 (how many distinct ones raise the alert)")
            @Min(value = 2, message = "must be a whole number from 2 to 50")
            @Max(value = 50, message = "must be a whole number from 2 to 50") Integer atLeast,
            @NotNull(message = "is required: a whole number of days from 1 to 366 (how close together the linked"
                    + " submissions were received)")
            @Min(value = 1, message = "must be a whole number of days from 1 to 366")
            @Max(value = 366, message = "must be a whole number of days from 1 to 366") Integer withinDays,
            @AllOrSome(Category.class) List<String> categories,
            List<@NotEmpty(message = "must not be empty: list the categories of which one is required, or leave"
                    + " this list out") List<@NotNull @OneOf(Category.class) String>> requireEach,
            // Not a valid record component name (Object.notify); required and non-empty are checked by the loader so
            // that problems are reported at "notify", the key of the file.
            @JsonProperty("notify") List<String> notifyList,
            List<@NotNull String> countsBySector) {
    }

    /**
     * The optional {@code urgency} section: the working-day calendar, the IMMEDIATE window, the rules for submissions
     * that give no urgency, and the escalation steps with who they name. The zone, the window, and the participants
     * named are checked by the loader.
     */
    record UrgencyEntry(
            @NotBlank(message = "is required: the calendar's time zone, such as Europe/London") String zone,
            @NotEmpty(message = "is required: the working days, such as [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY]")
            List<@NotNull @OneOf(java.time.DayOfWeek.class) String> workingDays,
            @NotNull(message = "is required: when a working day starts, as HH:MM")
            @Pattern(regexp = "([01][0-9]|2[0-3]):[0-5][0-9]", message = "must be a time of day as HH:MM") String dayStarts,
            List<@NotNull @IsoDate String> holidays,
            @NotNull(message = "is required: how soon an IMMEDIATE package must be acknowledged, such as PT1H")
            String immediateWithin,
            List<@NotNull @Valid UrgencyRuleEntry> rules,
            List<@NotNull @OneOf(UrgencyPolicy.Step.class) String> escalateTo,
            Map<String, @NotNull String> dutyInboxes,
            Map<String, @NotNull String> areaMash) {
    }

    /** One rule: a submission that gives no urgency and meets {@code when} is at least {@code urgency}. */
    record UrgencyRuleEntry(
            @NotNull @OneOf(UrgencyPolicy.Condition.class) String when,
            @NotNull @OneOf(Urgency.class) String urgency) {
    }

    record ProfileEntry(
            @NotNull @OneOf(RedactionProfile.IdentityRule.class) String identity,
            @NotNull @OneOf(RedactionProfile.GroupRule.class) String health,
            @NotNull @OneOf(RedactionProfile.SourceRule.class) String source,
            @NotNull @OneOf(RedactionProfile.NarrativeRule.class) String narrative,
            @NotEmpty List<@NotNull String> contexts,
            @NotNull @OneOf(RedactionProfile.GroupRule.class) String care,
            @NotNull @OneOf(RedactionProfile.GroupRule.class) String episode,
            @NotNull @OneOf(RedactionProfile.GroupRule.class) String attachments) {
    }

    /** The shape of the file, checked before binding. */
    static final TreeShape.Shape SHAPE = obj()
            .with("name", TEXT)
            .with("conditionalHandlingSectors", TEXT_LIST)
            .with("participants", listOf(obj()
                    .with("id", TEXT)
                    .with("organisation", TEXT)
                    .with("sector", TEXT)
                    .with("roles", TEXT_LIST)
                    .with("submitAreas", TEXT_LIST)
                    .with("serves", TEXT_LIST)
                    .with("suspended", BOOL)
                    .with("packageFormat", TEXT)
                    .with("allowRsaPkcs1v15", BOOL)
                    .build()))
            .with("agreements", listOf(obj()
                    .with("id", TEXT)
                    .with("version", WHOLE_NUMBER)
                    .with("precedence", WHOLE_NUMBER)
                    .with("status", TEXT)
                    .with("validFrom", TEXT)
                    .with("validTo", TEXT)
                    .with("title", TEXT)
                    .with("clauses", listOf(obj()
                            .with("recipient", TEXT)
                            .with("areas", TEXT_LIST)
                            .with("categories", TEXT_LIST)
                            .with("purposes", TEXT_LIST)
                            .with("ages", listOf(obj()
                                    .with("from", WHOLE_NUMBER)
                                    .with("to", WHOLE_NUMBER)
                                    .with("areas", TEXT_LIST)
                                    .build()))
                            .with("classifications", TEXT_LIST)
                            .with("condition", obj().with("lookedAfterPlacedBy", TEXT).build())
                            .build()))
                    .build()))
            .with("alertRules", listOf(obj()
                    .with("id", TEXT)
                    .with("description", TEXT)
                    .with("kinds", TEXT_LIST)
                    .with("distinct", TEXT)
                    .with("atLeast", WHOLE_NUMBER)
                    .with("withinDays", WHOLE_NUMBER)
                    .with("categories", TEXT_LIST)
                    .with("requireEach", listOf(TEXT_LIST))
                    .with("notify", TEXT_LIST)
                    .with("countsBySector", TEXT_LIST)
                    .build()))
            .with("urgency", obj()
                    .with("zone", TEXT)
                    .with("workingDays", TEXT_LIST)
                    .with("dayStarts", TEXT)
                    .with("holidays", TEXT_LIST)
                    .with("immediateWithin", TEXT)
                    .with("rules", listOf(obj().with("when", TEXT).with("urgency", TEXT).build()))
                    .with("escalateTo", TEXT_LIST)
                    .with("dutyInboxes", mapOf(TEXT))
                    .with("areaMash", mapOf(TEXT))
                    .build())
            .with("redactionProfiles", mapOf(obj()
                    .with("identity", TEXT)
                    .with("health", TEXT)
                    .with("source", TEXT)
                    .with("narrative", TEXT)
                    .with("contexts", TEXT_LIST)
                    .with("care", TEXT)
                    .with("episode", TEXT)
                    .with("attachments", TEXT)
                    .build()))
            .build();
}
