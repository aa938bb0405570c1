package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.OpenSsl;

/**
 * The operator's page on the management port, in a real browser (headless Chromium): after one submission routed
 * and one refused, it shows every component up, the recipients' queues, the certificate and CRL dates and the
 * refusal by its code as the partner's mistake; and never the submission, its receipt or its content. Served with a
 * Content-Security-Policy that lets nothing run. A screenshot is kept in target/screenshots.
 */
class OperatorConsoleIT {
    static RunningHub hub;
    static String submissionId;
    static String receiptId;

    @BeforeAll
    static void start() throws Exception {
        hub = RunningHub.start();
        NotifyBuilder routed = hub.routedNotifier(1);
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        submissionId = HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        byte[] sealed = OpenSsl.signAndEncrypt(json, hub.pki().cert("lancs-police"), hub.pki().key("lancs-police"),
                hub.pki().cert("hub"), "-aes-256-gcm");
        HttpResponse<byte[]> accepted = hub.client("lancs-police").submit(sealed);
        assertThat(accepted.statusCode()).isEqualTo(202);
        receiptId = HubHttpClient.JSON.readTree(accepted.body()).path("receiptId").asText();
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        assertThat(hub.client("lancs-police").submit("not a CMS envelope".getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(400);
        hub.awaitRecorded();
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    private static String url() {
        return "http://127.0.0.1:" + hub.app().managementPort() + "/console";
    }

    @Test
    void theBrowserShowsEachPartAndNothingOfTheSubmission() {
        String dom = Browser.renderedDom(url());

        assertThat(dom).contains("<h1>Hub operator console</h1>")
                .contains("Health: <span class=\"state up\">UP</span>")
                .containsPattern("<th scope=\"row\">broker</th><td>UP</td>")
                .containsPattern("<th scope=\"row\">route:routing</th><td>UP</td>")
                .containsPattern("<th scope=\"row\">intel\\.police-fib</th><td>\\d+</td>")
                .containsPattern("<th scope=\"row\">hub\\.intake</th><td>0</td>")
                .containsPattern("<th scope=\"row\">hub certificate</th><td>[^<]*</td><td>\\d{4}-")
                .containsPattern("<th scope=\"row\">CRL \\(next update\\)</th>")
                .contains("<th scope=\"row\">UNDECRYPTABLE</th><td>the partner's</td><td>1</td>")
                .contains("<th scope=\"row\">ACCEPTED</th><td></td><td>1</td>")
                .contains("Refusals in the last 24 hours")
                .contains("<tr><th scope=\"row\">UNDECRYPTABLE</th><td>1</td></tr>");
        assertThat(dom).as("nothing of the submission").doesNotContain(submissionId).doesNotContain(receiptId)
                .doesNotContain("Blackpool").doesNotContain("<script");
        Browser.screenshot(url(), Path.of("target", "screenshots", "operator-console.png"), 1280, 2700);
    }

    @Test
    void theHubSaysWhereItIs() {
        assertThat(hub.app().listeners()).anySatisfy(line -> assertThat(line)
                .contains("http://127.0.0.1:" + hub.app().managementPort() + "/observe/health")
                .contains("the operator's console at /console"));
    }

    @Test
    void servedSoThatNothingRunsIsFramedOrCached() {
        HttpResponse<String> page = HealthIT.get(hub, "/console");
        HttpResponse<String> css = HealthIT.get(hub, "/console/console.css");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'").contains("style-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe"));
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    }
}
