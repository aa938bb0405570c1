package org.safeguarding.hub.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.function.Supplier;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.settings.HubSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health and metrics for operators: {@code /observe/health} (200 when every component is up,
 * 503 otherwise, with each component's state), {@code /observe/metrics} (Prometheus text) and, for a person, the
 * operator's {@code /console} page (HTML and its stylesheet only: no script, a strict Content-Security-Policy).
 * Plain HTTP, bound to loopback by default; it shows no intelligence and no identities.
 */
public final class ManagementServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final HubSettings.Management settings;
    private final Supplier<Map<String, Boolean>> health;
    private final Supplier<Map<String, String>> warnings;
    private final Supplier<String> metrics;
    private final Console console;
    private HttpServer server;

    /** The operator's page: its HTML as of now, and the stylesheet it links. */
    public interface Console {
        String page();

        String stylesheet();
    }

    /** What every console answer carries: nothing runs, nothing is framed, cached or sent elsewhere. */
    static final Map<String, String> CONSOLE_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none';"
                    + " form-action 'none'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    public ManagementServer(Vertx vertx, HubSettings.Management settings,
                            Supplier<Map<String, Boolean>> health, Supplier<String> metrics) {
        this(vertx, settings, health, Map::of, metrics);
    }

    /**
     * @param warnings components that are up but need attention soon ("WARNING", or "UP"): the document's status is
     *                 WARNING and the answer stays 200 while nothing is down
     */
    public ManagementServer(Vertx vertx, HubSettings.Management settings, Supplier<Map<String, Boolean>> health,
                            Supplier<Map<String, String>> warnings, Supplier<String> metrics) {
        this(vertx, settings, health, warnings, metrics, null);
    }

    /** @param console the operator's page at {@code /console} (null: none) */
    public ManagementServer(Vertx vertx, HubSettings.Management settings, Supplier<Map<String, Boolean>> health,
                            Supplier<Map<String, String>> warnings, Supplier<String> metrics, Console console) {
        this.console = console;
        this.vertx = vertx;
        this.settings = settings;
        this.health = health;
        this.warnings = warnings;
        this.metrics = metrics;
    }

    public int start() {
        Router router = Router.router(vertx);
        router.get("/observe/health").blockingHandler(ctx -> {
            Map<String, Boolean> components = health.get();
            Map<String, String> attention = warnings.get();
            boolean up = components.values().stream().allMatch(Boolean::booleanValue);
            boolean warning = attention.containsValue("WARNING");
            ObjectNode body = JSON.createObjectNode();
            body.put("status", !up ? "DOWN" : warning ? "WARNING" : "UP");
            ObjectNode checks = body.putObject("components");
            components.forEach((k, v) -> checks.put(k, v ? "UP" : "DOWN"));
            attention.forEach(checks::put);
            ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
                    .end(body.toString());
        }, false);
        router.get("/observe/metrics").blockingHandler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.get()), false);
        if (console != null) {
            router.get("/console").blockingHandler(ctx -> {
                CONSOLE_HEADERS.forEach(ctx.response()::putHeader);
                ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(console.page());
            }, false);
            router.get("/console/console.css").handler(ctx -> {
                CONSOLE_HEADERS.forEach(ctx.response()::putHeader);
                ctx.response().putHeader("Content-Type", "text/css; charset=utf-8").end(console.stylesheet());
            });
        }
        try {
            server = VertxServers.await(vertx.createHttpServer(
                    new HttpServerOptions().setHost(settings.host()).setPort(settings.port())).requestHandler(router).listen());
        } catch (Exception e) {
            throw new HubException(ErrorCode.UNAVAILABLE, "the management port could not listen on "
                    + settings.host() + ":" + settings.port(), e);
        }
        LOG.info("management listening on http://{}:{}/observe/health", settings.host(), server.actualPort());
        return server.actualPort();
    }

    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    @Override
    public void close() {
        VertxServers.close(server, "management server", LOG);
        server = null;
    }
}
