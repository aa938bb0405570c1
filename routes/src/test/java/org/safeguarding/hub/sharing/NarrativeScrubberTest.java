package org.safeguarding.hub.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NarrativeScrubberTest {
    private final NarrativeScrubber scrubber = new NarrativeScrubber();

    @ParameterizedTest
    @ValueSource(strings = {"07700 900123", "07700900123", "+44 7700 900123", "+447700900123", "(01253) 477000",
            "01253 477000", "0161 496 0000", "020 7946 0000", "0044 7700 900123", "+44 (0)1253 477000",
            "07700-900-123", "01204 12345", "07700.900123", "07700 - 900123"})
    void ukPhoneNumbers(String phone) {
        assertThat(scrubber.scrub("call " + phone + " today")).isEqualTo("call [REDACTED] today");
        assertThat(scrubber.scrub(phone)).isEqualTo("[REDACTED]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"riley.example@mail.test", "a.b+c@nhs.net", "J_Smith@school.lancs.sch.uk"})
    void emailAddresses(String email) {
        assertThat(scrubber.scrub("write to " + email + ".")).isEqualTo("write to [REDACTED].");
    }

    @ParameterizedTest
    @ValueSource(strings = {"999 000 0018", "9990000018", "999-000-0018", "999  000  0018", "999.000.0018"})
    void nhsNumbers(String nhs) {
        assertThat(scrubber.scrub("(NHS " + nhs + ")")).isEqualTo("(NHS [REDACTED])");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FY1 4AB", "BB2 6TT", "M1 1AE", "SW1A 1AA", "fy1 4ab", "PR13AA", "EC1A 1BB", "W1A 0AX", "FY1  1AA"})
    void postcodes(String postcode) {
        assertThat(scrubber.scrub("lives near " + postcode + ", often")).isEqualTo("lives near [REDACTED], often");
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        String text = "Seen on 3 evenings in 2024 with vehicle PN19 XYZ; aged 14; S-117; room 101; £250 cash.";
        assertThat(scrubber.scrub(text)).isEqualTo(text);
    }

    @Test
    void severalInOneText() {
        assertThat(scrubber.scrub("Adult uses phone 07700 900123 and +447700900124, e-mail x@y.org, at M1 1AE."))
                .isEqualTo("Adult uses phone [REDACTED] and [REDACTED], e-mail [REDACTED], at [REDACTED].");
    }

    @Test
    void nullStaysNull() {
        assertThat(scrubber.scrub(null)).isNull();
    }
}
