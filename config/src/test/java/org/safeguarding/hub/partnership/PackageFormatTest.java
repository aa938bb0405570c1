package org.safeguarding.hub.partnership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

/**
 * A participant's {@code packageFormat} and {@code allowRsaPkcs1v15}: absent, the hub's default and no PKCS#1 v1.5;
 * each format by its name; PKCS#1 v1.5 only with the participant's explicit allowance; only partners and recipients.
 */
class PackageFormatTest {
    private static final String REFERENCE = PartnershipLoader.referencePartnershipYaml();

    private static Partnership with(String participant, String lines) {
        String anchor = "  - id: " + participant + "\n";
        assertThat(REFERENCE).contains(anchor);
        return PartnershipLoader.parse(REFERENCE.replace(anchor, anchor + lines).getBytes(StandardCharsets.UTF_8), "test");
    }

    private static java.util.List<FieldError> problems(String participant, String lines) {
        HubException e = catchThrowableOfType(() -> with(participant, lines), HubException.class);
        assertThat(e).as("refused").isNotNull();
        return e.errors();
    }

    @Test
    void absentMeansTheHubsDefaultAndNoPkcs1() {
        Participant p = PartnershipLoader.loadReference().participant("mash-bpl").orElseThrow();
        assertThat(p.packageFormat()).isNull();
        assertThat(p.declaredPackageFormat()).isEmpty();
        assertThat(p.rsaPkcs1Allowed()).isFalse();
        assertThat(PartnershipLoader.loadReference().participants()).allSatisfy(q -> {
            assertThat(q.packageFormat()).isNull();
            assertThat(q.rsaPkcs1Allowed()).isFalse();
        });
    }

    @Test
    void eachFormatIsReadByItsName() {
        for (PackageFormat f : PackageFormat.values()) {
            String lines = "    packageFormat: " + f.yamlName() + "\n" + (f.rsaPkcs1() ? "    allowRsaPkcs1v15: true\n" : "");
            Participant p = with("mash-bpl", lines).participant("mash-bpl").orElseThrow();
            assertThat(p.packageFormat()).isEqualTo(f);
            assertThat(p.rsaPkcs1Allowed()).isEqualTo(f.rsaPkcs1());
        }
        assertThat(PackageFormat.ENVELOPED_AES256_CBC_RSA_OAEP.rsaOnly()).isTrue();
        assertThat(PackageFormat.AUTH_ENVELOPED_AES256_GCM.rsaOnly()).isFalse();
        assertThat(PackageFormat.AUTH_ENVELOPED_AES256_GCM.authenticated()).isTrue();
    }

    @Test
    void aPartnerMayBeAllowedPkcs1ForWhatItSeals() {
        Participant p = with("lancs-police", "    allowRsaPkcs1v15: true\n").participant("lancs-police").orElseThrow();
        assertThat(p.rsaPkcs1Allowed()).isTrue();
        assertThat(p.packageFormat()).isNull();
    }

    @Test
    void pkcs1WithoutTheAllowanceIsRefusedNamingTheRisk() {
        assertThat(problems("mash-bpl", "    packageFormat: enveloped-aes256-cbc-rsa-pkcs1\n")).singleElement()
                .satisfies(e -> {
                    assertThat(e.path()).matches("participants\\[\\d+]\\.packageFormat");
                    assertThat(e.message()).contains("allowRsaPkcs1v15: true").contains("padding-oracle");
                });
        assertThat(problems("mash-bpl", "    packageFormat: enveloped-aes256-cbc-rsa-pkcs1\n    allowRsaPkcs1v15: false\n"))
                .hasSize(1);
    }

    @Test
    void anUnknownFormatIsRefusedWithoutRepeatingIt() {
        assertThat(problems("mash-bpl", "    packageFormat: enveloped-3des\n")).singleElement().satisfies(e -> {
            assertThat(e.path()).endsWith(".packageFormat");
            assertThat(e.message()).contains("auth-enveloped-aes256-gcm").doesNotContain("3des");
        });
        assertThat(problems("mash-bpl", "    allowRsaPkcs1v15: yes please\n")).isNotEmpty();
    }

    @Test
    void onlyPartnersAndRecipientsDeclareThem() {
        String igLead = REFERENCE.contains("  - id: ig-lead\n") ? "ig-lead" : null;
        assertThat(igLead).as("the reference names an IG lead").isNotNull();
        assertThat(problems(igLead, "    packageFormat: auth-enveloped-aes256-gcm\n")).singleElement()
                .satisfies(e -> assertThat(e.path()).endsWith(".packageFormat"));
        assertThat(problems(igLead, "    allowRsaPkcs1v15: true\n")).singleElement()
                .satisfies(e -> assertThat(e.path()).endsWith(".allowRsaPkcs1v15"));
    }
}
