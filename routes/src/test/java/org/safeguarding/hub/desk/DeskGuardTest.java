package org.safeguarding.hub.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The desk's guard, one refusal at a time: a Host that is not exactly the desk's (DNS rebinding), the launch token
 * and the session cookie, a POST from elsewhere, the form's CSRF token.
 */
class DeskGuardTest {
    static final int PORT = 48123;
    static final String TOKEN = "launch-token-0123456789";
    static final String SESSION = "session-secret-9876543210";
    static final String CSRF = "csrf-token-abcdef";
    static final String COOKIE = DeskGuard.COOKIE + "=" + SESSION;

    final DeskGuard guard = new DeskGuard(PORT, TOKEN, SESSION, CSRF);

    static DeskGuard.Request get(String host, String query, String cookie) {
        return new DeskGuard.Request("GET", "/", query, host == null ? List.of() : List.of(host), List.of(), List.of(),
                cookie == null ? List.of() : List.of(cookie));
    }

    static DeskGuard.Request post(String origin, String fetchSite) {
        return new DeskGuard.Request("POST", "/search", null, List.of("127.0.0.1:" + PORT),
                origin == null ? List.of() : List.of(origin), fetchSite == null ? List.of() : List.of(fetchSite),
                List.of(COOKIE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:" + PORT, "localhost:" + PORT})
    void theDesksOwnHostsPass(String host) {
        assertThat(guard.check(get(host, null, COOKIE)).passed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.com", "evil.com:" + PORT, "127.0.0.1.evil.com:" + PORT, "127.0.0.1",
            "localhost", "127.0.0.1:" + PORT + ".evil.com", "LOCALHOST:" + PORT, "127.0.0.1:" + (PORT + 1),
            "127.0.0.1:0" + PORT, "127.1:" + PORT, "[::1]:" + PORT, "0.0.0.0:" + PORT, " 127.0.0.1:" + PORT,
            "127.0.0.1:" + PORT + " ", "localhost.:" + PORT, "user@127.0.0.1:" + PORT, "", "127.0.0.1:" + PORT + "/"})
    void anyOtherHostIsMisdirected(String host) {
        assertThat(guard.check(get(host, null, COOKIE)).status()).isEqualTo(421);
    }

    @Test
    void noHostIsABadRequestAndTwoAreMisdirected() {
        assertThat(guard.check(get(null, null, COOKIE)).status()).isEqualTo(400);
        assertThat(guard.check(new DeskGuard.Request("GET", "/", null, List.of("127.0.0.1:" + PORT, "evil.com"),
                List.of(), List.of(), List.of(COOKIE))).status()).isEqualTo(421);
    }

    @Test
    void theLaunchTokenSetsAStrictHttpOnlyCookieAndRedirectsWithoutIt() {
        DeskGuard.Verdict v = guard.check(new DeskGuard.Request("GET", "/", "token=" + TOKEN,
                List.of("127.0.0.1:" + PORT), List.of(), List.of(), List.of()));

        assertThat(v.status()).isEqualTo(303);
        assertThat(v.location()).isEqualTo("/");
        assertThat(v.setCookie()).isEqualTo(COOKIE + "; Path=/; HttpOnly; SameSite=Strict");
        assertThat(guard.launchUrl()).isEqualTo("http://127.0.0.1:" + PORT + "/?token=" + TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"//evil.com", "/\\evil.com", "/..//evil.com", "http://evil.com/", "/package/x", ""})
    void theRedirectGoesToTheDesksOwnPagesOnly(String path) {
        DeskGuard.Verdict v = guard.check(new DeskGuard.Request("GET", path, "token=" + TOKEN,
                List.of("127.0.0.1:" + PORT), List.of(), List.of(), List.of()));

        assertThat(v.status()).isEqualTo(303);
        assertThat(v.location()).isEqualTo("/");
    }

    @Test
    void theRedirectKeepsAPackagePage() {
        String page = "/package/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
        assertThat(guard.check(new DeskGuard.Request("GET", page, "token=" + TOKEN, List.of("127.0.0.1:" + PORT),
                List.of(), List.of(), List.of())).location()).isEqualTo(page);
    }

    @ParameterizedTest
    @ValueSource(strings = {"token=", "token=x", "token=" + TOKEN + "x", "token=" + SESSION, "token=" + CSRF,
            "token=" + TOKEN + "&a=b"})
    void aWrongTokenIsUnauthorised(String query) {
        assertThat(guard.check(get("127.0.0.1:" + PORT, query, null)).status()).isEqualTo(401);
    }

    @Test
    void theTokenOnlyOpensAGetAndNeverOnAnotherHost() {
        assertThat(guard.check(new DeskGuard.Request("POST", "/", "token=" + TOKEN, List.of("127.0.0.1:" + PORT),
                List.of("http://127.0.0.1:" + PORT), List.of(), List.of())).status()).isEqualTo(401);
        assertThat(guard.check(get("evil.com:" + PORT, "token=" + TOKEN, null)).status()).isEqualTo(421);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", DeskGuard.COOKIE + "=", DeskGuard.COOKIE + "=wrong", DeskGuard.COOKIE + "=" + TOKEN,
            "other=" + SESSION, DeskGuard.COOKIE + "x=" + SESSION, DeskGuard.COOKIE + "=" + SESSION + "x",
            COOKIE + "; " + DeskGuard.COOKIE + "=wrong", DeskGuard.COOKIE + "=SESSION-SECRET-9876543210"})
    void withoutTheSessionCookieEveryRequestIsUnauthorised(String cookie) {
        assertThat(guard.check(get("127.0.0.1:" + PORT, null, cookie)).status()).isEqualTo(401);
        assertThat(guard.check(get("127.0.0.1:" + PORT, null, null)).status()).isEqualTo(401);
    }

    @Test
    void theSessionCookieIsFoundAmongOthers() {
        assertThat(guard.check(get("127.0.0.1:" + PORT, null, "a=b; " + COOKIE + "; c=d")).passed()).isTrue();
    }

    @Test
    void aPostFromTheDesksOwnPagePasses() {
        assertThat(guard.check(post("http://127.0.0.1:" + PORT, "same-origin")).passed()).isTrue();
        assertThat(guard.check(post("http://localhost:" + PORT, null)).passed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "http://evil.com", "http://127.0.0.1:" + PORT + ".evil.com",
            "https://127.0.0.1:" + PORT, "http://127.0.0.1:" + (PORT + 1), "http://127.0.0.1", "",
            "http://127.0.0.1:" + PORT + "/", "HTTP://127.0.0.1:" + PORT})
    void aPostFromAnotherOriginIsForbidden(String origin) {
        assertThat(guard.check(post(origin, "same-origin")).status()).isEqualTo(403);
    }

    @Test
    void aPostWithoutAnOriginIsForbidden() {
        assertThat(guard.check(post(null, "same-origin")).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross-site", "same-site", "none", "", "SAME-ORIGIN"})
    void aCrossSitePostIsForbiddenEvenWithTheRightOrigin(String fetchSite) {
        assertThat(guard.check(post("http://127.0.0.1:" + PORT, fetchSite)).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "get", "CONNECT"})
    void onlyGetHeadAndPostAreAnswered(String method) {
        assertThat(guard.check(new DeskGuard.Request(method, "/", null, List.of("127.0.0.1:" + PORT), List.of(),
                List.of(), List.of(COOKIE))).status()).isEqualTo(405);
    }

    @Test
    void theFormsTokenMustBeThisLaunchs() {
        assertThat(guard.csrfMatches(CSRF)).isTrue();
        assertThat(guard.csrfMatches(null)).isFalse();
        assertThat(guard.csrfMatches("")).isFalse();
        assertThat(guard.csrfMatches(CSRF + "x")).isFalse();
        assertThat(guard.csrfMatches(SESSION)).isFalse();
        assertThat(guard.csrfMatches(TOKEN)).isFalse();
    }

    @Test
    void eachLaunchHasItsOwnSecrets() {
        DeskGuard a = DeskGuard.forLaunch(PORT);
        DeskGuard b = DeskGuard.forLaunch(PORT);

        assertThat(a.launchUrl()).isNotEqualTo(b.launchUrl()).matches("http://127\\.0\\.0\\.1:48123/\\?token=[A-Za-z0-9_-]{43}");
        assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken()).hasSize(43);
        assertThat(a.csrfMatches(b.csrfToken())).isFalse();
    }
}
