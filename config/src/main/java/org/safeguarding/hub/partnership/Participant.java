package org.safeguarding.hub.partnership;

import java.util.Objects;
import java.util.Set;

/**
 * A member of the partnership, known by the {@code CN} of its certificates.
 *
 * @param id           the participant id (certificate CN)
 * @param organisation the organisation's name, for people
 * @param sector       the organisation's sector; {@code null} for the hub, the IG lead and the board
 * @param roles        what it may do
 * @param submitAreas  the areas it may submit for (partners); empty otherwise
 * @param suspended    a suspended participant may neither submit nor receive
 * @param servedAreas  the areas a recipient serves; empty when it is not area-restricted
 * @param packageFormat the package format it declared it can open; {@code null}: the hub's default (hub.yaml's
 *                      {@code crypto.packageEncryption}, AuthEnvelopedData AES-256-GCM unless changed)
 * @param rsaPkcs1Allowed whether the partnership allows RSA PKCS#1 v1.5 key transport for it, both ways: in what it
 *                      seals to the hub, and in what the hub seals to it ({@code allowRsaPkcs1v15})
 */
public record Participant(String id, String organisation, Sector sector, Set<Role> roles,
                          Set<Area> submitAreas, boolean suspended, Set<Area> servedAreas,
                          PackageFormat packageFormat, boolean rsaPkcs1Allowed) {

    public Participant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organisation, "organisation");
        roles = Set.copyOf(roles);
        submitAreas = Set.copyOf(submitAreas);
        servedAreas = Set.copyOf(servedAreas);
        if (packageFormat != null && packageFormat.rsaPkcs1() && !rsaPkcs1Allowed) {
            throw new IllegalArgumentException(id + ": " + packageFormat.yamlName() + " needs allowRsaPkcs1v15");
        }
    }

    /** A participant with the hub's default package format and no RSA PKCS#1 v1.5. */
    public Participant(String id, String organisation, Sector sector, Set<Role> roles,
                       Set<Area> submitAreas, boolean suspended, Set<Area> servedAreas) {
        this(id, organisation, sector, roles, submitAreas, suspended, servedAreas, null, false);
    }

    /** The package format it declared, if it declared one. */
    public java.util.Optional<PackageFormat> declaredPackageFormat() {
        return java.util.Optional.ofNullable(packageFormat);
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    /** True when this participant may submit for the area (a partner, not suspended, registered for it). */
    public boolean maySubmitFor(Area area) {
        return hasRole(Role.PARTNER) && !suspended && submitAreas.contains(area);
    }

    /** True when the recipient serves the area; a recipient that is not area-restricted serves none in particular. */
    public boolean serves(Area area) {
        return servedAreas.contains(area);
    }
}
