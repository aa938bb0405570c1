package org.safeguarding.hub.links;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.safeguarding.hub.partnership.LinkKind;

/**
 * The links of a submission: for every subject (any role) its NHS number, UPN and name with date of birth; for a
 * VEHICLE context its {@code vrm}, for a LOCATION context its {@code postcode}, for an ONLINE context its platform
 * with its handle. Nothing else links: not a subject's home postcode (households share it), not a description, not a
 * {@code vrm} or postcode on a context of another type.
 *
 * <p>Works on a submission as sent and on the redacted {@code submission} object of a routed package (same shape,
 * fields possibly absent, other subjects possibly pseudonymised or dropped): paths are those of the document given.
 * Values that do not normalise, missing fields and fields of an unexpected JSON type are skipped; it never throws on a
 * JSON shape. A token met twice in one document is kept once, at its first path. Tokens use the current key.
 */
public final class LinkDeriver {
    private final LinkingKey key;

    public LinkDeriver(LinkingKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    /** The links of the document, subjects first then contexts, each in document order; empty for anything not an object. */
    public List<DerivedLink> derive(JsonNode submission) {
        Map<String, DerivedLink> links = new LinkedHashMap<>();
        if (submission == null || !submission.isObject()) {
            return List.of();
        }
        JsonNode subjects = submission.get("subjects");
        if (subjects != null && subjects.isArray()) {
            for (int i = 0; i < subjects.size(); i++) {
                JsonNode identity = subjects.get(i).get("identity");
                if (identity == null || !identity.isObject()) {
                    continue;
                }
                String at = "subjects[" + i + "].identity.";
                text(identity, "nhsNumber").ifPresent(v -> add(links, LinkKind.NHS_NUMBER,
                        LinkNormaliser.nhsNumber(v), at + "nhsNumber", v));
                text(identity, "upn").ifPresent(v -> add(links, LinkKind.UPN,
                        LinkNormaliser.upn(v), at + "upn", v));
                Optional<String> name = text(identity, "name");
                Optional<String> dob = text(identity, "dateOfBirth");
                if (name.isPresent() && dob.isPresent()) {
                    add(links, LinkKind.NAME_DOB, LinkNormaliser.nameDob(name.get(), dob.get()), at + "name", name.get());
                }
            }
        }
        JsonNode contexts = submission.get("contexts");
        if (contexts != null && contexts.isArray()) {
            for (int j = 0; j < contexts.size(); j++) {
                JsonNode c = contexts.get(j);
                String at = "contexts[" + j + "].";
                String type = text(c, "type").orElse("");
                switch (type) {
                    case "VEHICLE" -> text(c, "vrm").ifPresent(v -> add(links, LinkKind.VEHICLE,
                            LinkNormaliser.vehicle(v), at + "vrm", v));
                    case "LOCATION" -> text(c, "postcode").ifPresent(v -> add(links, LinkKind.LOCATION_POSTCODE,
                            LinkNormaliser.locationPostcode(v), at + "postcode", v));
                    case "ONLINE" -> {
                        Optional<String> platform = text(c, "platform");
                        Optional<String> handle = text(c, "handle");
                        if (platform.isPresent() && handle.isPresent()) {
                            add(links, LinkKind.ONLINE_HANDLE,
                                    LinkNormaliser.onlineHandle(platform.get(), handle.get()), at + "handle",
                                    platform.get() + " " + handle.get());
                        }
                    }
                    default -> {
                        // PEER_GROUP, SCHOOL, BUSINESS and anything else: descriptions never link
                    }
                }
            }
        }
        return List.copyOf(new ArrayList<>(links.values()));
    }

    private void add(Map<String, DerivedLink> links, LinkKind kind, Optional<String> normalised, String path,
            String shown) {
        if (normalised.isEmpty()) {
            return;
        }
        List<String> tokens = key.tokens(kind, normalised.get()); // current key first
        links.putIfAbsent(tokens.get(0), new DerivedLink(kind, tokens.get(0), path, shown,
                tokens.subList(1, tokens.size())));
    }

    private static Optional<String> text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? Optional.of(v.textValue()) : Optional.empty();
    }
}
