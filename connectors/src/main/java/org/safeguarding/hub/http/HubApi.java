package org.safeguarding.hub.http;

import org.safeguarding.hub.spool.SealedBody;

/**
 * The operations of the HTTPS API, as the server hands them over: the caller is already
 * authenticated by its certificate. Implementations answer with an {@link ApiResponse} or
 * throw {@link org.safeguarding.hub.error.HubException}, which the server turns into an
 * RFC 9457 problem document. They are called on worker threads and may block.
 */
public interface HubApi {
    /** A request refused by the server itself before it reached an operation (an oversized body): to be audited. */
    default void refusedBeforeIntake(Caller caller, org.safeguarding.hub.error.ErrorCode code) {
    }

    /** A request refused by the server because its client certificate is no longer trusted: to be audited. */
    default void refusedConnection(String participantId, String why) {
    }

    /** A sealed submission; the body may be spooled to a file, which the server deletes after the answer. */
    ApiResponse submit(Caller caller, String contentType, SealedBody body);

    ApiResponse submissionStatus(Caller caller, String submissionId);

    /**
     * A sealed withdrawal of the caller's own submission {@code submissionId}; the body may be spooled, as a
     * submission's is. A hub without withdrawals answers 404.
     */
    default ApiResponse withdraw(Caller caller, String submissionId, String contentType, SealedBody body) {
        throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.NOT_FOUND,
                "This hub takes no withdrawals.");
    }

    /**
     * A sealed correction of the caller's own submission {@code submissionId}: the whole corrected submission with its
     * revision; the body may be spooled. A hub without corrections answers 404.
     */
    /**
     * A page of the calling partner's signed non-delivery reports ({@code query}: {@code limit}, {@code after}, as
     * sent). A hub without them answers 404.
     */
    default ApiResponse nonDeliveryReports(Caller caller, java.util.Map<String, String> query) {
        throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.NOT_FOUND,
                "This hub keeps no non-delivery reports.");
    }

    /** The calling recipient's webhook: {@code PUT} registers {@code {"url"}}, {@code GET} shows, {@code DELETE} removes. */
    default ApiResponse webhook(Caller caller, String method, byte[] body) {
        throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.NOT_FOUND,
                "This hub takes no webhooks.");
    }

    default ApiResponse correct(Caller caller, String submissionId, String contentType, SealedBody body) {
        throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.NOT_FOUND,
                "This hub takes no corrections.");
    }

    /**
     * A recipient's pending packages, one page: {@code query} holds {@code limit} and {@code after} as the client sent
     * them (unchecked).
     */
    ApiResponse inbox(Caller caller, java.util.Map<String, String> query);

    /** The first page of the inbox, at the default size. */
    default ApiResponse inbox(Caller caller) {
        return inbox(caller, java.util.Map.of());
    }

    StreamedResponse fetchPackage(Caller caller, String packageId);

    ApiResponse acknowledge(Caller caller, String packageId);

    /** IG lead only: audit events, JSON. */
    ApiResponse auditEvents(Caller caller, java.util.Map<String, String> query);

    /** IG lead only: verification of the whole trail. */
    ApiResponse auditVerify(Caller caller);

    /** IG lead only: the trail (or a window of it) as CSV or JSON Lines, streamed in constant memory. */
    StreamedResponse auditExport(Caller caller, java.util.Map<String, String> query);

    /** IG lead (everything) or board (aggregate, small numbers suppressed): the flow report, JSON. */
    ApiResponse flowReport(Caller caller, java.util.Map<String, String> query);

    /**
     * IG lead only: every submission, package, redaction, acknowledgement and alert about a child, found by the
     * identifiers in {@code body} (JSON; never in a URL, never stored or echoed); {@code query} holds {@code format}.
     */
    default ApiResponse subjectTrace(Caller caller, byte[] body, java.util.Map<String, String> query) {
        throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.NOT_FOUND,
                "No such operation: see the API in the README.");
    }

    /**
     * IG lead only: a draft partnership file ({@code body}, YAML) put to the decisions of the last weeks ({@code query}
     * holds {@code weeks}): who would gain or lose which submissions and fields. A hub without it answers 404.
     */
    default ApiResponse whatIf(Caller caller, byte[] body, java.util.Map<String, String> query) {
        throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.NOT_FOUND,
                "No such operation: see the API in the README.");
    }

    /** IG lead only: one alert by id, with the submissions and partners it links (never a token or value). */
    default ApiResponse alert(Caller caller, String alertId) {
        throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.NOT_FOUND,
                "No such operation: see the API in the README.");
    }

    /**
     * A page of the people's console, HTML (or its stylesheet): {@code page} is the path under {@code /console} ("" for
     * the start page, {@code "audit"}, {@code "submissions/<id>"}...), {@code query} its checked parameters. Read only:
     * every page is a GET. A hub without the console answers 404.
     */
    default ApiResponse consolePage(Caller caller, String page, java.util.Map<String, String> query) {
        throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.NOT_FOUND,
                "No such operation: see the API in the README.");
    }

    /**
     * A form of the people's console sent back ({@code POST /console/<page>}, {@code application/x-www-form-urlencoded}
     * in {@code form}), with the request's {@code Host}, {@code Origin} and {@code Sec-Fetch-Site} headers in
     * {@code headers} (absent ones left out), so that a request from another site is refused. A hub without the
     * console answers 404.
     */
    default ApiResponse consoleForm(Caller caller, String page, java.util.Map<String, String> headers, byte[] form) {
        throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.NOT_FOUND,
                "No such operation: see the API in the README.");
    }
}
