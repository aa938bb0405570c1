package org.safeguarding.hub.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.http.TlsMaterial;

/**
 * Writes the configuration of a live/backup pair of the hub's standalone brokers ({@code ./hub broker init --pair}):
 * for each node a directory with {@code bootstrap.xml} (the {@link ParticipantSecurityManager} and its properties) and
 * {@code broker.xml} (replication HA, TLS acceptors for CORE and AMQP, a TLS cluster connection with its own cluster
 * user, duplicate detection with a persistent ID cache, dead-letter and expiry addresses with redelivery back-off, the
 * hub's queues with {@code hub.audit} exclusive, and the plugins), its key and trust stores made from the demo PKI
 * (the hub's own certificate, which has server and client use and which recipients already trust for the hub's
 * broker; a deployment may issue each node its own with both uses), and its secrets in files only the owner can
 * read, which the configuration names by path ({@link SecretFileCodec}); and, for the hub nodes, {@code hub/broker
 * .password} and the {@code broker:} lines of {@code hub.yaml}. Nothing secret is written into an XML file.
 */
public final class BrokerPairConfig {
    /** One node: its name (also its connector's, which clients' URLs repeat as {@code name=}) and ports. */
    public record Node(String name, int corePort, int amqpPort) {
    }

    public record Options(Path pkiDirectory, char[] pkiPassword, Path out, String host, Node live, Node backup,
                          String hubUser, String clusterUser, int maxDeliveryAttempts, long redeliveryDelayMillis,
                          long maxRedeliveryDelayMillis, int sweepPeriodSeconds) {
        public static Options of(Path pkiDirectory, char[] pkiPassword, Path out, String host, Node live, Node backup) {
            return new Options(pkiDirectory, pkiPassword, out, host, live, backup, "hub-node", "hub-cluster", 10, 1000,
                    300_000, 15);
        }
    }

    /** What was written: each node's directory, the hub's password file and the URLs hub nodes and recipients use. */
    public record Result(Path liveDirectory, Path backupDirectory, Path hubPasswordFile, List<String> hubUrls,
                         String hubYaml) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private BrokerPairConfig() {
    }

    public static Result write(Options o, Clock clock) throws IOException, GeneralSecurityException {
        Path out = o.out().toAbsolutePath().normalize();
        Path pki = o.pkiDirectory().toAbsolutePath().normalize();
        ownerOnlyDirectory(out);
        String clusterPassword = secret();
        String hubPassword = secret();
        Path hubDir = out.resolve("hub");
        ownerOnlyDirectory(hubDir);
        Path hubPasswordFile = hubDir.resolve("broker.password");
        writeSecret(hubPasswordFile, hubPassword);
        String hash = HubPasswordHash.hash(hubPassword.toCharArray());
        Path live = node(o, clock, pki, out, o.live(), o.backup(), true, clusterPassword, hash);
        Path backup = node(o, clock, pki, out, o.backup(), o.live(), false, clusterPassword, hash);
        List<String> urls = List.of(url(o.host(), o.live()), url(o.host(), o.backup()));
        // quoted: a '?' in a YAML flow sequence is not always taken as part of a plain scalar
        String yaml = "broker:\n  urls: [\"" + String.join("\", \"", urls) + "\"]\n  user: " + o.hubUser()
                + "\n  passwordFile: " + hubPasswordFile + "\n";
        Files.writeString(hubDir.resolve("hub-broker.yaml"), yaml, StandardCharsets.UTF_8);
        return new Result(live, backup, hubPasswordFile, urls, yaml);
    }

    static String url(String host, Node n) {
        return "tcp://" + host + ":" + n.corePort() + "?name=" + n.name();
    }

