package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.DemoPki;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * Rollover: a participant may hold two valid certificates at once. lancs-police signs with
 * either; mash-bpl's package is encrypted to both of its certificates and opens with either key.
 */
class CertificateRolloverIT {
    @TempDir
    static Path dir;
    static TestPki pki;
    static RunningHub hub;
    static Path policeSecondCert;
    static Path policeSecondKey;
    static Path mashSecondCert;
    static Path mashSecondKey;

    @BeforeAll
    static void start() throws Exception {
        Path pkiDir = dir.resolve("pki");
        pki = TestPki.createIn(pkiDir, TestPki.PARTICIPANTS, KeyAlgorithm.EC_P256, Clock.systemUTC());
        String police = base("lancs-police", DemoPki.issue(pkiDir, "lancs-police", KeyAlgorithm.EC_P256,
                TestPki.PASSWORD.toCharArray(), Clock.systemUTC()));
        policeSecondCert = pkiDir.resolve(police + ".pem");
        policeSecondKey = pkiDir.resolve(police + ".key");
        String mash = base("mash-bpl", DemoPki.issue(pkiDir, "mash-bpl", KeyAlgorithm.EC_P256,
                TestPki.PASSWORD.toCharArray(), Clock.systemUTC()));
        mashSecondCert = pkiDir.resolve(mash + ".pem");
        mashSecondKey = pkiDir.resolve(mash + ".key");
        hub = RunningHub.start(pki);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    static String base(String id, X509Certificate c) {
        return id + "-" + c.getSerialNumber().toString(16);
    }

    @Test
    void aPartnerSignsWithEitherCertificateAndTheRecipientOpensWithEitherKey() throws Exception {
        NotifyBuilder routed = hub.routedNotifier(2);
        byte[] withSecond = OpenSsl.signAndEncrypt(Submissions.current("C01-police-cce-blackpool.json"),
                policeSecondCert, policeSecondKey, pki.cert("hub"), "-aes-256-gcm");
        byte[] withFirst = OpenSsl.signAndEncrypt(Submissions.current("C01-police-cce-blackpool.json"),
                pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm");

        HttpResponse<byte[]> a = hub.client("lancs-police").submit(withSecond);
        HttpResponse<byte[]> b = hub.client("lancs-police").submit(withFirst);

        assertThat(a.statusCode()).as(new String(a.body())).isEqualTo(202);
        assertThat(b.statusCode()).as(new String(b.body())).isEqualTo(202);
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitRecorded();
        hub.awaitPackages("mash-bpl", 2);

        HubHttpClient mash = hub.client("mash-bpl");
        List<String> packages = new ArrayList<>();
        HubHttpClient.json(mash.get("api/v1/inbox")).forEach(e -> packages.add(e.path("packageId").asText()));
        assertThat(packages).hasSize(2);
        for (String id : packages) {
            HttpResponse<byte[]> pkg = mash.get("api/v1/inbox/" + id);
            assertThat(pkg.statusCode()).isEqualTo(200);
            byte[] withFirstKey = OpenSsl.decryptAndVerify(pkg.body(), pki.cert("mash-bpl"), pki.key("mash-bpl"),
                    pki.caPem());
            byte[] withSecondKey = OpenSsl.decryptAndVerify(pkg.body(), mashSecondCert, mashSecondKey, pki.caPem());
            assertThat(withSecondKey).isEqualTo(withFirstKey);
            JsonNode json = HubHttpClient.JSON.readTree(withFirstKey);
            assertThat(json.path("recipient").asText()).isEqualTo("mash-bpl");
            assertThat(json.path("packageId").asText()).isEqualTo(id);
        }
    }
}
