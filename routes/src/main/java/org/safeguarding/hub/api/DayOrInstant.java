package org.safeguarding.hub.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * A date as a person types it in a query: a day ({@code 2026-11-27}, UTC) or an instant ({@code 2026-11-27T10:00:00Z},
 * or with an offset, {@code 2026-11-27T10:00:00+01:00}). A window is [from, to): a day as {@code from} starts at its
 * first moment, and a day as {@code to} includes that whole day (it ends at the next day's first moment), so
 * {@code from=2026-11-01&to=2026-11-30} is the whole of November.
 */
enum DayOrInstant {
    /** The window's first moment, inclusive. */
    FROM,
    /** The window's end, exclusive: a day is included whole. */
    TO;

    Instant parse(String key, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notZ) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    LocalDate day = LocalDate.parse(text);
                    return (this == FROM ? day : day.plusDays(1)).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (java.time.DateTimeException notDay) {
                    throw new HubException(ErrorCode.BAD_REQUEST, key + " must be a day such as 2026-11-27 or an"
                            + " instant such as 2026-11-27T10:00:00Z (a time needs Z or an offset such as +01:00).");
                }
            }
        }
    }
}
