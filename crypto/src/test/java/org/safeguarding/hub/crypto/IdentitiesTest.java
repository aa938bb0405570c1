package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.TestPki;

class IdentitiesTest {
    private final TestPki pki = TestPki.ec();

    @Test
    void pemAndPkcs12GiveTheSameIdentity() throws Exception {
        Identity fromPem = Identities.fromPem(pki.cert("hub"), pki.key("hub"));
        Identity fromP12 = Identities.fromPkcs12(pki.p12("hub"), "changeit".toCharArray());
        assertThat(fromP12.certificate()).isEqualTo(fromPem.certificate());
        assertThat(fromP12.privateKey().getEncoded()).isEqualTo(fromPem.privateKey().getEncoded());
        assertThat(fromP12.chain()).hasSize(2);
        assertThat(fromP12.participantId()).isEqualTo("hub");
        assertThat(fromPem.participantId()).isEqualTo("hub");
    }

    @Test
    void loadPicksByExtension() throws Exception {
        assertThat(Identities.load(pki.p12("mash-bpl"), null, "changeit".toCharArray()).participantId()).isEqualTo("mash-bpl");
        assertThat(Identities.load(pki.cert("mash-bpl"), pki.key("mash-bpl"), null).participantId()).isEqualTo("mash-bpl");
        assertThatThrownBy(() -> Identities.load(pki.cert("mash-bpl"), null, null)).isInstanceOf(IOException.class);
    }

    @Test
    void wrongPasswordAndMismatchedKeyAreRefused() {
        assertThatThrownBy(() -> Identities.fromPkcs12(pki.p12("hub"), "wrong".toCharArray()))
                .isInstanceOf(IOException.class).hasMessageNotContaining("wrong");
        assertThatThrownBy(() -> Identities.fromPem(pki.cert("hub"), pki.key("mash-bpl")))
                .isInstanceOf(IOException.class).hasMessageContaining("does not match");
    }

    @Test
    void identityToStringShowsNoKey() {
        assertThat(pki.identity("hub").toString()).doesNotContain("PRIVATE").contains("hub");
    }
}
