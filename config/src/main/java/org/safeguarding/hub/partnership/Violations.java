package org.safeguarding.hub.partnership;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.safeguarding.hub.error.FieldError;

/**
 * Hibernate Validator for the hub's configuration and submissions (one factory, no expression
 * language: {@link ParameterMessageInterpolator}), and the translation of its violations into
 * {@link FieldError}s with paths written as in the input ({@code subjects[0].identity.upn}).
 */
public final class Violations {
    private static final ValidatorFactory FACTORY = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory();

    private Violations() {
    }

    /** The shared, thread-safe validator. */
    public static Validator validator() {
        return FACTORY.getValidator();
    }

    /** Validates the bean and returns its problems, paths prefixed with {@code prefix}. */
    public static <T> List<FieldError> validate(T bean, String prefix) {
        List<FieldError> out = new ArrayList<>();
        for (ConstraintViolation<T> v : validator().validate(bean)) {
            out.add(new FieldError(join(prefix, path(v.getPropertyPath())), v.getMessage()));
        }
        return out;
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? prefix : path.startsWith("[") ? prefix + path : prefix + "." + path;
    }

    /** Writes a property path as {@code a[0].b.c}; container-element nodes add only their index or key. */
    public static String path(Path path) {
        StringBuilder sb = new StringBuilder();
        for (Path.Node node : path) {
            if (node.isInIterable()) {
                if (node.getIndex() != null) {
                    sb.append('[').append(node.getIndex()).append(']');
                } else if (node.getKey() != null) {
                    sb.append('.').append(node.getKey());
                }
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT || node.getKind() == ElementKind.BEAN
                    || node.getName() == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(node.getName());
        }
        return sb.toString();
    }

    /**
     * Problems of a shape check followed by those of the validator, leaving out validator
     * problems about a path that the shape check already reported (or a container of one), so
     * that a field of the wrong type is not also reported as missing. Sorted by path; exact
     * repeats removed.
     */
    public static List<FieldError> merge(Collection<FieldError> shapeProblems, Collection<FieldError> validatorProblems) {
        Set<FieldError> out = new LinkedHashSet<>(shapeProblems);
        for (FieldError v : validatorProblems) {
            // A value of the wrong shape was left out of the copy, and a list with an item of the wrong
            // shape was left out whole: the validator would report either as missing.
            boolean covered = shapeProblems.stream().anyMatch(s -> s.path().equals(v.path())
                    || (s.path().startsWith(v.path() + "[") && s.path().substring(v.path().length()).matches("\\[[0-9]+]")));
            if (!covered) {
                out.add(v);
            }
        }
        List<FieldError> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing(FieldError::path));
        return sorted;
    }

    /** Escapes a text so that the message interpolator leaves it as it is. */
    public static String literal(String text) {
        return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
}
