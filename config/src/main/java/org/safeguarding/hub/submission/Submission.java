package org.safeguarding.hub.submission;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.safeguarding.hub.partnership.Area;
import org.safeguarding.hub.partnership.Category;
import org.safeguarding.hub.partnership.Classification;
import org.safeguarding.hub.partnership.ContextType;
import org.safeguarding.hub.partnership.IsoDate;
import org.safeguarding.hub.partnership.OneOf;
import org.safeguarding.hub.partnership.Purpose;
import org.safeguarding.hub.submission.FieldRules.Base64Text;
import org.safeguarding.hub.submission.FieldRules.IsoInstant;
import org.safeguarding.hub.submission.FieldRules.NhsNumber;
import org.safeguarding.hub.submission.FieldRules.PlainFileName;
import org.safeguarding.hub.submission.FieldRules.Upn;

/**
 * A submission as Hibernate Validator checks it: the wire format of SCENARIO.md with every
 * field rule as a constraint. Which fields exist, their JSON types and their bounds are {@link SubmissionFields}'s,
 * checked while reading, before this is bound. Values naming enum constants, dates and times stay text so that a
 * wrong one is reported with its path; {@link ValidSubmission} holds the typed result.
 */
@SubmissionRules
public record Submission(
        @NotNull @Pattern(regexp = UUID, message = "must be a UUID (8-4-4-4-12 hexadecimal digits)") String submissionId,
        @NotBlank String partnerId,
        @NotNull @IsoInstant String submittedAt,
        @NotNull @OneOf(Area.class) String area,
        @NotEmpty List<@NotNull @OneOf(Category.class) String> categories,
        @NotNull @OneOf(Purpose.class) String purpose,
        @NotNull @OneOf(Classification.class) String classification,
        @NotNull @Valid Handling handling,
        @Valid Grading grading,
        @Valid Source source,
        @NotEmpty List<@NotNull @Valid Subject> subjects,
        List<@NotNull @Valid Context> contexts,
        String narrative,
        @Valid MissingEpisode missingEpisode,
        List<@NotNull @Valid Attachment> attachments,
        @OneOf(org.safeguarding.hub.partnership.Urgency.class) String urgency) {

    public static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    /** {@code { "code": "P" }} or {@code { "code": "C", "conditions": "..." }}. */
    public record Handling(@NotNull @OneOf(HandlingCode.class) String code, String conditions) {
    }

    /** The 3x5x2 evaluation. */
    public record Grading(
            @NotNull @Pattern(regexp = "[123]", message = "must be 1, 2 or 3") String source,
            @NotNull @Pattern(regexp = "[A-E]", message = "must be one of A, B, C, D, E") String intelligence) {
    }

    /** Police source protection. */
    public record Source(String officerRef, String sourceType, String sourceDetails) {
    }

    /** A person the submission is about. */
    public record Subject(
            @NotBlank String ref,
            @NotNull @OneOf(SubjectRole.class) String role,
            @Valid Identity identity,
            @Min(value = 0, message = "must be between 0 and 120") @Max(value = 120, message = "must be between 0 and 120") Integer ageYears,
            @Valid LookedAfter lookedAfter,
            @Valid Health health) {
    }

    /** IDENTITY. */
    public record Identity(String name, @IsoDate String dateOfBirth, @NhsNumber String nhsNumber, @Upn String upn,
                           String address, String postcode) {
    }

    /** CARE. */
    public record LookedAfter(@NotNull Boolean isLookedAfter, String placingAuthority) {
    }

    /** HEALTH. */
    public record Health(String summary, String mentalHealth, String substanceMisuse, String sexualHealth,
                         String injuries) {
    }

    /** One entry of CONTEXTS. */
    public record Context(@NotNull @OneOf(ContextType.class) String type, String description, String postcode,
                          String platform, String handle, String vrm) {
    }

    /** EPISODE. */
    public record MissingEpisode(@NotNull @IsoInstant String from, @IsoInstant String to, String returnedTo,
                                 String locationFound) {
    }

    /** One entry of ATTACHMENTS. */
    public record Attachment(
            @NotNull @PlainFileName String name,
            @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*",
                    message = "must be a media type such as application/pdf") String mediaType,
            @NotNull @Base64Text String content) {
    }
}
