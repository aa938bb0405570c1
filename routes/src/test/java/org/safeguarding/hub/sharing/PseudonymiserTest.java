package org.safeguarding.hub.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PseudonymiserTest {
    private final Pseudonymiser p = new Pseudonymiser(Scenario.SECRET);

    @Test
    void stableForTheSamePersonAndRecipient() {
        assertThat(p.pseudonym("education-bpl", "9990000018"))
                .isEqualTo(new Pseudonymiser(Scenario.SECRET.clone()).pseudonym("education-bpl", "9990000018"))
                .matches("[a-z2-7]{16}");
    }

    @Test
    void differentAcrossRecipientsPeopleAndSecrets() {
        String a = p.pseudonym("education-bpl", "9990000018");
        assertThat(p.pseudonym("education-bwd", "9990000018")).isNotEqualTo(a);
        assertThat(p.pseudonym("education-bpl", "9990000026")).isNotEqualTo(a);
        byte[] other = Scenario.SECRET.clone();
        other[0] ^= 1;
        assertThat(new Pseudonymiser(other).pseudonym("education-bpl", "9990000018")).isNotEqualTo(a);
    }

    @Test
    void exactlyAsSpecified() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Scenario.SECRET, "HmacSHA256"));
        byte[] kr = mac.doFinal("pseudonym|vcs-missing".getBytes(StandardCharsets.UTF_8));
        mac.init(new SecretKeySpec(kr, "HmacSHA256"));
        byte[] h = mac.doFinal("x".getBytes(StandardCharsets.UTF_8));
        assertThat(p.pseudonym("vcs-missing", "x")).isEqualTo(Pseudonymiser.base32(h).substring(0, 16));
    }

    @Test
    void base32IsRfc4648LowerCaseWithoutPadding() {
        // RFC 4648 test vectors, lower-cased, padding removed
        assertThat(Pseudonymiser.base32("".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(Pseudonymiser.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("my");
        assertThat(Pseudonymiser.base32("fo".getBytes(StandardCharsets.US_ASCII))).isEqualTo("mzxq");
        assertThat(Pseudonymiser.base32("foob".getBytes(StandardCharsets.US_ASCII))).isEqualTo("mzxw6yq");
        assertThat(Pseudonymiser.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("mzxw6ytboi");
    }

    @Test
    void subjectKeyRule() throws Exception {
        ObjectMapper m = new ObjectMapper();
        assertThat(Pseudonymiser.subjectKey("p", m.readTree(
                "{\"ref\":\"r\",\"identity\":{\"nhsNumber\":\"9990000018\",\"name\":\"A B\"}}"))).isEqualTo("9990000018");
        assertThat(Pseudonymiser.subjectKey("p", m.readTree(
                "{\"ref\":\"r\",\"identity\":{\"name\":\"Sam SAMPLE\",\"dateOfBirth\":\"2004-11-02\"}}"))).isEqualTo("sam sample|2004-11-02");
        assertThat(Pseudonymiser.subjectKey("p", m.readTree(
                "{\"ref\":\"r\",\"identity\":{\"name\":\"Sam\"}}"))).isEqualTo("sam|");
        assertThat(Pseudonymiser.subjectKey("p", m.readTree("{\"ref\":\"r\",\"identity\":{}}"))).isEqualTo("p|r");
    }

    @Test
    void secretMustBe32Bytes() {
        assertThatThrownBy(() -> new Pseudonymiser(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThat(p.toString()).doesNotContain("1");
    }
}
