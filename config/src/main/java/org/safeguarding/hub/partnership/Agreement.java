package org.safeguarding.hub.partnership;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a data-sharing agreement.
 *
 * @param precedence where the agreement stands in the partnership's order of agreements (1 first):
 *                   a recipient reached by several agreements is served under the first, and this
 *                   order, not the order of entries in the file, decides
 * @param validFrom  first UTC day of validity, inclusive
 * @param validTo    last UTC day of validity, inclusive
 */
public record Agreement(String id, int version, int precedence, AgreementStatus status, LocalDate validFrom,
                        LocalDate validTo, String title, List<Clause> clauses) {

    public Agreement {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validTo, "validTo");
        title = title == null ? "" : title;
        clauses = List.copyOf(clauses);
    }

    /** ACTIVE, and the UTC date of the instant is within the validity window (both ends included). */
    public boolean inForceAt(Instant instant) {
        LocalDate day = LocalDate.ofInstant(instant, ZoneOffset.UTC);
        return status == AgreementStatus.ACTIVE && !day.isBefore(validFrom) && !day.isAfter(validTo);
    }

    public Optional<Clause> clauseFor(String recipientId) {
        return clauses.stream().filter(c -> c.recipientId().equals(recipientId)).findFirst();
    }

    public boolean names(String recipientId) {
        return clauseFor(recipientId).isPresent();
    }

    @Override
    public String toString() {
        return id + " v" + version;
    }
}
