package org.safeguarding.hub.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import org.safeguarding.hub.jdbc.H2Recovery;

/**
 * Verifies a trail offline, straight from its database, without opening it for writing and without
 * creating or migrating anything: the back end of {@code ./hub audit verify}. The signer only needs to
 * verify (see {@link JcaCheckpointSigner#verifyOnly}).
 *
 * <p>For an H2 file database the URL is opened with {@code IFEXISTS=TRUE} (unless it says otherwise) so that
 * a wrong path is an error rather than a new, empty and "valid" trail. An embedded H2 file can be open in
 * one process only: stop the hub first, or use the hub's online verify. A file that a killed hub left unclosed is
 * first opened at its newest complete version ({@link H2Recovery}), as the hub itself does at its next start: H2's
 * own recovery could show an older one.
 */
public final class AuditVerifier {
    private AuditVerifier() {
    }

    public static AuditVerification verify(String jdbcUrl, String user, String password, CheckpointSigner signer) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(signer, "signer");
        H2Recovery.recoverIfUnclean(jdbcUrl); // a stopped hub's file, at the version the hub will open next
        try (Connection c = DriverManager.getConnection(offlineUrl(jdbcUrl), user, password)) {
            int version = AuditSchema.currentVersion(c);
            if (version == 0 || !AuditSchema.tableExists(c, "audit_event")) {
                return AuditVerification.bad(0, null, null, "no audit trail in this database");
            }
            if (version > AuditSchema.CURRENT_VERSION) {
                return AuditVerification.bad(0, null, null, "audit schema version " + version
                        + " is newer than this verifier understands (" + AuditSchema.CURRENT_VERSION + ")");
            }
            return new ChainVerifier(signer).verify(c);
        } catch (SQLException e) {
            throw new AuditStoreException("cannot read the audit store: " + e.getMessage(), e);
        }
    }

    static String offlineUrl(String url) {
        boolean h2File = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:")
                && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
        if (h2File && !url.toUpperCase(java.util.Locale.ROOT).contains("IFEXISTS=")) {
            return url + ";IFEXISTS=TRUE";
        }
        return url;
    }
}
