package org.safeguarding.hub.links;

import java.util.List;
import java.util.Objects;
import org.safeguarding.hub.partnership.LinkKind;

/**
 * One link a submission gives: its kind, its token, the JSON path of the field it was derived from in the document
 * given to the deriver ({@code subjects[0].identity.nhsNumber}, {@code contexts[1].vrm}; for
 * {@link LinkKind#NAME_DOB} the name's path, for {@link LinkKind#ONLINE_HANDLE} the handle's) and the value as written
 * there ({@code shownValue}: for an online handle "platform handle", for a name with date of birth the name).
 *
 * {@code previousTokens} are the same value's tokens under the previous linking keys, for look-ups of links made
 * before the current key.
 *
 * <p>The token and the value are content: {@link #toString()} shows the kind and the path only, so a link that
 * reaches a log carries neither.
 */
public record DerivedLink(LinkKind kind, String token, String path, String shownValue, List<String> previousTokens) {
    public DerivedLink {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(shownValue, "shownValue");
        previousTokens = List.copyOf(previousTokens);
    }

    /** A link made under the only key there is. */
    public DerivedLink(LinkKind kind, String token, String path, String shownValue) {
        this(kind, token, path, shownValue, List.of());
    }

    @Override
    public String toString() {
        return "DerivedLink[kind=" + kind + ", path=" + path + "]";
    }
}
