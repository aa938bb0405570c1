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
 */
public record Participant(String id, String organisation, Sector sector, Set<Role> roles,
                          Set<Area> submitAreas, boolean suspended, Set<Area> servedAreas) {

    public Participant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organisation, "organisation");
        roles = Set.copyOf(roles);
        submitAreas = Set.copyOf(submitAreas);
        servedAreas = Set.copyOf(servedAreas);
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
