package org.safeguarding.hub.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The submissions of one crash run, sealed before the load starts (so that a retry sends the same bytes), with what
 * the scenario expects of each, and what each partner was answered.
 */
final class CrashLoad {
    /** One submission as its partner sealed it; {@code refusal} is the status it must be refused with (0: accept). */
    record Planned(int index, String caseId, String partner, String submissionId, byte[] sealed, Set<String> recipients,
                   int refusal, String fileName, byte[] json) {
        boolean acceptable() {
            return refusal == 0;
        }
    }

    /** What the partner was answered in the end, and how it got there. Written by one client thread only. */
    static final class Outcome {
        volatile int status;
        volatile String receipt;
        volatile String code;
        int attempts;
        /** Attempts that ended without an answer (connection cut or refused, timeout). */
        int unanswered;
        /** 503 answers. */
        int busy;
        /** Other answers that are not final (5xx but 503). */
        int serverErrors;
        /** Receipts seen on the way (202/200), in order. */
        final List<String> receipts = new ArrayList<>();

        boolean accepted() {
            return status == 202 || status == 200;
        }
    }

    final List<Planned> planned;
    final Map<String, Planned> bySubmissionId = new LinkedHashMap<>();
    final Map<String, Outcome> outcomes = new LinkedHashMap<>();

    private CrashLoad(List<Planned> planned) {
        this.planned = List.copyOf(planned);
        for (Planned p : planned) {
            bySubmissionId.put(p.submissionId(), p);
            outcomes.put(p.submissionId(), new Outcome());
        }
    }

    /**
     * {@code rounds} times every conformance case (each a fresh copy: new submissionId, submittedAt now), and after
     * every round one of {@code refusals} in turn (a sample the scenario refuses, or {@code "TAMPERED"}: C01 with a
     * ciphertext byte changed, which must be refused with 400).
     */
    static CrashLoad plan(ScenarioExpectations scenario, TestPki pki, int rounds, List<String> refusals) {
        List<Planned> planned = new ArrayList<>();
        CmsSealer sealer = new CmsSealer(AlgorithmPolicy.defaults());
        for (int round = 0; round < rounds; round++) {
            for (ScenarioExpectations.Sample s : scenario.acceptable()) {
                planned.add(seal(sealer, pki, planned.size(), s, s.recipients(), 0, false));
            }
            String refusal = refusals.get(round % refusals.size());
            if (refusal.equals("TAMPERED")) {
                planned.add(seal(sealer, pki, planned.size(), scenario.sample("C01"), Set.of(), 400, true));
            } else {
                ScenarioExpectations.Sample s = scenario.sample(refusal);
                planned.add(seal(sealer, pki, planned.size(), s, Set.of(), s.refusedWith(), false));
            }
        }
        return new CrashLoad(planned);
    }

    private static Planned seal(CmsSealer sealer, TestPki pki, int index, ScenarioExpectations.Sample s,
                                Set<String> recipients, int refusal, boolean tamper) {
        byte[] json = Submissions.current(s.file());
        String submissionId;
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length * 2 + 4096);
        try {
            submissionId = HubHttpClient.JSON.readTree(json).path("submissionId").asText();
            sealer.seal(new ByteArrayInputStream(json), out, pki.identity(s.partner()),
                    List.of(Pem.readCertificate(pki.cert("hub"))), ContentEncryption.AES_256_GCM);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (org.safeguarding.hub.crypto.CryptoException e) {
            throw new IllegalStateException("sealing " + s.caseId(), e);
        }
        byte[] sealed = out.toByteArray();
        if (tamper) {
            sealed[sealed.length / 2] ^= 0x5a; // inside the encrypted content: GCM's tag no longer matches
        }
        String caseId = tamper ? "TAMPERED" : s.caseId();
        return new Planned(index, caseId, s.partner(), submissionId, sealed, recipients, refusal,
                String.format("%s-%04d.p7m", caseId.toLowerCase(java.util.Locale.ROOT), index), json);
    }

    /** A load of bodies planned elsewhere (a withdrawal or a correction of each of a load's submissions). */
    static CrashLoad of(List<Planned> planned) {
        return new CrashLoad(planned);
    }

    /** The partners of the load, in order of first appearance. */
    List<String> partners() {
        return planned.stream().map(Planned::partner).distinct().toList();
    }

    /**
     * {@code clients} shares of the load, each for one partner (a partner system with one keep-alive connection):
     * every partner gets a client, the partners with the most submissions get the extra ones, and a partner's
     * submissions are dealt round-robin over its clients.
     */
    List<List<Planned>> shares(int clients) {
        Map<String, List<Planned>> byPartner = new LinkedHashMap<>();
        for (Planned p : planned) {
            byPartner.computeIfAbsent(p.partner(), k -> new ArrayList<>()).add(p);
        }
        if (clients < byPartner.size()) {
            throw new IllegalArgumentException(clients + " clients for " + byPartner.size() + " partners");
        }
        Map<String, Integer> clientsOf = new LinkedHashMap<>();
        byPartner.keySet().forEach(p -> clientsOf.put(p, 1));
        for (int extra = byPartner.size(); extra < clients; extra++) {
            String most = byPartner.keySet().stream().max(java.util.Comparator.comparingDouble(
                    p -> byPartner.get(p).size() / (double) clientsOf.get(p))).orElseThrow();
            clientsOf.merge(most, 1, Integer::sum);
        }
        List<List<Planned>> shares = new ArrayList<>();
        byPartner.forEach((partner, list) -> {
            int n = clientsOf.get(partner);
            List<List<Planned>> mine = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                mine.add(new ArrayList<>());
            }
            for (int i = 0; i < list.size(); i++) {
                mine.get(i % n).add(list.get(i));
            }
            shares.addAll(mine);
        });
        return shares;
    }

    List<Planned> accepted() {
        return planned.stream().filter(p -> outcomes.get(p.submissionId()).accepted()).toList();
    }
}
