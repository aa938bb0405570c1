package org.safeguarding.hub.partnership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

class PartnershipValidationTest {

    private static final String BROKEN = """
            name: broken
            conditionalHandlingSectors: [POLICE]
            participants:
              - id: police-fib
                organisation: FIB
                sector: POLICE
                roles: [RECIPIENT]
              - id: police-fib
                organisation: FIB again
                sector: POLCE
                roles: [RECIPIENT]
              - id: mash
                organisation: MASH
                sector: LOCAL_AUTHORITY
                roles: [RECIPIENT]
                colour: blue
            agreements:
              - id: CS-A
                version: 1
                precedence: 1
                status: ACTIVE
                validFrom: 2026-01-01
                validTo: 2026-12-31
                clauses:
                  - recipient: nobody
                    areas: ANY
                    categories: ALL
                    purposes: ALL
                    ages: [ { from: 0, to: 17 } ]
                    classifications: ALL
              - id: CS-A
                version: 2
                precedence: 1
                status: ACTIVE
                validFrom: 2026-06-01
                validTo: 2027-12-31
                clauses:
                  - recipient: mash
                    areas: SERVED
                    categories: [CSE, GROOMING]
                    purposes: ALL
                    ages: [ { from: 0, to: 17 } ]
                    classifications: ALL
              - id: CS-B
                version: three
                precedence: 2
                status: ACTIVE
                validFrom: 2027-01-01
                validTo: 2026-01-01
                clauses:
                  - recipient: police-fib
                    areas: ANY
                    categories: ALL
                    purposes: ALL
                    ages: [ { from: 18, to: 10 } ]
                    classifications: ALL
            redactionProfiles:
              POLICE: { identity: FULL, health: WITHHELD, source: FULL, narrative: FULL, contexts: FULL,
                        care: FULL, episode: FULL, attachments: FULL }
            """;

    @Test
    void everyProblemIsReportedAtOnceWithTheFileAndThePath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("partnership.yaml");
        Files.writeString(file, BROKEN, StandardCharsets.UTF_8);

        HubException e = catchThrowableOfType(HubException.class, () -> PartnershipLoader.load(file));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.getMessage()).startsWith(file.toString() + ": ");
        assertThat(e.errors()).extracting(FieldError::path).contains(
                "participants[1].id",                    // duplicate id
                "participants[1].sector",                // unknown sector
                "participants[2].colour",                // unknown key
                "participants[2].sector",                // LOCAL_AUTHORITY has no redaction profile
                "agreements[0].clauses[0].recipient",    // unknown recipient
                "agreements[1].validFrom",               // overlaps version 1
                "agreements[1].clauses[0].areas",        // SERVED but mash serves no area
                "agreements[1].clauses[0].categories",   // unknown category
                "agreements[2].version",                 // not a number
                "agreements[2].validTo",                 // ends before it starts
                "agreements[2].clauses[0].ages[0].to");  // range upside down
        assertThat(e.errors()).allSatisfy(p -> assertThat(e.getMessage()).contains(p.path() + ": " + p.message()));
    }

    @Test
    void messagesSayWhatIsWrong(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, BROKEN, StandardCharsets.UTF_8);
        HubException e = catchThrowableOfType(HubException.class, () -> PartnershipLoader.load(file));
        assertThat(message(e, "participants[1].sector")).contains("must be one of POLICE, HEALTH");
        assertThat(message(e, "participants[1].id")).contains("duplicate id");
        assertThat(message(e, "agreements[0].clauses[0].recipient")).contains("names no participant");
        assertThat(message(e, "agreements[1].validFrom")).contains("overlaps").contains("version 1");
        assertThat(message(e, "agreements[2].validTo")).contains("ends before it starts");
        assertThat(message(e, "agreements[2].version")).contains("whole number");
        assertThat(message(e, "participants[2].colour")).contains("known keys");
    }

    @Test
    void malformedYamlIsReportedWithItsLine() {
        HubException e = catchThrowableOfType(HubException.class,
                () -> PartnershipLoader.parse("name: [unclosed\n".getBytes(StandardCharsets.UTF_8), "x.yaml"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.getMessage()).startsWith("x.yaml: 1 problem").contains("not valid YAML at line");
    }

    @Test
    void aRepeatedKeyIsRefused() {
        String yaml = PartnershipLoader.referencePartnershipYaml().replace(
                "name: Lancashire", "name: twice\nname: Lancashire");
        HubException e = catchThrowableOfType(HubException.class,
                () -> PartnershipLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "x.yaml"));
        assertThat(e.getMessage()).contains("not valid YAML");
    }

    @Test
    void missingRequiredKeysAreNamed() {
        String yaml = "name: empty\nconditionalHandlingSectors: []\n";
        HubException e = catchThrowableOfType(HubException.class,
                () -> PartnershipLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "x.yaml"));
        assertThat(e.errors()).extracting(FieldError::path)
                .contains("participants", "agreements", "redactionProfiles");
    }

    @Test
    void differentAgreementsMayNotShareAPlaceInTheOrder() {
        String yaml = PartnershipLoader.referencePartnershipYaml().replace("precedence: 2", "precedence: 1");
        HubException e = catchThrowableOfType(HubException.class,
                () -> PartnershipLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "x.yaml"));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("agreements[1].precedence");
    }

    private static String message(HubException e, String path) {
        return e.errors().stream().filter(p -> p.path().equals(path)).map(FieldError::message)
                .reduce((a, b) -> a + " | " + b).orElse("<none>");
    }
}
