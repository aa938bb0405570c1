package org.safeguarding.hub.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.CryptoFailure;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.error.ProblemJson;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.spool.SealedBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partner and recipient HTTPS API on Vert.x: TLS 1.2 or 1.3 only, and a client
 * certificate that chains to the partnership CA is required during the handshake (a client
 * without one never reaches a handler). Each request is handed to {@link HubApi} on a worker
 * thread with the caller's participant id taken from its certificate.
 */
public final class HttpsApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpsApiServer.class);
    /** A streamed answer gives up when the client reads nothing for this long. */
    static final long STREAM_STALL_SECONDS = 120;

    private final Vertx vertx;
    private final HubSettings.Http settings;
    private final X509KeyManager keyManager;
    private final X509TrustManager trustManager;
    private final HubApi api;
    private final Semaphore submissionSlots;
    /** Submissions each partner has in hand now (counted with the slots). */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> perPartner = new java.util.concurrent.ConcurrentHashMap<>();
    /** Bytes of the bodies being spooled now, together. */
    private final java.util.concurrent.atomic.AtomicLong spooling = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.function.LongSupplier nanos;
    private final Path spool;
    /** Problem documents typed with the public base URL; set again once the port is known when it was 0. */
    private volatile ProblemDocuments problems;
    private HttpServer server;

    /** A server that spools submission bodies to the system's temporary directory (they are sealed to the hub). */
    public HttpsApiServer(Vertx vertx, HubSettings.Http settings, X509KeyManager keyManager,
                          X509TrustManager trustManager, HubApi api) {
        this(vertx, settings, keyManager, trustManager, api, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * @param spool where submission bodies are written as they arrive, still sealed, until they are answered; a
     *              large body is never held in memory
     */
    public HttpsApiServer(Vertx vertx, HubSettings.Http settings, X509KeyManager keyManager,
                          X509TrustManager trustManager, HubApi api, Path spool) {
        this.spool = spool;
        this.vertx = vertx;
        this.settings = settings;
        this.keyManager = keyManager;
        this.trustManager = trustManager;
        this.api = api;
        this.submissionSlots = new Semaphore(settings.maxConcurrentSubmissions());
        this.nanos = System::nanoTime;
        this.problems = new ProblemDocuments(new ProblemJson(settings.publicBaseUrl(settings.port())));
    }

    /** Starts listening; returns the bound port (useful when the configured port is 0). */
    public int start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                .setSsl(true)
                .setClientAuth(ClientAuth.REQUIRED)
                .setKeyCertOptions(KeyCertOptions.wrap(keyManager))
                .setTrustOptions(TrustOptions.wrap(trustManager))
                .setEnabledSecureTransportProtocols(new LinkedHashSet<>(TlsMaterial.PROTOCOLS))
                .setSslHandshakeTimeout(30)
                .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS)
                .setIdleTimeout(120)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setCompressionSupported(false)
                // a console form is decoded by Vert.x too, each field bounded by this (8 KiB by default, less than a
                // draft partnership file); the route's body limit bounds the whole form
                .setMaxFormAttributeSize(3 * WHAT_IF_BODY_LIMIT);
        TlsMaterial.CIPHER_SUITES.forEach(options::addEnabledCipherSuite); // AEAD only
        try {
            server = VertxServers.await(vertx.createHttpServer(options).requestHandler(router()).listen());
            if (settings.port() == 0) { // nobody can have reached a port that was not known yet
                problems = new ProblemDocuments(new ProblemJson(settings.publicBaseUrl(server.actualPort())));
            }
        } catch (Exception e) {
            throw new HubException(ErrorCode.UNAVAILABLE,
                    "the HTTPS API could not listen on " + settings.host() + ":" + settings.port()
                            + " (" + rootMessage(e) + ")", e);
        }
        LOG.info("HTTPS API listening on {}:{} (partners reach it at {})", settings.host(), server.actualPort(),
                publicBaseUrl());
        return server.actualPort();
    }

    /** The address partners reach the API at: problem types and pages are under it. */
    public String publicBaseUrl() {
        return settings.publicBaseUrl(server == null ? settings.port() : server.actualPort());
    }

    /** The problem documents this server answers with (the SFTP drop writes the same ones). */
    public ProblemJson problemJson() {
        return problems.json();
    }

    /** The largest subject-trace request body read (beyond it: 413, nothing read further). */
    static final int SUBJECT_TRACE_BODY_LIMIT = 16 * 1024;
    static final int WEBHOOK_BODY_LIMIT = 4 * 1024;
    /** The largest draft partnership file a what-if reads. */
    static final int WHAT_IF_BODY_LIMIT = 512 * 1024;

    Router router() {
        Router router = Router.router(vertx);
        // a slot is taken before the body is read, so that concurrent uploads cannot exhaust memory
        router.post("/api/v1/submissions").handler(this::takeSubmissionSlot);
        router.post("/api/v1/submissions")
                .handler(this::spoolBody)
                .blockingHandler(ctx -> submit(ctx), false);
        // a withdrawal is sealed like a submission, and takes a submission's slot while its body is read
        router.post("/api/v1/submissions/:id/withdrawal").handler(this::takeSubmissionSlot);
        router.post("/api/v1/submissions/:id/withdrawal")
                .handler(this::spoolBody)
                .blockingHandler(ctx -> withdraw(ctx), false);
        router.post("/api/v1/submissions/:id/correction").handler(this::takeSubmissionSlot);
        router.post("/api/v1/submissions/:id/correction")
                .handler(this::spoolBody)
                .blockingHandler(ctx -> correct(ctx), false);
        router.get("/api/v1/submissions/:id")
                .blockingHandler(ctx -> call(ctx, c -> api.submissionStatus(c, ctx.pathParam("id"))), false);
        router.get("/api/v1/inbox")
                .blockingHandler(ctx -> call(ctx, c -> api.inbox(c, queryParams(ctx))), false);
        // before /api/v1/inbox/:packageId, which would take "webhook" for a package id
        for (io.vertx.core.http.HttpMethod method : List.of(io.vertx.core.http.HttpMethod.GET,
                io.vertx.core.http.HttpMethod.PUT, io.vertx.core.http.HttpMethod.DELETE)) {
            router.route(method, "/api/v1/inbox/webhook")
                    .handler(io.vertx.ext.web.handler.BodyHandler.create(false).setBodyLimit(WEBHOOK_BODY_LIMIT))
                    .blockingHandler(ctx -> call(ctx, c -> api.webhook(c, ctx.request().method().name(),
                            ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes())), false);
        }
        router.get("/api/v1/inbox/:packageId")
                .blockingHandler(ctx -> stream(ctx, c -> api.fetchPackage(c, ctx.pathParam("packageId"))), false);
        router.post("/api/v1/inbox/:packageId/ack")
                .blockingHandler(ctx -> call(ctx, c -> api.acknowledge(c, ctx.pathParam("packageId"))), false);
        router.get("/api/v1/audit/events")
                .blockingHandler(ctx -> call(ctx, c -> api.auditEvents(c, queryParams(ctx))), false);
        router.get("/api/v1/audit/verify")
                .blockingHandler(ctx -> call(ctx, api::auditVerify), false);
        router.get("/api/v1/audit/export")
                .blockingHandler(ctx -> stream(ctx, c -> api.auditExport(c, queryParams(ctx))), false);
        // a small JSON body, read whole in memory (never to a file): the child's identifiers of a subject trace
        router.post("/api/v1/audit/subjects")
                .handler(io.vertx.ext.web.handler.BodyHandler.create(false).setBodyLimit(SUBJECT_TRACE_BODY_LIMIT))
                .blockingHandler(ctx -> call(ctx, c -> api.subjectTrace(c,
                        ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(),
                        queryParams(ctx))), false);
        // a draft partnership file, read whole in memory: the IG lead's what-if
        router.post("/api/v1/audit/what-if")
                .handler(io.vertx.ext.web.handler.BodyHandler.create(false).setBodyLimit(WHAT_IF_BODY_LIMIT))
                .blockingHandler(ctx -> call(ctx, c -> api.whatIf(c,
                        ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(),
                        queryParams(ctx))), false);
        router.get("/api/v1/audit/alerts/:alertId")
                .blockingHandler(ctx -> call(ctx, c -> api.alert(c, ctx.pathParam("alertId"))), false);
        router.get("/api/v1/reports/non-delivery")
                .blockingHandler(ctx -> call(ctx, c -> api.nonDeliveryReports(c, queryParams(ctx))), false);
        router.get("/api/v1/reports/flows")
                .blockingHandler(ctx -> call(ctx, c -> api.flowReport(c, queryParams(ctx))), false);
        // the people's console: read-only pages, each a GET whose parameters are metadata (never a child's identifier)
        for (String page : CONSOLE_PAGES) {
            router.get("/console" + (page.isEmpty() ? "" : "/" + page)).blockingHandler(ctx -> call(ctx,
                    c -> api.consolePage(c, page, queryParams(ctx))), false);
        }
        // the subject trace's form: the child's identifiers in the body only, never in a URL
        router.post("/console/subjects")
                .handler(io.vertx.ext.web.handler.BodyHandler.create(false).setBodyLimit(SUBJECT_TRACE_BODY_LIMIT))
                .blockingHandler(ctx -> call(ctx, c -> api.consoleForm(c, "subjects", formHeaders(ctx),
                        ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes())), false);
        // the what-if's form: a draft partnership file, URL-encoded (so up to about three times its size)
        router.post("/console/whatif")
                .handler(io.vertx.ext.web.handler.BodyHandler.create(false).setBodyLimit(3 * WHAT_IF_BODY_LIMIT))
                .blockingHandler(ctx -> call(ctx, c -> api.consoleForm(c, "whatif", formHeaders(ctx),
                        ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes())), false);
        router.get("/console/alerts/:alertId").blockingHandler(ctx -> call(ctx,
                c -> api.consolePage(c, "alerts/" + ctx.pathParam("alertId"), queryParams(ctx))), false);
        router.get("/console/submissions/:submissionId").blockingHandler(ctx -> call(ctx,
                c -> api.consolePage(c, "submissions/" + ctx.pathParam("submissionId"), queryParams(ctx))), false);
        router.get("/api/v1/openapi.json")
                .blockingHandler(ctx -> call(ctx, c -> ApiReference.openApi()), false);
        router.get(ProblemJson.PAGES + ":code")
                .blockingHandler(ctx -> call(ctx, c -> ApiReference.problemPage(ctx.pathParam("code"))), false);
        AllowedMethods allowed = AllowedMethods.of(router.getRoutes());
        router.route().last().handler(ctx -> {
            String allow = allowed.forPath(ctx.request().path());
            if (allow.isEmpty()) {
                send(ctx, problem(ctx, ErrorCode.NOT_FOUND,
                        "No such operation: the API is at " + publicBaseUrl() + "/api/v1/openapi.json."));
            } else {
                ApiResponse p = problem(ctx, ErrorCode.METHOD_NOT_ALLOWED, "This path takes " + allow + " only.");
                send(ctx, p.withHeader("Allow", allow));
            }
        });
        router.errorHandler(413, ctx -> {
            // the rest of the body is not read: the connection cannot carry another request
            ctx.put(CLOSE_AFTER_ANSWER, Boolean.TRUE);
            Caller caller = callerOrNull(ctx);
            send(ctx, problem(ctx, ErrorCode.TOO_LARGE,
                    "The body is over " + settings.maxSubmissionBytes() + " bytes."));
            if (caller != null) {
                // audited like every other refusal; off the event loop, as the audit store blocks
                vertx.executeBlocking(() -> {
                    api.refusedBeforeIntake(caller, ErrorCode.TOO_LARGE);
                    return null;
                }, false).onFailure(e -> LOG.warn("an oversized body could not be audited: {}", e.toString()));
            }
        });
        router.errorHandler(500, ctx -> {
            LOG.error("unexpected failure in {} {}", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
            send(ctx, problem(ctx, ErrorCode.INTERNAL, null));
        });
        return router;
    }

    /**
     * The query parameters each operation takes ({@code "GET /api/v1/inbox"}); every other operation takes none. Any
     * other parameter, or one given twice, is refused with 400 before the operation runs.
     */
    /** The console's pages by their path under {@code /console} (a submission's story is {@code submissions/:id}). */
    static final List<String> CONSOLE_PAGES = List.of("", "console.css", "audit", "verify", "flows", "inbox",
            "subjects", "agreements", "attention", "whatif");

    /** What a console form's handler needs to tell the hub's own pages from another site's. */
    private static Map<String, String> formHeaders(RoutingContext ctx) {
        Map<String, String> h = new java.util.HashMap<>();
        for (String name : List.of("Host", "Origin", "Sec-Fetch-Site", "Content-Type")) {
            String v = ctx.request().getHeader(name);
            if (v != null) {
                h.put(name, v);
            }
        }
        return Map.copyOf(h);
    }

    static final Map<String, List<String>> QUERY_PARAMETERS = Map.ofEntries(
            Map.entry("GET /console/audit", List.of("submissionId", "participant", "type", "from", "to", "after")),
            Map.entry("GET /console/flows", List.of("period")),
            Map.entry("GET /console/inbox", List.of("after")),
            Map.entry(
"GET /api/v1/inbox", List.of("limit", "after")),
            Map.entry("GET /api/v1/audit/events",
                    List.of("submissionId", "participant", "type", "from", "to", "after", "limit")),
            Map.entry("GET /api/v1/audit/export", List.of("format", "submissionId", "participant", "type", "from", "to")),
            Map.entry("POST /api/v1/audit/subjects", List.of("format")),
            Map.entry("POST /api/v1/audit/what-if", List.of("weeks")),
            Map.entry("GET /api/v1/reports/non-delivery", List.of("limit", "after")),
            Map.entry("GET /api/v1/reports/flows", List.of("period", "from", "to", "unacknowledgedAfter")));

    private static Map<String, String> queryParams(RoutingContext ctx) {
        return QueryParameters.check(ctx.queryParams(), QUERY_PARAMETERS.getOrDefault(operation(ctx), List.of()));
    }

    /** {@code "GET /api/v1/inbox/{packageId}"}: the method and the path template of the route being run. */
    private static String operation(RoutingContext ctx) {
        String path = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? ctx.request().path()
                : ctx.currentRoute().getPath();
        return ctx.request().method().name() + " " + path.replaceAll(":([A-Za-z]+)", "{$1}");
    }

    private ApiResponse problem(RoutingContext ctx, ErrorCode code, String detail) {
        logRefusal(ctx, code);
        return problems.of(code, detail, ctx.request().path());
    }

    private ApiResponse problem(RoutingContext ctx, HubException e) {
        logRefusal(ctx, e.code());
        return problems.of(e, ctx.request().path());
    }

    /**
     * Every refusal, once, at INFO: the operation (its route, never the path or query the caller typed), the
     * participant its certificate names, the status and the code. Nothing of what was sent.
     */
    private static void logRefusal(RoutingContext ctx, ErrorCode code) {
        Caller caller = callerOrNull(ctx);
        String route = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "(no such operation)"
                : ctx.currentRoute().getPath().replaceAll(":([A-Za-z]+)", "{$1}");
        LOG.info("refused {} {} for {}: {} {}", ctx.request().method(), route,
                caller == null ? "(no participant)" : caller.participantId(), code.httpStatus(), code);
    }

    /**
     * A submission takes one of the server's slots, and one of its partner's, before its body is read: no partner can
     * hold them all, whatever its uploads do (a slow one is cut by {@link #spoolBody}'s rate and deadline checks).
     */
    private void takeSubmissionSlot(RoutingContext ctx) {
        Caller caller = callerOrNull(ctx);
        String partner = caller == null ? "" : caller.participantId();
        int cap = settings.maxSubmissionsPerPartner();
        boolean[] partnerFull = {false};
        perPartner.compute(partner, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= cap) {
                partnerFull[0] = true;
                return n;
            }
            return now + 1;
        });
        if (partnerFull[0]) {
            answerAfterBody(ctx, problem(ctx, ErrorCode.UNAVAILABLE, "You have " + cap
                    + " submissions in progress, the most one partner may have at once."));
            return;
        }
        Runnable releasePartner = () -> perPartner.computeIfPresent(partner, (k, n) -> n <= 1 ? null : n - 1);
        if (!submissionSlots.tryAcquire()) {
            releasePartner.run();
            answerAfterBody(ctx, problem(ctx, ErrorCode.UNAVAILABLE,
                    "The hub is at its limit of concurrent submissions."));
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                submissionSlots.release();
                releasePartner.run();
            }
        };
        // called when the response ends or the request is disposed (a client that went away)
        ctx.addEndHandler(done -> release.run());
        ctx.next();
    }

    /** Slots and spool space in use now (tests, metrics). */
    int submissionsInHand(String partner) {
        return perPartner.getOrDefault(partner, 0);
    }

    long bytesBeingSpooled() {
        return spooling.get();
    }

    /**
     * Writes the body, as it arrives and with back-pressure, to a file of its own in the spool directory (it is sealed
     * to the hub, so nothing readable is at rest); over {@code maxSubmissionBytes} it is refused with 413 as soon as
     * that is known. The file is deleted when the answer has gone or the client went away.
     */
    private void spoolBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long max = settings.maxSubmissionBytes();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && declared.matches("[0-9]{1,18}") && Long.parseLong(declared) > max) {
            ctx.fail(413);
            return;
        }
        request.pause();
        Path file = spool.resolve("submission-" + UUID.randomUUID() + ".sealed");
        vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
                .onFailure(e -> {
                    LOG.error("a submission body could not be spooled to {}: {}", spool, e.toString());
                    ctx.put(CLOSE_AFTER_ANSWER, Boolean.TRUE);
                    request.resume();
                    send(ctx, problem(ctx, ErrorCode.UNAVAILABLE, "The hub could not take the body in."));
                })
                .onSuccess(out -> {
                    // closed once: when the whole body is in, or when the exchange ends (a client that went away);
                    // end() (unlike flush()) completes only after every pending write has reached the file
                    Object lock = new Object();
                    @SuppressWarnings("unchecked")
                    Future<Void>[] closing = new Future[1];
                    Supplier<Future<Void>> closeOnce = () -> {
                        synchronized (lock) {
                            if (closing[0] == null) {
                                closing[0] = out.end();
                            }
                            return closing[0];
                        }
                    };
                    long[] received = {0};
                    boolean[] refused = {false};
                    long started = nanos.getAsLong();
                    long timer = vertx.setPeriodic(RATE_CHECK_MILLIS, id -> {
                        if (!refused[0] && !request.isEnded() && tooSlow(started, received[0])) {
                            refused[0] = true;
                            vertx.cancelTimer(id);
                            refuseSlowBody(ctx);
                        }
                    });
                    ctx.addEndHandler(done -> {
                        vertx.cancelTimer(timer);
                        spooling.addAndGet(-received[0]);
                        closeOnce.get().onComplete(c -> vertx.fileSystem().delete(file.toString()));
                    });
                    request.handler(chunk -> {
                        if (refused[0]) {
                            return;
                        }
                        received[0] += chunk.length();
                        if (received[0] > max) {
                            refused[0] = true;
                            spooling.addAndGet(chunk.length());
                            ctx.fail(413);
                            return;
                        }
                        if (spooling.addAndGet(chunk.length()) > settings.maxSpooledBytes()) {
                            refused[0] = true;
                            ctx.put(CLOSE_AFTER_ANSWER, Boolean.TRUE);
                            send(ctx, problem(ctx, ErrorCode.UNAVAILABLE,
                                    "The hub's space for bodies being uploaded is full."));
                            return;
                        }
                        out.write(chunk);
                        if (out.writeQueueFull()) {
                            request.pause();
                            out.drainHandler(v -> request.resume());
                        }
                    });
                    request.exceptionHandler(e -> refused[0] = true);
                    request.endHandler(v -> {
                        if (refused[0]) {
                            return;
                        }
                        closeOnce.get().onComplete(written -> {
                            if (written.failed()) {
                                LOG.error("a submission body could not be spooled: {}", written.cause().toString());
                                send(ctx, problem(ctx, ErrorCode.UNAVAILABLE, "The hub could not take the body in."));
                                return;
                            }
                            ctx.put(SPOOLED, SealedBody.spooled(file, received[0]));
                            ctx.next();
                        });
                    });
                    request.resume();
                });
    }

    private static final long RATE_CHECK_MILLIS = 1000;

    /** Over the deadline, or past the grace period at under the minimum average rate. */
    private boolean tooSlow(long startedNanos, long received) {
        long elapsed = nanos.getAsLong() - startedNanos;
        if (elapsed > settings.bodyDeadline().toNanos()) {
            return true;
        }
        return elapsed > HubSettings.Http.RATE_GRACE.toNanos()
                && received * 1_000_000_000.0 / elapsed < settings.minBodyBytesPerSecond();
    }

    /** 408 at once and the connection closes after it (the rest of the body is not waited for); audited. */
    private void refuseSlowBody(RoutingContext ctx) {
        ctx.put(CLOSE_AFTER_ANSWER, Boolean.TRUE);
        send(ctx, problem(ctx, ErrorCode.BODY_TOO_SLOW, "The body must arrive at "
                + settings.minBodyBytesPerSecond() + " bytes per second or more on average, and whole within "
                + settings.bodyDeadline().toSeconds() + " s."));
        Caller caller = callerOrNull(ctx);
        if (caller != null) {
            vertx.executeBlocking(() -> {
                api.refusedBeforeIntake(caller, ErrorCode.BODY_TOO_SLOW);
                return null;
            }, false).onFailure(e -> LOG.warn("a body too slow could not be audited: {}", e.toString()));
        }
    }

    private static final String SPOOLED = "hubSpooledBody";
    /** Set when the answer goes before the request body was read in full: then the connection closes after it. */
    private static final String CLOSE_AFTER_ANSWER = "hubCloseAfterAnswer";

    /**
     * Answers a request that is refused before its body is wanted (no submission slot free) once the body has been
     * read and dropped, so that the connection stays alive for the client's retry (a busy partner does not pay a TLS
     * handshake per retry). A body over the size limit, or one the client only sends after {@code 100 Continue}, is
     * not waited for: the answer goes at once and the connection closes after it; so does a body that arrives more
     * slowly than the minimum rate.
     */
    private void answerAfterBody(RoutingContext ctx, ApiResponse answer) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            send(ctx, answer);
            return;
        }
        long max = settings.maxSubmissionBytes();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean tooLong = declared != null && (!declared.matches("[0-9]{1,18}") || Long.parseLong(declared) > max);
        if (tooLong || "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            ctx.put(CLOSE_AFTER_ANSWER, Boolean.TRUE);
            send(ctx, answer);
            return;
        }
        long[] dropped = {0};
        long started = nanos.getAsLong();
        // a body that comes too slowly is not waited for either: the answer goes and the connection closes
        long timer = vertx.setPeriodic(RATE_CHECK_MILLIS, id -> {
            if (ctx.response().ended()) {
                vertx.cancelTimer(id);
            } else if (!request.isEnded() && tooSlow(started, dropped[0])) {
                vertx.cancelTimer(id);
                ctx.put(CLOSE_AFTER_ANSWER, Boolean.TRUE);
                send(ctx, answer);
            }
        });
        ctx.addEndHandler(done -> vertx.cancelTimer(timer));
        request.handler(chunk -> {
            dropped[0] += chunk.length();
            if (dropped[0] > max && !ctx.response().ended()) {
                ctx.put(CLOSE_AFTER_ANSWER, Boolean.TRUE);
                send(ctx, answer);
            }
        });
        request.exceptionHandler(e -> LOG.debug("a refused request's body did not arrive: {}", e.toString()));
        request.endHandler(v -> send(ctx, answer)); // nothing if it was answered already
        request.resume();
    }

    private void submit(RoutingContext ctx) {
        SealedBody body = ctx.get(SPOOLED);
        call(ctx, c -> api.submit(c, ctx.request().getHeader("Content-Type"), body));
    }

    private void withdraw(RoutingContext ctx) {
        SealedBody body = ctx.get(SPOOLED);
        call(ctx, c -> api.withdraw(c, ctx.pathParam("id"), ctx.request().getHeader("Content-Type"), body));
    }

    private void correct(RoutingContext ctx) {
        SealedBody body = ctx.get(SPOOLED);
        call(ctx, c -> api.correct(c, ctx.pathParam("id"), ctx.request().getHeader("Content-Type"), body));
    }

    private void call(RoutingContext ctx, Function<Caller, ApiResponse> operation) {
        ApiResponse response;
        try {
            Caller caller = caller(ctx);
            queryParams(ctx); // an operation never runs with a parameter it would ignore
            response = operation.apply(caller);
        } catch (HubException e) {
            response = problem(ctx, e);
        } catch (RuntimeException e) {
            LOG.error("unexpected failure in {} {}", ctx.request().method(), ctx.normalizedPath(), e);
            response = problem(ctx, ErrorCode.INTERNAL, null);
        }
        send(ctx, response);
    }

    /**
     * Answers with a streamed body: the operation's checks run first (a refusal is an ordinary problem
     * document), then the body is written in chunks on this worker thread as it is produced. A failure
     * before the first chunk left still becomes a problem document; after it, the connection is cut so the
     * client cannot take a partial body for a whole one.
     */
    private void stream(RoutingContext ctx, Function<Caller, StreamedResponse> operation) {
        StreamedResponse r;
        try {
            Caller caller = caller(ctx);
            queryParams(ctx);
            r = operation.apply(caller);
        } catch (HubException e) {
            send(ctx, problem(ctx, e));
            return;
        } catch (RuntimeException e) {
            LOG.error("unexpected failure in {} {}", ctx.request().method(), ctx.normalizedPath(), e);
            send(ctx, problem(ctx, ErrorCode.INTERNAL, null));
            return;
        }
        HttpServerResponse resp = ctx.response();
        // a body of known length (a package from its spool file) says so; otherwise chunks, the last marking the end
        resp.setStatusCode(r.status()).setChunked(!r.headers().containsKey(StreamedResponse.CONTENT_LENGTH));
        resp.putHeader("Content-Type", r.contentType());
        resp.putHeader("Cache-Control", "no-store");
        resp.putHeader("X-Content-Type-Options", "nosniff");
        r.headers().forEach(resp::putHeader);
        ResponseBodyStream out = new ResponseBodyStream(resp, STREAM_STALL_SECONDS);
        try {
            r.body().writeTo(out);
            out.close(); // only on success: the final chunk marks the body complete
        } catch (IOException | RuntimeException e) {
            if (!resp.headWritten()) {
                resp.headers().clear();
                resp.setChunked(false);
                send(ctx, e instanceof HubException he ? problem(ctx, he)
                        : problem(ctx, ErrorCode.INTERNAL, null));
                if (!(e instanceof HubException)) {
                    LOG.error("streamed answer to {} {} failed", ctx.request().method(), ctx.normalizedPath(), e);
                }
            } else {
                LOG.warn("streamed answer to {} {} stopped part-way: {}", ctx.request().method(),
                        ctx.normalizedPath(), e.toString());
                resp.reset();
            }
        }
    }

    private static Caller callerOrNull(RoutingContext ctx) {
        try {
            return identify(ctx);
        } catch (HubException e) {
            return null;
        }
    }

    /**
     * The caller, once its certificate passes the trust check again: the handshake checked it, but a connection kept
     * alive or a resumed TLS session outlives a revocation, so every request asks the current CA and CRL. Refused
     * requests are audited.
     */
    private Caller caller(RoutingContext ctx) {
        Caller caller = identify(ctx);
        try {
            List<Certificate> certs = ctx.request().connection().peerCertificates();
            trustManager.checkClientTrusted(certs.toArray(new X509Certificate[0]), "UNKNOWN");
            return caller;
        } catch (java.security.cert.CertificateException | SSLPeerUnverifiedException | ArrayStoreException e) {
            if (e.getCause() instanceof CryptoException ce && ce.failure() == CryptoFailure.TRUST_UNAVAILABLE) {
                // the hub's own CA or CRL file, not the caller: try again shortly
                throw new HubException(ErrorCode.UNAVAILABLE, "The hub cannot check certificates at the moment.");
            }
            api.refusedConnection(caller.actor(), "client certificate not trusted now (" + e.getMessage() + ")");
            throw new HubException(ErrorCode.FORBIDDEN,
                    "The client certificate is not trusted now (revoked, expired or not from the partnership CA).");
        }
    }

    private static Caller identify(RoutingContext ctx) {
        try {
            List<Certificate> certs = ctx.request().connection().peerCertificates();
            if (certs == null || certs.isEmpty() || !(certs.get(0) instanceof X509Certificate x)) {
                throw new HubException(ErrorCode.FORBIDDEN, "No client certificate was presented.");
            }
            String cn = Certificates.commonName(x);
            String unit = Certificates.organisationalUnit(x);
            if (!unit.isBlank()) {
                // a person's certificate: the participant in the OU, the person in the CN
                if (!Certificates.tlsClientOnly(x) || cn.isBlank()) {
                    throw new HubException(ErrorCode.FORBIDDEN, "A certificate that names a person (an OU and a CN)"
                            + " must be for TLS client authentication only (key usage digitalSignature, extended key"
                            + " usage clientAuth alone): ask the partnership CA for a person certificate.");
                }
                return new Caller(unit, x, cn);
            }
            if (cn == null || cn.isBlank()) {
                throw new HubException(ErrorCode.FORBIDDEN, "The client certificate names no participant (CN).");
            }
            return new Caller(cn, x);
        } catch (SSLPeerUnverifiedException e) {
            throw new HubException(ErrorCode.FORBIDDEN, "No verified client certificate.");
        }
    }

    private static void send(RoutingContext ctx, ApiResponse r) {
        HttpServerResponse resp = ctx.response();
        if (resp.ended()) {
            return;
        }
        resp.setStatusCode(r.status());
        if (r.contentType() != null) {
            resp.putHeader("Content-Type", r.contentType());
        }
        resp.putHeader("Cache-Control", "no-store");
        resp.putHeader("X-Content-Type-Options", "nosniff");
        r.headers().forEach(resp::putHeader);
        if (Boolean.TRUE.equals(ctx.get(CLOSE_AFTER_ANSWER))) {
            // what is left of the body would be read as the next request: end the connection with this answer
            resp.putHeader(HttpHeaders.CONNECTION, "close");
            resp.end(Buffer.buffer(r.body())).onComplete(done -> ctx.request().connection().close());
            return;
        }
        // every other answer, a 503 with Retry-After included, keeps the connection for the client's next request
        resp.end(Buffer.buffer(r.body()));
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    @Override
    public void close() {
        VertxServers.close(server, "HTTPS API", LOG);
        server = null;
    }
}
