package org.safeguarding.hub.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CheckDigitTest {

    @ParameterizedTest
    @ValueSource(strings = {"9990000018", "9990000026", "9990000034", "9434765919", "4010232137"})
    void validNhsNumbers(String n) {
        assertThat(NhsNumbers.isValid(n)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9990000027", "999 000 0018", "999000001", "99900000180", "abcdefghij", "",
            // check digit would be 10: never issued
            "0000000060"})
    void invalidNhsNumbers(String n) {
        assertThat(NhsNumbers.isValid(n)).isFalse();
    }

    @Test
    void nhsCheckDigitTenIsInvalidForEveryLastDigit() {
        // 000000006: sum = 6*2 = 12, 12 mod 11 = 1, 11 - 1 = 10 -> no valid number has these nine digits
        for (int d = 0; d <= 9; d++) {
            assertThat(NhsNumbers.isValid("000000006" + d)).isFalse();
        }
    }

    @Test
    void nhsCheckDigitElevenBecomesZero() {
        // 000000011: sum = 1*3 + 1*2 = 5 ... find nine digits with sum mod 11 == 0: 000000000 -> check 0
        assertThat(NhsNumbers.isValid("0000000000")).isTrue();
        assertThat(NhsNumbers.isValid("0000000001")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Q890200126001", "B889300125014"})
    void validUpns(String upn) {
        assertThat(UniquePupilNumbers.isValid(upn)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"A890200126001", "q890200126001", "Q89020012600", "890200126001Q", "I890200126001", ""})
    void invalidUpns(String upn) {
        assertThat(UniquePupilNumbers.isValid(upn)).isFalse();
    }

    @Test
    void upnCheckLetterWeightsTwoToThirteen() {
        // digits 1 then eleven 0s: 1*2 = 2 -> C; eleven 0s then 1: 1*13 = 13 -> P
        assertThat(UniquePupilNumbers.checkLetter("100000000000")).isEqualTo('C');
        assertThat(UniquePupilNumbers.checkLetter("000000000001")).isEqualTo('P');
        assertThat(UniquePupilNumbers.checkLetter("000000000000")).isEqualTo('A');
        assertThatThrownBy(() -> UniquePupilNumbers.checkLetter("12")).isInstanceOf(IllegalArgumentException.class);
    }
}
