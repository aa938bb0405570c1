package org.safeguarding.hub.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.error.ProblemJson;

/**
 * Only well-formed UTF-8 JSON text (RFC 8259 §8.1) is read: a body that is not is refused at {@code $} before any of
 * it is parsed; a text holding what no recipient should get (U+0000 and other control characters, an unpaired
 * surrogate written as an escape) is refused at its path. The refusal never carries the text around the flaw.
 */
class Utf8SubmissionTest {
    private final SchemaCheckedValidator validator = new SchemaCheckedValidator(Scenario.PARTNERSHIP);
    private static final String C03 = new String(Scenario.submission("C03-education-missing-blackpool.json"),
            StandardCharsets.UTF_8);
    private static final String NAME = "\"name\": \"Morgan Example\"";

    /** C03 with the bytes of {@code inName} in the middle of subjects[0].identity.name. */
    static byte[] withName(byte... inName) {
        int at = C03.indexOf(NAME) + "\"name\": \"Morgan".length();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(C03.substring(0, at).getBytes(StandardCharsets.UTF_8));
        b.writeBytes(inName);
        b.writeBytes(C03.substring(at).getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    static byte[] withNameText(String escapedJson) {
        return withName(escapedJson.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private HubException refused(byte[] body) {
        HubException e = catchThrowableOfType(HubException.class,
                () -> validator.validate(body, Scenario.participant("bpl-education")));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SUBMISSION);
        String problem = new String(new ProblemJson("https://hub.test").of(e, null), StandardCharsets.UTF_8);
        assertThat(problem).doesNotContain("Morgan").doesNotContain("Example").doesNotContain("Pupil Lane");
        return e;
    }

    private void refusedAtRoot(String how, byte[] body) {
        HubException e = refused(body);
        assertThat(e.errors()).as(how).hasSize(1);
        assertThat(e.errors().get(0).path()).as(how).isEqualTo("$");
        assertThat(e.errors().get(0).message()).as(how).startsWith("not well-formed UTF-8 JSON: ");
    }

    @Test
    void theUnchangedSampleIsAccepted() {
        assertThat(validator.validate(withName(), Scenario.participant("bpl-education")).submissionId()).isNotNull();
    }

    @Test
    void malformedUtf8IsRefusedAtTheRoot() {
        refusedAtRoot("overlong slash C0 AF", withName(bytes(0xC0, 0xAF)));
        refusedAtRoot("overlong NUL C0 80", withName(bytes(0xC0, 0x80)));
        refusedAtRoot("overlong C1 BF", withName(bytes(0xC1, 0xBF)));
        refusedAtRoot("overlong three-byte E0 80 AF", withName(bytes(0xE0, 0x80, 0xAF)));
        refusedAtRoot("overlong four-byte F0 80 80 AF", withName(bytes(0xF0, 0x80, 0x80, 0xAF)));
        refusedAtRoot("encoded high surrogate ED A0 80", withName(bytes(0xED, 0xA0, 0x80)));
        refusedAtRoot("encoded low surrogate ED B0 80", withName(bytes(0xED, 0xB0, 0x80)));
        refusedAtRoot("CESU-8 pair", withName(bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80)));
        refusedAtRoot("above U+10FFFF", withName(bytes(0xF4, 0x90, 0x80, 0x80)));
        refusedAtRoot("F5 lead", withName(bytes(0xF5, 0x80, 0x80, 0x80)));
        refusedAtRoot("FF", withName(bytes(0xFF)));
        refusedAtRoot("FE", withName(bytes(0xFE)));
        refusedAtRoot("stray continuation", withName(bytes(0x80)));
        refusedAtRoot("invalid continuation", withName(bytes(0xE2, 0x28, 0xA1)));
        refusedAtRoot("truncated two-byte before the quote", withName(bytes(0xC3)));
        refusedAtRoot("truncated three-byte before the quote", withName(bytes(0xE2, 0x82)));
        refusedAtRoot("truncated four-byte before the quote", withName(bytes(0xF0, 0x9F, 0x98)));
        refusedAtRoot("raw NUL", withName(bytes(0x00)));
        refusedAtRoot("raw ESC", withName(bytes(0x1B)));
        byte[] sample = withName();
        byte[] cut = java.util.Arrays.copyOf(sample, sample.length + 2);
        cut[sample.length] = (byte) 0xE2;
        cut[sample.length + 1] = (byte) 0x82;
        refusedAtRoot("truncated at the very end", cut);
    }

    @Test
    void aByteOrderMarkOrAnotherEncodingIsRefusedAtTheRoot() {
        byte[] sample = withName();
        ByteArrayOutputStream bom = new ByteArrayOutputStream();
        bom.writeBytes(bytes(0xEF, 0xBB, 0xBF));
        bom.writeBytes(sample);
        refusedAtRoot("UTF-8 with a byte order mark", bom.toByteArray());
        for (Charset cs : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
                Charset.forName("UTF-32"), Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE"))) {
            refusedAtRoot(cs.name(), C03.getBytes(cs));
        }
        ByteArrayOutputStream le = new ByteArrayOutputStream();
        le.writeBytes(bytes(0xFF, 0xFE));
        le.writeBytes(C03.getBytes(StandardCharsets.UTF_16LE));
        refusedAtRoot("UTF-16LE with its byte order mark", le.toByteArray());
    }

    @Test
    void wellFormedMultiByteTextIsAccepted() {
        for (String text : List.of("é", "€", "中文", new String(Character.toChars(0x1F600)), "\uFFFD", "\uFFFF")) {
            assertThat(validator.validate(withName(text.getBytes(StandardCharsets.UTF_8)),
                    Scenario.participant("bpl-education")).json().path("subjects").path(0).path("identity")
                    .path("name").asText()).as(text).isEqualTo("Morgan" + text + " Example");
        }
        assertThat(validator.validate(withNameText("\\ud83d\\ude00 \\t\\n\\r \\u00e9"),
                Scenario.participant("bpl-education")).json().path("subjects").path(0).path("identity")
                .path("name").asText()).isEqualTo("Morgan\uD83D\uDE00 \t\n\r \u00e9 Example");
    }

    @Test
    void anUnpairedSurrogateEscapeIsRefusedAtItsPath() {
        for (String escape : List.of("\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\ud800\\u0041", "\\ude00\\ud83d",
                "\\ud800\\ud800", "\\uD800x")) {
            HubException e = refused(withNameText(escape));
            assertThat(e.errors()).as(escape).containsExactly(
                    new FieldError("subjects[0].identity.name", SubmissionReader.UNPAIRED_SURROGATE));
        }
    }

    @Test
    void controlCharactersOtherThanTabLineFeedAndCarriageReturnAreRefusedAtTheirPath() {
        for (String escape : List.of("\\u0000", "\\u0001", "\\u0007", "\\b", "\\f", "\\u000b", "\\u001b", "\\u001f",
                "\\u007f", "\\u0080", "\\u0085", "\\u009b", "\\u009f")) {
            HubException e = refused(withNameText(escape));
            assertThat(e.errors()).as(escape).containsExactly(
                    new FieldError("subjects[0].identity.name", SubmissionReader.CONTROL_CHARACTER));
        }
        // raw, as UTF-8: DEL and the C1 controls are well-formed UTF-8 and JSON, and refused all the same
        for (byte[] raw : List.of(bytes(0x7F), bytes(0xC2, 0x80), bytes(0xC2, 0x85), bytes(0xC2, 0x9F))) {
            HubException e = refused(withName(raw));
            assertThat(e.errors()).containsExactly(
                    new FieldError("subjects[0].identity.name", SubmissionReader.CONTROL_CHARACTER));
        }
    }

    @Test
    void aRawTabInsideAStringIsMalformedJson() {
        HubException e = refused(withName(bytes('\t')));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("$");
        assertThat(e.errors().get(0).message()).startsWith("not well-formed JSON");
    }

    @Test
    void thePartnerIdIsNotReadFromBytesThatAreNotUtf8Text() {
        assertThat(SubmissionValidator.partnerIdOf(C03.getBytes(StandardCharsets.UTF_8))).hasValue("bpl-education");
        assertThat(SubmissionValidator.partnerIdOf(C03.getBytes(StandardCharsets.UTF_16))).isEmpty();
        assertThat(SubmissionValidator.partnerIdOf(withName(bytes(0xC0, 0xAF)))).isEmpty();
    }
}
