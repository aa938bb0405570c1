package org.safeguarding.hub.partnership;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferencePartnershipTest {
    private final Partnership p = PartnershipLoader.loadReference();

    @Test
    void recipientsAreThoseOfTheConformanceFileInTheSameOrder() throws Exception {
        JsonNode conformance;
        try (InputStream in = getClass().getResourceAsStream("/scenario/conformance.json")) {
            conformance = new ObjectMapper().readTree(in);
        }
        List<String> expected = new ArrayList<>();
        conformance.get("recipients").forEach(n -> expected.add(n.asText()));
        assertThat(p.recipients()).extracting(Participant::id).containsExactlyElementsOf(expected);
    }

    @Test
    void partnersHaveTheirSectorsAndAreas() {
        assertThat(p.partners()).extracting(Participant::id)
                .containsExactly("lancs-police", "nhs-lsc", "bwd-education", "bpl-education", "lancs-vcs", "bpl-csc");
        Participant bwdEducation = p.participant("bwd-education").orElseThrow();
        assertThat(bwdEducation.sector()).isEqualTo(Sector.EDUCATION);
        assertThat(bwdEducation.submitAreas()).containsExactly(Area.BWD);
        assertThat(p.participant("lancs-police").orElseThrow().submitAreas()).containsExactlyInAnyOrder(Area.values());
        assertThat(p.participant("bpl-csc").orElseThrow().sector()).isEqualTo(Sector.LOCAL_AUTHORITY);
    }

    @Test
    void hubIgLeadAndBoardHaveNoSector() {
        assertThat(p.participant("hub").orElseThrow().hasRole(Role.HUB)).isTrue();
        assertThat(p.participant("ig-lead").orElseThrow().hasRole(Role.IG_LEAD)).isTrue();
        assertThat(p.participant("board").orElseThrow().hasRole(Role.BOARD)).isTrue();
        assertThat(p.participant("hub").orElseThrow().sector()).isNull();
    }

    @Test
    void recipientsServeTheirAreas() {
        assertThat(p.participant("mash-bpl").orElseThrow().servedAreas()).containsExactly(Area.BPL);
        assertThat(p.participant("placing-manchester").orElseThrow().servedAreas()).isEmpty();
    }

    @Test
    void agreementsAsInTheScenario() {
        assertThat(p.agreements()).extracting(Agreement::toString)
                .containsExactly("CS-CORE v3", "CS-EDU v1", "CS-MISSING v2", "CS-PLACED v1", "CS-2023 v4");
        Agreement core = p.agreements().get(0);
        assertThat(core.validFrom()).isEqualTo(LocalDate.parse("2026-01-01"));
        assertThat(core.validTo()).isEqualTo(LocalDate.parse("2028-12-31"));
        Clause health = core.clauseFor("health-safeguarding").orElseThrow();
        assertThat(health.purposes()).containsExactlyInAnyOrder(Purpose.SAFEGUARDING, Purpose.PREVENTION);
        assertThat(health.ageInScope(21, Area.BPL)).isTrue();
        assertThat(health.ageInScope(21, Area.BWD)).isFalse();
        assertThat(health.ageInScope(null, Area.BWD)).isTrue();
        Clause edu = p.agreements().get(1).clauseFor("education-bwd").orElseThrow();
        assertThat(edu.classifications()).containsExactly(Classification.OFFICIAL);
        assertThat(edu.ageInScope(18, Area.BWD)).isTrue();
        assertThat(edu.ageInScope(3, Area.BWD)).isFalse();
        assertThat(p.agreements().get(3).clauseFor("placing-manchester").orElseThrow().furtherCondition())
                .hasValue(new FurtherCondition("manchester"));
        Agreement expired = p.agreements().get(4);
        assertThat(expired.status()).isEqualTo(AgreementStatus.EXPIRED);
        assertThat(expired.inForceAt(Instant.parse("2025-06-01T00:00:00Z"))).isFalse();
    }

    @Test
    void validityIncludesBothEndDaysInUtc() {
        Agreement placed = p.agreements().get(3);
        assertThat(placed.inForceAt(Instant.parse("2026-05-31T23:59:59Z"))).isFalse();
        assertThat(placed.inForceAt(Instant.parse("2026-06-01T00:00:00Z"))).isTrue();
        assertThat(placed.inForceAt(Instant.parse("2027-05-31T23:59:59Z"))).isTrue();
        assertThat(placed.inForceAt(Instant.parse("2027-06-01T00:00:00Z"))).isFalse();
    }

    @Test
    void profilesFollowTheRedactionTable() {
        assertThat(p.profile(Sector.POLICE).health()).isEqualTo(RedactionProfile.GroupRule.WITHHELD);
        assertThat(p.profile(Sector.LOCAL_AUTHORITY).source()).isEqualTo(RedactionProfile.SourceRule.GRADING_ONLY);
        assertThat(p.profile(Sector.EDUCATION).contextTypes())
                .isEqualTo(EnumSet.of(ContextType.LOCATION, ContextType.SCHOOL, ContextType.ONLINE));
        assertThat(p.profile(Sector.EDUCATION).narrative()).isEqualTo(RedactionProfile.NarrativeRule.SCRUBBED);
        assertThat(p.profile(Sector.VOLUNTARY).identity()).isEqualTo(RedactionProfile.IdentityRule.DROP_OTHER_SUBJECTS);
        assertThat(p.conditionalHandlingSectors()).isEqualTo(Set.of(Sector.POLICE, Sector.LOCAL_AUTHORITY));
    }

    @Test
    void digestIsTheSha256OfTheFileAndLoadingFromAFileGivesTheSame(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("partnership.yaml");
        Files.writeString(file, PartnershipLoader.referencePartnershipYaml(), StandardCharsets.UTF_8);
        Partnership fromFile = PartnershipLoader.load(file);
        assertThat(fromFile.digest()).isEqualTo(p.digest()).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(fromFile.digest()).isEqualTo(PartnershipLoader.sha256(Files.readAllBytes(file)));
        assertThat(fromFile.source()).isEqualTo(file.toString());
    }
}
