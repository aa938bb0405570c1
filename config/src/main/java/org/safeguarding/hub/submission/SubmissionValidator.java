package org.safeguarding.hub.submission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hibernate.validator.HibernateValidatorFactory;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.partnership.Area;
import org.safeguarding.hub.partnership.Category;
import org.safeguarding.hub.partnership.Classification;
import org.safeguarding.hub.partnership.IsoDate;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.Purpose;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.partnership.TreeShape;
import org.safeguarding.hub.partnership.Violations;

/**
 * Checks a submission's JSON after the envelope, signature, signer trust and identity checks,
 * in the scenario's order: role ({@code NOT_A_PARTNER}), area ({@code AREA_NOT_PERMITTED}),
 * fields ({@code INVALID_SUBMISSION} with every failing path). The time window
 * ({@code STALE_OR_FUTURE}) comes after the duplicate check, so it is a separate step,
 * {@link #checkTimeWindow}. No message repeats a value from the submission.
 */
public final class SubmissionValidator {
    /** How far in the future {@code submittedAt} may be. */
    public static final Duration MAX_FUTURE = Duration.ofMinutes(5);
    /** How old {@code submittedAt} may be. */
    public static final Duration MAX_AGE = Duration.ofDays(7);

    /**
     * Jackson's default limit on one string (20 million characters) is below what an attachment
     * of a submission up to the size limit needs; the sealed body's size limit bounds it instead.
     * Nesting stays shallow: no submission field is more than a few levels deep.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                            .maxStringLength(128 * 1024 * 1024)
                            .maxNestingDepth(64)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Partnership partnership;

    public SubmissionValidator(Partnership partnership) {
        this.partnership = Objects.requireNonNull(partnership, "partnership");
    }

    public Partnership partnership() {
        return partnership;
    }

    /**
     * Validates a submission from an authenticated participant. Does not check that
     * {@code partnerId} names that participant (the caller's identity check) nor the time window.
     *
     * @throws HubException NOT_A_PARTNER, AREA_NOT_PERMITTED or INVALID_SUBMISSION
     */
    public ValidSubmission validate(byte[] json, Participant authenticatedPartner) {
        Objects.requireNonNull(json, "json");
        return validate(json, json.length, authenticatedPartner);
    }

