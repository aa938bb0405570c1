package org.safeguarding.hub.partnership;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A configuration list that is either the single word {@link #all()} or a non-empty list of an
 * enum's constant names without repeats. {@code null} is valid: combine with {@code @NotNull}.
 */
@Documented
@Constraint(validatedBy = AllOrSome.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface AllOrSome {
    Class<? extends Enum<?>> value();

    String all() default "ALL";

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks the list. */
    final class Validator implements ConstraintValidator<AllOrSome, List<String>> {
        private Set<String> names;
        private String all;

        @Override
        public void initialize(AllOrSome a) {
            names = Stream.of(a.value().getEnumConstants()).map(Enum::name)
                    .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
            all = a.all();
        }

        @Override
        public boolean isValid(List<String> value, ConstraintValidatorContext ctx) {
            if (value == null) {
                return true;
            }
            String problem = null;
            if (value.isEmpty()) {
                problem = "must not be empty";
            } else if (value.contains(all) && value.size() > 1) {
                problem = "must be " + all + " alone, or a list of values";
            } else if (!value.equals(List.of(all))) {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < value.size(); i++) {
                    if (!names.contains(value.get(i))) {
                        problem = "item " + (i + 1) + " is not one of " + String.join(", ", names);
                        break;
                    }
                    if (!seen.add(value.get(i))) {
                        problem = "item " + (i + 1) + " repeats an earlier item";
                        break;
                    }
                }
            }
            if (problem == null) {
                return true;
            }
            ctx.disableDefaultConstraintViolation();
            ctx.buildConstraintViolationWithTemplate(Violations.literal(problem + " (write " + all
                    + " for every value, or a list of " + String.join(", ", names) + ")")).addConstraintViolation();
            return false;
        }
    }
}
