package org.safeguarding.hub.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.partnership.LinkKind;

class LinkNormaliserTest {
    private static final LinkingKey KEY = LinkingKey.of(java.util.List.of(new byte[32]));

    @Test
    void vehicleWrittenThreeWaysIsOneMarkAndOneToken() {
        assertThat(LinkNormaliser.vehicle("BK11 QQQ")).contains("BK11QQQ");
        assertThat(LinkNormaliser.vehicle("bk11qqq")).contains("BK11QQQ");
        assertThat(LinkNormaliser.vehicle("BK11-QQQ")).contains("BK11QQQ");
        assertThat(LinkNormaliser.vehicle(" b k 1 1 . q q q ")).contains("BK11QQQ");
        assertThat(LinkNormaliser.vehicle("ＢＫ１１ ＱＱＱ")).as("full-width forms, NFKC").contains("BK11QQQ");
        assertThat(KEY.token(LinkKind.VEHICLE, LinkNormaliser.vehicle("BK11 QQQ").orElseThrow()))
                .isEqualTo(KEY.token(LinkKind.VEHICLE, LinkNormaliser.vehicle("bk11qqq").orElseThrow()))
                .isEqualTo(KEY.token(LinkKind.VEHICLE, LinkNormaliser.vehicle("BK11-QQQ").orElseThrow()));
    }

    @Test
    void vehicleRefusals() {
        assertThat(LinkNormaliser.vehicle(null)).isEmpty();
        assertThat(LinkNormaliser.vehicle("")).isEmpty();
        assertThat(LinkNormaliser.vehicle("A")).as("one character").isEmpty();
        assertThat(LinkNormaliser.vehicle("A1")).contains("A1");
        assertThat(LinkNormaliser.vehicle("ABCDEFGH")).as("no digit").isEmpty();
        assertThat(LinkNormaliser.vehicle("12345678")).as("no letter").isEmpty();
        assertThat(LinkNormaliser.vehicle("AB12CDE34")).as("nine characters").isEmpty();
        assertThat(LinkNormaliser.vehicle("---")).isEmpty();
        // a Cyrillic look-alike is refused, not dropped (dropping it would give the real mark K11QQQ)
        assertThat(LinkNormaliser.vehicle("\u0412K11 QQQ")).isEmpty();
        assertThat(LinkNormaliser.vehicle("BK11 QQQ \u00e9")).isEmpty();
    }

    @Test
    void postcodeForms() {
        assertThat(LinkNormaliser.locationPostcode("fy1 4ab")).contains("FY1 4AB");
        assertThat(LinkNormaliser.locationPostcode("FY14AB")).contains("FY1 4AB");
        assertThat(LinkNormaliser.locationPostcode(" FY1  4AB ")).contains("FY1 4AB");
        assertThat(LinkNormaliser.locationPostcode("fy1\t4ab\n")).contains("FY1 4AB");
        assertThat(LinkNormaliser.locationPostcode("M1 1AE")).contains("M1 1AE");
        assertThat(LinkNormaliser.locationPostcode("B33 8TH")).contains("B33 8TH");
        assertThat(LinkNormaliser.locationPostcode("CR2 6XH")).contains("CR2 6XH");
        assertThat(LinkNormaliser.locationPostcode("DN55 1PT")).contains("DN55 1PT");
        assertThat(LinkNormaliser.locationPostcode("W1A 1HQ")).contains("W1A 1HQ");
        assertThat(LinkNormaliser.locationPostcode("EC1A 1BB")).contains("EC1A 1BB");
    }

    @Test
    void partialAndMalformedPostcodesDoNotLink() {
        assertThat(LinkNormaliser.locationPostcode(null)).isEmpty();
        assertThat(LinkNormaliser.locationPostcode("")).isEmpty();
        assertThat(LinkNormaliser.locationPostcode("FY1")).as("outward only").isEmpty();
        assertThat(LinkNormaliser.locationPostcode("FY1 4")).isEmpty();
        assertThat(LinkNormaliser.locationPostcode("FY1 4A")).isEmpty();
        assertThat(LinkNormaliser.locationPostcode("FY1 4ABC")).isEmpty();
        assertThat(LinkNormaliser.locationPostcode("1FY 4AB")).isEmpty();
        assertThat(LinkNormaliser.locationPostcode("FY1-4AB")).isEmpty();
        assertThat(LinkNormaliser.locationPostcode("ABC1 4AB")).isEmpty();
    }

