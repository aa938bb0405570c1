package org.safeguarding.hub.partnership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

/** The partnership file's alertRules: the reference rules, every rule of validation, and the model's decisions. */
class AlertRulesTest {

    private static final String REFERENCE = PartnershipLoader.referencePartnershipYaml();
    /** The reference partnership without its alertRules section (the section ends the file). */
    private static final String WITHOUT_RULES = REFERENCE.substring(0, REFERENCE.indexOf("\nalertRules:\n") + 1);

    // ---------------------------------------------------------------- the reference rules

    @Test
    void theReferencePartnershipHasItsThreeRulesInFileOrder() {
        Partnership p = PartnershipLoader.loadReference();
        assertThat(p.alertRules()).extracting(AlertRule::id)
                .containsExactly("CONTEXT-2-SECTORS", "CHILD-3-PARTNERS", "MISSING-AND-EXPLOITED");

        AlertRule context = p.alertRule("CONTEXT-2-SECTORS").orElseThrow();
        assertThat(context.description())
                .isEqualTo("A place, vehicle or online account in submissions from at least 2 sectors within 28 days");
        assertThat(context.kinds()).containsExactlyInAnyOrder(LinkKind.VEHICLE, LinkKind.LOCATION_POSTCODE,
                LinkKind.ONLINE_HANDLE);
        assertThat(context.linksSubjects()).isFalse();
        assertThat(context.distinct()).isEqualTo(AlertRule.Distinct.SECTORS);
        assertThat(context.atLeast()).isEqualTo(2);
        assertThat(context.window()).isEqualTo(Duration.ofDays(28));
        assertThat(context.categories()).isEqualTo(EnumSet.allOf(Category.class));
        assertThat(context.requireEach()).isEmpty();
        assertThat(context.notifyRecipients()).containsExactly("police-fib", "mash-bwd", "mash-bpl", "mash-lancs");
        assertThat(context.countsBySector()).containsExactly("police-fib");
        assertThat(context.tellsCountsBySector("police-fib")).isTrue();
        assertThat(context.tellsCountsBySector("mash-bpl")).isFalse();

        AlertRule child = p.alertRule("CHILD-3-PARTNERS").orElseThrow();
        assertThat(child.kinds()).containsExactlyInAnyOrder(LinkKind.NHS_NUMBER, LinkKind.UPN);
        assertThat(child.linksSubjects()).isTrue();
        assertThat(child.distinct()).isEqualTo(AlertRule.Distinct.PARTNERS);
        assertThat(child.atLeast()).isEqualTo(3);
        assertThat(child.window()).isEqualTo(Duration.ofDays(14));
        assertThat(child.categories()).isEqualTo(EnumSet.allOf(Category.class));
        assertThat(child.requireEach()).isEmpty();
        assertThat(child.notifyRecipients())
                .containsExactly("police-fib", "mash-bwd", "mash-bpl", "mash-lancs", "health-safeguarding");
        assertThat(child.countsBySector()).isEmpty();

        AlertRule missing = p.alertRule("MISSING-AND-EXPLOITED").orElseThrow();
        assertThat(missing.kinds()).containsExactlyInAnyOrder(LinkKind.NHS_NUMBER, LinkKind.UPN);
        assertThat(missing.distinct()).isEqualTo(AlertRule.Distinct.SUBMISSIONS);
        assertThat(missing.atLeast()).isEqualTo(2);
        assertThat(missing.window()).isEqualTo(Duration.ofDays(28));
        assertThat(missing.requireEach())
                .containsExactly(Set.of(Category.MISSING), Set.of(Category.CCE, Category.CSE));
        assertThat(missing.notifyRecipients())
                .containsExactly("police-fib", "mash-bwd", "mash-bpl", "mash-lancs", "vcs-missing");
        assertThat(missing.countsBySector()).isEmpty();
    }

    @Test
    void everyRecipientTheReferenceRulesNameIsARecipientOfThePartnership() {
        Partnership p = PartnershipLoader.loadReference();
        for (AlertRule r : p.alertRules()) {
            for (String id : r.notifyRecipients()) {
                assertThat(p.participant(id)).as(r.id() + " notifies " + id)
                        .hasValueSatisfying(x -> assertThat(x.hasRole(Role.RECIPIENT)).isTrue());
            }
            assertThat(r.notifyRecipients()).containsAll(r.countsBySector());
            assertThat(r.description().length()).isLessThanOrEqualTo(200);
        }
    }

