package org.safeguarding.hub.reports;

import java.util.Comparator;

/**
 * One flow: the agreement that decided (its id and version; {@value #NO_AGREEMENT} when no agreement
 * names the recipient), the partner that submitted and the recipient decided for.
 */
public record FlowKey(String agreement, Integer agreementVersion, String partner, String recipient)
        implements Comparable<FlowKey> {
    public static final String NO_AGREEMENT = "none";
    public static final String UNKNOWN = "unknown";
    private static final Comparator<FlowKey> ORDER = Comparator.comparing(FlowKey::agreement)
            .thenComparing(FlowKey::agreementVersion, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(FlowKey::partner)
            .thenComparing(FlowKey::recipient);

    @Override
    public int compareTo(FlowKey o) {
        return ORDER.compare(this, o);
    }
}
