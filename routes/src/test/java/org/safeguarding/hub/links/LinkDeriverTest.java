package org.safeguarding.hub.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.partnership.ContextType;
import org.safeguarding.hub.partnership.LinkKind;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.partnership.RedactionProfile;
import org.safeguarding.hub.partnership.RedactionProfile.ContextRule;
import org.safeguarding.hub.partnership.RedactionProfile.GroupRule;
import org.safeguarding.hub.partnership.RedactionProfile.IdentityRule;
import org.safeguarding.hub.partnership.RedactionProfile.NarrativeRule;
import org.safeguarding.hub.partnership.RedactionProfile.SourceRule;
import org.safeguarding.hub.sharing.NarrativeScrubber;
import org.safeguarding.hub.sharing.Pseudonymiser;
import org.safeguarding.hub.sharing.Redactor;
import org.safeguarding.hub.submission.SubmissionValidator;
import org.safeguarding.hub.submission.ValidSubmission;

/** The scenario's submissions are the copies already in the test resources ({@code /scenario/submissions}). */
class LinkDeriverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LinkingKey KEY = LinkingKey.of(List.of(key(3)));
    private static final LinkDeriver DERIVER = new LinkDeriver(KEY);
    private static final List<String> SAMPLES = List.of("C01-police-cce-blackpool", "C02-health-cse-blackburn",
            "C03-education-missing-blackpool", "C04-vcs-cse-blackpool-age21", "C05-vcs-cse-blackburn-age21",
            "C06-police-trafficking-placed-child", "C07-education-cce-handling-c", "C08-csc-missing-unknown-age",
            "R03-invalid-fields", "R04-police-without-grading", "R08-stale", "R09-area-not-permitted",
            "R10-missing-without-episode");

    private static byte[] key(int b) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) b);
        return k;
    }

    private static byte[] bytes(String name) {
        try (InputStream in = LinkDeriverTest.class.getResourceAsStream("/scenario/submissions/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("missing sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode sample(String name) {
        try {
            return (ObjectNode) JSON.readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String token(LinkKind kind, String normalised) {
        return KEY.token(kind, normalised);
    }

    @Test
    void c01GivesExactlyItsIdentifiersAndContexts() {
        List<DerivedLink> links = DERIVER.derive(sample("C01-police-cce-blackpool"));
        assertThat(links).extracting(DerivedLink::kind, DerivedLink::path, DerivedLink::shownValue, DerivedLink::token)
                .containsExactly(
                        tuple(LinkKind.NHS_NUMBER, "subjects[0].identity.nhsNumber", "9990000018",
                                token(LinkKind.NHS_NUMBER, "9990000018")),
                        tuple(LinkKind.NAME_DOB, "subjects[0].identity.name", "Jamie Example",
                                token(LinkKind.NAME_DOB, "jamie example|2011-03-02")),
                        tuple(LinkKind.NAME_DOB, "subjects[1].identity.name", "Alex Sample",
                                token(LinkKind.NAME_DOB, "alex sample|2002-05-10")),
                        tuple(LinkKind.LOCATION_POSTCODE, "contexts[0].postcode", "FY1 4AB",
                                token(LinkKind.LOCATION_POSTCODE, "FY1 4AB")),
                        tuple(LinkKind.VEHICLE, "contexts[1].vrm", "PN19 XYZ", token(LinkKind.VEHICLE, "PN19XYZ")),
                        tuple(LinkKind.ONLINE_HANDLE, "contexts[2].handle", "Snapchat @fastcash_fy1",
                                token(LinkKind.ONLINE_HANDLE, "snapchat|fastcash_fy1")));
    }

    @Test
    void c01sHomePostcodeDoesNotLinkByItself() {
        ObjectNode c01 = sample("C01-police-cce-blackpool");
        assertThat(c01.at("/subjects/0/identity/postcode").asText()).isEqualTo("FY1 4AB");
        assertThat(DERIVER.derive(c01)).filteredOn(l -> l.kind() == LinkKind.LOCATION_POSTCODE)
                .extracting(DerivedLink::path).containsExactly("contexts[0].postcode");
        ((ArrayNode) c01.get("contexts")).remove(0); // the LOCATION context with the same postcode
        List<DerivedLink> without = DERIVER.derive(c01);
        assertThat(without).extracting(DerivedLink::kind).doesNotContain(LinkKind.LOCATION_POSTCODE);
        assertThat(without).extracting(DerivedLink::path).noneMatch(p -> p.endsWith(".postcode"));
        assertThat(without).extracting(DerivedLink::token).doesNotContain(token(LinkKind.LOCATION_POSTCODE, "FY1 4AB"));
        assertThat(without).extracting(DerivedLink::path).contains("contexts[0].vrm", "contexts[1].handle");
    }

    @Test
    void everySampleGivesItsLinksAndNeverThrows() {
        Map<String, List<String>> expected = Map.ofEntries(
                Map.entry("C01-police-cce-blackpool", List.of("NHS_NUMBER subjects[0].identity.nhsNumber",
                        "NAME_DOB subjects[0].identity.name", "NAME_DOB subjects[1].identity.name",
                        "LOCATION_POSTCODE contexts[0].postcode", "VEHICLE contexts[1].vrm",
                        "ONLINE_HANDLE contexts[2].handle")),
                Map.entry("C02-health-cse-blackburn", List.of("NHS_NUMBER subjects[0].identity.nhsNumber",
                        "NAME_DOB subjects[0].identity.name", "VEHICLE contexts[2].vrm")),
                Map.entry("C03-education-missing-blackpool", List.of("UPN subjects[0].identity.upn",
                        "NAME_DOB subjects[0].identity.name", "NAME_DOB subjects[1].identity.name")),
                Map.entry("C04-vcs-cse-blackpool-age21", List.of("NAME_DOB subjects[0].identity.name")),
                Map.entry("C05-vcs-cse-blackburn-age21", List.of("NAME_DOB subjects[0].identity.name")),
                // a BUSINESS context's postcode does not link
                Map.entry("C06-police-trafficking-placed-child", List.of("NHS_NUMBER subjects[0].identity.nhsNumber",
                        "NAME_DOB subjects[0].identity.name")),
                Map.entry("C07-education-cce-handling-c", List.of("UPN subjects[0].identity.upn",
                        "NAME_DOB subjects[0].identity.name")),
                // a name without date of birth never links
                Map.entry("C08-csc-missing-unknown-age", List.of()),
                // an invalid NHS number does not link
                Map.entry("R03-invalid-fields", List.of("NAME_DOB subjects[0].identity.name", "VEHICLE contexts[2].vrm")),
                Map.entry("R04-police-without-grading", List.of("NHS_NUMBER subjects[0].identity.nhsNumber",
                        "NAME_DOB subjects[0].identity.name", "NAME_DOB subjects[1].identity.name",
                        "LOCATION_POSTCODE contexts[0].postcode", "VEHICLE contexts[1].vrm",
                        "ONLINE_HANDLE contexts[2].handle")),
                Map.entry("R08-stale", List.of("UPN subjects[0].identity.upn",
                        "NAME_DOB subjects[0].identity.name", "NAME_DOB subjects[1].identity.name")),
                Map.entry("R09-area-not-permitted", List.of("UPN subjects[0].identity.upn",
                        "NAME_DOB subjects[0].identity.name")),
                // a UPN with the wrong check letter does not link
                Map.entry("R10-missing-without-episode", List.of("NAME_DOB subjects[0].identity.name",
                        "NAME_DOB subjects[1].identity.name")));
        assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(SAMPLES);
        for (String name : SAMPLES) {
            assertThat(DERIVER.derive(sample(name))).as(name)
                    .extracting(l -> l.kind() + " " + l.path()).containsExactlyElementsOf(expected.get(name));
        }
    }

    @Test
    void theSameChildAndVehicleLinkAcrossSamples() {
        Set<String> c01 = tokens(DERIVER.derive(sample("C01-police-cce-blackpool")));
        Set<String> r04 = tokens(DERIVER.derive(sample("R04-police-without-grading")));
        assertThat(r04).isEqualTo(c01);
        // Casey Example, born 2005-08-08, reported in Blackpool and in Blackburn
        assertThat(DERIVER.derive(sample("C04-vcs-cse-blackpool-age21")).get(0).token())
                .isEqualTo(DERIVER.derive(sample("C05-vcs-cse-blackburn-age21")).get(0).token());
        // C02 and R03 report the same black saloon
        assertThat(DERIVER.derive(sample("C02-health-cse-blackburn")).get(2).token())
                .isEqualTo(DERIVER.derive(sample("R03-invalid-fields")).get(1).token());
        assertThat(tokens(DERIVER.derive(sample("C02-health-cse-blackburn")))).doesNotContainAnyElementsOf(c01);
    }

    private static Set<String> tokens(List<DerivedLink> links) {
        return links.stream().map(DerivedLink::token).collect(Collectors.toSet());
    }

    private static ObjectNode withChild(String name, String dob, String postcode) {
        ObjectNode s = json("{'subjects':[{'ref':'r','role':'CHILD_AT_RISK','identity':{}}]}");
        ObjectNode id = (ObjectNode) s.at("/subjects/0/identity");
        id.put("name", name).put("dateOfBirth", dob).put("address", "1 Shared House").put("postcode", postcode);
        return s;
    }

    @Test
    void twoChildrenSharingAHomePostcodeDoNotLink() {
        List<DerivedLink> a = DERIVER.derive(withChild("Ash Example", "2012-01-01", "FY1 4AB"));
        List<DerivedLink> b = DERIVER.derive(withChild("Bo Example", "2014-02-02", "FY1 4AB"));
        assertThat(a).extracting(DerivedLink::kind).containsExactly(LinkKind.NAME_DOB);
        assertThat(b).extracting(DerivedLink::kind).containsExactly(LinkKind.NAME_DOB);
        assertThat(tokens(a)).doesNotContainAnyElementsOf(tokens(b));
    }

    private static ObjectNode withVehicle(String vrm) {
        ObjectNode s = json("{'subjects':[{'ref':'r','role':'CHILD_AT_RISK'}],'contexts':[{'type':'VEHICLE','description':'car'}]}");
        ((ObjectNode) s.at("/contexts/0")).put("vrm", vrm);
        return s;
    }

    @Test
    void theSameVehicleWrittenThreeWaysInThreeSubmissionsIsOneToken() {
        List<DerivedLink> a = DERIVER.derive(withVehicle("BK11 QQQ"));
        List<DerivedLink> b = DERIVER.derive(withVehicle("bk11qqq"));
        List<DerivedLink> c = DERIVER.derive(withVehicle("BK11-QQQ"));
        assertThat(List.of(a, b, c)).allSatisfy(l -> assertThat(l).singleElement()
                .satisfies(d -> assertThat(d.kind()).isEqualTo(LinkKind.VEHICLE))
                .satisfies(d -> assertThat(d.path()).isEqualTo("contexts[0].vrm")));
        assertThat(b.get(0).token()).isEqualTo(a.get(0).token());
        assertThat(c.get(0).token()).isEqualTo(a.get(0).token());
        assertThat(List.of(a.get(0).shownValue(), b.get(0).shownValue(), c.get(0).shownValue()))
                .containsExactly("BK11 QQQ", "bk11qqq", "BK11-QQQ");
        assertThat(DERIVER.derive(withVehicle("BK11 QQR")).get(0).token()).isNotEqualTo(a.get(0).token());
        assertThat(new LinkDeriver(LinkingKey.of(List.of(key(4)))).derive(withVehicle("BK11 QQQ")).get(0).token())
                .as("another key, another token").isNotEqualTo(a.get(0).token());
    }

    @Test
    void onlyTheRightContextTypesLink() {
        ObjectNode s = json("{'contexts':["
                + "{'type':'LOCATION','description':'BK11 QQQ','vrm':'BK11 QQQ','handle':'@x','platform':'Snapchat'},"
                + "{'type':'PEER_GROUP','description':'FY1 4AB','postcode':'FY1 4AB','vrm':'BK11 QQQ'},"
                + "{'type':'SCHOOL','description':'School','postcode':'FY1 4AB'},"
                + "{'type':'BUSINESS','description':'Nail bar','postcode':'PR1 3AA','vrm':'AB12 CDE'},"
                + "{'type':'ONLINE','description':'chat','postcode':'FY1 4AB','vrm':'BK11 QQQ','handle':'@x'},"
                + "{'type':'VEHICLE','description':'car','postcode':'FY1 4AB','platform':'Snapchat','handle':'@x'},"
                + "{'type':'vehicle','vrm':'BK11 QQQ'}"
                + "]}");
        assertThat(DERIVER.derive(s)).isEmpty();
    }

    @Test
    void onlineNeedsBothPlatformAndHandle() {
        assertThat(DERIVER.derive(json("{'contexts':[{'type':'ONLINE','handle':'@x'},{'type':'ONLINE','platform':'Snapchat'},"
                + "{'type':'ONLINE','platform':'Snapchat','handle':'x y'},{'type':'ONLINE','platform':'Snapchat','handle':'@x'}]}")))
                .extracting(DerivedLink::path, DerivedLink::shownValue).containsExactly(tuple("contexts[3].handle", "Snapchat @x"));
    }

    @Test
    void aTokenMetTwiceIsKeptOnceAtItsFirstPath() {
        ObjectNode s = json("{'subjects':["
                + "{'role':'CHILD_AT_RISK','identity':{'nhsNumber':'9990000018','name':'Jamie Example','dateOfBirth':'2011-03-02'}},"
                + "{'role':'ASSOCIATE','identity':{'nhsNumber':'999 000 0018','name':'JAMIE EXAMPLE','dateOfBirth':'2011-03-02'}}],"
                + "'contexts':[{'type':'VEHICLE','vrm':'PN19 XYZ'},{'type':'VEHICLE','vrm':'pn19xyz'},"
                + "{'type':'LOCATION','postcode':'fy14ab'},{'type':'LOCATION','postcode':'FY1 4AB'},"
                + "{'type':'ONLINE','platform':'Snapchat','handle':'@A'},{'type':'ONLINE','platform':'snapchat','handle':'a'}]}");
        assertThat(DERIVER.derive(s)).extracting(DerivedLink::kind, DerivedLink::path, DerivedLink::shownValue).containsExactly(
                tuple(LinkKind.NHS_NUMBER, "subjects[0].identity.nhsNumber", "9990000018"),
                tuple(LinkKind.NAME_DOB, "subjects[0].identity.name", "Jamie Example"),
                tuple(LinkKind.VEHICLE, "contexts[0].vrm", "PN19 XYZ"),
                tuple(LinkKind.LOCATION_POSTCODE, "contexts[2].postcode", "fy14ab"),
                tuple(LinkKind.ONLINE_HANDLE, "contexts[4].handle", "Snapchat @A"));
    }

    @Test
    void everyRoleLinks() {
        ObjectNode s = json("{'subjects':["
                + "{'role':'CHILD_AT_RISK','identity':{'nhsNumber':'9990000018'}},"
                + "{'role':'PERSON_OF_CONCERN','identity':{'upn':'Q890200126001'}},"
                + "{'role':'ASSOCIATE','identity':{'name':'Sam Sample','dateOfBirth':'2004-11-02'}},"
                + "{'identity':{'nhsNumber':'9990000026'}}]}");
        assertThat(DERIVER.derive(s)).extracting(DerivedLink::path).containsExactly("subjects[0].identity.nhsNumber",
                "subjects[1].identity.upn", "subjects[2].identity.name", "subjects[3].identity.nhsNumber");
    }

    @Test
    void oddShapesAreSkippedNeverThrown() {
        for (String odd : List.of("null", "[]", "'text'", "42", "{}", "{'subjects':null}", "{'subjects':{}}",
                "{'subjects':'x'}", "{'subjects':[null, 1, 'x', [], {}]}", "{'subjects':[{'identity':null}]}",
                "{'subjects':[{'identity':'9990000018'}]}", "{'subjects':[{'identity':['9990000018']}]}",
                "{'subjects':[{'identity':{'nhsNumber':9990000018,'upn':true,'name':['Jamie','Example'],'dateOfBirth':20110302}}]}",
                "{'subjects':[{'identity':{'name':'Jamie Example','dateOfBirth':null}}]}",
                "{'contexts':null}", "{'contexts':{}}", "{'contexts':[null, 1, 'VEHICLE', [], {}]}",
                "{'contexts':[{'type':null,'vrm':'BK11 QQQ'},{'type':1,'vrm':'BK11 QQQ'},{'type':['VEHICLE'],'vrm':'BK11 QQQ'}]}",
                "{'contexts':[{'type':'VEHICLE','vrm':null},{'type':'VEHICLE','vrm':1234},{'type':'VEHICLE','vrm':{}}]}",
                "{'contexts':[{'type':'LOCATION','postcode':['FY1 4AB']},{'type':'ONLINE','platform':1,'handle':'@x'}]}")) {
            JsonNode node = JSON.valueToTree(null);
            try {
                node = JSON.readTree(odd.replace('\'', '"'));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertThat(DERIVER.derive(node)).as(odd).isEmpty();
        }
        assertThat(DERIVER.derive(null)).isEmpty();
        assertThat(DERIVER.derive(json("{'subjects':[null,{'identity':{'nhsNumber':'9990000018'}}],"
                + "'contexts':[1,{'type':'VEHICLE','vrm':'BK11 QQQ'}]}")))
                .extracting(DerivedLink::path).containsExactly("subjects[1].identity.nhsNumber", "contexts[1].vrm");
    }

    @Test
    void worksOnTheRedactedSubmissionOfARoutedPackage() {
        Partnership partnership = PartnershipLoader.loadReference();
        ValidSubmission c01 = new SubmissionValidator(partnership).validate(bytes("C01-police-cce-blackpool"),
                partnership.participant("lancs-police").orElseThrow());
        Redactor redactor = new Redactor(new Pseudonymiser(key(9)), new NarrativeScrubber());
        Set<String> all = tokens(DERIVER.derive(c01.json()));

        // other subjects pseudonymised, only LOCATION and VEHICLE contexts kept
        RedactionProfile pseudonyms = new RedactionProfile(IdentityRule.PSEUDONYM_FOR_OTHER_ROLES, GroupRule.WITHHELD,
                SourceRule.WITHHELD, NarrativeRule.SCRUBBED, ContextRule.ONLY,
                EnumSet.of(ContextType.LOCATION, ContextType.VEHICLE), GroupRule.WITHHELD, GroupRule.WITHHELD,
                GroupRule.WITHHELD);
        ObjectNode redacted = redactor.redact(c01, "mash-bpl", pseudonyms).submission();
        assertThat(redacted.at("/subjects/1/identity/pseudonym").isTextual()).isTrue();
        List<DerivedLink> links = DERIVER.derive(redacted);
        assertThat(links).extracting(DerivedLink::kind, DerivedLink::path).containsExactly(
                tuple(LinkKind.NHS_NUMBER, "subjects[0].identity.nhsNumber"),
                tuple(LinkKind.NAME_DOB, "subjects[0].identity.name"),
                tuple(LinkKind.LOCATION_POSTCODE, "contexts[0].postcode"),
                tuple(LinkKind.VEHICLE, "contexts[1].vrm"));
        assertThat(all).containsAll(tokens(links));

        // identity withheld, contexts in full
        RedactionProfile noIdentity = new RedactionProfile(IdentityRule.WITHHELD, GroupRule.WITHHELD,
                SourceRule.WITHHELD, NarrativeRule.WITHHELD, ContextRule.FULL, Set.of(), GroupRule.WITHHELD,
                GroupRule.WITHHELD, GroupRule.WITHHELD);
        assertThat(DERIVER.derive(redactor.redact(c01, "vcs-missing", noIdentity).submission()))
                .extracting(DerivedLink::kind).containsExactly(LinkKind.LOCATION_POSTCODE, LinkKind.VEHICLE,
                        LinkKind.ONLINE_HANDLE);
    }

    @Test
    void derivedLinkToStringShowsNeitherTokenNorValue() {
        for (DerivedLink l : DERIVER.derive(sample("C01-police-cce-blackpool"))) {
            String shown = l.toString();
            assertThat(shown).contains(l.kind().name()).contains(l.path())
                    .doesNotContain(l.token()).doesNotContain(l.shownValue());
            assertThat(shown).as(shown).doesNotContain("9990000018", "Jamie", "Example", "Alex", "Sample", "FY1", "PN19",
                    "XYZ", "fastcash", "Snapchat", "2011-03-02");
            assertThat(List.of(l).toString()).doesNotContain(l.token()).doesNotContain(l.shownValue());
        }
        assertThat(new DerivedLink(LinkKind.VEHICLE, "tok3n", "contexts[1].vrm", "PN19 XYZ").toString())
                .isEqualTo("DerivedLink[kind=VEHICLE, path=contexts[1].vrm]");
    }
}
