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
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** Single-field constraints of a submission. Every one treats {@code null} as valid. */
public final class FieldRules {
    private FieldRules() {
    }

    /** An NHS number: 10 digits with a valid modulus-11 check digit. */
    @Documented
    @Constraint(validatedBy = NhsNumber.Check.class)
    @Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE, ElementType.PARAMETER, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    public @interface NhsNumber {
        String message() default "must be an NHS number: 10 digits, no spaces, with a valid modulus-11 check digit";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        /** Runs {@link NhsNumbers#isValid}. */
        final class Check implements ConstraintValidator<NhsNumber, String> {
            @Override
            public boolean isValid(String value, ConstraintValidatorContext context) {
                return value == null || NhsNumbers.isValid(value);
            }
        }
    }

    /** A Unique Pupil Number with a valid check letter. */
    @Documented
    @Constraint(validatedBy = Upn.Check.class)
    @Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE, ElementType.PARAMETER, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Upn {
        String message() default "must be a Unique Pupil Number: a capital check letter then 12 digits, the letter matching the digits";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        /** Runs {@link UniquePupilNumbers#isValid}. */
        final class Check implements ConstraintValidator<Upn, String> {
            @Override
            public boolean isValid(String value, ConstraintValidatorContext context) {
                return value == null || UniquePupilNumbers.isValid(value);
            }
        }
    }

    /** An ISO-8601 instant with a zone offset, e.g. {@code 2026-11-27T09:30:00Z}. */
    @Documented
    @Constraint(validatedBy = IsoInstant.Check.class)
    @Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE, ElementType.PARAMETER, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    public @interface IsoInstant {
        String message() default "must be an ISO-8601 date and time with an offset, e.g. 2026-11-27T09:30:00Z";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        /** Runs {@link FieldRules#instant}. */
        final class Check implements ConstraintValidator<IsoInstant, String> {
            @Override
            public boolean isValid(String value, ConstraintValidatorContext context) {
                return value == null || instant(value) != null;
            }
        }
    }

    /** A plain file name: no directory part, no control characters, not {@code .} or {@code ..}. */
    @Documented
    @Constraint(validatedBy = PlainFileName.Check.class)
    @Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE, ElementType.PARAMETER, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    public @interface PlainFileName {
        String message() default "must be a plain file name: no path, no slash, backslash, colon or control character, at most 255 characters";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        /** Runs {@link FieldRules#isPlainFileName}. */
        final class Check implements ConstraintValidator<PlainFileName, String> {
            @Override
            public boolean isValid(String value, ConstraintValidatorContext context) {
                return value == null || isPlainFileName(value);
            }
        }
    }

    /** Standard base64 (RFC 4648 alphabet; the final padding may be left out, as Java's decoder and the schema allow). */
    @Documented
    @Constraint(validatedBy = Base64Text.Check.class)
    @Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE, ElementType.PARAMETER, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Base64Text {
        String message() default "must be base64 (RFC 4648 alphabet, = padding optional)";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        /** Decodes the value. */
        final class Check implements ConstraintValidator<Base64Text, String> {
            @Override
            public boolean isValid(String value, ConstraintValidatorContext context) {
                if (value == null) {
                    return true;
                }
                try {
                    Base64.getDecoder().decode(value);
                    return true;
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
        }
    }

    /** The instant, or {@code null} when the text is not an ISO-8601 date-time with an offset. */
    public static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Whether the text is a plain file name: 255 characters (code points, as every bound counts them) at most. */
    public static boolean isPlainFileName(String value) {
        if (value.isBlank() || value.codePointCount(0, value.length()) > 255 || value.equals(".") || value.equals("..")) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '\\' || c == ':' || Character.isISOControl(c)) {
                return false;
            }
        }
        return !value.startsWith(" ") && !value.endsWith(" ") && !value.endsWith(".");
    }
}
