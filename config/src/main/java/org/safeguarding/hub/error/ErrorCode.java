package org.safeguarding.hub.error;

/**
 * Every error the hub reports to a partner, recipient or operator, with its HTTP status
 * and what the caller should do about it. The first ten are the scenario's rejection codes.
 */
public enum ErrorCode {
    TOO_LARGE(413, "Submission too large",
            "Send a smaller submission: the sealed body is over the hub's configured limit."),
    UNDECRYPTABLE(400, "Envelope cannot be opened",
            "Send a DER CMS AuthEnvelopedData or EnvelopedData encrypted to the hub's current certificate."),
    BAD_SIGNATURE(400, "Signature missing or invalid",
            "Sign the submission JSON as CMS SignedData with encapsulated content, then encrypt it; do not change it after signing."),
    UNTRUSTED_SIGNER(403, "Signer not trusted",
            "Sign with a current, unrevoked certificate issued by the partnership CA."),
    IDENTITY_MISMATCH(403, "Identity mismatch",
            "The TLS client certificate, the signer certificate and partnerId must all name the same participant."),
    NOT_A_PARTNER(403, "Not a partner",
            "Only active partners may submit; ask the partnership's information governance lead."),
    AREA_NOT_PERMITTED(403, "Area not permitted",
            "Submit only for an area your organisation is registered for."),
    INVALID_SUBMISSION(422, "Invalid submission",
            "Correct every field listed in errors and send again."),
    DUPLICATE_CONFLICT(409, "Submission id already used",
            "This submissionId was already received with different content: use a new submissionId for new content."),
    STALE_OR_FUTURE(422, "Submission time outside the window",
            "Set submittedAt to the current time (not more than 5 minutes ahead, not older than 7 days)."),

    BODY_TOO_SLOW(408, "Body too slow",
            "Send the whole body at once, faster than the hub's minimum rate and within its deadline; nothing was stored."),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type",
            "Send the body as Content-Type: application/pkcs7-mime."),
    NOT_FOUND(404, "Not found",
            "Check the identifier: it is unknown, not yours, or already acknowledged."),
    FORBIDDEN(403, "Forbidden",
            "Your certificate's participant does not have the role this operation needs."),
    BAD_REQUEST(400, "Bad request",
            "Correct the request as the detail says."),
    METHOD_NOT_ALLOWED(405, "Method not allowed",
            "Use one of the methods the Allow header lists for this path."),
    TOO_MANY_REQUESTS(429, "Too many requests",
            "Wait for the Retry-After interval before asking again: this operation is limited per caller."),
    UNAVAILABLE(503, "Service unavailable",
            "The hub cannot accept this now; retry after the Retry-After interval. Nothing was stored."),
    INTERNAL(500, "Internal error",
            "The hub failed unexpectedly; nothing was stored. Retry later and quote the receipt time to the operator."),
    NO_RECIPIENT_CERTIFICATE(500, "No certificate for a recipient",
            "Install a current certificate for the recipient in the hub's certificate directory, then replay the quarantined submission."),
    REVISION_CONFLICT(409, "Revision not newer",
            "Give the correction a revision higher than the last one applied; the same correction sent again unchanged is answered 200."),
    NOT_CORRECTABLE(409, "Submission cannot be corrected",
            "A withdrawn submission, or one whose routing failed, cannot be corrected: send the content as a new submission with a new submissionId."),
    INVALID_CONFIGURATION(0, "Invalid configuration",
            "Correct the configuration file at the path named and start again.");

    private final int httpStatus;
    private final String title;
    private final String action;

    ErrorCode(int httpStatus, String title, String action) {
        this.httpStatus = httpStatus;
        this.title = title;
        this.action = action;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String title() {
        return title;
    }

    /** What the caller should do. Never mentions the value that failed. */
    public String action() {
        return action;
    }

    /**
     * A passing condition (a store or the broker briefly unreachable): retrying the same thing
     * later may succeed. Every other code is lasting: the same input fails the same way.
     */
    public boolean isPassing() {
        return this == UNAVAILABLE || this == INTERNAL;
    }

    /**
     * The code's name in a URL: {@code invalid-submission}. Its page is {@code /problems/<slug>} on the hub and
     * {@code docs/problems/<slug>.md} in the repository; RFC 9457 problem documents name it as their {@code type}.
     */
    public String slug() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The code whose {@link #slug()} this is. */
    public static java.util.Optional<ErrorCode> ofSlug(String slug) {
        for (ErrorCode c : values()) {
            if (c.slug().equals(slug)) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }
}