    @Test
    void handleFoldsCaseAndOneAt() {
        Optional<String> h = LinkNormaliser.onlineHandle("Snapchat", "@fastcash_fy1");
        assertThat(h).contains("snapchat|fastcash_fy1");
        assertThat(LinkNormaliser.onlineHandle("SNAPCHAT", "FastCash_FY1")).isEqualTo(h);
        assertThat(LinkNormaliser.onlineHandle(" Snap chat ", "  @FASTCASH_fy1 ")).isEqualTo(h);
        assertThat(LinkNormaliser.onlineHandle("snapchat", "＠ｆａｓｔｃａｓｈ＿ｆｙ１")).as("NFKC").isEqualTo(h);
        assertThat(LinkNormaliser.onlineHandle("snapchat", "@@fastcash_fy1")).as("only one @ removed")
                .contains("snapchat|@fastcash_fy1");
        assertThat(LinkNormaliser.onlineHandle("Instagram", "@fastcash_fy1")).isNotEqualTo(h);
    }

    @Test
    void handleRefusals() {
        assertThat(LinkNormaliser.onlineHandle(null, "@x")).isEmpty();
        assertThat(LinkNormaliser.onlineHandle("Snapchat", null)).isEmpty();
        assertThat(LinkNormaliser.onlineHandle("", "@x")).isEmpty();
        assertThat(LinkNormaliser.onlineHandle("   ", "@x")).isEmpty();
        assertThat(LinkNormaliser.onlineHandle("Snapchat", "@")).isEmpty();
        assertThat(LinkNormaliser.onlineHandle("Snapchat", "  ")).isEmpty();
        assertThat(LinkNormaliser.onlineHandle("Snapchat", "fast cash")).as("internal white space").isEmpty();
        assertThat(LinkNormaliser.onlineHandle("Snapchat", "fast\tcash")).isEmpty();
        assertThat(LinkNormaliser.onlineHandle("Snap|chat", "x")).as("no separator in a platform").isEmpty();
    }

    @Test
    void namesFoldAccentsCaseAndPunctuation() {
        Optional<String> n = LinkNormaliser.nameDob("Zoë O'Brien-Smith", "2011-03-02");
        assertThat(n).contains("zoe o brien smith|2011-03-02");
        assertThat(LinkNormaliser.nameDob("ZOE O BRIEN SMITH", "2011-03-02")).isEqualTo(n);
        assertThat(LinkNormaliser.nameDob("  zoe   o\u2019brien\u2010smith ", "2011-03-02")).isEqualTo(n);
        assertThat(LinkNormaliser.nameDob("Zoe\u0308 O.Brien, Smith", "2011-03-02")).as("decomposed diaeresis").isEqualTo(n);
        assertThat(LinkNormaliser.nameDob("Jamie Example", "2011-03-02")).contains("jamie example|2011-03-02");
        assertThat(LinkNormaliser.nameDob("JAMIE  EXAMPLE", "2011-03-02")).contains("jamie example|2011-03-02");
        assertThat(LinkNormaliser.nameDob("Jamie Example", "2011-03-03")).isNotEqualTo(
                LinkNormaliser.nameDob("Jamie Example", "2011-03-02"));
        assertThat(LinkNormaliser.nameDob("Ｊａｍｉｅ Ｅｘａｍｐｌｅ", "2011-03-02")).as("NFKC")
                .contains("jamie example|2011-03-02");
        assertThat(LinkNormaliser.nameDob("Jamie\u200b Example\u200f", "2011-03-02")).as("zero-width and bidi marks")
                .contains("jamie example|2011-03-02");
        assertThat(LinkNormaliser.nameDob("François Müller", "2011-03-02")).contains("francois muller|2011-03-02");
    }

    @Test
    void singleWordNamesAndNamesWithoutDateDoNotLink() {
        assertThat(LinkNormaliser.nameDob("Jamie", "2011-03-02")).isEmpty();
        assertThat(LinkNormaliser.nameDob("  Jamie  ", "2011-03-02")).isEmpty();
        assertThat(LinkNormaliser.nameDob("Jamie-", "2011-03-02")).as("punctuation is not a word").isEmpty();
        assertThat(LinkNormaliser.nameDob("'Bee'", "2011-03-02")).isEmpty();
        assertThat(LinkNormaliser.nameDob(" . , - ", "2011-03-02")).isEmpty();
        assertThat(LinkNormaliser.nameDob("Jamie Example", null)).isEmpty();
        assertThat(LinkNormaliser.nameDob("Jamie Example", "")).isEmpty();
        assertThat(LinkNormaliser.nameDob(null, "2011-03-02")).isEmpty();
    }

