package org.safeguarding.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The top-level partnerId, read before field validation so identity is judged first; anything doubtful is null. */
class PartnerIdReaderTest {
    static String read(String json) {
        return PartnerIdReader.partnerId(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheTopLevelPartnerId() {
        assertThat(read("{\"submissionId\":\"x\",\"partnerId\":\"lancs-police\",\"area\":\"BPL\"}"))
                .isEqualTo("lancs-police");
    }

    @Test
    void skipsNestedObjectsAndArraysThatNameAPartnerIdOfTheirOwn() {
        assertThat(read("""
                {"subjects": [{"partnerId": "nested-in-array"}],
                 "source": {"partnerId": "nested-in-object", "deeper": {"partnerId": "deeper"}},
                 "partnerId": "nhs-lsc"}"""))
                .isEqualTo("nhs-lsc");
    }

    @Test
    void aPartnerIdOnlyInsideANestedValueIsNotTheSubmissionsPartnerId() {
        assertThat(read("{\"source\": {\"partnerId\": \"lancs-police\"}, \"area\": \"BPL\"}")).isNull();
    }

    @Test
    void theFirstOfRepeatedPartnerIdsIsRead() {
        assertThat(read("{\"partnerId\":\"lancs-police\",\"partnerId\":\"nhs-lsc\"}")).isEqualTo("lancs-police");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"partnerId\": 42}",
            "{\"partnerId\": null}",
            "{\"partnerId\": [\"lancs-police\"]}",
            "{\"partnerId\": {\"id\": \"lancs-police\"}}",
            "{\"partnerId\": true}"})
    void aPartnerIdThatIsNotAStringIsNull(String json) {
        assertThat(read(json)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "[{\"partnerId\": \"lancs-police\"}]",
            "\"lancs-police\"",
            "{\"area\": \"BPL\"}",
            "{\"area\": \"BPL\", \"partnerId\": ",
            "{\"area\": \"BPL\" \"partnerId\": \"lancs-police\"}",
            "not json at all",
            "{\"partnerId\": \"lancs-pol"})
    void absentOrUnreadableIsNull(String json) {
        assertThat(read(json)).isNull();
    }

    @Test
    void readsThePartnerIdBeforeAMalformedTail() {
        // identity is judged on what was claimed; the malformed rest is the field validator's to report
        assertThat(read("{\"partnerId\": \"lancs-police\", \"area\": ")).isEqualTo("lancs-police");
    }

    @Test
    void aPartnerIdInBytesThatAreNotUtf8JsonTextIsNull() {
        byte[] good = "{\"partnerId\":\"lancs-police\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(PartnerIdReader.partnerId(good)).isEqualTo("lancs-police");
        byte[] overlong = "{\"partnerId\":\"lancs?police\"}".getBytes(StandardCharsets.UTF_8);
        overlong = java.util.Arrays.copyOf(overlong, overlong.length + 1);
        System.arraycopy(overlong, 19, overlong, 20, overlong.length - 20);
        overlong[19] = (byte) 0xC0;   // C0 AD: an overlong hyphen
        overlong[20] = (byte) 0xAD;
        assertThat(PartnerIdReader.partnerId(overlong)).isNull();
        byte[] bom = new byte[good.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(good, 0, bom, 3, good.length);
        assertThat(PartnerIdReader.partnerId(bom)).isNull();
        assertThat(PartnerIdReader.partnerId("{\"partnerId\":\"lancs-police\"}".getBytes(StandardCharsets.UTF_16LE)))
                .isNull();
        assertThat(PartnerIdReader.partnerId("{\"partnerId\":\"lancs-police\"}".getBytes(StandardCharsets.UTF_16)))
                .isNull();
    }

    @Test
    void onlyTheBytesUpToThePartnerIdAreJudged() {
        byte[] json = "{\"partnerId\":\"lancs-police\",\"narrative\":\"x?\"}".getBytes(StandardCharsets.UTF_8);
        json[json.length - 3] = (byte) 0xC0;   // malformed after the partnerId: validation reports it at $
        assertThat(PartnerIdReader.partnerId(json)).isEqualTo("lancs-police");
    }
}
