package org.safeguarding.hub.desk;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desk's page on loopback only ({@code 127.0.0.1}), with the JDK's HTTP server. Every request passes the
 * {@link DeskGuard} first; then {@code GET /} (the list), {@code GET /package/ID}, {@code POST /search} and
 * {@code POST /read} (with the form's CSRF token), {@code GET /desk.css}. Every answer carries a
 * Content-Security-Policy that lets nothing but the stylesheet load and no form go elsewhere, no-store, nosniff, no
 * referrer and no framing. The log names a refusal's status and reason, never a path's id, a query or a package.
 */
public final class DeskServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeskServer.class);
    static final int MAX_FORM = 8 * 1024;
    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self';"
                    + " frame-ancestors 'none'; base-uri 'none'",
            "Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff",
            // same-origin, not no-referrer: under no-referrer a browser sends the desk's own forms as from
            // "Origin: null", which the guard must refuse (its addresses carry package ids, never content)
            "Referrer-Policy", "same-origin",
            "X-Frame-Options", "DENY",
            "Cross-Origin-Resource-Policy", "same-origin",
            "Cross-Origin-Opener-Policy", "same-origin");

    private final HttpServer server;
    private final ExecutorService threads;
    private final DeskGuard guard;
    private final DeskStore store;
    private final DeskPage page;
    private final Supplier<DeskFetcher.Status> status;
    private final byte[] css;

    private DeskServer(HttpServer server, DeskGuard guard, DeskStore store, String recipient,
                       Supplier<DeskFetcher.Status> status) {
        this.server = server;
        this.guard = guard;
        this.store = store;
        this.page = new DeskPage(recipient, guard.csrfToken());
        this.status = status;
        this.css = stylesheet();
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "desk-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /** Listens on 127.0.0.1:{@code port} (0: a free port) with fresh launch secrets, and serves. */
    public static DeskServer start(int port, DeskStore store, String recipient, Supplier<DeskFetcher.Status> status) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 16);
        } catch (IOException e) {
            throw new HubException(ErrorCode.UNAVAILABLE, "the desk could not listen on 127.0.0.1:" + port
                    + " (" + e.getMessage() + "); give another --port, or 0 for a free one.", e);
        }
        DeskServer desk = new DeskServer(http, DeskGuard.forLaunch(http.getAddress().getPort()), store, recipient,
                status);
        http.start();
        return desk;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address to open once: it carries this launch's token. */
    public String launchUrl() {
        return guard.launchUrl();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Headers h = ex.getRequestHeaders();
            DeskGuard.Verdict v = guard.check(new DeskGuard.Request(ex.getRequestMethod(),
                    ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(), values(h, "Host"),
                    values(h, "Origin"), values(h, "Sec-Fetch-Site"), values(h, "Cookie")));
            if (v.status() == 303) {
                ex.getResponseHeaders().add("Set-Cookie", v.setCookie());
                redirect(ex, v.location());
                return;
            }
            if (!v.passed()) {
                LOG.info("desk: refused a request: {} {}", v.status(), v.reason());
                html(ex, v.status(), DeskPage.refused(v.status(), v.reason()));
                return;
            }
            route(ex);
        } catch (RuntimeException e) {
            LOG.warn("desk: a request failed: {}", e.getClass().getSimpleName());
            html(ex, 500, DeskPage.refused(500, "the desk could not answer"));
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        boolean get = method.equals("GET") || method.equals("HEAD");
        if (get && path.equals("/")) {
            html(ex, 200, page.index(store.all(), status.get()));
        } else if (get && path.equals("/desk.css")) {
            send(ex, 200, "text/css; charset=utf-8", css);
        } else if (get && path.startsWith("/package/")) {
            String id = path.substring("/package/".length());
            var p = DeskPage.isId(id) ? store.get(id) : java.util.Optional.<StoredPackage>empty();
            if (p.isPresent()) {
                html(ex, 200, page.document(p.get(), store.all()));
            } else {
                html(ex, 404, DeskPage.refused(404, "the desk holds no such package (recalled, past the retention,"
                        + " or never here)").replace(" Open the desk with the address it printed when it started.", ""));
            }
        } else if (method.equals("POST") && (path.equals("/search") || path.equals("/read"))) {
            Map<String, String> form = form(ex);
            if (form == null) {
                html(ex, 413, DeskPage.refused(413, "the form is too large"));
            } else if (!guard.csrfMatches(form.get("csrf"))) {
                LOG.info("desk: refused a request: 403 no or wrong form token");
                html(ex, 403, DeskPage.refused(403, "the form's token is not this desk's"));
            } else if (path.equals("/search")) {
                String q = Objects.requireNonNullElse(form.get("q"), "");
                q = q.length() > DeskSearch.MAX_QUERY ? q.substring(0, DeskSearch.MAX_QUERY) : q;
                html(ex, 200, page.results(q, DeskSearch.find(store.all(), q)));
            } else {
                String id = form.get("id");
                if (DeskPage.isId(id) && store.markRead(id)) {
                    redirect(ex, "/package/" + id);
                } else {
                    html(ex, 404, DeskPage.refused(404, "the desk holds no such package"));
                }
            }
        } else if (get || method.equals("POST")) {
            html(ex, 404, DeskPage.refused(404, "no such page"));
        } else {
            html(ex, 405, DeskPage.refused(405, "method not allowed"));
        }
    }

    /** The url-encoded form of a POST, at most {@link #MAX_FORM} bytes (null when larger). */
    private static Map<String, String> form(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_FORM + 1);
        }
        if (body.length > MAX_FORM) {
            return null;
        }
        Map<String, String> form = new HashMap<>();
        String type = Objects.requireNonNullElse(ex.getRequestHeaders().getFirst("Content-Type"), "");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return form;
        }
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    form.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // a malformed escape: the field is left out
                }
            }
        }
        return form;
    }

    private static List<String> values(Headers h, String name) {
        List<String> v = h.get(name);
        return v == null ? List.of() : List.copyOf(v);
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        HEADERS.forEach(ex.getResponseHeaders()::set);
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(303, -1);
    }

    private static void html(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, "text/html; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        HEADERS.forEach(ex.getResponseHeaders()::set);
        ex.getResponseHeaders().set("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
    }

    private static byte[] stylesheet() {
        try (InputStream in = DeskServer.class.getResourceAsStream("desk.css")) {
            if (in == null) {
                throw new IllegalStateException("desk.css is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
