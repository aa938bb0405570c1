package org.safeguarding.hub.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * A large attachment's content is validated like any other and kept in the submission's own bytes: the tree holds a
 * reference, which writes back out as exactly the text that came in; one that is not base64 is refused as before.
 */
class LargeAttachmentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SchemaCheckedValidator validator = new SchemaCheckedValidator(Scenario.PARTNERSHIP);

    private static byte[] withAttachment(String content) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(Scenario.submission("C03-education-missing-blackpool.json"));
        tree.putArray("attachments").addObject().put("name", "scan.bin").put("mediaType", "application/octet-stream")
                .put("content", content);
        return JSON.writeValueAsBytes(tree);
    }

    private static String base64(int bytes) {
        byte[] b = new byte[bytes];
        new Random(7).nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void aLargeAttachmentIsKeptInPlaceAndWrittenBackAsItCame() throws Exception {
        for (int size : new int[] {SubmissionReader.LARGE, SubmissionReader.LARGE + 1, SubmissionReader.LARGE + 2}) {
            String content = base64(size);
            byte[] json = withAttachment(content);
            byte[] padded = Arrays.copyOf(json, json.length + 100); // only the given length is read
            ValidSubmission s = validator.validate(padded, json.length, Scenario.participant("bpl-education"));
            JsonNode kept = s.json().path("attachments").path(0).path("content");
            assertThat(kept.isPojo()).as("kept in place, %d bytes", size).isTrue();
            Object reference = ((com.fasterxml.jackson.databind.node.POJONode) kept).getPojo();
            assertThat(reference).isInstanceOf(AttachmentContent.class);
            assertThat(reference.toString()).doesNotContain(content.substring(0, 100));
            JsonNode written = JSON.readTree(JSON.writeValueAsBytes(s.json()));
            assertThat(written.path("attachments").path(0).path("content").asText()).isEqualTo(content);
        }
    }

    @Test
    void aSmallAttachmentStaysText() throws Exception {
        ValidSubmission s = validator.validate(withAttachment(base64(100)), Scenario.participant("bpl-education"));
        assertThat(s.json().path("attachments").path(0).path("content").isTextual()).isTrue();
    }

    @Test
    void aLargeContentThatIsNotBase64IsRefusedAsBefore() throws Exception {
        String good = base64(SubmissionReader.LARGE);
        for (String bad : new String[] {good + "A", good.substring(0, good.length() - 4) + "A===", good + "!",
                "!" + good, good.replace('A', '-')}) {
            HubException e = catchThrowableOfType(HubException.class,
                    () -> validator.validate(withAttachment(bad), Scenario.participant("bpl-education")));
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SUBMISSION);
            assertThat(e.errors()).extracting(f -> f.path()).containsExactly("attachments[0].content");
        }
    }

    @Test
    void escapedSlashesAreReadAsUsual() throws Exception {
        String content = base64(SubmissionReader.LARGE).replace("/", "\\/");
        String json = new String(withAttachment("PLACEHOLDER"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("PLACEHOLDER", content);
        ValidSubmission s = validator.validate(json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Scenario.participant("bpl-education"));
        assertThat(s.json().path("attachments").path(0).path("content").asText()).isEqualTo(content.replace("\\/", "/"));
    }
}
