package org.safeguarding.hub.reports;

import java.time.Instant;
import java.util.List;

/** A submission that was shared with nobody: ids and codes only, and the record key of its event. */
public record UnroutedSubmission(String submissionId, String partner, Instant time, List<String> categories,
                                 String area, long recordKey) {
    public UnroutedSubmission {
        categories = List.copyOf(categories);
    }

    public UnroutedSubmission(String submissionId, String partner, Instant time, List<String> categories,
                              String area) {
        this(submissionId, partner, time, categories, area, 0);
    }
}