    private static Path node(Options o, Clock clock, Path pki, Path out, Node self, Node peer, boolean primary,
                             String clusterPassword, String hubPasswordHash) throws IOException, GeneralSecurityException {
        Path dir = out.resolve(self.name());
        ownerOnlyDirectory(dir);
        Path secrets = dir.resolve("secrets");
        Path tls = dir.resolve("tls");
        ownerOnlyDirectory(secrets);
        ownerOnlyDirectory(tls);
        Files.createDirectories(dir.resolve("data"));
        String storePassword = secret();
        Path storePasswordFile = secrets.resolve("keystore.password");
        writeSecret(storePasswordFile, storePassword);
        Path clusterPasswordFile = secrets.resolve("cluster.password");
        writeSecret(clusterPasswordFile, clusterPassword);

        // the hub's own certificate (server and client use, the name recipients already trust for the hub's broker)
        String certName = "hub";
        if (!Files.exists(pki.resolve(certName + ".p12"))) {
            throw new IOException(pki.resolve(certName + ".p12") + ": no such file (the demo PKI's hub key store)");
        }
        Path keyStore = tls.resolve("key.p12");
        Path trustStore = tls.resolve("trust.p12");
        rekey(pki.resolve(certName + ".p12"), o.pkiPassword(), keyStore, storePassword.toCharArray());
        trustStore(Pem.readCertificates(pki.resolve("ca.pem")), trustStore, storePassword.toCharArray());

        String masked = "ENC(" + storePasswordFile + ")";
        String codec = SecretFileCodec.class.getName();
        String tlsClient = "sslEnabled=true;keyStorePath=" + keyStore + ";keyStoreType=PKCS12;keyStorePassword="
                + masked + ";trustStorePath=" + trustStore + ";trustStoreType=PKCS12;trustStorePassword=" + masked
                + ";enabledProtocols=" + String.join(",", TlsMaterial.PROTOCOLS) + ";activemq.passwordcodec=" + codec;
        String crl = Files.exists(pki.resolve("ca.crl")) ? ";crlPath=" + pki.resolve("ca.crl") : "";
        String tlsServer = tlsClient + ";needClientAuth=true;enabledCipherSuites="
                + String.join(",", TlsMaterial.CIPHER_SUITES) + crl;
        String ha = primary
                ? "<primary>\n          <check-for-active-server>true</check-for-active-server>\n        </primary>"
                : "<backup>\n          <!-- no failback: a second interruption for every client buys nothing between equal nodes -->\n"
                + "          <allow-failback>false</allow-failback>\n        </backup>";
        Path data = dir.resolve("data");
        String xml = BROKER_XML
                .replace("${name}", self.name())
                .replace("${data}", data.toString())
                .replace("${clusterUser}", o.clusterUser())
                .replace("${clusterPassword}", "ENC(" + clusterPasswordFile + ")")
                .replace("${codec}", codec)
                .replace("${ha}", ha)
                .replace("${selfConnector}", "tcp://" + o.host() + ":" + self.corePort() + "?" + tlsClient)
                .replace("${peerConnector}", "tcp://" + o.host() + ":" + peer.corePort() + "?" + tlsClient)
                .replace("${self}", self.name())
                .replace("${peer}", peer.name())
                .replace("${core}", "tcp://0.0.0.0:" + self.corePort() + "?protocols=CORE;" + tlsServer)
                .replace("${amqp}", "tcp://0.0.0.0:" + self.amqpPort() + "?protocols=AMQP;saslMechanisms=EXTERNAL;"
                        + tlsServer)
                .replace("${attempts}", String.valueOf(o.maxDeliveryAttempts()))
                .replace("${delay}", String.valueOf(o.redeliveryDelayMillis()))
                .replace("${maxDelay}", String.valueOf(o.maxRedeliveryDelayMillis()))
                .replace("${ack}", AckNoticePlugin.class.getName())
                .replace("${sweep}", ParticipantSweepPlugin.class.getName())
                .replace("${sweepPeriod}", String.valueOf(o.sweepPeriodSeconds()));
        Files.writeString(dir.resolve("broker.xml"), xml, StandardCharsets.UTF_8);
        String bootstrap = BOOTSTRAP_XML
                .replace("${sm}", ParticipantSecurityManager.class.getName())
                .replace("${ca}", pki.resolve("ca.pem").toString())
                .replace("${crl}", Files.exists(pki.resolve("ca.crl")) ? pki.resolve("ca.crl").toString() : "")
                .replace("${hubUser}", o.hubUser())
                .replace("${hash}", hubPasswordHash);
        Files.writeString(dir.resolve("bootstrap.xml"), bootstrap, StandardCharsets.UTF_8);
        return dir;
    }

