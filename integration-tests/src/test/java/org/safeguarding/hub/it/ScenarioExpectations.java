package org.safeguarding.hub.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the scenario says should happen to each sample, read from {@code scenario/conformance.json} and the samples
 * themselves, never from the hub: for a conformance case (C01..C08) the recipients its SHARED decisions name; for a
 * rejection case with a sample file (R03, R04, R09, ...) the HTTP status it must be refused with. The partner of a
 * sample is the {@code partnerId} the sample names.
 */
final class ScenarioExpectations {
    /** A sample the crash test sends: a conformance case (accepted, routed to {@code recipients}) or a refusal. */
    record Sample(String caseId, String file, String partner, Set<String> recipients, int refusedWith) {
        boolean acceptable() {
            return refusedWith == 0;
        }
    }

    private final List<String> recipients;
    private final Map<String, Sample> samples;

    private ScenarioExpectations(List<String> recipients, Map<String, Sample> samples) {
        this.recipients = recipients;
        this.samples = samples;
    }

    static ScenarioExpectations load() {
        JsonNode conformance;
        try (InputStream in = ScenarioExpectations.class.getResourceAsStream("/scenario/conformance.json")) {
            conformance = HubHttpClient.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> recipients = new ArrayList<>();
        conformance.path("recipients").forEach(r -> recipients.add(r.asText()));
        Map<String, Sample> samples = new LinkedHashMap<>();
        for (JsonNode c : conformance.path("cases")) {
            String file = fileName(c.path("submission").asText());
            Set<String> shared = new TreeSet<>();
            c.path("decisions").fields().forEachRemaining(d -> {
                if ("SHARED".equals(d.getValue().path("decision").asText())) {
                    shared.add(d.getKey());
                }
            });
            samples.put(c.path("id").asText(), new Sample(c.path("id").asText(), file, partnerOf(file),
                    Set.copyOf(shared), 0));
        }
        for (JsonNode r : conformance.path("rejections")) {
            // only the refusals that are a sample file sent as its own partner with a single final status
            if (r.hasNonNull("submission") && r.path("http").isInt()) {
                String file = fileName(r.path("submission").asText());
                samples.put(r.path("id").asText(), new Sample(r.path("id").asText(), file, partnerOf(file), Set.of(),
                        r.path("http").asInt()));
            }
        }
        return new ScenarioExpectations(List.copyOf(recipients), samples);
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String partnerOf(String file) {
        return Submissions.load(file).path("partnerId").asText();
    }

    /** Every recipient of the reference partnership, whose queues the test drains. */
    List<String> recipients() {
        return recipients;
    }

    Sample sample(String caseId) {
        Sample s = samples.get(caseId);
        if (s == null) {
            throw new IllegalArgumentException("no such scenario case: " + caseId);
        }
        return s;
    }

    /** The conformance cases (C01..C08), in file order. */
    List<Sample> acceptable() {
        return samples.values().stream().filter(Sample::acceptable).toList();
    }
}
