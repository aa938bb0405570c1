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
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A text value that must be the name of one of an enum's constants (or one of {@link #extra()}).
 * {@code null} is valid: combine with {@code @NotNull} when required. The message lists the
 * allowed values and never repeats the value given.
 */
@Documented
@Constraint(validatedBy = OneOf.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface OneOf {
    Class<? extends Enum<?>> value();

    String[] extra() default {};

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks the name against the enum's constants. */
    final class Validator implements ConstraintValidator<OneOf, String> {
        private java.util.Set<String> allowed;
        private String message;

        @Override
        public void initialize(OneOf a) {
            java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(Arrays.asList(a.extra()));
            for (Enum<?> e : a.value().getEnumConstants()) {
                names.add(e.name());
            }
            allowed = names;
            message = a.message().isEmpty()
                    ? "must be one of " + names.stream().collect(Collectors.joining(", "))
                    : a.message();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext ctx) {
            if (value == null || allowed.contains(value)) {
                return true;
            }
            ctx.disableDefaultConstraintViolation();
            ctx.buildConstraintViolationWithTemplate(Violations.literal(message)).addConstraintViolation();
            return false;
        }
    }
}