    /**
     * {@link #validate(byte[], Participant)} of the first {@code length} bytes of {@code json}. A large attachment's
     * content stays in {@code json} (see {@link AttachmentContent}), so the array must not change afterwards.
     */
    public ValidSubmission validate(byte[] json, int length, Participant authenticatedPartner) {
        Objects.requireNonNull(json, "json");
        Objects.checkFromIndexSize(0, length, json.length);
        Objects.requireNonNull(authenticatedPartner, "authenticatedPartner");
        // The partnership's current view of the participant wins over a possibly stale copy.
        Participant partner = partnership.participant(authenticatedPartner.id()).orElse(authenticatedPartner);
        if (!partner.hasRole(Role.PARTNER) || partner.suspended()
                || partnership.participant(authenticatedPartner.id()).isEmpty()) {
            throw new HubException(ErrorCode.NOT_A_PARTNER,
                    "The participant is not an active partner of the partnership.");
        }
        List<SubmissionReader.Kept> keptContents = new ArrayList<>();
        JsonNode root = parse(json, length, keptContents);
        if (!root.isObject()) {
            throw invalid(List.of(new FieldError("$", "must be a JSON object")));
        }
        JsonNode areaNode = root.get("area");
        if (areaNode != null && areaNode.isTextual() && isArea(areaNode.asText())
                && !partner.submitAreas().contains(Area.valueOf(areaNode.asText()))) {
            throw new HubException(ErrorCode.AREA_NOT_PERMITTED,
                    "The partner is not registered to submit for the submission's area.");
        }
        List<FieldError> shapeProblems = new ArrayList<>();
        JsonNode clean = TreeShape.check(root, Submission.SHAPE, "", TreeShape.Mode.SUBMISSION, shapeProblems);
        Submission model;
        try {
            model = JSON.treeToValue(clean, Submission.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("shape-checked submission did not bind", e);
        }
        Validator withSector = validatorFactory().usingContext()
                .constraintValidatorPayload(partner.sector() == null ? NO_SECTOR : partner.sector())
                .getValidator();
        List<FieldError> fieldProblems = new ArrayList<>();
        for (ConstraintViolation<Submission> v : withSector.validate(model)) {
            fieldProblems.add(new FieldError(Violations.path(v.getPropertyPath()), v.getMessage()));
        }
        List<FieldError> problems = Violations.merge(shapeProblems, fieldProblems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        ObjectNode kept = (ObjectNode) root.deepCopy();
        SubmissionReader.restore(kept, keptContents);
        return typed(kept, model);
    }

    /** Marker payload for a participant without a sector. */
    private static final Object NO_SECTOR = new Object();

    private static HibernateValidatorFactory validatorFactory() {
        return FactoryHolder.FACTORY;
    }

    private static final class FactoryHolder {
        static final HibernateValidatorFactory FACTORY = jakarta.validation.Validation
                .byProvider(org.hibernate.validator.HibernateValidator.class).configure()
                .messageInterpolator(new org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator())
                .buildValidatorFactory().unwrap(HibernateValidatorFactory.class);
    }

    /**
     * Rejects a submission whose {@code submittedAt} is more than 5 minutes after, or more than
     * 7 days before, the time the hub received it.
     *
     * @throws HubException STALE_OR_FUTURE
     */
    public static void checkTimeWindow(ValidSubmission s, Instant receivedAt) {
        if (s.submittedAt().isAfter(receivedAt.plus(MAX_FUTURE))) {
            throw new HubException(ErrorCode.STALE_OR_FUTURE,
                    "submittedAt is more than 5 minutes after the hub's clock.",
                    List.of(new FieldError("submittedAt", "must not be more than 5 minutes in the future")));
        }
        if (s.submittedAt().isBefore(receivedAt.minus(MAX_AGE))) {
            throw new HubException(ErrorCode.STALE_OR_FUTURE,
                    "submittedAt is more than 7 days before the hub's clock.",
                    List.of(new FieldError("submittedAt", "must not be older than 7 days")));
        }
    }

    /**
     * Reads {@code partnerId} from a submission without validating anything else, for the
     * identity check that comes before validation. Empty when the JSON is malformed or the field
     * is missing or not text.
     */
    public static Optional<String> partnerIdOf(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            JsonNode id = root == null ? null : root.get("partnerId");
            return id != null && id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static JsonNode parse(byte[] json, int length, List<SubmissionReader.Kept> kept) {
        try {
            JsonNode root = SubmissionReader.read(JSON, json, length, kept);
            if (root == null || root.isMissingNode()) {
                throw invalid(List.of(new FieldError("$", "the body is empty: send one JSON object")));
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw invalid(List.of(new FieldError("$", "not well-formed JSON" + where
                    + "; send one UTF-8 JSON object without repeated keys")));
        } catch (IOException e) {
            throw invalid(List.of(new FieldError("$", "not readable as JSON")));
        }
    }

    private static HubException invalid(List<FieldError> problems) {
        return new HubException(ErrorCode.INVALID_SUBMISSION,
                problems.size() + (problems.size() == 1 ? " field fails" : " fields fail") + " validation.",
                problems);
    }

    private static boolean isArea(String value) {
        for (Area a : Area.values()) {
            if (a.name().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static ValidSubmission typed(ObjectNode json, Submission m) {
        Instant submittedAt = FieldRules.instant(m.submittedAt());
        LocalDate day = LocalDate.ofInstant(submittedAt, ZoneOffset.UTC);
        Set<Category> categories = EnumSet.noneOf(Category.class);
        m.categories().forEach(c -> categories.add(Category.valueOf(c)));
        List<SubjectFacts> subjects = new ArrayList<>();
        for (int i = 0; i < m.subjects().size(); i++) {
            Submission.Subject s = m.subjects().get(i);
            subjects.add(new SubjectFacts(i, s.ref(), SubjectRole.valueOf(s.role()), age(s, day),
                    s.lookedAfter() != null && Boolean.TRUE.equals(s.lookedAfter().isLookedAfter()),
                    s.lookedAfter() == null ? null : s.lookedAfter().placingAuthority()));
        }
        return new ValidSubmission(json, m.submissionId(), m.partnerId(), submittedAt, Area.valueOf(m.area()),
                categories, Purpose.valueOf(m.purpose()), Classification.valueOf(m.classification()),
                HandlingCode.valueOf(m.handling().code()), m.handling().conditions(), subjects);
    }

    /** Whole years on {@code day} from the date of birth, else {@code ageYears}, else {@code null}. */
    static Integer age(Submission.Subject s, LocalDate day) {
        LocalDate dob = s.identity() == null ? null : IsoDate.Validator.parse(s.identity().dateOfBirth());
        if (dob != null) {
            return Period.between(dob, day).getYears();
        }
        return s.ageYears();
    }
}
