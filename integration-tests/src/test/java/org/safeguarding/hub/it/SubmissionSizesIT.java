package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.OpenSsl;

/**
 * Submissions of every size class on their way through intake and routing: small, around what intake hands routing
 * in memory, and on either side of the broker's large-message threshold (100 KiB, past which a message's properties
 * must stay small), each accepted and routed to both of C01's recipients.
 */
class SubmissionSizesIT {
    static RunningHub hub;

    @BeforeAll
    static void start() {
        hub = RunningHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void everySizeIsAcceptedAndRouted() {
        int[] attachmentBytes = {0, 10_000, 16_000, 18_000, 30_000, 60_000, 75_000, 90_000, 120_000, 200_000, 300_000};
        Random random = new Random(7);
        for (int i = 0; i < attachmentBytes.length; i++) {
            int size = attachmentBytes[i];
            byte[] json = Submissions.current("C01-police-cce-blackpool.json", n -> {
                if (size > 0) {
                    byte[] data = new byte[size];
                    random.nextBytes(data);
                    n.putArray("attachments").addObject().put("name", "scan.pdf").put("mediaType", "application/pdf")
                            .put("content", Base64.getEncoder().encodeToString(data));
                }
            });
            byte[] sealed = OpenSsl.signAndEncrypt(json, hub.pki().cert("lancs-police"), hub.pki().key("lancs-police"),
                    hub.pki().cert("hub"), "-aes-256-gcm");
            HttpResponse<byte[]> r = hub.client("lancs-police").submit(sealed);
            assertThat(r.statusCode()).as("a submission with %d bytes attached: %s", size, new String(r.body()))
                    .isEqualTo(202);
            hub.awaitPackages("police-fib", i + 1);
            hub.awaitPackages("mash-bpl", i + 1);
        }
    }
}
