package org.safeguarding.hub.audit;

import java.util.regex.Pattern;

/**
 * The rules that keep intelligence content out of the audit trail. Every string an event may carry
 * is an identifier, a code, a digest, a path into a submission or a short machine-safe detail:
 * no whitespace (so no narrative and no "First Last" names), no quotes, no '@' (no e-mail
 * addresses), no calendar dates (no dates of birth) and no long standalone digit runs (no NHS or
 * phone numbers). A refusal names the field and the rule, never the value.
 */
final class ContentRules {
    static final int MAX_ID = 128;
    static final int MAX_KEY = 200;
    static final int MAX_DETAIL = 200;
    static final int MAX_PATH = 200;
    static final int MAX_PATHS = 256;
    static final int MAX_CHECKPOINT_DETAIL = 2000;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/+=-]*");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern DIGEST = Pattern.compile("(sha256:)?([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_$][A-Za-z0-9_.$\\[\\]*/-]*");
    private static final Pattern DETAIL_CHARS = Pattern.compile("[A-Za-z0-9_.:/+=,;#\\[\\]$*%&?!()~-]*");
    private static final Pattern ISO_DATE = Pattern.compile("(?<!\\d)\\d{4}-\\d{1,2}-\\d{1,2}(?![\\dT])");
    private static final Pattern DMY_DATE = Pattern.compile(
            "(?<!\\d)\\d{1,2}[/-]\\d{1,2}[/-](\\d{4}|\\d{2})(?!\\d)|(?<!\\d)\\d{1,2}\\.\\d{1,2}\\.\\d{4}(?!\\d)");
    private static final Pattern LONG_NUMBER = Pattern.compile("(?<![0-9A-Za-z-])\\d{10,}(?![0-9A-Za-z-])");
    static final Pattern CHECKPOINT_DETAIL = Pattern.compile(
            "checkpoint:v1;covers=(\\d{1,18});head=([0-9a-f]{64});sig=([A-Za-z0-9+/]+={0,2})");

    private ContentRules() {
    }

    static String id(String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw new AuditContentException(field, "is required");
            }
            return null;
        }
        if (value.isEmpty() || value.length() > MAX_ID || !ID.matcher(value).matches()) {
            throw new AuditContentException(field, "must be an identifier of 1-" + MAX_ID
                    + " characters from [A-Za-z0-9._:/+=-], starting with a letter or digit");
        }
        return value;
    }

    static String key(String value) {
        if (value.isEmpty() || value.length() > MAX_KEY || !ID.matcher(value).matches()) {
            throw new AuditContentException("key", "must be 1-" + MAX_KEY + " characters from [A-Za-z0-9._:/+=-]");
        }
        return value;
    }

    static String uuid(String field, String value) {
        if (value != null && !UUID.matcher(value).matches()) {
            throw new AuditContentException(field, "must be a UUID");
        }
        return value == null ? null : value.toLowerCase(java.util.Locale.ROOT);
    }

    static String code(String field, String value) {
        if (value != null && (value.length() > 64 || !CODE.matcher(value).matches())) {
            throw new AuditContentException(field, "must be an upper-case code of at most 64 characters, [A-Z0-9_]");
        }
        return value;
    }

    static String digest(String field, String value) {
        if (value != null && !DIGEST.matcher(value).matches()) {
            throw new AuditContentException(field, "must be a SHA-256 digest (64 hex or 43/44 base64 characters, optional 'sha256:' prefix)");
        }
        return value;
    }

    static String path(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_PATH || !PATH.matcher(value).matches()) {
            throw new AuditContentException("withheldPaths", "each path must be 1-" + MAX_PATH
                    + " characters from [A-Za-z0-9_.$[]*/-], like subjects[1].health");
        }
        return value;
    }

    static String detail(AuditEventType type, String value) {
        if (value == null) {
            return null;
        }
        if (type == AuditEventType.CHECKPOINT) {
            if (value.length() > MAX_CHECKPOINT_DETAIL || !CHECKPOINT_DETAIL.matcher(value).matches()) {
                throw new AuditContentException("detail", "a CHECKPOINT detail must be 'checkpoint:v1;covers=N;head=HEX;sig=BASE64'");
            }
            return value;
        }
        if (value.length() > MAX_DETAIL) {
            throw new AuditContentException("detail", "must be at most " + MAX_DETAIL + " characters");
        }
        if (!DETAIL_CHARS.matcher(value).matches()) {
            throw new AuditContentException("detail",
                    "must be machine-safe text: no whitespace, quotes, '@', '<', '>', backslash or non-ASCII characters");
        }
        if (ISO_DATE.matcher(value).find() || DMY_DATE.matcher(value).find()) {
            throw new AuditContentException("detail", "must not contain a calendar date");
        }
        if (LONG_NUMBER.matcher(value).find()) {
            throw new AuditContentException("detail", "must not contain a standalone number of 10 or more digits");
        }
        return value;
    }
}
