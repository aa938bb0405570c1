package org.safeguarding.hub.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

/** {@code broker.urls} and its keys: the hub as a client of an external Artemis pair, validated at load. */
class ExternalBrokerSettingsTest {
    @TempDir
    Path dir;

    private HubSettings load(String yaml) throws IOException {
        Files.writeString(dir.resolve(SettingsLoader.FILE_NAME), yaml, StandardCharsets.UTF_8);
        return SettingsLoader.load(dir);
    }

    private HubException refused(String yaml) throws IOException {
        Files.writeString(dir.resolve(SettingsLoader.FILE_NAME), yaml, StandardCharsets.UTF_8);
        HubException e = catchThrowableOfType(HubException.class, () -> SettingsLoader.load(dir));
        assertThat(e).as("hub.yaml should have been refused").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        return e;
    }

    @Test
    void withoutUrlsTheBrokerIsEmbedded() throws IOException {
        HubSettings s = load("broker:\n  amqpPort: 5671\n");
        assertThat(s.broker().isEmbedded()).isTrue();
        assertThat(s.broker().external()).isNull();
    }

    @Test
    void urlsMakeTheHubAClientOfThePairWithDefaults() throws IOException {
        HubSettings s = load("""
                broker:
                  urls: ["tcp://broker-a.internal:61617?name=live", tcp://broker-b.internal:61617]
                  passwordFile: secrets/broker-password
                """);
        assertThat(s.broker().isEmbedded()).isFalse();
        HubSettings.External e = s.broker().external();
        assertThat(e.urls()).containsExactly("tcp://broker-a.internal:61617?name=live", "tcp://broker-b.internal:61617");
        assertThat(e.user()).isEqualTo("hub-node");
        assertThat(e.passwordFile()).isEqualTo(dir.resolve("secrets/broker-password"));
        assertThat(e.tls()).isTrue();
        assertThat(e.callTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void thePasswordComesFromTheEnvironmentByDefault() throws IOException {
        HubSettings s = load("broker:\n  urls: [tcp://a:61617]\n  user: hub-2\n");
        assertThat(s.broker().external().passwordEnv()).isEqualTo("HUB_BROKER_PASSWORD");
        assertThat(s.broker().external().user()).isEqualTo("hub-2");
    }

    @Test
    void badUrlsPlainTextAndAPasswordInTheFileAreRefusedByTheirKeys() throws IOException {
        HubException e = refused("""
                broker:
                  urls: [amqps://a:5671, tcp://b:61617]
                  tls: false
                  password: s3cret-in-yaml
                  callTimeout: PT0.1S
                """);
        assertThat(e.errors()).extracting(FieldError::path).containsExactlyInAnyOrder("broker.urls[0]", "broker.tls",
                "broker.password", "broker.callTimeout");
        assertThat(e.errors()).filteredOn(f -> f.path().equals("broker.urls[0]")).extracting(FieldError::message)
                .singleElement().satisfies(m -> assertThat(m).contains("tcp://host:port"));
        assertThat(e.detail()).doesNotContain("s3cret-in-yaml");
    }

    @Test
    void anEmptyListAndABlankUserAreRefused() throws IOException {
        HubException e = refused("broker:\n  urls: []\n  user: ''\n");
        assertThat(e.errors()).extracting(FieldError::path).containsExactlyInAnyOrder("broker.urls", "broker.user");
    }

    @Test
    void urlsMustBeAList() throws IOException {
        HubException e = refused("broker:\n  urls: tcp://a:61617\n");
        assertThat(e.errors()).extracting(FieldError::path).isEqualTo(List.of("broker.urls"));
    }
}
