package org.safeguarding.hub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.Caller;

/**
 * What stands between another site and a console form that a person's browser would send with their certificate:
 * the same-origin check on the browser's own headers, the form token bound to the person and the run, and a strict
 * reading of the body. Thousands of hostile header and token values, each refused.
 */
class ConsoleFormGuardsTest {
    static final String HOST = "hub.example:8443";

    private static Map<String, String> headers(String origin, String site) {
        Map<String, String> h = new HashMap<>();
        h.put("Host", HOST);
        if (origin != null) {
            h.put("Origin", origin);
        }
        if (site != null) {
            h.put("Sec-Fetch-Site", site);
        }
        return h;
    }

    @Test
    void onlyTheHubsOwnPageMaySendAForm() {
        assertThatCode(() -> SameOrigin.require(headers("https://" + HOST, "same-origin"))).doesNotThrowAnyException();
        assertThatCode(() -> SameOrigin.require(headers("https://HUB.example:8443", null))).doesNotThrowAnyException();
        assertThatCode(() -> SameOrigin.require(headers(null, "same-origin"))).doesNotThrowAnyException();

        List<Map<String, String>> refused = List.of(headers(null, null), headers("null", "same-origin"),
                headers("https://evil.example", "cross-site"), headers("https://" + HOST, "cross-site"),
                headers("https://" + HOST, "same-site"), headers("https://" + HOST, "none"),
                headers("http://" + HOST, "same-origin"), headers("https://" + HOST + ".evil.example", null),
                headers("https://evil.example/" + HOST, null), headers("https://" + HOST + "/", null));
        for (Map<String, String> h : refused) {
            assertThat(catchThrowableOfType(() -> SameOrigin.require(h), HubException.class).code()).as(h.toString())
                    .isEqualTo(ErrorCode.FORBIDDEN);
        }
        Map<String, String> noHost = headers("https://" + HOST, "same-origin");
        noHost.remove("Host");
        assertThat(catchThrowableOfType(() -> SameOrigin.require(noHost), HubException.class)).isNotNull();
    }

    @Test
    void thousandsOfHostileOriginsAreRefused() {
        Random random = new Random(4);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789.:-/@%\\ \t";
        for (int i = 0; i < 5000; i++) {
            StringBuilder o = new StringBuilder(random.nextBoolean() ? "https://" : "");
            for (int k = random.nextInt(30); k > 0; k--) {
                o.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (random.nextBoolean()) {
                o.append(HOST); // a lookalike ending in the hub's own name
            }
            String origin = o.toString();
            if (origin.equalsIgnoreCase("https://" + HOST)) {
                continue;
            }
            String site = List.of("same-origin", "cross-site", "same-site", "none").get(random.nextInt(4));
            assertThat(catchThrowableOfType(() -> SameOrigin.require(headers(origin, site)), HubException.class))
                    .as(origin).isNotNull();
        }
    }

    @Test
    void aFormTokenIsThePersonsOwnAndThisRunsOnly() {
        FormTokens tokens = new FormTokens();
        Caller jane = new Caller("ig-lead", null, "Jane Smith");
        Caller other = new Caller("ig-lead", null, "John Smith");
        String token = tokens.of(jane);

        assertThat(tokens.matches(jane, token)).isTrue();
        assertThat(tokens.matches(other, token)).as("another person").isFalse();
        assertThat(tokens.matches(new Caller("ig-lead", null), token)).as("the participant's system").isFalse();
        assertThat(new FormTokens().matches(jane, token)).as("after a restart").isFalse();
        assertThat(tokens.matches(jane, null)).isFalse();
        Random random = new Random(7);
        for (int i = 0; i < 3000; i++) {
            char[] c = token.toCharArray();
            c[random.nextInt(c.length)] ^= (char) (1 + random.nextInt(30));
            String altered = random.nextInt(10) == 0 ? token.substring(0, random.nextInt(token.length())) : new String(c);
            assertThat(tokens.matches(jane, altered)).as(altered).isFalse();
        }
    }

    @Test
    void aFormIsReadStrictly() {
        List<String> fields = List.of("name", "csrf");
        String type = "application/x-www-form-urlencoded";
        assertThat(FormBody.parse("name=Jo+Bloggs%21&csrf=abc".getBytes(StandardCharsets.UTF_8), type, fields))
                .containsEntry("name", "Jo Bloggs!").containsEntry("csrf", "abc");

        for (String bad : List.of("name=a&name=b", "other=1", "name=%zz", "name=%", "=x")) {
            HubException e = catchThrowableOfType(() -> FormBody.parse(bad.getBytes(StandardCharsets.UTF_8), type,
                    fields), HubException.class);
            assertThat(e.code()).as(bad).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.getMessage()).doesNotContain("Bloggs");
        }
        assertThat(catchThrowableOfType(() -> FormBody.parse(new byte[0], "application/json", fields),
                HubException.class).code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }
}
