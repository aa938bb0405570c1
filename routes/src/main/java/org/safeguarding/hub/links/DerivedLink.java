package org.safeguarding.hub.links;

import java.util.Objects;
import org.safeguarding.hub.partnership.LinkKind;

/**
 * One link a submission gives: its kind, its token, the JSON path of the field it was derived from in the document
 * given to the deriver ({@code subjects[0].identity.nhsNumber}, {@code contexts[1].vrm}; for
 * {@link LinkKind#NAME_DOB} the name's path, for {@link LinkKind#ONLINE_HANDLE} the handle's) and the value as written
 * there ({@code shownValue}: for an online handle "platform handle", for a name with date of birth the name).
 *
 * <p>The token and the value are content: {@link #toString()} shows the kind and the path only, so a link that
 * reaches a log carries neither.
 */
public record DerivedLink(LinkKind kind, String token, String path, String shownValue) {
    public DerivedLink {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(shownValue, "shownValue");
    }

    @Override
    public String toString() {
        return "DerivedLink[kind=" + kind + ", path=" + path + "]";
    }
}
