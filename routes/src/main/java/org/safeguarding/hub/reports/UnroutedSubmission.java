package org.safeguarding.hub.reports;

import java.time.Instant;
import java.util.List;

/** A submission that was shared with nobody: ids and codes only. */
public record UnroutedSubmission(String submissionId, String partner, Instant time, List<String> categories,
                                 String area) {
    public UnroutedSubmission {
        categories = List.copyOf(categories);
    }
}
