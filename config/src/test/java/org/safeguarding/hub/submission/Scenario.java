package org.safeguarding.hub.submission;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;

/** The scenario's files, copied into the test resources. */
final class Scenario {
    static final Partnership PARTNERSHIP = PartnershipLoader.loadReference();

    private Scenario() {
    }

    static byte[] submission(String fileName) {
        try (InputStream in = Scenario.class.getResourceAsStream("/scenario/submissions/" + fileName)) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario file " + fileName);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Participant participant(String id) {
        return PARTNERSHIP.participant(id).orElseThrow();
    }
}
