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
}