    @Test
    void malformedTextNeverLinksAndIsNeverTokenised() {
        assertThat(LinkNormaliser.nameDob("Jamie Ex\ud800ample", "2011-03-02")).isEmpty();
        assertThat(LinkNormaliser.onlineHandle("Snapchat", "fast\udc00cash")).isEmpty();
        assertThat(LinkNormaliser.onlineHandle("Snap\ud800chat", "fastcash")).isEmpty();
        assertThat(LinkNormaliser.vehicle("BK11\ud800QQQ")).contains("BK11QQQ");
        // strict UTF-8: "a\ud800" and "a?" must not share a token, so the first is refused outright
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KEY.token(LinkKind.ONLINE_HANDLE, "x|a\ud800"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("x|a");
        assertThat(KEY.token(LinkKind.ONLINE_HANDLE, "x|a?")).hasSize(43);
        assertThat(KEY.token(LinkKind.NAME_DOB, "jamie example|2011-03-02"))
                .isEqualTo(KEY.token(LinkKind.NAME_DOB, LinkNormaliser.nameDob("Jamie Example", "2011-03-02").orElseThrow()));
    }

    @Test
    void datesMustBeValidIsoDates() {
        assertThat(LinkNormaliser.nameDob("Jamie Example", "2011-02-29")).as("not a leap year").isEmpty();
        assertThat(LinkNormaliser.nameDob("Jamie Example", "2012-02-29")).contains("jamie example|2012-02-29");
        assertThat(LinkNormaliser.nameDob("Jamie Example", "2011-13-01")).isEmpty();
        assertThat(LinkNormaliser.nameDob("Jamie Example", "2011-3-2")).isEmpty();
        assertThat(LinkNormaliser.nameDob("Jamie Example", "02/03/2011")).isEmpty();
        assertThat(LinkNormaliser.nameDob("Jamie Example", "2011-03-02T00:00")).isEmpty();
        assertThat(LinkNormaliser.nameDob("Jamie Example", "２０１１-03-02")).isEmpty();
    }

    @Test
    void nhsNumbers() {
        assertThat(LinkNormaliser.nhsNumber("9990000018")).contains("9990000018");
        assertThat(LinkNormaliser.nhsNumber("999 000 0018")).contains("9990000018");
        assertThat(LinkNormaliser.nhsNumber("999-000-0018")).contains("9990000018");
        assertThat(LinkNormaliser.nhsNumber(" 943 476 5919 ")).contains("9434765919");
        assertThat(LinkNormaliser.nhsNumber("9990000017")).as("wrong check digit").isEmpty();
        assertThat(LinkNormaliser.nhsNumber("9990000027")).as("R03's invalid number").isEmpty();
        assertThat(LinkNormaliser.nhsNumber("999000001")).isEmpty();
        assertThat(LinkNormaliser.nhsNumber("99900000188")).isEmpty();
        assertThat(LinkNormaliser.nhsNumber("999000001X")).isEmpty();
        assertThat(LinkNormaliser.nhsNumber("")).isEmpty();
        assertThat(LinkNormaliser.nhsNumber(null)).isEmpty();
    }

    @Test
    void upns() {
        assertThat(LinkNormaliser.upn("Q890200126001")).contains("Q890200126001");
        assertThat(LinkNormaliser.upn("q890200126001")).contains("Q890200126001");
        assertThat(LinkNormaliser.upn(" Q 8902 0012 6001 ")).contains("Q890200126001");
        assertThat(LinkNormaliser.upn("B889300125014")).contains("B889300125014");
        assertThat(LinkNormaliser.upn("A890200126001")).as("R10's wrong check letter").isEmpty();
        assertThat(LinkNormaliser.upn("Q89020012600")).isEmpty();
        assertThat(LinkNormaliser.upn("Q8902001260011")).isEmpty();
        assertThat(LinkNormaliser.upn("8902001260011")).isEmpty();
        assertThat(LinkNormaliser.upn("Q890200-126001")).as("hyphens are not stripped from a UPN").isEmpty();
        assertThat(LinkNormaliser.upn(null)).isEmpty();
    }
}
