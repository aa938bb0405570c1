package org.safeguarding.hub.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The SFTP drop is a transport of its own: none of its classes refers to a type of the HTTP API. */
class DropTransportTypesTest {
    @Test
    void noClassOfTheDropRefersToAnHttpType() throws IOException, URISyntaxException {
        Path folder = Path.of(DropProcessor.class.getResource("DropProcessor.class").toURI()).getParent();
        List<Path> classes;
        try (Stream<Path> s = Files.list(folder)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).toList();
        }

        assertThat(classes).hasSizeGreaterThan(5);
        assertThat(new String(Files.readAllBytes(folder.resolve("DropProcessor.class")), StandardCharsets.ISO_8859_1))
                .as("what the drop hands intake is the body type of no transport")
                .contains("org/safeguarding/hub/spool/SealedBody");
        for (Path c : classes) {
            // every type a class refers to is in its constant pool by its internal name
            assertThat(new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1)).as(c.getFileName().toString())
                    .doesNotContain("org/safeguarding/hub/http/");
        }
    }
}
