package org.safeguarding.hub.submission;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;
import org.safeguarding.hub.partnership.IsoDate;
import org.safeguarding.hub.partnership.Sector;
import org.safeguarding.hub.partnership.Violations;

/**
 * The cross-field rules of a submission: conditions with handling code C (and only then), an
 * episode with MISSING, grading from POLICE partners (the partner's sector is the validator's
 * constraint-validator payload), episode dates, dates of birth not after {@code submittedAt},
 * at least one CHILD_AT_RISK subject, no repeated category.
 */
@Documented
@Constraint(validatedBy = SubmissionRules.Check.class)
@Target({ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface SubmissionRules {
    String message() default "breaks a cross-field rule";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks the rules; every failing one is reported at its own path. */
    final class Check implements ConstraintValidator<SubmissionRules, Submission> {
        @Override
        public boolean isValid(Submission s, ConstraintValidatorContext ctx) {
            if (s == null) {
                return true;
            }
            ctx.disableDefaultConstraintViolation();
            boolean ok = true;
            Submission.Handling h = s.handling();
            if (h != null && "C".equals(h.code()) && (h.conditions() == null || h.conditions().isBlank())) {
                ok = fail(ctx, "is required with handling code C: state the conditions", "handling", "conditions");
            }
            if (h != null && "P".equals(h.code()) && h.conditions() != null) {
                ok = fail(ctx, "only handling code C carries conditions: use code C or leave conditions out",
                        "handling", "conditions");
            }
            if (s.categories() != null && s.categories().contains("MISSING") && s.missingEpisode() == null) {
                ok = fail(ctx, "is required when categories include MISSING", "missingEpisode");
            }
            if (s.categories() != null && new HashSet<>(s.categories()).size() != s.categories().size()) {
                ok = fail(ctx, "must not name a category twice", "categories");
            }
            Sector sector = ctx.unwrap(HibernateConstraintValidatorContext.class)
                    .getConstraintValidatorPayload(Sector.class);
            if (sector == Sector.POLICE && s.grading() == null) {
                ok = fail(ctx, "is required from a police partner (source 1-3 and intelligence A-E)", "grading");
            }
            List<Submission.Subject> subjects = s.subjects();
            if (subjects != null && !subjects.isEmpty()
                    && subjects.stream().noneMatch(x -> x != null && "CHILD_AT_RISK".equals(x.role()))) {
                ok = fail(ctx, "must include at least one subject with role CHILD_AT_RISK", "subjects");
            }
            Instant submittedAt = FieldRules.instant(s.submittedAt());
            Submission.MissingEpisode e = s.missingEpisode();
            if (e != null) {
                Instant from = FieldRules.instant(e.from());
                Instant to = FieldRules.instant(e.to());
                if (from != null && to != null && to.isBefore(from)) {
                    ok = fail(ctx, "must not be before from", "missingEpisode", "to");
                }
                if (submittedAt != null && from != null && from.isAfter(submittedAt)) {
                    ok = fail(ctx, "must not be after submittedAt", "missingEpisode", "from");
                }
                if (submittedAt != null && to != null && to.isAfter(submittedAt)) {
                    ok = fail(ctx, "must not be after submittedAt; leave it out while the child is still missing",
                            "missingEpisode", "to");
                }
            }
            if (submittedAt != null && subjects != null) {
                LocalDate today = LocalDate.ofInstant(submittedAt, ZoneOffset.UTC);
                for (int i = 0; i < subjects.size(); i++) {
                    Submission.Subject subject = subjects.get(i);
                    if (subject == null || subject.identity() == null) {
                        continue;
                    }
                    LocalDate dob = IsoDate.Validator.parse(subject.identity().dateOfBirth());
                    if (dob != null && dob.isAfter(today)) {
                        ctx.buildConstraintViolationWithTemplate(Violations.literal("must not be in the future"))
                                .addPropertyNode("subjects")
                                .addPropertyNode("identity").inIterable().atIndex(i)
                                .addPropertyNode("dateOfBirth")
                                .addConstraintViolation();
                        ok = false;
                    }
                }
            }
            return ok;
        }

        private static boolean fail(ConstraintValidatorContext ctx, String message, String... path) {
            var builder = ctx.buildConstraintViolationWithTemplate(Violations.literal(message))
                    .addPropertyNode(path[0]);
            for (int i = 1; i < path.length; i++) {
                builder = builder.addPropertyNode(path[i]);
            }
            builder.addConstraintViolation();
            return false;
        }
    }
}
