package org.safeguarding.hub.it;

import java.io.IOException;
import java.nio.file.Path;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * {@link RunningHub#writeConfig} for code outside this package that starts a hub in a JVM of its own (the load
 * benchmark in {@code bench}), so that it runs on exactly the configuration the end-to-end tests use.
 */
public final class HubConfigs {
    private HubConfigs() {
    }

    /** See {@link RunningHub#writeConfig(Path, TestPki, String)}: writes {@code root/config} and returns it. */
    public static Path write(Path root, TestPki pki, String extraHubYaml) throws IOException {
        return RunningHub.writeConfig(root, pki, extraHubYaml);
    }

    /**
     * A CORE client URL: one server with its TLS and connection options, or several, each with its own TLS options
     * (in a list, Artemis reads a server's transport options from its own URL only) and the connection options after
     * the list: {@code (tcp://a?name=live&TLS,tcp://b?name=backup&TLS)?ha=true&...}.
     */
    public static String coreUrl(java.util.List<String> servers, String tls, String options) {
        if (servers.size() == 1) {
            return servers.get(0) + (servers.get(0).contains("?") ? "&" : "?") + tls + "&" + options;
        }
        java.util.List<String> each = new java.util.ArrayList<>();
        for (String s : servers) {
            each.add(s + (s.contains("?") ? "&" : "?") + tls);
        }
        return "(" + String.join(",", each) + ")?" + options;
    }
}
