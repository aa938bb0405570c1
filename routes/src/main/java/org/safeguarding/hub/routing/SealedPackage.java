package org.safeguarding.hub.routing;

import org.safeguarding.hub.http.RequestBody;

/** A package sealed for its recipient into a spool file (encrypted, so nothing readable is at rest), ready to send. */
public record SealedPackage(OutgoingPackage outgoing, RequestBody sealed) {
}
