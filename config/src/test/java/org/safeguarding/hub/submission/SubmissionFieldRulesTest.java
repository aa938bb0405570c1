package org.safeguarding.hub.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.partnership.Participant;

/** Each field rule of SCENARIO.md's submission table, one mutation of a valid submission at a time. */
class SubmissionFieldRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SchemaCheckedValidator validator = new SchemaCheckedValidator(Scenario.PARTNERSHIP);

    /** C03 (bpl-education, MISSING, two subjects) changed by {@code change}, sent by bpl-education. */
    private List<FieldError> problems(Consumer<ObjectNode> change) {
        return problems("C03-education-missing-blackpool.json", "bpl-education", change);
    }

    private List<FieldError> problems(String file, String sender, Consumer<ObjectNode> change) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(Scenario.submission(file));
            change.accept(tree);
            byte[] bytes = JSON.writeValueAsBytes(tree);
            HubException e = catchThrowableOfType(HubException.class,
                    () -> validator.validate(bytes, Scenario.participant(sender)));
            if (e == null) {
                return List.of();
            }
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SUBMISSION);
            return e.errors();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> paths(List<FieldError> errors) {
        return errors.stream().map(FieldError::path).distinct().toList();
    }

    private static ObjectNode subject(ObjectNode s, int i) {
        return (ObjectNode) s.withArray("subjects").get(i);
    }

    @Test
    void unchangedIsValid() {
        assertThat(problems(s -> { })).isEmpty();
    }

    @Test
    void unknownFieldsAreRefusedByTheirPositionNeverByTheirName() {
        List<FieldError> errors = problems(s -> {
            s.put("comment", "x");
            ((ObjectNode) subject(s, 0).get("identity")).put("ethnicity", "x");
            ((ObjectNode) s.withArray("contexts").get(0)).put("gps", "x");
        });
        // C03 has 12 top-level members, 5 in subjects[0].identity, 2 in contexts[0]: each added key comes after them
        assertThat(paths(errors)).containsExactlyInAnyOrder("(unknown field 12)",
                "subjects[0].identity.(unknown field 5)", "contexts[0].(unknown field 2)");
        assertThat(errors).extracting(FieldError::message).containsOnly("is not a field of a submission; remove it");
    }

    @Test
    void anUnknownKeysPositionCountsEveryMemberOfItsObjectFrom0() throws Exception {
        String c03 = new String(Scenario.submission("C03-education-missing-blackpool.json"), StandardCharsets.UTF_8);
        String json = c03.replaceFirst("\\{", "{\"Jamie Example 9990000018\": {\"nested\": [\"Jamie\", 1, {}]},")
                .replaceFirst("\"ref\": \"EDU-118\",", "\"ref\": \"EDU-118\", \"EDU 118 Jamie\": \"x\",");
        HubException e = catchThrowableOfType(HubException.class, () -> validator.validate(
                json.getBytes(StandardCharsets.UTF_8), Scenario.participant("bpl-education")));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SUBMISSION);
        assertThat(paths(e.errors())).containsExactlyInAnyOrder("(unknown field 0)", "subjects[0].(unknown field 1)");
        assertThat(new String(new org.safeguarding.hub.error.ProblemJson("https://hub.test").of(e, null), StandardCharsets.UTF_8))
                .doesNotContain("Jamie").doesNotContain("nested").doesNotContain("EDU");
    }

    @Test
    void requiredFieldsAreNamed() {
        List<FieldError> errors = problems(s -> s.remove(List.of("submissionId", "submittedAt", "purpose",
                "classification", "handling", "subjects", "categories", "area")));
        assertThat(paths(errors)).contains("submissionId", "submittedAt", "purpose", "classification", "handling",
                "subjects", "categories", "area");
    }

    @Test
    void valuesOutsideTheirVocabularies() {
        List<FieldError> errors = problems(s -> {
            s.put("submissionId", "not-a-uuid");
            s.put("purpose", "CURIOSITY");
            s.put("classification", "SECRET");
            s.withArray("categories").add("GROOMING");
            subject(s, 1).put("role", "WITNESS");
            ((ObjectNode) s.withArray("contexts").get(0)).put("type", "PARK");
        });
        assertThat(paths(errors)).containsExactlyInAnyOrder("submissionId", "purpose", "classification",
                "categories[1]", "subjects[1].role", "contexts[0].type");
    }

    @Test
    void wrongJsonTypesAreReportedOnceEach() {
        List<FieldError> errors = problems(s -> {
            s.put("narrative", 42);
            subject(s, 0).put("ageYears", "twelve");
            s.putArray("subjects").add("just text");
        });
        assertThat(paths(errors)).containsExactlyInAnyOrder("narrative", "subjects[0]");
    }

    @Test
    void nullIsNotAbsence() {
        assertThat(paths(problems(s -> s.putNull("narrative")))).containsExactly("narrative");
    }

    @Test
    void handlingCRequiresConditionsAndOnlyCCarriesThem() {
        assertThat(paths(problems(s -> ((ObjectNode) s.get("handling")).put("code", "C"))))
                .containsExactly("handling.conditions");
        assertThat(paths(problems(s -> ((ObjectNode) s.get("handling")).put("conditions", "x"))))
                .containsExactly("handling.conditions");
        assertThat(paths(problems(s -> ((ObjectNode) s.get("handling")).put("code", "X"))))
                .containsExactly("handling.code");
    }

    @Test
    void gradingIsRequiredFromPoliceOnlyAndMustBeWellFormed() {
        assertThat(problems("C01-police-cce-blackpool.json", "lancs-police", s -> s.remove("grading")))
                .extracting(FieldError::path).containsExactly("grading");
        assertThat(problems(s -> s.putObject("grading").put("source", "4").put("intelligence", "F")))
                .extracting(FieldError::path).containsExactlyInAnyOrder("grading.source", "grading.intelligence");
        assertThat(problems(s -> { })).isEmpty();   // bpl-education sends no grading
    }

    @Test
    void missingNeedsAnEpisodeWithSaneDates() {
        assertThat(paths(problems(s -> s.remove("missingEpisode")))).containsExactly("missingEpisode");
        assertThat(paths(problems(s -> ((ObjectNode) s.get("missingEpisode")).remove("from"))))
                .containsExactly("missingEpisode.from");
        assertThat(paths(problems(s -> ((ObjectNode) s.get("missingEpisode")).put("to", "2026-11-23T00:00:00Z"))))
                .containsExactly("missingEpisode.to");
        assertThat(paths(problems(s -> ((ObjectNode) s.get("missingEpisode"))
                .put("from", "2026-11-28T00:00:00Z").remove("to"))))
                .containsExactly("missingEpisode.from");
        assertThat(paths(problems(s -> ((ObjectNode) s.get("missingEpisode")).put("to", "2026-11-27T09:31:00Z"))))
                .containsExactly("missingEpisode.to");
        assertThat(problems(s -> ((ObjectNode) s.get("missingEpisode")).remove("to"))).isEmpty();
        assertThat(paths(problems(s -> ((ObjectNode) s.get("missingEpisode")).put("from", "yesterday"))))
                .containsExactly("missingEpisode.from");
    }

    @Test
    void subjectsNeedAChildAtRiskAndEachARefAndRole() {
        assertThat(paths(problems(s -> subject(s, 0).put("role", "ASSOCIATE")))).containsExactly("subjects");
        assertThat(paths(problems(s -> s.putArray("subjects")))).containsExactly("subjects");
        assertThat(paths(problems(s -> subject(s, 1).remove("ref")))).containsExactly("subjects[1].ref");
    }

    @Test
    void identityRules() {
        List<FieldError> errors = problems(s -> {
            ObjectNode id = (ObjectNode) subject(s, 0).get("identity");
            id.put("dateOfBirth", "2026-11-28");
            id.put("nhsNumber", "999 000 0018");
            ((ObjectNode) subject(s, 1).get("identity")).put("dateOfBirth", "20/01/2013");
        });
        assertThat(paths(errors)).containsExactlyInAnyOrder("subjects[0].identity.dateOfBirth",
                "subjects[0].identity.nhsNumber", "subjects[1].identity.dateOfBirth");
        assertThat(problems(s -> ((ObjectNode) subject(s, 0).get("identity")).put("dateOfBirth", "2026-11-27"))).isEmpty();
    }

    @Test
    void ageYearsFrom0To120() {
        assertThat(paths(problems(s -> subject(s, 1).put("ageYears", 121)))).containsExactly("subjects[1].ageYears");
        assertThat(paths(problems(s -> subject(s, 1).put("ageYears", -1)))).containsExactly("subjects[1].ageYears");
        assertThat(paths(problems(s -> subject(s, 1).put("ageYears", 12.5)))).containsExactly("subjects[1].ageYears");
        assertThat(problems(s -> subject(s, 1).put("ageYears", 120))).isEmpty();
    }

    @Test
    void narrativeAtMost20000Characters() {
        assertThat(problems(s -> s.put("narrative", "a".repeat(20_000)))).isEmpty();
        assertThat(paths(problems(s -> s.put("narrative", "a".repeat(20_001))))).containsExactly("narrative");
    }

    @Test
    void lookedAfterNeedsItsFlag() {
        assertThat(paths(problems(s -> subject(s, 0).putObject("lookedAfter").put("placingAuthority", "x"))))
                .containsExactly("subjects[0].lookedAfter.isLookedAfter");
    }

    @Test
    void attachmentsArePlainFilesInBase64() {
        List<FieldError> errors = problems(s -> {
            ArrayNode a = s.putArray("attachments");
            a.addObject().put("name", "photo.jpg").put("mediaType", "image/jpeg").put("content", "aGVsbG8=");
            a.addObject().put("name", "../../etc/passwd").put("mediaType", "text/plain").put("content", "aGVsbG8=");
            a.addObject().put("name", "C:\\x.doc").put("mediaType", "text").put("content", "not base64!");
        });
        assertThat(paths(errors)).containsExactlyInAnyOrder("attachments[1].name", "attachments[2].name",
                "attachments[2].mediaType", "attachments[2].content");
    }

    @Test
    void base64PaddingMayBeLeftOutButNothingElseBends() {
        List<FieldError> errors = problems(s -> {
            ArrayNode a = s.putArray("attachments");
            a.addObject().put("name", "a.txt").put("mediaType", "text/plain").put("content", "aGVsbG8"); // "hello"
            a.addObject().put("name", "b.txt").put("mediaType", "text/plain").put("content", "aGVsbG8=");
            a.addObject().put("name", "c.txt").put("mediaType", "text/plain").put("content", "aGVsbG8==");
            a.addObject().put("name", "d.txt").put("mediaType", "text/plain").put("content", "aGVs bG8=");
            a.addObject().put("name", "e.txt").put("mediaType", "text/plain").put("content", "aGVsbG8-");
        });
        assertThat(paths(errors)).containsExactlyInAnyOrder("attachments[2].content", "attachments[3].content",
                "attachments[4].content");
        assertThat(errors).filteredOn(e -> e.path().equals("attachments[2].content")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("padding optional"));
    }

    @Test
    void anAttachmentNameIsBoundedInCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDCF7"; // one character, two UTF-16 units
        List<FieldError> errors = problems(s -> {
            ArrayNode a = s.putArray("attachments");
            a.addObject().put("name", emoji.repeat(200) + ".jpg").put("mediaType", "image/jpeg").put("content", "aGVsbG8=");
            a.addObject().put("name", emoji.repeat(252) + ".jpg").put("mediaType", "image/jpeg").put("content", "aGVsbG8=");
        });
        assertThat(paths(errors)).containsExactly("attachments[1].name");
    }

    @Test
    void repeatedCategoryIsRefused() {
        assertThat(paths(problems(s -> s.withArray("categories").add("MISSING")))).containsExactly("categories");
    }

    @Test
    void messagesNeverRepeatTheFailingValue() {
        String secret = "Zq7-unique-value";
        List<FieldError> errors = problems(s -> {
            s.put("submissionId", secret);
            s.put("purpose", secret);
            s.put(secret, "x");
            ((ObjectNode) subject(s, 0).get("identity")).put("nhsNumber", secret);
            ((ObjectNode) subject(s, 0).get("identity")).put("dateOfBirth", secret);
        });
        assertThat(errors).hasSizeGreaterThanOrEqualTo(4);
        assertThat(errors).allSatisfy(e -> assertThat(e.message()).doesNotContain(secret));
        assertThat(errors).allSatisfy(e -> assertThat(e.path()).doesNotContain(secret));
    }

    @Test
    void malformedJsonIsInvalidAtTheRoot() {
        for (String body : new String[]{"{\"submissionId\": ", "[1,2]", "", "{\"a\":1,\"a\":2}", "{} {}"}) {
            HubException e = catchThrowableOfType(HubException.class,
                    () -> validator.validate(body.getBytes(StandardCharsets.UTF_8), Scenario.participant("nhs-lsc")));
            assertThat(e.code()).as(body).isEqualTo(ErrorCode.INVALID_SUBMISSION);
            assertThat(e.errors()).extracting(FieldError::path).as(body).containsExactly("$");
        }
    }

    @Test
    void roleIsCheckedBeforeEverythingElse() {
        byte[] garbage = "not json".getBytes(StandardCharsets.UTF_8);
        HubException recipient = catchThrowableOfType(HubException.class,
                () -> validator.validate(garbage, Scenario.participant("police-fib")));
        assertThat(recipient.code()).isEqualTo(ErrorCode.NOT_A_PARTNER);
        Participant p = Scenario.participant("nhs-lsc");
        Participant suspended = new Participant(p.id(), p.organisation(), p.sector(), p.roles(), p.submitAreas(),
                true, p.servedAreas());
        java.util.List<Participant> all = new java.util.ArrayList<>(Scenario.PARTNERSHIP.participants());
        all.replaceAll(x -> x.id().equals(p.id()) ? suspended : x);
        var partnership = new org.safeguarding.hub.partnership.Partnership("t", "t", "0", all,
                Scenario.PARTNERSHIP.agreements(), Scenario.PARTNERSHIP.profiles(),
                Scenario.PARTNERSHIP.conditionalHandlingSectors());
        HubException e = catchThrowableOfType(HubException.class,
                () -> new SubmissionValidator(partnership).validate(garbage, suspended));
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_A_PARTNER);
    }

    @Test
    void areaIsCheckedBeforeFields() throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(Scenario.submission("C07-education-cce-handling-c.json"));
        tree.put("area", "LANCS");
        tree.put("purpose", "bad");
        HubException e = catchThrowableOfType(HubException.class,
                () -> validator.validate(JSON.writeValueAsBytes(tree), Scenario.participant("bwd-education")));
        assertThat(e.code()).isEqualTo(ErrorCode.AREA_NOT_PERMITTED);
        tree.put("area", "NOWHERE");
        HubException invalid = catchThrowableOfType(HubException.class,
                () -> validator.validate(JSON.writeValueAsBytes(tree), Scenario.participant("bwd-education")));
        assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_SUBMISSION);
        assertThat(invalid.errors()).extracting(FieldError::path).containsExactlyInAnyOrder("area", "purpose");
    }

    @Test
    void partnerIdCanBeReadBeforeValidation() {
        assertThat(SubmissionValidator.partnerIdOf(Scenario.submission("C01-police-cce-blackpool.json")))
                .hasValue("lancs-police");
        assertThat(SubmissionValidator.partnerIdOf("{".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(SubmissionValidator.partnerIdOf("{\"partnerId\": 5}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