    private static void rekey(Path p12, char[] password, Path out, char[] newPassword)
            throws IOException, GeneralSecurityException {
        KeyStore in = KeyStore.getInstance("PKCS12");
        try (InputStream s = Files.newInputStream(p12)) {
            in.load(s, password);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (String alias : Collections.list(in.aliases())) {
            if (in.isKeyEntry(alias)) {
                Key key = in.getKey(alias, password);
                ks.setKeyEntry(alias, key, newPassword, in.getCertificateChain(alias));
            }
        }
        store(ks, out, newPassword);
    }

    private static void trustStore(List<X509Certificate> cas, Path out, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate ca : cas) {
            ks.setCertificateEntry("ca-" + i++, ca);
        }
        store(ks, out, password);
    }

    private static void store(KeyStore ks, Path file, char[] password) throws IOException, GeneralSecurityException {
        Files.deleteIfExists(file);
        createOwnerOnly(file);
        try (OutputStream s = Files.newOutputStream(file)) {
            ks.store(s, password);
        }
    }

    private static String secret() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void writeSecret(Path file, String secret) throws IOException {
        Files.deleteIfExists(file);
        createOwnerOnly(file);
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
    }

    private static void createOwnerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }

    private static void ownerOnlyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static final String BOOTSTRAP_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- the hub's standalone broker: ./hub broker run THIS_DIRECTORY, or an Artemis distribution with the
                 hub's broker-plugin jar in lib/ -->
            <broker xmlns="http://activemq.apache.org/schema">
              <security-manager class-name="${sm}">
                <property key="caFile" value="${ca}"/>
                <property key="crlFile" value="${crl}"/>
                <property key="hubUser" value="${hubUser}"/>
                <property key="hubPasswordHash" value="${hash}"/>
                <property key="participantsMaxAgeMillis" value="5000"/>
              </security-manager>
              <server configuration="file:broker.xml"/>
            </broker>
            """;

    private static final String BROKER_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration xmlns="urn:activemq" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                           xsi:schemaLocation="urn:activemq /schema/artemis-configuration.xsd">
              <core xmlns="urn:activemq:core">
                <name>${name}</name>
                <persistence-enabled>true</persistence-enabled>
                <journal-type>NIO</journal-type>
                <journal-directory>${data}/journal</journal-directory>
                <bindings-directory>${data}/bindings</bindings-directory>
                <paging-directory>${data}/paging</paging-directory>
                <large-messages-directory>${data}/large-messages</large-messages-directory>
                <node-manager-lock-directory>${data}</node-manager-lock-directory>
                <journal-sync-transactional>true</journal-sync-transactional>
                <journal-sync-non-transactional>true</journal-sync-non-transactional>
                <!-- duplicate detection survives a restart and is replicated to the backup with the journal -->
                <persist-id-cache>true</persist-id-cache>
                <id-cache-size>100000</id-cache-size>
                <security-enabled>true</security-enabled>
                <!-- every session is authenticated afresh: a revoked certificate must not ride on a cached success -->
                <authentication-cache-size>0</authentication-cache-size>
                <jmx-management-enabled>false</jmx-management-enabled>
                <graceful-shutdown-enabled>true</graceful-shutdown-enabled>
                <graceful-shutdown-timeout>10000</graceful-shutdown-timeout>
                <message-expiry-scan-period>30000</message-expiry-scan-period>
                <!-- ENC(path): the first line of that owner-only file; no password is in this file or in the logs -->
                <password-codec>${codec}</password-codec>
                <cluster-user>${clusterUser}</cluster-user>
                <cluster-password>${clusterPassword}</cluster-password>

                <ha-policy>
                  <replication>
                    ${ha}
                  </replication>
                </ha-policy>

                <connectors>
                  <connector name="${self}">${selfConnector}</connector>
                  <connector name="${peer}">${peerConnector}</connector>
                </connectors>

                <acceptors>
                  <!-- hub nodes (user and password), recipients' CORE consumers (certificate) and the pair's cluster
                       connection, TLS with a client certificate of the partnership CA required -->
                  <acceptor name="core-tls">${core}</acceptor>
                  <!-- recipients' AMQP consumers, SASL EXTERNAL: the user is the certificate's CN -->
                  <acceptor name="amqps">${amqp}</acceptor>
                </acceptors>

                <cluster-connections>
                  <cluster-connection name="hub-pair">
                    <connector-ref>${self}</connector-ref>
                    <message-load-balancing>OFF</message-load-balancing>
                    <static-connectors>
                      <connector-ref>${peer}</connector-ref>
                    </static-connectors>
                  </cluster-connection>
                </cluster-connections>

                <broker-plugins>
                  <broker-plugin class-name="${ack}"/>
                  <broker-plugin class-name="${sweep}">
                    <property key="periodSeconds" value="${sweepPeriod}"/>
                  </broker-plugin>
                </broker-plugins>

                <address-settings>
                  <address-setting match="#">
                    <dead-letter-address>hub.dlq</dead-letter-address>
                    <expiry-address>hub.expired</expiry-address>
                    <max-delivery-attempts>${attempts}</max-delivery-attempts>
                    <redelivery-delay>${delay}</redelivery-delay>
                    <redelivery-delay-multiplier>2.0</redelivery-delay-multiplier>
                    <max-redelivery-delay>${maxDelay}</max-redelivery-delay>
                    <auto-create-queues>false</auto-create-queues>
                    <auto-create-addresses>false</auto-create-addresses>
                    <auto-create-dead-letter-resources>false</auto-create-dead-letter-resources>
                    <auto-create-expiry-resources>false</auto-create-expiry-resources>
                    <max-size-bytes>268435456</max-size-bytes>
                    <address-full-policy>PAGE</address-full-policy>
                  </address-setting>
                  <!-- what reaches these queues stays there: no further redelivery loop -->
                  <address-setting match="hub.dlq"><max-delivery-attempts>-1</max-delivery-attempts></address-setting>
                  <address-setting match="hub.expired"><max-delivery-attempts>-1</max-delivery-attempts></address-setting>
                  <!-- step records and acknowledgement notices wait for the audit store however long it is away -->
                  <address-setting match="hub.audit">
                    <max-delivery-attempts>-1</max-delivery-attempts>
                    <redelivery-delay>${delay}</redelivery-delay>
                  </address-setting>
                  <address-setting match="hub.acks">
                    <max-delivery-attempts>-1</max-delivery-attempts>
                    <redelivery-delay>${delay}</redelivery-delay>
                  </address-setting>
                  <address-setting match="hub.webhook">
                    <max-delivery-attempts>-1</max-delivery-attempts>
                    <redelivery-delay>${delay}</redelivery-delay>
                    <redelivery-delay-multiplier>2.0</redelivery-delay-multiplier>
                    <max-redelivery-delay>300000</max-redelivery-delay>
                  </address-setting>
                </address-settings>

                <addresses>
                  <address name="hub.intake"><anycast><queue name="hub.intake"/></anycast></address>
                  <!-- one hub node's audit feed at a time, in order -->
                  <address name="hub.audit"><anycast><queue name="hub.audit" exclusive="true"/></anycast></address>
                  <address name="hub.quarantine"><anycast><queue name="hub.quarantine"/></anycast></address>
                  <address name="hub.dlq"><anycast><queue name="hub.dlq"/></anycast></address>
                  <address name="hub.expired"><anycast><queue name="hub.expired"/></anycast></address>
                  <address name="hub.webhook"><anycast><queue name="hub.webhook"/></anycast></address>
                  <address name="hub.acks"><anycast><queue name="hub.acks"/></anycast></address>
                  <!-- the step ids one node's audit feed applied, for the answers other nodes hold: never persisted -->
                  <address name="hub.applied"><multicast/></address>
                  <!-- the participant ids the hub last published: one durable last-value message, read, never consumed -->
                  <address name="hub.participants"><anycast>
                    <queue name="hub.participants" last-value="true" non-destructive="true"/>
                  </anycast></address>
                  <!-- intel.<recipient> inboxes are created by the hub (management, idempotent) -->
                </addresses>
              </core>
            </configuration>
            """;
}
