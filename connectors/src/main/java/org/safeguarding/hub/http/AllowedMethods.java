package org.safeguarding.hub.http;

import io.vertx.ext.web.Route;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which methods the router takes on a path, for the {@code Allow} header of a 405: a path that no route matches is a
 * 404 instead. Built once from the router's own routes, so it cannot disagree with them.
 */
final class AllowedMethods {
    private record PathMethods(Pattern path, Set<String> methods) {
    }

    private final List<PathMethods> routes;

    private AllowedMethods(List<PathMethods> routes) {
        this.routes = routes;
    }

    static AllowedMethods of(List<Route> routes) {
        List<PathMethods> out = new ArrayList<>();
        for (Route r : routes) {
            if (r.getPath() == null || r.methods() == null || r.methods().isEmpty()) {
                continue;
            }
            StringBuilder regex = new StringBuilder();
            for (String segment : r.getPath().split("/", -1)) {
                if (!regex.isEmpty() || !segment.isEmpty()) {
                    regex.append('/');
                }
                regex.append(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
            }
            Set<String> methods = new LinkedHashSet<>();
            r.methods().forEach(m -> methods.add(m.name()));
            out.add(new PathMethods(Pattern.compile(regex.toString()), methods));
        }
        return new AllowedMethods(List.copyOf(out));
    }

    /** {@code "GET, PUT, DELETE"}: the methods some route takes on {@code path}; empty when none matches it. */
    String forPath(String path) {
        Set<String> methods = new LinkedHashSet<>();
        for (PathMethods r : routes) {
            if (r.path().matcher(path).matches()) {
                methods.addAll(r.methods());
            }
        }
        return String.join(", ", methods);
    }
}
