package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.partnership.PackageFormat;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.partnership.Sector;
import org.safeguarding.hub.sealing.RecipientSealer;

/** {@code ./hub open} (and {@code receive}) opens a package in every format the hub seals, PKCS#1 v1.5 included. */
class OpenCommandFormatsTest {
    private static final byte[] JSON = "{\"packageId\":\"p\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void everyPackageFormatOpens() throws Exception {
        TestPki rsa = TestPki.rsa();
        for (PackageFormat f : PackageFormat.values()) {
            Participant p = new Participant("mash-bpl", "MASH", Sector.LOCAL_AUTHORITY, Set.of(Role.RECIPIENT), Set.of(),
                    false, Set.of(), f, f.rsaPkcs1());
            byte[] sealed = new RecipientSealer(new CmsSealer(AlgorithmPolicy.defaults()), ContentEncryption.AES_256_GCM,
                    rsa.identity("hub"), id -> Optional.of(p)).seal(JSON, "mash-bpl",
                    List.of(rsa.identity("mash-bpl").certificate()));
            assertThat(OpenCommand.open(sealed, rsa.identity("mash-bpl"), rsa.caPem())).as(f.yamlName()).isEqualTo(JSON);
        }
    }
}
