package org.safeguarding.hub.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Thousands of hostile values, each refused: Host headers made from the desk's own by prefixes, suffixes, other ports,
 * case and stray characters, and random ones; Origins likewise on a POST; launch tokens, session cookies and CSRF
 * tokens near the real ones and random. Nothing but the exact values passes.
 */
class DeskGuardPropertiesTest {
    static final int PORT = 48123;
    static final String TOKEN = "Zk3q_launch-token-0123456789abcdefghijklmno";
    static final String SESSION = "Qm9_session-secret-9876543210ZYXWVUTSRQPONM";
    static final String CSRF = "Xy7-csrf-token-abcdefghijklmnopqrstuvwxyz01";
    static final String COOKIE = DeskGuard.COOKIE + "=" + SESSION;
    static final List<String> GOOD_HOSTS = List.of("127.0.0.1:" + PORT, "localhost:" + PORT);
    static final List<String> GOOD_ORIGINS = List.of("http://127.0.0.1:" + PORT, "http://localhost:" + PORT);

    final DeskGuard guard = new DeskGuard(PORT, TOKEN, SESSION, CSRF);

    @Property(tries = 3000)
    void everyOtherHostIsRefusedBeforeAnythingElse(@ForAll("hostileHosts") String host) {
        DeskGuard.Verdict v = guard.check(new DeskGuard.Request("GET", "/", "token=" + TOKEN, List.of(host),
                List.of(), List.of(), List.of(COOKIE)));

        assertThat(v.status()).as("Host %s", host).isIn(400, 421);
    }

    @Property(tries = 3000)
    void everyOtherOriginIsRefusedOnAPost(@ForAll("hostileOrigins") String origin) {
        DeskGuard.Verdict v = guard.check(new DeskGuard.Request("POST", "/search", null, List.of(GOOD_HOSTS.get(0)),
                List.of(origin), List.of("same-origin"), List.of(COOKIE)));

        assertThat(v.status()).as("Origin %s", origin).isEqualTo(403);
    }

    @Property(tries = 3000)
    void everyOtherTokenIsRefused(@ForAll("near") String value) {
        DeskGuard.Verdict launch = guard.check(new DeskGuard.Request("GET", "/", "token=" + value,
                List.of(GOOD_HOSTS.get(0)), List.of(), List.of(), List.of()));
        DeskGuard.Verdict cookie = guard.check(new DeskGuard.Request("GET", "/", null, List.of(GOOD_HOSTS.get(0)),
                List.of(), List.of(), List.of(DeskGuard.COOKIE + "=" + value)));

        assertThat(launch.status()).as("token %s", value).isEqualTo(value.equals(TOKEN) ? 303 : 401);
        // a cookie header is pairs split at ';' and trimmed: "SESSION; x" does carry the session
        boolean carries = (DeskGuard.COOKIE + "=" + value.split(";", -1)[0]).trim().equals(COOKIE);
        assertThat(cookie.status()).as("cookie %s", value).isEqualTo(carries ? 0 : 401);
        assertThat(guard.csrfMatches(value)).as("csrf %s", value).isEqualTo(value.equals(CSRF));
    }

    @Provide
    Arbitrary<String> hostileHosts() {
        Arbitrary<String> good = Arbitraries.of(GOOD_HOSTS);
        return Arbitraries.oneOf(
                Combinators.combine(good, affixes(), affixes()).as((h, pre, post) -> pre + h + post),
                Combinators.combine(Arbitraries.of("127.0.0.1", "localhost", "127.0.0.2", "0.0.0.0", "[::1]",
                        "evil.com", "127.0.0.1.evil.com", "localhost.evil.com", "127.1", "2130706433"),
                        Arbitraries.integers().between(0, 65535)).as((h, p) -> h + ":" + p),
                good.map(h -> h.toUpperCase()),
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.strings().withChars("127.0.:1localhost" + PORT).ofMaxLength(30))
                .filter(h -> !GOOD_HOSTS.contains(h));
    }

    @Provide
    Arbitrary<String> hostileOrigins() {
        Arbitrary<String> good = Arbitraries.of(GOOD_ORIGINS);
        return Arbitraries.oneOf(
                Combinators.combine(good, affixes(), affixes()).as((o, pre, post) -> pre + o + post),
                good.map(o -> o.replace("http://", "https://")),
                good.map(o -> o.toUpperCase()),
                Combinators.combine(Arbitraries.of("http://", "https://", "file://", "", "null"),
                        Arbitraries.of("127.0.0.1", "localhost", "evil.com", "127.0.0.1.evil.com", "[::1]"),
                        Arbitraries.integers().between(0, 65535)).as((s, h, p) -> s + h + ":" + p),
                Arbitraries.of("null", "", "*"),
                Arbitraries.strings().ofMaxLength(60))
                .filter(o -> !GOOD_ORIGINS.contains(o));
    }

    @Provide
    Arbitrary<String> near() {
        Arbitrary<String> secret = Arbitraries.of(TOKEN, SESSION, CSRF);
        return Arbitraries.oneOf(
                Combinators.combine(secret, Arbitraries.integers().between(0, 42), Arbitraries.chars().ascii())
                        .as((s, i, c) -> s.substring(0, i) + c + s.substring(i + 1)),
                Combinators.combine(secret, Arbitraries.integers().between(0, 43))
                        .as((s, n) -> s.substring(0, n)),
                Combinators.combine(secret, affixes(), affixes()).as((s, pre, post) -> pre + s + post),
                secret.map(String::toLowerCase),
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.strings().alpha().numeric().withChars("-_").ofLength(43));
    }

    private static Arbitrary<String> affixes() {
        return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.of(" ", "\t", ".", ":", "/", "@", "a", ".evil.com",
                "evil.com.", "0", "%00", "\u0130", "\u00a0", ":80", "#", "?"), Arbitraries.strings().ofMaxLength(8));
    }
}
