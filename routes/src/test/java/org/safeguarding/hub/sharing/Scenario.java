package org.safeguarding.hub.sharing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.submission.SubmissionValidator;
import org.safeguarding.hub.submission.ValidSubmission;

/** The scenario's files (copied into the test resources) and the reference partnership. */
final class Scenario {
    static final Partnership PARTNERSHIP = PartnershipLoader.loadReference();
    static final JsonNode CONFORMANCE = read("/scenario/conformance.json");
    static final Instant CLOCK = Instant.parse(CONFORMANCE.get("clock").asText());
    /** A fixed test secret; the hub's real one is 32 random bytes outside the configuration. */
    static final byte[] SECRET = new byte[32];

    static {
        for (int i = 0; i < SECRET.length; i++) {
            SECRET[i] = (byte) (i * 7 + 1);
        }
    }

    private Scenario() {
    }

    static JsonNode read(String resource) {
        try (InputStream in = Scenario.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing " + resource);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String resource) {
        try (InputStream in = Scenario.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode testCase(String id) {
        for (JsonNode c : CONFORMANCE.get("cases")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException(id);
    }

    /** Validates a case's submission as sent by its own partnerId, and checks the time window at the clock. */
    static ValidSubmission submission(String caseId) {
        byte[] json = bytes("/scenario/" + testCase(caseId).get("submission").asText());
        String partner = SubmissionValidator.partnerIdOf(json).orElseThrow();
        ValidSubmission s = new SubmissionValidator(PARTNERSHIP).validate(json, PARTNERSHIP.participant(partner).orElseThrow());
        SubmissionValidator.checkTimeWindow(s, CLOCK);
        return s;
    }

    static SharingPlan plan(String caseId) {
        return new SharingPlanner(PARTNERSHIP, new Pseudonymiser(SECRET)).plan(submission(caseId), CLOCK);
    }
}
