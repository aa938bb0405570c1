package org.safeguarding.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.broker.BrokerInbox;
import org.safeguarding.hub.broker.InboxEntry;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.http.Caller;
import org.safeguarding.hub.http.HubApi;
import org.safeguarding.hub.http.StreamedResponse;
import org.safeguarding.hub.intake.IntakeAnswer;
import org.safeguarding.hub.intake.IntakeGateway;
import org.safeguarding.hub.intake.IntakeRequest;
import org.safeguarding.hub.intake.ReceiptJson;
import org.safeguarding.hub.live.LivePartnership;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.auditing.AuditFeed;
import org.safeguarding.hub.auditing.AuditOutbox;
import org.safeguarding.hub.auditing.StepRecord;
import org.safeguarding.hub.registry.DeliveryRecord;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.SubmissionRecord;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.reports.ReportAudience;
import org.safeguarding.hub.routing.MessageSpool;
import org.safeguarding.hub.spool.SealedBody;

/**
 * The HTTPS API's operations: who may call each (by the role of the certificate's
 * participant), and what each answers. Refused calls are audited.
 */
public final class HubApiService implements HubApi {
    private static final String CMS_MEDIA_TYPE = "application/pkcs7-mime";

    private final IntakeGateway intake;
    private final LivePartnership partnership;
    private final SubmissionRegistry registry;
    private final BrokerInbox inbox;
    private final AuditRecorder audit;
    private final AuditApi auditApi;
    private final ReportsApi reportsApi;
    private final ObjectMapper json;
    private final Path spool;

    /** @param spool where a fetched package waits, still sealed, between the broker and the recipient */
    private final AuditFeed feed;
    private final SubjectTrace subjectTrace;
    private final AlertLookup alerts;
    private org.safeguarding.hub.withdrawal.SubmissionWithdrawal withdrawals;
    private org.safeguarding.hub.correction.SubmissionCorrection corrections;

    public HubApiService(IntakeGateway intake, LivePartnership partnership, SubmissionRegistry registry,
                         BrokerInbox inbox, AuditRecorder audit, AuditApi auditApi, ReportsApi reportsApi,
                         ObjectMapper json, Path spool, AuditFeed feed) {
        this(intake, partnership, registry, inbox, audit, auditApi, reportsApi, json, spool, feed, null, null);
    }

    /** @param subjectTrace the IG lead's subject trace over the link store (null: not offered) */
    public HubApiService(IntakeGateway intake, LivePartnership partnership, SubmissionRegistry registry,
                         BrokerInbox inbox, AuditRecorder audit, AuditApi auditApi, ReportsApi reportsApi,
                         ObjectMapper json, Path spool, AuditFeed feed, SubjectTrace subjectTrace,
                         AlertLookup alerts) {
        this.subjectTrace = subjectTrace;
        this.alerts = alerts;
        this.feed = feed;
        this.spool = spool;
        this.intake = intake;
        this.partnership = partnership;
        this.registry = registry;
        this.inbox = inbox;
        this.audit = audit;
        this.auditApi = auditApi;
        this.reportsApi = reportsApi;
        this.json = json;
    }

