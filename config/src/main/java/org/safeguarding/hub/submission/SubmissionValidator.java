package org.safeguarding.hub.submission;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hibernate.validator.HibernateValidatorFactory;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.error.ProblemJson;
import org.safeguarding.hub.partnership.Area;
import org.safeguarding.hub.partnership.Category;
import org.safeguarding.hub.partnership.Classification;
import org.safeguarding.hub.partnership.IsoDate;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.Purpose;
import org.safeguarding.hub.partnership.Role;
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

    /** Binds the shape-checked tree to {@link Submission}; reads with the submission reader's factory. */
    private static final ObjectMapper JSON = JsonMapper.builder(SubmissionReader.FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
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
        SubmissionReader.Result read = SubmissionReader.read(json, length);
        ObjectNode tree = read.tree();
        JsonNode areaNode = tree.get("area");
        if (areaNode != null && areaNode.isTextual() && isArea(areaNode.asText())
                && !partner.submitAreas().contains(Area.valueOf(areaNode.asText()))) {
            throw new HubException(ErrorCode.AREA_NOT_PERMITTED,
                    "The partner is not registered to submit for the submission's area.");
        }
        Submission model;
        try {
            model = JSON.treeToValue(tree, Submission.class);
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
        SubmissionReader.Problems shape = read.problems();
        if (!shape.isEmpty() || !fieldProblems.isEmpty()) {
            List<FieldError> merged = new ArrayList<>(Violations.merge(shape.listed(), fieldProblems));
            int count = merged.size() + (shape.count() - shape.listed().size());
            merged.sort(Comparator.comparing(FieldError::path, FieldPaths.ORDER));
            throw invalid(merged.subList(0, Math.min(merged.size(), ProblemJson.MAX_ERRORS)), count);
        }
        read.restore();
        return typed(tree, model);
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
        if (!Utf8Json.isWellFormed(json, 0, json.length)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(json);
            JsonNode id = root == null ? null : root.get("partnerId");
            return id != null && id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * INVALID_SUBMISSION listing {@code problems} (at most {@link ProblemJson#MAX_ERRORS}, the first in path order)
     * of {@code count} in all.
     */
    static HubException invalid(List<FieldError> problems, int count) {
        String detail = count + (count == 1 ? " field fails" : " fields fail") + " validation"
                + (count > problems.size() ? "; the first " + problems.size() + " are listed." : ".");
        return new HubException(ErrorCode.INVALID_SUBMISSION, detail, problems, count);
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
