package org.safeguarding.hub.sftp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.settings.HubSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partners' SFTP drop (CONTRACT.md, port 2222): account = partner id, logged in with the key of the
 * partner's own certificate, confined to its {@code /inbound/} and {@code /outbound/}. Only the SFTP
 * subsystem runs: no shell, no exec, no forwarding, no passwords. Every dropped {@code *.p7m} goes through
 * the hub's one intake ({@link DropIntake}); the receipt or problem comes back in {@code /outbound/}.
 */
public final class SftpDropServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SftpDropServer.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);

    private final HubSettings.Sftp settings;
    private final DropFolders folders;
    private final PartnerKeyAuthenticator authenticator;
    private final DropUploadListener listener = new DropUploadListener();
    private final DropProcessor processor;
    private SshServer server;

    /**
     * @param root      {@code <dataDirectory>/sftp}: the host key and the partners' folders
     * @param isPartner whether an id is currently a partner of the partnership
     */
    public SftpDropServer(HubSettings.Sftp settings, Path root, CertificateDirectory certificates,
                          Predicate<String> isPartner, DropIntake intake, Clock clock) {
        this.settings = settings;
        this.folders = new DropFolders(root);
        this.authenticator = new PartnerKeyAuthenticator(certificates, isPartner, clock);
        this.processor = new DropProcessor(folders, intake, partner -> firstValid(certificates, partner, clock),
                listener::beingWritten, FIRST_RETRY, MAX_RETRY);
        listener.processor(processor);
    }

    private static X509Certificate firstValid(CertificateDirectory certificates, String partner, Clock clock) {
        List<X509Certificate> valid = certificates.validCertificates(partner, clock.instant());
        return valid.isEmpty() ? null : valid.get(0);
    }

    /** Takes what a crash left, then listens. */
    public SftpDropServer start() throws IOException {
        var hostKey = HostKey.loadOrCreate(folders.root().resolve("host-key"));
        processor.recover();
        server = SshServer.setUpDefaultServer();
        server.setHost(settings.host());
        server.setPort(settings.port());
        server.setKeyPairProvider(hostKey);
        server.setPublickeyAuthenticator(authenticator);
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        server.setShellFactory(null);
        server.setCommandFactory(null);
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().build();
        sftp.addSftpEventListener(new DropPermissions()); // first: a refused operation reaches no other listener
        sftp.addSftpEventListener(listener);
        server.setSubsystemFactories(List.of(sftp));
        server.setFileSystemFactory(new PartnerHomes(folders));
        server.start();
        LOG.info("SFTP drop listening on {}:{}, host key {}", settings.host(), port(), HostKey.fingerprint(hostKey));
        return this;
    }

    public int port() {
        return server == null ? -1 : ((InetSocketAddress) server.getBoundAddresses().iterator().next()).getPort();
    }

    /** Where the partners' folders and the host key are. */
    public DropFolders folders() {
        return folders;
    }

    /** Runs the drop's queued work now and waits for it (tests). */
    void drain() throws Exception {
        processor.drain();
    }

    @Override
    public void close() throws IOException {
        try {
            if (server != null) {
                server.stop(true);
            }
        } finally {
            processor.close();
        }
    }
}