    @Override
    public ApiResponse submit(Caller caller, String contentType, SealedBody body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).trim().startsWith(CMS_MEDIA_TYPE)) {
            throw new HubException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The body must be " + CMS_MEDIA_TYPE + ".");
        }
        requireSystem(caller, "submit intelligence");
        IntakeAnswer answer = intake.submit(new IntakeRequest(caller.participantId(), caller.certificate(), body));
        return ApiResponse.json(answer.httpStatus(), ReceiptJson.of(answer));
    }

    /** Offers partners the withdrawal of their own submissions (without it: 404). */
    public HubApiService withWithdrawals(org.safeguarding.hub.withdrawal.SubmissionWithdrawal withdrawals) {
        this.withdrawals = withdrawals;
        return this;
    }

    @Override
    public ApiResponse withdraw(Caller caller, String submissionId, String contentType, SealedBody body) {
        if (withdrawals == null) {
            return HubApi.super.withdraw(caller, submissionId, contentType, body);
        }
        requireSystem(caller, "withdraw a submission");
        require(caller, Role.PARTNER, "withdraw a submission");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).trim().startsWith(CMS_MEDIA_TYPE)) {
            throw new HubException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The body must be " + CMS_MEDIA_TYPE + ".");
        }
        var answer = withdrawals.withdraw(caller.participantId(), submissionId, body);
        return ApiResponse.json(answer.httpStatus(), answer.json());
    }

    private org.safeguarding.hub.notices.NonDeliveryReports nonDelivery;

    /** Offers partners their signed non-delivery reports (without it: 404). */
    public HubApiService withNonDeliveryReports(org.safeguarding.hub.notices.NonDeliveryReports reports) {
        this.nonDelivery = reports;
        return this;
    }

    @Override
    public ApiResponse nonDeliveryReports(Caller caller, Map<String, String> query) {
        if (nonDelivery == null) {
            return HubApi.super.nonDeliveryReports(caller, query);
        }
        requireSystem(caller, "read non-delivery reports");
        require(caller, Role.PARTNER, "read non-delivery reports");
        int limit = inboxLimit(query.get("limit"));
        String after = query.get("after");
        if (after != null && (!PACKAGE_ID.matcher(after).matches()
                || !nonDelivery.isReportOf(caller.participantId(), after))) {
            throw new HubException(ErrorCode.BAD_REQUEST, "after must be the id of one of your non-delivery reports"
                    + " (the next of the previous page, as the Link header gives it).");
        }
        var page = nonDelivery.page(caller.participantId(), after, limit);
        Map<String, String> headers = new LinkedHashMap<>();
        if (page.next() != null) {
            headers.put("Link", "</api/v1/reports/non-delivery?after=" + page.next() + "&limit=" + limit
                    + ">; rel=\"next\"");
        }
        return new ApiResponse(200, org.safeguarding.hub.notices.NonDeliveryReports.MEDIA_TYPE, page.signed(), headers);
    }

    private boolean webhooks;

    /** Lets recipients register a webhook for urgent-package notices (without it: 404). */
    public HubApiService withWebhooks() {
        this.webhooks = true;
        return this;
    }

    @Override
    public ApiResponse webhook(Caller caller, String method, byte[] body) {
        if (!webhooks) {
            return HubApi.super.webhook(caller, method, body);
        }
        requireSystem(caller, "register a webhook");
        require(caller, Role.RECIPIENT, "register a webhook");
        String recipient = caller.participantId();
        switch (method) {
            case "PUT" -> {
                String url;
                try {
                    com.fasterxml.jackson.databind.JsonNode n = json.readTree(body);
                    url = n != null && n.isObject() && n.path("url").isTextual() ? n.path("url").asText() : null;
                } catch (java.io.IOException e) {
                    url = null;
                }
                java.net.URI uri = org.safeguarding.hub.webhooks.WebhookUrl.parse(url);
                registry.registerWebhook(recipient, uri.toString());
                audit.webhookChanged(recipient, uri.getHost());
                return ApiResponse.json(200, write(json.createObjectNode().put("recipient", recipient)
                        .put("url", uri.toString())));
            }
            case "GET" -> {
                String url = registry.webhookUrl(recipient).orElseThrow(() -> new HubException(ErrorCode.NOT_FOUND,
                        "You have registered no webhook; PUT {\"url\": \"https://...\"} registers one."));
                return ApiResponse.json(200, write(json.createObjectNode().put("recipient", recipient).put("url", url)));
            }
            case "DELETE" -> {
                if (!registry.removeWebhook(recipient)) {
                    throw new HubException(ErrorCode.NOT_FOUND, "You have registered no webhook.");
                }
                audit.webhookChanged(recipient, null);
                return ApiResponse.noContent();
            }
            default -> throw new HubException(ErrorCode.BAD_REQUEST, "Use PUT to register a webhook, GET to see it,"
                    + " DELETE to remove it.");
        }
    }

    /** Offers partners the correction of their own submissions (without it: 404). */
    public HubApiService withCorrections(org.safeguarding.hub.correction.SubmissionCorrection corrections) {
        this.corrections = corrections;
        return this;
    }

    @Override
    public ApiResponse correct(Caller caller, String submissionId, String contentType, SealedBody body) {
        if (corrections == null) {
            return HubApi.super.correct(caller, submissionId, contentType, body);
        }
        requireSystem(caller, "correct a submission");
        require(caller, Role.PARTNER, "correct a submission");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).trim().startsWith(CMS_MEDIA_TYPE)) {
            throw new HubException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The body must be " + CMS_MEDIA_TYPE + ".");
        }
        var answer = corrections.correct(caller.participantId(), submissionId, body);
        return ApiResponse.json(answer.httpStatus(), answer.json());
    }

    @Override
    public void refusedBeforeIntake(Caller caller, ErrorCode code) {
        audit.rejected(caller.participantId(), null, code, null);
    }

    @Override
    public void refusedConnection(String participantId, String why) {
        audit.refused(participantId, "https: " + why);
    }

    @Override
    public ApiResponse submissionStatus(Caller caller, String submissionId) {
        requireSystem(caller, "read a submission's status");
        require(caller, Role.PARTNER, "read a submission's status");
        SubmissionRecord record = registry.find(caller.participantId(), submissionId)
                .filter(s -> s.status() != SubmissionStatus.RECEIVING)
                .orElseThrow(() -> statusNotFound(caller, submissionId));
        ObjectNode r = json.createObjectNode();
        r.put("submissionId", submissionId);
        r.put("receiptId", record.receipt().receiptId());
        r.put("status", record.status().name());
        ArrayNode recipients = r.putArray("recipients");
        for (SubmissionRecord.Delivery d : record.deliveries()) {
            recipients.addObject().put("recipient", d.recipient()).put("packageId", d.packageId())
                    .put("kind", d.kind()).put("state", d.shownState());
        }
        return ApiResponse.json(200, write(r));
    }

    /**
     * One page of the caller's pending packages, oldest first, from the registry (the hub's own index of what it
     * delivered), so the list is complete: every pending package is on exactly one page. {@code limit}: 1 to
     * {@value #MAX_INBOX_LIMIT}, {@value #DEFAULT_INBOX_LIMIT} when absent; {@code after}: the last package id of the
     * previous page (the {@code Link rel="next"} carries it). An {@code after} that is still, or was once, in the
     * caller's inbox continues after it, even if it was acknowledged or expired meanwhile, so a recipient that
     * acknowledges as it reads misses nothing; one that never was in the caller's inbox (unknown, malformed or
     * another recipient's) is a 400, never an empty page that would look like the end. {@code Inbox-Pending} always
     * gives the total still pending.
     */
    @Override
    public ApiResponse inbox(Caller caller, Map<String, String> query) {
        require(caller, Role.RECIPIENT, "list an inbox");
        String recipient = caller.participantId();
        int limit = inboxLimit(query.get("limit"));
        String after = query.get("after");
        if (after != null && (!PACKAGE_ID.matcher(after).matches()
                || !registry.recipientOf(after).map(recipient::equals).orElse(false))) {
            throw new HubException(ErrorCode.BAD_REQUEST, "after must be the id of a package listed in your inbox"
                    + " (the last of the previous page, as the Link header gives it).");
        }
        long pending = registry.pendingCount(recipient);
        List<DeliveryRecord> page = registry.pendingPage(recipient, after, limit + 1);
        boolean more = page.size() > limit;
        if (more) {
            page = page.subList(0, limit);
        }
        ArrayNode list = json.createArrayNode();
        for (DeliveryRecord d : page) {
            ObjectNode n = list.addObject();
            n.put("packageId", d.packageId());
            n.put("submissionId", d.submissionId());
            n.put("routedAt", d.routedAt().toString());
            ArrayNode cats = n.putArray("categories");
            d.categories().forEach(cats::add);
            n.put("size", d.size());
            n.put("kind", d.kind());
            if (d.area() != null) {
                n.put("area", d.area());
            }
            if (d.urgency() != null) {
                n.put("urgency", d.urgency());
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Inbox-Pending", Long.toString(pending));
        if (more) {
            headers.put("Link", "</api/v1/inbox?after=" + page.get(page.size() - 1).packageId() + "&limit=" + limit
                    + ">; rel=\"next\"");
        }
        return new ApiResponse(200, ApiResponse.JSON, write(list), headers);
    }

    static final int DEFAULT_INBOX_LIMIT = 100;
    static final int MAX_INBOX_LIMIT = 1000;
    private static final java.util.regex.Pattern PACKAGE_ID = java.util.regex.Pattern.compile("[0-9a-fA-F-]{36}");

    private static int inboxLimit(String s) {
        if (s == null) {
            return DEFAULT_INBOX_LIMIT;
        }
        if (s.matches("[0-9]{1,4}")) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= MAX_INBOX_LIMIT) {
                return n;
            }
        }
        throw new HubException(ErrorCode.BAD_REQUEST,
                "limit must be a whole number from 1 to " + MAX_INBOX_LIMIT + " (" + DEFAULT_INBOX_LIMIT
                        + " when absent).");
    }

    @Override
    public StreamedResponse fetchPackage(Caller caller, String packageId) {
        require(caller, Role.RECIPIENT, "fetch a package");
        // the registry knows what is pending: the broker is asked only for a package it holds, so a 404 costs no wait
        if (!registry.isPending(caller.participantId(), packageId)) {
            throw notFound(caller, packageId);
        }
        // the broker streams the package into a spool file, then the file streams to the recipient: a large package
        // is never one array in memory, and a slow recipient never holds a broker session open
        Path file = spool.resolve("fetch-" + UUID.randomUUID() + ".sealed");
        try {
            boolean found;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), 64 * 1024)) {
                found = inbox.fetch(caller.participantId(), packageId, out);
            }
            if (!found) {
                throw notFound(caller, packageId);
            }
            audit.fetched(caller.actor(), caller.participantId(), null, packageId);
            return StreamedResponse.ofLength(200, ApiResponse.CMS, Files.size(file), out -> {
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo(out);
                } finally {
                    MessageSpool.deleteQuietly(file);
                }
            });
        } catch (IOException e) {
            MessageSpool.deleteQuietly(file);
            throw new HubException(ErrorCode.UNAVAILABLE, "The package could not be read from the inbox now.", e);
        } catch (RuntimeException e) {
            MessageSpool.deleteQuietly(file);
            throw e;
        }
    }

    @Override
    public ApiResponse acknowledge(Caller caller, String packageId) {
        requireSystem(caller, "acknowledge a package");
        require(caller, Role.RECIPIENT, "acknowledge a package");
        if (!registry.isPending(caller.participantId(), packageId)) {
            throw notFound(caller, packageId);
        }
        // recorded inside the consume's transaction: an acknowledgement is never lost unrecorded, nor recorded undone
        StepRecord step = new StepRecord().change(new RegistryChange.PackageState(packageId, DeliveryState.ACKNOWLEDGED));
        AuditFeed.Applied applied = feed.expect(step.id());
        Optional<InboxEntry> taken;
        try {
            taken = inbox.acknowledge(caller.participantId(), packageId, (entry, session) -> AuditOutbox.send(session,
                    step.audit(audit.acknowledgedRecord(caller.participantId(), entry.submissionId(), packageId,
                            "https"))));
        } catch (RuntimeException e) {
            applied.cancel();
            throw e;
        }
        if (taken.isEmpty()) {
            applied.cancel();
            throw notFound(caller, packageId);
        }
        applied.await(AuditFeed.ANSWER_WAIT); // so that the partner's next look at its status sees it
        return ApiResponse.noContent();
    }

    /** Unknown and another partner's submissions look the same; asking for another's is audited. */
    private HubException statusNotFound(Caller caller, String submissionId) {
        if (submissionId != null && submissionId.length() <= 64) {
            for (String owner : registry.otherSenders(submissionId, caller.participantId())) {
                audit.statusAccessDenied(caller.participantId(), owner, submissionId);
            }
        }
        return new HubException(ErrorCode.NOT_FOUND, "No submission with that id from you.");
    }

    /** Unknown, acknowledged and another recipient's packages all look the same; another's is audited. */
    private HubException notFound(Caller caller, String packageId) {
        registry.recipientOf(packageId)
                .filter(owner -> !owner.equals(caller.participantId()))
                .ifPresent(owner -> audit.accessDenied(caller.participantId(), owner, packageId));
        return new HubException(ErrorCode.NOT_FOUND, "No such package in your inbox.");
    }

    @Override
    public ApiResponse auditEvents(Caller caller, Map<String, String> query) {
        require(caller, Role.IG_LEAD, "read the audit trail");
        return auditApi.events(caller.actor(), query);
    }

    @Override
    public ApiResponse auditVerify(Caller caller) {
        require(caller, Role.IG_LEAD, "verify the audit trail");
        return auditApi.verify(caller.actor());
    }

    @Override
    public StreamedResponse auditExport(Caller caller, Map<String, String> query) {
        require(caller, Role.IG_LEAD, "export the audit trail");
        return auditApi.export(caller.actor(), query);
    }

    @Override
    public ApiResponse alert(Caller caller, String alertId) {
        require(caller, Role.IG_LEAD, "look up an alert");
        if (alerts == null) {
            throw new HubException(ErrorCode.NOT_FOUND, "This hub keeps no links: there are no alerts.");
        }
        return alerts.alert(caller.actor(), alertId);
    }

    private WhatIfApi whatIf;

    /** Offers the IG lead the what-if over the kept decision facts (without it: 404). */
    public HubApiService withWhatIf(WhatIfApi whatIf) {
        this.whatIf = whatIf;
        return this;
    }

    @Override
    public ApiResponse whatIf(Caller caller, byte[] body, Map<String, String> query) {
        if (whatIf == null) {
            return HubApi.super.whatIf(caller, body, query);
        }
        require(caller, Role.IG_LEAD, "put a draft partnership to the past decisions");
        return whatIf.evaluate(caller.actor(), body, query);
    }

    @Override
    public ApiResponse subjectTrace(Caller caller, byte[] body, Map<String, String> query) {
        require(caller, Role.IG_LEAD, "trace a subject");
        if (subjectTrace == null) {
            throw new HubException(ErrorCode.NOT_FOUND, "This hub keeps no links: the subject trace is not offered.");
        }
        // the server has refused any query parameter but format: the child's identifiers are only ever in the body
        return subjectTrace.trace(caller.actor(), body, query.get("format"));
    }

    /**
     * The IG lead sees every figure and id over any window; the board only ended months and quarters, in
     * aggregate, under the disclosure control of {@code reports.SmallNumbers} (see {@link ReportsApi}).
     */
    @Override
    public ApiResponse flowReport(Caller caller, Map<String, String> query) {
        Optional<Participant> p = partnership.partnership().participant(caller.participantId())
                .filter(x -> !x.suspended());
        if (p.isPresent() && p.get().hasRole(Role.IG_LEAD)) {
            return reportsApi.flows(caller.actor(), query, ReportAudience.IG_LEAD);
        }
        if (p.isPresent() && p.get().hasRole(Role.BOARD)) {
            return reportsApi.flows(caller.actor(), query, ReportAudience.BOARD);
        }
        audit.refused(caller.actor(), "read the flow reports");
        throw new HubException(ErrorCode.FORBIDDEN,
                "Only a participant with the IG_LEAD or BOARD role may read the flow reports.");
    }

    private org.safeguarding.hub.console.PeopleConsole console;

    /** Offers the people's console on the HTTPS listener (without it: 404). */
    public HubApiService withConsole(org.safeguarding.hub.console.PeopleConsole console) {
        this.console = console;
        return this;
    }

    @Override
    public ApiResponse consolePage(Caller caller, String page, Map<String, String> query) {
        if (console == null) {
            return HubApi.super.consolePage(caller, page, query);
        }
        return console.page(this, caller, roles(caller), page, query);
    }

    @Override
    public ApiResponse consoleForm(Caller caller, String page, Map<String, String> headers, byte[] form) {
        if (console == null) {
            return HubApi.super.consoleForm(caller, page, headers, form);
        }
        return console.form(this, caller, roles(caller), page, headers, form);
    }

    /** The roles of the caller's participant while it is not suspended; none otherwise. */
    private java.util.Set<Role> roles(Caller caller) {
        java.util.Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
        partnership.partnership().participant(caller.participantId()).filter(p -> !p.suspended())
                .ifPresent(p -> java.util.EnumSet.allOf(Role.class).stream().filter(p::hasRole).forEach(roles::add));
        return roles;
    }

    private void require(Caller caller, Role role, String operation) {
        Optional<Participant> p = partnership.partnership().participant(caller.participantId());
        if (p.isEmpty() || !p.get().hasRole(role) || p.get().suspended()) {
            audit.refused(caller.actor(), operation);
            throw new HubException(ErrorCode.FORBIDDEN, "Only a participant with the " + role.name()
                    + " role may " + operation + ".");
        }
    }

    /**
     * What a participant's system does (submit, withdraw, correct, acknowledge, webhooks): never a person, whose
     * certificate only signs in to the console and reads.
     */
    private void requireSystem(Caller caller, String operation) {
        if (caller.isPerson()) {
            audit.refused(caller.actor(), operation);
            throw new HubException(ErrorCode.FORBIDDEN, "A person's certificate signs in to the console and reads;"
                    + " only " + caller.participantId() + "'s own system, with its certificate, may " + operation
                    + ".");
        }
    }

    private byte[] write(Object node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
