package org.safeguarding.hub.desk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Package documents as the hub writes them (package.schema.json), for the desk's tests. */
final class PackageFixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private PackageFixtures() {
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    /** police-fib's package of C01: the source and grading, both subjects, the child's health withheld. */
    static ObjectNode c01(String packageId, Instant routedAt) {
        try {
            ObjectNode p = (ObjectNode) JSON.readTree(("""
                    {"packageId":"%s","submissionId":"6f1c2a0e-1b7d-4c52-9a51-0c8e3f1d0a01","recipient":"police-fib",
                     "source":{"partnerId":"lancs-police","sector":"POLICE"},"agreement":{"id":"CS-CORE","version":3},
                     "routedAt":"%s","redactions":["subjects[0].health"],
                     "submission":{"submissionId":"6f1c2a0e-1b7d-4c52-9a51-0c8e3f1d0a01","partnerId":"lancs-police",
                      "submittedAt":"2026-11-27T09:30:00Z","area":"BPL","categories":["CCE"],"purpose":"DISRUPTION",
                      "classification":"OFFICIAL_SENSITIVE","handling":{"code":"P"},
                      "grading":{"source":"2","intelligence":"B"},
                      "source":{"officerRef":"PC 4411","sourceType":"CHIS","sourceDetails":"Handled source S-117"},
                      "subjects":[{"ref":"LP-C-1","role":"CHILD_AT_RISK","age":15,"identity":{"name":"Jamie Example",
                        "dateOfBirth":"2011-03-02","nhsNumber":"9990000018","postcode":"FY1 4AB"}},
                       {"ref":"LP-P-7","role":"PERSON_OF_CONCERN","age":24,"identity":{"name":"Alex Sample"}}],
                      "contexts":[{"type":"VEHICLE","description":"Grey hatchback","vrm":"PN19 XYZ"}],
                      "narrative":"Child seen entering vehicle PN19 XYZ outside the takeaway."}}
                    """).formatted(packageId, routedAt));
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static ObjectNode recall(String packageId, Instant at, String... recalls) {
        ObjectNode r = JSON.createObjectNode().put("kind", "recall").put("packageId", packageId)
                .put("recipient", "police-fib").put("submissionId", "6f1c2a0e-1b7d-4c52-9a51-0c8e3f1d0a01");
        ArrayNode ids = r.putArray("recalls");
        for (String id : recalls) {
            ids.add(id);
        }
        return r.put("reason", "SENT_IN_ERROR").put("withdrawnAt", at.toString()).put("recalledAt", at.toString())
                .put("action", "Destroy every copy of the recalled packages and acknowledge this recall.");
    }

    static ObjectNode alert(String packageId, Instant at, String linkedPackage) {
        ObjectNode a = JSON.createObjectNode().put("kind", "alert").put("packageId", packageId)
                .put("recipient", "police-fib").put("alertId", id()).put("revision", 1);
        a.putObject("rule").put("id", "same-vehicle").put("description", "A vehicle named by two partners");
        a.put("linkKind", "VEHICLE").put("raisedAt", at.toString());
        a.putArray("yourPackages").addObject().put("packageId", linkedPackage)
                .put("submissionId", "6f1c2a0e-1b7d-4c52-9a51-0c8e3f1d0a01").put("partnerId", "lancs-police")
                .put("receivedAt", at.toString());
        return a.put("value", "PN19 XYZ").put("furtherInformation", "Ask the partners named for more.");
    }

    static byte[] bytes(ObjectNode n) {
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }
}
