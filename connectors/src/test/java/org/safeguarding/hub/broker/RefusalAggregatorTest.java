package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.TestClock;

/**
 * Refusals are all counted, but repeated ones reach the trail once per interval with their count: a participant or a
 * stranger cannot grow the audit trail (or the hub's memory) without bound, whatever it repeats or invents.
 */
class RefusalAggregatorTest {
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final String FP = "ab".repeat(32);

    final TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"));
    final List<BrokerRefusal> audited = new CopyOnWriteArrayList<>();
    final RefusalAggregator aggregator = new RefusalAggregator(clock, MINUTE, audited::add);

    static BrokerRefusal participant(String who, String what) {
        return new BrokerRefusal(who, true, "10.0.0.7", FP, what, 1);
    }

    static BrokerRefusal stranger(String host, String cn, String reason) {
        return new BrokerRefusal(cn, false, host, null, reason, 1);
    }

    long total() {
        return audited.stream().mapToLong(BrokerRefusal::count).sum();
    }

    @Test
    void aSingleRefusalIsAuditedAtOnceWithItsPeerAndCertificate() {
        aggregator.refused(participant("mash-bpl", "QUERY on intel.police-fib"));
        assertThat(audited).singleElement().satisfies(r -> {
            assertThat(r.count()).isEqualTo(1);
            assertThat(r.detail()).isEqualTo("QUERY on intel.police-fib;peer=10.0.0.7;cert=" + FP);
        });
        clock.advance(MINUTE);
        aggregator.flush();
        assertThat(audited).hasSize(1);
    }

    @Test
    void repeatsInAnIntervalBecomeOneEventWithTheirCountWhenItIsOver() {
        for (int i = 0; i < 1000; i++) {
            aggregator.refused(participant("mash-bpl", "QUERY on intel.police-fib"));
        }
        assertThat(audited).hasSize(1);
        clock.advance(MINUTE.minusSeconds(1));
        aggregator.flush();
        assertThat(audited).as("the interval is not over yet").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        aggregator.flush();
        assertThat(audited).hasSize(2);
        assertThat(audited.get(1).count()).isEqualTo(999);
        assertThat(audited.get(1).detail()).endsWith(";count=999");
        assertThat(total()).isEqualTo(1000);
        assertThat(aggregator.kinds()).isZero();
    }

    @Test
    void theNextRefusalAfterAnIntervalCarriesTheCountOfTheLastOne() {
        aggregator.refused(participant("board", "CONSUME on intel.police-fib"));
        aggregator.refused(participant("board", "CONSUME on intel.police-fib"));
        aggregator.refused(participant("board", "CONSUME on intel.police-fib"));
        clock.advance(MINUTE.plusSeconds(5));
        aggregator.refused(participant("board", "CONSUME on intel.police-fib"));
        assertThat(audited).extracting(BrokerRefusal::count).containsExactly(1L, 2L, 1L);
    }

    @Test
    void differentParticipantsAndOperationsAreToldApart() {
        aggregator.refused(participant("board", "QUERY on intel.police-fib"));
        aggregator.refused(participant("board", "QUERY on intel.mash-bpl"));
        aggregator.refused(participant("mash-bpl", "QUERY on intel.police-fib"));
        assertThat(audited).hasSize(3);
    }

    @Test
    void aStrangerIsCountedByItsHostWhateverNameOrReasonItShows() {
        for (int i = 0; i < 500; i++) {
            aggregator.refused(stranger("203.0.113.9", "cn-" + i, "not a participant " + i));
        }
        aggregator.refused(stranger("198.51.100.1", "x", "not a participant"));
        assertThat(audited).hasSize(2);
        aggregator.close();
        assertThat(audited).hasSize(3);
        assertThat(audited.get(2)).satisfies(r -> {
            assertThat(r.peer()).isEqualTo("203.0.113.9");
            assertThat(r.who()).isEqualTo("unknown");
            assertThat(r.count()).isEqualTo(499);
        });
        assertThat(total()).isEqualTo(501);
    }

    @Test
    void aParticipantInventingNamesFillsItsOwnFewSlotsOnly() {
        for (int i = 0; i < 10_000; i++) {
            aggregator.refused(participant("lancs-police", "QUERY on intel.guess-" + i));
        }
        assertThat(audited).hasSize(RefusalAggregator.KINDS_PER_SOURCE + 1);
        assertThat(audited.get(RefusalAggregator.KINDS_PER_SOURCE).what()).isEqualTo(RefusalAggregator.OTHERS);
        // another participant is still told apart
        aggregator.refused(participant("board", "QUERY on intel.police-fib"));
        assertThat(audited.get(audited.size() - 1).who()).isEqualTo("board");
        clock.advance(MINUTE);
        aggregator.flush();
        assertThat(audited.size()).isLessThanOrEqualTo(2 * (RefusalAggregator.KINDS_PER_SOURCE + 2));
        assertThat(total()).isEqualTo(10_001);
    }

    @Test
    void manyHostsAreBoundedToo() {
        for (int i = 0; i < 5_000; i++) {
            aggregator.refused(stranger("10.1." + (i / 250) + "." + (i % 250), "x", "no valid certificate"));
        }
        assertThat(aggregator.kinds()).isLessThanOrEqualTo(RefusalAggregator.KINDS + 1);
        aggregator.close();
        assertThat(audited.size()).isLessThanOrEqualTo(RefusalAggregator.KINDS + 2);
        assertThat(total()).isEqualTo(5_000);
        assertThat(aggregator.kinds()).isZero();
    }

    @Test
    void aStopPassesOnWhatIsCountedSoFar() {
        aggregator.refused(participant("mash-bpl", "BROWSE on intel.police-fib"));
        aggregator.refused(participant("mash-bpl", "BROWSE on intel.police-fib"));
        aggregator.close();
        assertThat(audited).extracting(BrokerRefusal::count).containsExactly(1L, 1L);
    }
}
