package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The board's charts in a real browser over a month that has ended: the hub routes three submissions in the middle of
 * last month (on a clock of the test's own), the clock moves to now, and a board member's browser shows the month's
 * report as the board's API gives it, every small count as suppressed words and never a bar or a figure under the
 * threshold, while the IG lead's report of the same month has the exact counts.
 */
class BoardReportIT {
    static final int SUBMISSIONS = 3;
    static final int THRESHOLD = 8; // reports.SmallNumbers.THRESHOLD

    /** A clock the test sets: the hub reads every instant from it. */
    static final class SetClock extends Clock {
        volatile Instant now;

        SetClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    static Path pkiDir;
    static TestPki pki;
    static RunningHub hub;
    static String month;
    static Path boardMember;

    @BeforeAll
    static void routeLastMonth() throws Exception {
        YearMonth last = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        month = last.toString();
        Instant then = last.atDay(12).atTime(10, 0).toInstant(ZoneOffset.UTC);
        SetClock clock = new SetClock(then);
        pki = TestPki.createIn(pkiDir, TestPki.PARTICIPANTS, KeyAlgorithm.EC_P256, Clock.fixed(then, ZoneOffset.UTC));
        hub = RunningHub.start(pki, clock);
        NotifyBuilder routed = hub.routedNotifier(SUBMISSIONS);
        for (int i = 0; i < SUBMISSIONS; i++) {
            byte[] json = Submissions.current("C01-police-cce-blackpool.json",
                    n -> n.put("submittedAt", then.toString()));
            HttpResponse<byte[]> r = hub.client("lancs-police").submit(OpenSsl.signAndEncrypt(json,
                    pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm"));
            assertThat(r.statusCode()).isEqualTo(202);
        }
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitRecorded();
        clock.now = Instant.now(); // last month has ended
        boardMember = pki.person("board", "Bob Board");
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void theBoardSeesLastMonthAsItsApiGivesItAndNoSmallCountAsAFigure() {
        JsonNode api = HubHttpClient.json(hub.client("board").get("api/v1/reports/flows?period=" + month));
        JsonNode ig = HubHttpClient.json(hub.client("ig-lead").get("api/v1/reports/flows?period=" + month));
        JsonNode exact = null;
        for (JsonNode f : ig.path("flows")) {
            if (f.path("recipient").asText().equals("police-fib")) {
                exact = f;
            }
        }
        assertThat(exact).as("the IG lead's exact figures").isNotNull();
        assertThat(exact.path("shared").asInt()).isEqualTo(SUBMISSIONS);

        Browser browser = Browser.as(boardMember, TestPki.PASSWORD, pki.caPem());
        String url = "https://127.0.0.1:" + hub.app().httpsPort() + "/console/flows?period=" + month;
        String page = browser.dom(url);
        browser.screenshotOf(url, Path.of("target", "screenshots", "console-board-flows.png"), 1280, 1800);

        assertThat(page).contains("<h1>Flow report for " + month + "</h1>").contains("Disclosure control:");
        // police-fib's flow: as the board's API shows it, a small count in words
        JsonNode police = null;
        for (JsonNode f : api.path("flows")) {
            if (f.path("recipient").asText().equals("police-fib")) {
                police = f;
            }
        }
        assertThat(police).isNotNull();
        assertThat(police.path("shared").isTextual()).as("3 is under the threshold").isTrue();
        Matcher row = Pattern.compile("<tr><th scope=\"row\">CS-CORE v3</th><td>lancs-police</td><td>police-fib</td>"
                + "<td>(.*?)</td>").matcher(page);
        assertThat(row.find()).isTrue();
        assertThat(row.group(1)).isEqualTo("&lt;" + THRESHOLD + " (suppressed)").doesNotContain("meter");
        // no bar and no figure on the page is under the threshold
        Matcher bars = Pattern.compile("<meter [^>]*value=\"(\\d+)\"").matcher(page);
        while (bars.find()) {
            assertThat(Integer.parseInt(bars.group(1))).isGreaterThanOrEqualTo(THRESHOLD);
        }
        assertThat(page).doesNotContainPattern("<td>[1-7]</td>").doesNotContainPattern("</meter> [1-7]<");
        for (JsonNode f : api.path("byArea")) {
            assertThat(page).contains("<th scope=\"row\">" + f.path("area").asText() + "</th>");
        }
    }
}
