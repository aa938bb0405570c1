package org.safeguarding.hub.desk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * What every request to the desk's page must pass before anything of a package is read, as a plain decision on the
 * request's method, path, query and headers (no server in it, so each refusal is tested alone):
 * <ol>
 * <li>exactly one {@code Host} header, {@code 127.0.0.1:PORT} or {@code localhost:PORT} (421 otherwise, 400 when
 * missing): a page of another name that resolves to this machine (DNS rebinding) gets nothing;</li>
 * <li>the launch token: a GET whose query is exactly {@code token=} the token printed at start is answered with a
 * redirect to the same path without it and a session cookie ({@code HttpOnly}, {@code SameSite=Strict}); a wrong
 * token is 401;</li>
 * <li>the session cookie on every other request (401 without it, or with another value);</li>
 * <li>a POST from this page only: {@code Origin} present and the desk's own, {@code Sec-Fetch-Site} absent or
 * {@code same-origin} (403 otherwise); the form's CSRF token is checked by the handler with {@link #csrfMatches}.</li>
 * </ol>
 * Only GET, HEAD and POST are answered (405). Secrets are compared in constant time.
 */
public final class DeskGuard {
    /** The session cookie's name. */
    public static final String COOKIE = "desk_session";

    private final int port;
    private final byte[] launchToken;
    private final byte[] session;
    private final String csrf;

    /** A decision: {@code status} 0 lets the request through; a redirect comes with its location and cookie. */
    public record Verdict(int status, String reason, String location, String setCookie) {
        static final Verdict PASS = new Verdict(0, "", null, null);

        static Verdict refuse(int status, String reason) {
            return new Verdict(status, reason, null, null);
        }

        public boolean passed() {
            return status == 0;
        }
    }

    /** The parts of a request the guard reads; header lists hold every value given (empty: none). */
    public record Request(String method, String path, String rawQuery, List<String> hosts, List<String> origins,
                          List<String> fetchSites, List<String> cookies) {
    }

    /** A guard with fresh random secrets for a launch on {@code port}. */
    public static DeskGuard forLaunch(int port) {
        return new DeskGuard(port, random(), random(), random());
    }

    DeskGuard(int port, String launchToken, String session, String csrf) {
        this.port = port;
        this.launchToken = launchToken.getBytes(StandardCharsets.US_ASCII);
        this.session = session.getBytes(StandardCharsets.US_ASCII);
        this.csrf = csrf;
    }

    /** The address to open once, with the launch token. */
    public String launchUrl() {
        return "http://127.0.0.1:" + port + "/?token=" + new String(launchToken, StandardCharsets.US_ASCII);
    }

    /** The token every form of this launch carries. */
    public String csrfToken() {
        return csrf;
    }

    public Verdict check(Request r) {
        if (r.hosts().isEmpty()) {
            return Verdict.refuse(400, "no Host header");
        }
        if (r.hosts().size() != 1 || !ownHost(r.hosts().get(0))) {
            return Verdict.refuse(421, "not this desk's address");
        }
        String method = r.method();
        if (!"GET".equals(method) && !"HEAD".equals(method) && !"POST".equals(method)) {
            return Verdict.refuse(405, "method not allowed");
        }
        if (r.rawQuery() != null && r.rawQuery().startsWith("token=")) {
            if (!"GET".equals(method) || !same(launchToken, r.rawQuery().substring("token=".length()))) {
                return Verdict.refuse(401, "wrong launch token");
            }
            return new Verdict(303, "launch token accepted", ownPath(r.path()), COOKIE + "="
                    + new String(session, StandardCharsets.US_ASCII) + "; Path=/; HttpOnly; SameSite=Strict");
        }
        if (!hasSession(r.cookies())) {
            return Verdict.refuse(401, "no session");
        }
        if ("POST".equals(method)) {
            if (r.origins().size() != 1 || !ownOrigin(r.origins().get(0))) {
                return Verdict.refuse(403, "not from this desk's page");
            }
            if (r.fetchSites().size() > 1
                    || r.fetchSites().size() == 1 && !"same-origin".equals(r.fetchSites().get(0))) {
                return Verdict.refuse(403, "a cross-site request");
            }
        }
        return Verdict.PASS;
    }

    /** The page to go to once the token is taken: the path asked for when it is one of the desk's, else the list. */
    private static String ownPath(String path) {
        return path != null && OWN_PATH.matcher(path).matches() ? path : "/";
    }

    /** Whether a form's CSRF token is this launch's. */
    public boolean csrfMatches(String given) {
        return given != null && same(csrf.getBytes(StandardCharsets.US_ASCII), given);
    }

    private boolean ownHost(String host) {
        return host.equals("127.0.0.1:" + port) || host.equals("localhost:" + port);
    }

    private boolean ownOrigin(String origin) {
        return origin.equals("http://127.0.0.1:" + port) || origin.equals("http://localhost:" + port);
    }

    /** Whether one of the Cookie headers names the session with this launch's value (every pair is looked at). */
    private boolean hasSession(List<String> cookieHeaders) {
        boolean found = false;
        for (String header : cookieHeaders) {
            for (String pair : header.split(";")) {
                String p = pair.trim();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).equals(COOKIE)) {
                    if (!same(session, p.substring(eq + 1))) {
                        return false;
                    }
                    found = true;
                }
            }
        }
        return found;
    }

    private static boolean same(byte[] expected, String given) {
        return MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** A path of the desk's own: never {@code //host} (which a browser takes for another site) nor a scheme. */
    private static final java.util.regex.Pattern OWN_PATH =
            java.util.regex.Pattern.compile("/(?:package/[0-9a-f-]{36})?");
}