    @Test
    void aPartnershipWithoutAlertRulesLoadsAsBefore() {
        Partnership without = PartnershipLoader.parse(WITHOUT_RULES.getBytes(StandardCharsets.UTF_8), "x.yaml");
        Partnership reference = PartnershipLoader.loadReference();
        assertThat(without.alertRules()).isEmpty();
        assertThat(without.alertRule("CONTEXT-2-SECTORS")).isEmpty();
        assertThat(without.participants()).isEqualTo(reference.participants());
        assertThat(without.agreements()).isEqualTo(reference.agreements());
        assertThat(without.profiles()).isEqualTo(reference.profiles());
        assertThat(without.conditionalHandlingSectors()).isEqualTo(reference.conditionalHandlingSectors());
    }

    @Test
    void anEmptyListOfAlertRulesIsNoRules() {
        assertThat(load("alertRules: []\n").alertRules()).isEmpty();
    }

    @Test
    void theOlderConstructorMakesAPartnershipWithoutAlertRules() {
        Partnership r = PartnershipLoader.loadReference();
        Partnership p = new Partnership(r.name(), r.source(), r.digest(), r.participants(), r.agreements(),
                r.profiles(), r.conditionalHandlingSectors());
        assertThat(p.alertRules()).isEmpty();
    }

    @Test
    void aPartnershipRefusesTwoRulesWithOneId() {
        Partnership r = PartnershipLoader.loadReference();
        AlertRule rule = r.alertRules().get(0);
        assertThatThrownBy(() -> new Partnership(r.name(), r.source(), r.digest(), r.participants(), r.agreements(),
                r.profiles(), r.conditionalHandlingSectors(), List.of(rule, rule)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- one test per rule of validation

    @Test
    void theWholeSectionMustBeAListOfRules() {
        assertThat(message(refused("alertRules: CONTEXT\n"), "alertRules")).contains("must be a list");
        assertThat(message(refused("alertRules: { id: X }\n"), "alertRules")).contains("must be a list");
        assertThat(message(refused("alertRules: ~\n"), "alertRules")).contains("leave it out");
        assertThat(message(refused("alertRules:\n  - CONTEXT\n"), "alertRules[0]")).contains("must be an object");
        assertThat(message(refused("alertRule: []\n"), "alertRule")).contains("known keys").contains("alertRules");
    }

    @Test
    void anUnknownKeyOfARuleIsRefusedWithTheKnownKeys() {
        HubException e = refused(rules(contextRule(), with(contextRule(), "notifiy", "[police-fib]")));
        assertThat(message(e, "alertRules[1].notifiy")).contains("is not a known key here")
                .contains("known keys: atLeast, categories, countsBySector, description, distinct, id, kinds, notify,"
                        + " requireEach, withinDays");
    }

    @Test
    void theIdIsRequiredAndHasAPattern() {
        assertThat(message(refused(rules(without(contextRule(), "id"))), "alertRules[0].id"))
                .contains("is required").contains("give the rule an id");
        for (String bad : List.of("lower-case", "-LEADING", "_LEADING", "'HAS SPACE'", "'ID!'", "''",
                "A".repeat(65))) {
            assertThat(message(refused(rules(with(contextRule(), "id", bad))), "alertRules[0].id")).as(bad)
                    .contains("1 to 64 capital letters, digits, hyphens or underscores");
        }
        assertThat(load(rules(with(contextRule(), "id", "A".repeat(64)))).alertRules().get(0).id()).hasSize(64);
        assertThat(load(rules(with(contextRule(), "id", "7_UNDER-SCORE"))).alertRules().get(0).id())
                .isEqualTo("7_UNDER-SCORE");
    }

    @Test
    void idsAreUnique() {
        HubException e = refused(rules(with(contextRule(), "id", "SAME"), with(subjectRule(), "id", "OTHER"),
                with(subjectRule(), "id", "SAME")));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("alertRules[2].id");
        assertThat(message(e, "alertRules[2].id")).contains("duplicate id").contains("alertRules[0]");
    }

    @Test
    void theDescriptionIsRequiredAndAtMost200Characters() {
        assertThat(message(refused(rules(without(contextRule(), "description"))), "alertRules[0].description"))
                .contains("is required");
        assertThat(message(refused(rules(with(contextRule(), "description", "'   '"))), "alertRules[0].description"))
                .contains("is required");
        assertThat(message(refused(rules(with(contextRule(), "description", "d".repeat(201)))),
                "alertRules[0].description")).contains("at most 200 characters").contains("shorten it");
        assertThat(load(rules(with(contextRule(), "description", "d".repeat(200)))).alertRules().get(0).description())
                .hasSize(200);
    }

    @Test
    void kindsAreARequiredListOfLinkKindsEachNamedOnce() {
        assertThat(message(refused(rules(without(contextRule(), "kinds"))), "alertRules[0].kinds"))
                .contains("is required").contains("NHS_NUMBER, UPN, NAME_DOB, VEHICLE");
        assertThat(message(refused(rules(with(contextRule(), "kinds", "[]"))), "alertRules[0].kinds"))
                .contains("is required");
        assertThat(message(refused(rules(with(contextRule(), "kinds", "[VEHICLE, REGISTRATION]"))),
                "alertRules[0].kinds[1]")).contains("must be one of NHS_NUMBER, UPN, NAME_DOB, VEHICLE");
        assertThat(message(refused(rules(with(contextRule(), "kinds", "[VEHICLE, ONLINE_HANDLE, VEHICLE]"))),
                "alertRules[0].kinds[2]")).contains("repeats an earlier kind");
        assertThat(load(rules(with(contextRule(), "kinds", "VEHICLE"))).alertRules().get(0).kinds())
                .containsExactly(LinkKind.VEHICLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[NAME_DOB, VEHICLE]", "[NAME_DOB, LOCATION_POSTCODE]", "[ONLINE_HANDLE, NAME_DOB]",
            "[NHS_NUMBER, VEHICLE]", "[UPN, LOCATION_POSTCODE]", "[NHS_NUMBER, UPN, NAME_DOB, ONLINE_HANDLE]"})
    void aRuleLinksEitherSubjectsOrContexts(String kinds) {
        HubException e = refused(rules(subjectRule(), with(contextRule("R-1"), "kinds", kinds)));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("alertRules[1].kinds");
        assertThat(message(e, "alertRules[1].kinds")).contains("a rule links either subjects")
                .contains("split it into two rules");
    }

    @Test
    void nameAndDateOfBirthIsUsedByARuleThatNamesIt() {
        Partnership p = load(rules(with(subjectRule(), "kinds", "[NAME_DOB]"),
                with(with(subjectRule(), "id", "BOTH"), "kinds", "[NHS_NUMBER, NAME_DOB]")));
        assertThat(p.alertRules().get(0).kinds()).containsExactly(LinkKind.NAME_DOB);
        assertThat(p.alertRules().get(1).kinds()).containsExactlyInAnyOrder(LinkKind.NHS_NUMBER, LinkKind.NAME_DOB);
        assertThat(p.alertRules()).allSatisfy(r -> assertThat(r.linksSubjects()).isTrue());
        assertThat(PartnershipLoader.loadReference().alertRules())
                .allSatisfy(r -> assertThat(r.kinds()).doesNotContain(LinkKind.NAME_DOB));
    }

    @Test
    void distinctIsSectorsPartnersOrSubmissions() {
        assertThat(message(refused(rules(without(contextRule(), "distinct"))), "alertRules[0].distinct"))
                .contains("is required").contains("SECTORS, PARTNERS or SUBMISSIONS");
        for (String bad : List.of("SECTOR", "sectors", "AGENCIES", "'2'")) {
            assertThat(message(refused(rules(with(contextRule(), "distinct", bad))), "alertRules[0].distinct"))
                    .as(bad).contains("must be SECTORS, PARTNERS or SUBMISSIONS");
        }
        for (AlertRule.Distinct d : AlertRule.Distinct.values()) {
            assertThat(load(rules(with(contextRule(), "distinct", d.name()))).alertRules().get(0).distinct())
                    .isEqualTo(d);
        }
    }

    @Test
    void atLeastIsAWholeNumberFrom2To50() {
        assertThat(message(refused(rules(without(contextRule(), "atLeast"))), "alertRules[0].atLeast"))
                .contains("is required").contains("2 to 50");
        for (String bad : List.of("-2", "0", "1", "51", "1000")) {
            assertThat(message(refused(rules(with(contextRule(), "atLeast", bad))), "alertRules[0].atLeast"))
                    .as(bad).contains("must be a whole number from 2 to 50");
        }
        for (String bad : List.of("two", "2.5", "[2]")) {
            assertThat(message(refused(rules(with(contextRule(), "atLeast", bad))), "alertRules[0].atLeast"))
                    .as(bad).contains("must be a whole number");
        }
        assertThat(load(rules(with(contextRule(), "atLeast", "2"))).alertRules().get(0).atLeast()).isEqualTo(2);
        assertThat(load(rules(with(contextRule(), "atLeast", "50"))).alertRules().get(0).atLeast()).isEqualTo(50);
    }

    @Test
    void withinDaysIsAWholeNumberFrom1To366() {
        assertThat(message(refused(rules(without(contextRule(), "withinDays"))), "alertRules[0].withinDays"))
                .contains("is required").contains("1 to 366");
        for (String bad : List.of("-1", "0", "367", "100000")) {
            assertThat(message(refused(rules(with(contextRule(), "withinDays", bad))), "alertRules[0].withinDays"))
                    .as(bad).contains("must be a whole number of days from 1 to 366");
        }
        assertThat(message(refused(rules(with(contextRule(), "withinDays", "28.5"))), "alertRules[0].withinDays"))
                .contains("must be a whole number");
        assertThat(load(rules(with(contextRule(), "withinDays", "1"))).alertRules().get(0).window())
                .isEqualTo(Duration.ofDays(1));
        assertThat(load(rules(with(contextRule(), "withinDays", "366"))).alertRules().get(0).window())
                .isEqualTo(Duration.ofDays(366));
    }

    @Test
    void categoriesAreAllWhenLeftOutOrWrittenAllOrAList() {
        Partnership p = load(rules(contextRule(), with(with(contextRule(), "id", "ALL-WRITTEN"), "categories", "ALL"),
                with(with(contextRule(), "id", "SOME"), "categories", "[CSE, CCE]")));
        assertThat(p.alertRules().get(0).categories()).isEqualTo(EnumSet.allOf(Category.class));
        assertThat(p.alertRules().get(1).categories()).isEqualTo(EnumSet.allOf(Category.class));
        assertThat(p.alertRules().get(2).categories()).containsExactlyInAnyOrder(Category.CSE, Category.CCE);
        assertThat(message(refused(rules(with(contextRule(), "categories", "[]"))), "alertRules[0].categories"))
                .contains("must not be empty").contains("write ALL");
        assertThat(message(refused(rules(with(contextRule(), "categories", "[ALL, CSE]"))), "alertRules[0].categories"))
                .contains("ALL alone");
        assertThat(message(refused(rules(with(contextRule(), "categories", "[CSE, GROOMING]"))),
                "alertRules[0].categories")).contains("item 2 is not one of CSE, CCE");
        assertThat(message(refused(rules(with(contextRule(), "categories", "[CSE, CSE]"))), "alertRules[0].categories"))
                .contains("item 2 repeats");
    }

    @Test
    void requireEachIsAListOfNonEmptyCategoryLists() {
        assertThat(message(refused(rules(with(subjectRule(), "requireEach", "[]"))), "alertRules[0].requireEach"))
                .contains("must not be empty").contains("leave it out");
        assertThat(message(refused(rules(with(subjectRule(), "requireEach", "[[MISSING], []]"))),
                "alertRules[0].requireEach[1]")).contains("must not be empty").contains("leave this list out");
        assertThat(message(refused(rules(with(subjectRule(), "requireEach", "[[MISSING], [CCE, GROOMING]]"))),
                "alertRules[0].requireEach[1][1]")).contains("must be one of CSE, CCE");
        assertThat(message(refused(rules(with(subjectRule(), "requireEach", "[ALL]"))),
                "alertRules[0].requireEach[0][0]")).contains("must be one of CSE, CCE");
        assertThat(message(refused(rules(with(subjectRule(), "requireEach", "[[CCE, CSE, CCE]]"))),
                "alertRules[0].requireEach[0][2]")).contains("repeats an earlier category");
        assertThat(message(refused(rules(with(subjectRule(), "requireEach", "MISSING"))), "alertRules[0].requireEach"))
                .contains("must be a list");
        // A single category stands for a one-item list, as elsewhere in the file.
        assertThat(load(rules(with(subjectRule(), "requireEach", "[MISSING, [CCE, CSE]]"))).alertRules().get(0)
                .requireEach()).containsExactly(Set.of(Category.MISSING), Set.of(Category.CCE, Category.CSE));
    }

    @Test
    void notifyIsARequiredListOfRecipientsEachNamedOnce() {
        assertThat(message(refused(rules(subjectRule(), without(subjectRule("R-1"), "notify"))),
                "alertRules[1].notify")).contains("is required").contains("RECIPIENT role");
        assertThat(message(refused(rules(with(subjectRule(), "notify", "[]"))), "alertRules[0].notify"))
                .contains("is required");
        assertThat(message(refused(rules(subjectRule(), with(subjectRule("R-1"), "notify", "[nobody, police-fib]"))),
                "alertRules[1].notify[0]")).contains("names no participant").contains("RECIPIENT role");
        for (String notRecipient : List.of("lancs-police", "hub", "ig-lead", "board")) {
            assertThat(message(refused(rules(with(subjectRule(), "notify", "[police-fib, " + notRecipient + "]"))),
                    "alertRules[0].notify[1]")).as(notRecipient).contains("without the RECIPIENT role");
        }
        assertThat(message(refused(rules(with(subjectRule(), "notify", "[police-fib, mash-bpl, police-fib]"))),
                "alertRules[0].notify[2]")).contains("repeats an earlier recipient");
    }

    @Test
    void aSuspendedRecipientMayBeNotified() {
        String mashBpl = "  - id: mash-bpl\n    organisation: Blackpool MASH\n    sector: LOCAL_AUTHORITY\n"
                + "    roles: [RECIPIENT]\n    serves: [BPL]\n";
        assertThat(REFERENCE).contains(mashBpl);
        String suspended = REFERENCE.replace(mashBpl, mashBpl + "    suspended: true\n");
        Partnership p = PartnershipLoader.parse(suspended.getBytes(StandardCharsets.UTF_8), "x.yaml");
        assertThat(p.participant("mash-bpl").orElseThrow().suspended()).isTrue();
        assertThat(p.alertRules()).allSatisfy(r -> assertThat(r.notifyRecipients()).contains("mash-bpl"));
    }

    @Test
    void countsBySectorGoOnlyToRecipientsTheRuleNotifies() {
        HubException e = refused(rules(with(contextRule(), "countsBySector", "[police-fib, mash-lancs]")));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("alertRules[0].countsBySector[1]");
        assertThat(message(e, "alertRules[0].countsBySector[1]")).contains("is not in notify")
                .contains("add it to notify or remove it here");
        assertThat(message(refused(rules(with(contextRule(), "countsBySector", "[police-fib, police-fib]"))),
                "alertRules[0].countsBySector[1]")).contains("repeats an earlier recipient");
        assertThat(load(rules(with(contextRule(), "countsBySector", "[mash-bpl, police-fib]"))).alertRules().get(0)
                .countsBySector()).containsExactly("mash-bpl", "police-fib");
        assertThat(load(rules(without(contextRule(), "countsBySector"))).alertRules().get(0).countsBySector())
                .isEmpty();
    }

    @Test
    void everyProblemOfEveryRuleIsReportedAtOnceWithTheFile() {
        HubException e = refused(rules(
                with(with(contextRule(), "kinds", "[NAME_DOB, VEHICLE]"), "atLeast", "1"),
                with(with(subjectRule("R-1"), "notify", "[nobody]"), "withinDays", "0")));
        assertThat(e.getMessage()).startsWith("x.yaml: 4 problems");
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("alertRules[0].atLeast",
                "alertRules[0].kinds", "alertRules[1].notify[0]", "alertRules[1].withinDays");
        assertThat(e.errors()).allSatisfy(p -> assertThat(e.getMessage()).contains(p.path() + ": " + p.message()));
    }

    // ---------------------------------------------------------------- many malformed rules

    static Stream<Arguments> malformedRules() {
        List<Arguments> out = new ArrayList<>();
        List<Mutation> mutations = mutations();
        for (int base = 0; base < 2; base++) {
            for (int at = 0; at < 3; at++) {
                for (Mutation m : mutations) {
                    List<Map<String, String>> rs = threeRules(base);
                    String text = m.apply(rs, at);
                    out.add(Arguments.of((base == 0 ? "context" : "subject") + " rule " + at + ": " + m.name(),
                            text, List.of(m.path(at))));
                }
            }
        }
        Random random = new Random(20260101L);
        List<Mutation> fieldMutations = mutations.stream().filter(m -> m.key() != null).toList();
        for (int n = 0; n < 200; n++) {
            Mutation a = fieldMutations.get(random.nextInt(fieldMutations.size()));
            Mutation b = fieldMutations.get(random.nextInt(fieldMutations.size()));
            // countsBySector is checked against notify: changing both may make a bad one good.
            if (a.key().equals(b.key()) || Set.of(a.key(), b.key()).equals(Set.of("notify", "countsBySector"))) {
                continue;
            }
            int base = random.nextInt(2);
            int at = random.nextInt(3);
            List<Map<String, String>> rs = threeRules(base);
            rs.set(at, b.change(a.change(rs.get(at))));
            out.add(Arguments.of("rule " + at + ": " + a.name() + " and " + b.name(), render(rs),
                    List.of(a.path(at), b.path(at))));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRules")
    void aMalformedRuleIsRefusedWithItsPathAndAClearMessage(String name, String alertRules, List<String> paths) {
        String yaml = WITHOUT_RULES + alertRules;
        Throwable t = catchThrowable(() -> PartnershipLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "p.yaml"));
        assertThat(t).as("refused by the loader").isInstanceOf(HubException.class);
        HubException e = (HubException) t;
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.getMessage()).startsWith("p.yaml: ");
        assertThat(e.errors()).extracting(FieldError::path).containsAll(paths);
        assertThat(e.errors()).allSatisfy(p -> {
            assertThat(p.path()).startsWith("alertRules[");
            assertThat(p.message()).hasSizeGreaterThan(10).doesNotContain("{").doesNotContain("}")
                    .containsAnyOf("must", "is required", "names", "repeats", "split it", "add it", "leave",
                            "is not a known key", "duplicate", "write ALL");
            assertThat(e.getMessage()).contains(p.path() + ": " + p.message());
        });
    }

    @Test
    void theGeneratedVariantsAreMany() {
        assertThat(malformedRules().count()).isGreaterThan(500);
    }

    /** A change to one rule: a key given {@code value} (null: left out), or the whole rule replaced by {@code raw}. */
    record Mutation(String name, String key, String value, String raw, String relativePath) {
        static Mutation set(String key, String value, String relativePath) {
            return new Mutation(key + ": " + value, key, value, null, relativePath);
        }

        static Mutation set(String key, String value) {
            return set(key, value, key);
        }

        static Mutation remove(String key) {
            return new Mutation("no " + key, key, null, null, key);
        }

        static Mutation rule(String raw) {
            return new Mutation("rule " + raw, null, null, raw, "");
        }

        String path(int at) {
            return "alertRules[" + at + "]" + (relativePath.isEmpty() ? "" : "." + relativePath);
        }

        Map<String, String> change(Map<String, String> rule) {
            return value == null ? without(rule, key) : with(rule, key, value);
        }

        String apply(List<Map<String, String>> rules, int at) {
            if (raw == null) {
                rules.set(at, change(rules.get(at)));
                return render(rules);
            }
            StringBuilder sb = new StringBuilder("alertRules:\n");
            for (int i = 0; i < rules.size(); i++) {
                sb.append(i == at ? "  - " + raw + "\n" : renderRule(rules.get(i)));
            }
            return sb.toString();
        }
    }

    private static List<Mutation> mutations() {
        List<Mutation> m = new ArrayList<>();
        for (String key : List.of("id", "description", "kinds", "distinct", "atLeast", "withinDays", "notify")) {
            m.add(Mutation.remove(key));
            m.add(Mutation.set(key, "~"));
            m.add(Mutation.set(key, "{ a: b }"));
        }
        for (String key : List.of("categories", "requireEach", "countsBySector")) {
            m.add(Mutation.set(key, "~"));
            m.add(Mutation.set(key, "{ a: b }"));
        }
        for (String v : List.of("lower-case", "-LEADING", "_LEADING", "'HAS SPACE'", "'ID!'", "''", "Ä1",
                "A".repeat(65), "'CONTEXT.2'", "[A, B]")) {
            m.add(Mutation.set("id", v));
        }
        for (String v : List.of("''", "'   '", "d".repeat(201), "[a, b]")) {
            m.add(Mutation.set("description", v));
        }
        m.add(Mutation.set("kinds", "[]"));
        m.add(Mutation.set("kinds", "[FOO]", "kinds[0]"));
        m.add(Mutation.set("kinds", "vehicle", "kinds[0]"));
        m.add(Mutation.set("kinds", "[UPN, UPN]", "kinds[1]"));
        m.add(Mutation.set("kinds", "[VEHICLE, VEHICLE]", "kinds[1]"));
        m.add(Mutation.set("kinds", "[[VEHICLE]]", "kinds[0]"));
        m.add(Mutation.set("kinds", "[VEHICLE, ~]", "kinds[1]"));
        m.add(Mutation.set("kinds", "[VEHICLE, { a: b }]", "kinds[1]"));
        m.add(Mutation.set("kinds", "[NHS_NUMBER, UPN, POSTCODE]", "kinds[2]"));
        for (String v : List.of("[NAME_DOB, VEHICLE]", "[NHS_NUMBER, ONLINE_HANDLE]", "[UPN, LOCATION_POSTCODE]",
                "[VEHICLE, NAME_DOB, UPN]", "[NAME_DOB, LOCATION_POSTCODE]", "[ONLINE_HANDLE, NHS_NUMBER]")) {
            m.add(Mutation.set("kinds", v));
        }
        for (String v : List.of("SECTOR", "sectors", "[SECTORS, PARTNERS]", "2", "ALL", "''", "AGENCIES")) {
            m.add(Mutation.set("distinct", v));
        }
        for (String v : List.of("0", "1", "51", "1000", "-2", "two", "2.5", "[2]", "99999999999", "'1'", "''")) {
            m.add(Mutation.set("atLeast", v));
        }
        for (String v : List.of("0", "367", "-1", "28.5", "days", "[28]", "1000000", "'0'", "4w")) {
            m.add(Mutation.set("withinDays", v));
        }
        for (String v : List.of("[]", "[ALL, CSE]", "[GROOMING]", "[CSE, CSE]", "all", "''")) {
            m.add(Mutation.set("categories", v));
        }
        m.add(Mutation.set("categories", "[[CSE]]", "categories[0]"));
        m.add(Mutation.set("categories", "[CSE, ~]", "categories[1]"));
        m.add(Mutation.set("requireEach", "[]"));
        m.add(Mutation.set("requireEach", "MISSING"));
        m.add(Mutation.set("requireEach", "[[]]", "requireEach[0]"));
        m.add(Mutation.set("requireEach", "[[MISSING], []]", "requireEach[1]"));
        m.add(Mutation.set("requireEach", "[{ a: b }]", "requireEach[0]"));
        m.add(Mutation.set("requireEach", "[~]", "requireEach[0]"));
        m.add(Mutation.set("requireEach", "[[FOO]]", "requireEach[0][0]"));
        m.add(Mutation.set("requireEach", "[[~]]", "requireEach[0][0]"));
        m.add(Mutation.set("requireEach", "[ALL]", "requireEach[0][0]"));
        m.add(Mutation.set("requireEach", "[[CSE, CSE]]", "requireEach[0][1]"));
        m.add(Mutation.set("requireEach", "[[MISSING], [cse]]", "requireEach[1][0]"));
        m.add(Mutation.set("requireEach", "[[MISSING], [CCE, [CSE]]]", "requireEach[1][1]"));
        m.add(Mutation.set("notify", "[]"));
        for (String v : List.of("nobody", "lancs-police", "hub", "board", "ig-lead", "POLICE-FIB", "nhs-lsc")) {
            m.add(Mutation.set("notify", "[" + v + "]", "notify[0]"));
            m.add(Mutation.set("notify", "[police-fib, mash-bpl, " + v + "]", "notify[2]"));
        }
        m.add(Mutation.set("notify", "[police-fib, police-fib]", "notify[1]"));
        m.add(Mutation.set("notify", "[police-fib, [x]]", "notify[1]"));
        m.add(Mutation.set("notify", "[police-fib, ~]", "notify[1]"));
        m.add(Mutation.set("countsBySector", "[mash-lancs]", "countsBySector[0]"));
        m.add(Mutation.set("countsBySector", "[nobody]", "countsBySector[0]"));
        m.add(Mutation.set("countsBySector", "[board]", "countsBySector[0]"));
        m.add(Mutation.set("countsBySector", "[police-fib, police-fib]", "countsBySector[1]"));
        m.add(Mutation.set("countsBySector", "[police-fib, mash-bpl, hub]", "countsBySector[2]"));
        m.add(Mutation.set("countsBySector", "[[x]]", "countsBySector[0]"));
        for (String unknown : List.of("colour", "Notify", "notifiy", "threshold", "withinHours", "category", "window",
                "kind", "recipients", "ID")) {
            m.add(Mutation.set(unknown, "x"));
        }
        for (String raw : List.of("~", "CONTEXT-2-SECTORS", "[a, b]", "42")) {
            m.add(Mutation.rule(raw));
        }
        m.add(new Mutation("rule {}", null, null, "{}", "id"));
        return m;
    }

    // ---------------------------------------------------------------- counts() and satisfiedBy()

    @Test
    void aRuleForAllCategoriesCountsEverySubmissionWithACategory() {
        AlertRule rule = rule(EnumSet.allOf(Category.class), List.of());
        for (Category c : Category.values()) {
            assertThat(rule.counts(Set.of(c))).isTrue();
        }
        assertThat(rule.counts(EnumSet.allOf(Category.class))).isTrue();
        assertThat(rule.counts(Set.of())).isFalse();
    }

    @Test
    void aRuleForSomeCategoriesCountsASubmissionWithAtLeastOneOfThem() {
        AlertRule rule = rule(EnumSet.of(Category.CSE, Category.CCE), List.of());
        assertThat(rule.counts(Set.of(Category.CSE))).isTrue();
        assertThat(rule.counts(Set.of(Category.MISSING, Category.CCE))).isTrue();
        assertThat(rule.counts(Set.of(Category.MISSING))).isFalse();
        assertThat(rule.counts(Set.of(Category.TRAFFICKING, Category.MODERN_SLAVERY))).isFalse();
        assertThat(rule.counts(Set.of())).isFalse();
    }

    @Test
    void aRuleWithoutRequireEachIsSatisfiedByAnyLinkedSubmissions() {
        AlertRule rule = rule(EnumSet.allOf(Category.class), List.of());
        assertThat(rule.satisfiedBy(List.of())).isTrue();
        assertThat(rule.satisfiedBy(List.of(Set.of(Category.CSE), Set.of(Category.CSE)))).isTrue();
    }

    @Test
    void requireEachNeedsForEachListASubmissionWithOneOfItsCategories() {
        AlertRule rule = PartnershipLoader.loadReference().alertRule("MISSING-AND-EXPLOITED").orElseThrow();
        assertThat(rule.satisfiedBy(List.of(Set.of(Category.MISSING), Set.of(Category.CCE)))).isTrue();
        assertThat(rule.satisfiedBy(List.of(Set.of(Category.CSE), Set.of(Category.TRAFFICKING),
                Set.of(Category.MISSING)))).isTrue();
        // One submission may meet several lists: distinct submissions are not required.
        assertThat(rule.satisfiedBy(List.of(Set.of(Category.MISSING, Category.CSE)))).isTrue();
        assertThat(rule.satisfiedBy(List.of(Set.of(Category.MISSING), Set.of(Category.MISSING)))).isFalse();
        assertThat(rule.satisfiedBy(List.of(Set.of(Category.CCE), Set.of(Category.CSE)))).isFalse();
        assertThat(rule.satisfiedBy(List.of(Set.of(Category.MISSING), Set.of(Category.TRAFFICKING)))).isFalse();
        assertThat(rule.satisfiedBy(List.of(Set.of()))).isFalse();
        assertThat(rule.satisfiedBy(List.of())).isFalse();
    }

    @Test
    void aRuleIsImmutable() {
        AlertRule rule = PartnershipLoader.loadReference().alertRules().get(2);
        assertThatThrownBy(() -> rule.kinds().add(LinkKind.VEHICLE)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> rule.categories().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> rule.requireEach().get(0).add(Category.CSE))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> rule.notifyRecipients().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> rule.countsBySector().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static AlertRule rule(Set<Category> categories, List<Set<Category>> requireEach) {
        return new AlertRule("T", "test", EnumSet.of(LinkKind.UPN), AlertRule.Distinct.SUBMISSIONS, 2,
                Duration.ofDays(7), categories, requireEach, List.of("police-fib"), Set.of());
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, String> contextRule() {
        return contextRule("R-0");
    }

    private static Map<String, String> contextRule(String id) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("description", "A vehicle or place seen by two sectors");
        r.put("kinds", "[VEHICLE, LOCATION_POSTCODE]");
        r.put("distinct", "SECTORS");
        r.put("atLeast", "2");
        r.put("withinDays", "28");
        r.put("notify", "[police-fib, mash-bpl]");
        r.put("countsBySector", "[police-fib]");
        return r;
    }

    private static Map<String, String> subjectRule() {
        return subjectRule("R-0");
    }

    private static Map<String, String> subjectRule(String id) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("description", "A child missing and exploited");
        r.put("kinds", "[NHS_NUMBER, UPN]");
        r.put("distinct", "SUBMISSIONS");
        r.put("atLeast", "2");
        r.put("withinDays", "14");
        r.put("categories", "[MISSING, CSE, CCE]");
        r.put("requireEach", "[[MISSING], [CSE, CCE]]");
        r.put("notify", "[police-fib, mash-bpl]");
        return r;
    }

    /** Three valid rules, R-0 to R-2, alternating kinds, starting with a context rule (base 0) or a subject rule. */
    private static List<Map<String, String>> threeRules(int base) {
        List<Map<String, String>> rs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rs.add((i + base) % 2 == 0 ? contextRule("R-" + i) : subjectRule("R-" + i));
        }
        return rs;
    }

    private static Map<String, String> with(Map<String, String> rule, String key, String value) {
        Map<String, String> r = new LinkedHashMap<>(rule);
        r.put(key, value);
        return r;
    }

    private static Map<String, String> without(Map<String, String> rule, String key) {
        Map<String, String> r = new LinkedHashMap<>(rule);
        r.remove(key);
        return r;
    }

    @SafeVarargs
    private static String rules(Map<String, String>... rules) {
        return render(List.of(rules));
    }

    private static String render(List<Map<String, String>> rules) {
        StringBuilder sb = new StringBuilder("alertRules:\n");
        rules.forEach(r -> sb.append(renderRule(r)));
        return sb.toString();
    }

    private static String renderRule(Map<String, String> rule) {
        if (rule.isEmpty()) {
            return "  - {}\n";
        }
        StringBuilder sb = new StringBuilder();
        String lead = "  - ";
        for (Map.Entry<String, String> e : rule.entrySet()) {
            sb.append(lead).append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            lead = "    ";
        }
        return sb.toString();
    }

    private static Partnership load(String alertRules) {
        return PartnershipLoader.parse((WITHOUT_RULES + alertRules).getBytes(StandardCharsets.UTF_8), "x.yaml");
    }

    private static HubException refused(String alertRules) {
        HubException e = catchThrowableOfType(HubException.class, () -> load(alertRules));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.errors()).allSatisfy(p -> assertThat(e.getMessage()).contains(p.path() + ": " + p.message()));
        return e;
    }

    private static String message(HubException e, String path) {
        return e.errors().stream().filter(p -> p.path().equals(path)).map(FieldError::message)
                .reduce((a, b) -> a + " | " + b).orElse("<none at " + path + "; got " + e.errors() + ">");
    }
}
