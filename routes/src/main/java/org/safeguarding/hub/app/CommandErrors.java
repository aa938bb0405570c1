package org.safeguarding.hub.app;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.inbox.HubConnectionException;

/**
 * The one place a command's failure becomes what the user reads: one line that names what failed and what to do,
 * and the exit code for its kind. A missing or unreadable file, a hub that is not there, a hub certificate the CA
 * does not vouch for and a client certificate the hub refuses each get their own sentence; no stack trace unless asked
 * for ({@code HUB_DEBUG=1}).
 */
final class CommandErrors {
    /** The command did what it was asked. */
    static final int OK = 0;
    /** An unexpected failure (a defect): run again with HUB_DEBUG=1 for its stack trace. */
    static final int UNEXPECTED = 1;
    /** The command line, or a file or folder it names, cannot be used. */
    static final int USAGE = 2;
    /** The hub answered with a problem (refused, or some submissions are to be sent again). */
    static final int REFUSED = 3;
    /** {@code audit verify}: the audit trail failed its check. */
    static final int AUDIT_FAILED = 4;
    /** The hub could not be reached, or the TLS handshake with it failed (trust, client certificate). */
    static final int UNREACHABLE = 5;

    /** The exit codes for {@code --help}, in order. */
    static final Map<String, String> EXIT_CODES = new java.util.LinkedHashMap<>();

    static {
        EXIT_CODES.put(" " + OK, "done");
        EXIT_CODES.put(" " + UNEXPECTED, "an unexpected failure (run again with HUB_DEBUG=1 to see its stack trace)");
        EXIT_CODES.put(" " + USAGE, "the command line, or a file or folder it names, cannot be used");
        EXIT_CODES.put(" " + REFUSED, "the hub answered with a problem, or some submissions are to be sent again");
        EXIT_CODES.put(" " + AUDIT_FAILED, "audit verify: the audit trail failed its check");
        EXIT_CODES.put(" " + UNREACHABLE, "the hub could not be reached, or the TLS handshake with it failed");
    }

    /** What the user is told, and the exit code. */
    record Failure(String message, int exitCode) {
    }

    private CommandErrors() {
    }

    static Failure describe(Throwable e) {
        if (e instanceof HubException he) {
            return new Failure(he.detail(), USAGE);
        }
        if (e instanceof HubConnectionException c) {
            return connection(c);
        }
        if (e instanceof NoSuchFileException f) {
            return new Failure("cannot read " + f.getFile() + ": no such file or folder; check the path", USAGE);
        }
        if (e instanceof AccessDeniedException f) {
            return new Failure("cannot read " + f.getFile() + ": permission denied; check its permissions (ls -l)"
                    + " or run as the user it belongs to", USAGE);
        }
        if (e instanceof NotDirectoryException f) {
            return new Failure(f.getFile() + " is not a folder; give a folder there", USAGE);
        }
        if (e instanceof FileSystemException f) {
            return new Failure("cannot use " + f.getFile() + ": " + (f.getReason() == null ? "file system error"
                    : f.getReason()) + "; check the path and its permissions", USAGE);
        }
        if (e instanceof CryptoException c) {
            return new Failure(message(c), USAGE);
        }
        if (e instanceof IOException io && io.getMessage() != null) {
            return new Failure(io.getMessage() + "; check the files given", USAGE);
        }
        return new Failure("unexpected " + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                : ": " + e.getMessage()) + "; run again with HUB_DEBUG=1 to see where, and report it", UNEXPECTED);
    }

    private static Failure connection(HubConnectionException c) {
        String hub = c.uri().getScheme() + "://" + c.uri().getRawAuthority() + "/";
        Throwable cause = c.getCause();
        if (has(cause, ConnectException.class)) {
            return new Failure("cannot connect to " + hub + ": connection refused; is the hub running? check --url",
                    UNREACHABLE);
        }
        if (has(cause, UnknownHostException.class)) {
            return new Failure("cannot connect to " + hub + ": unknown host " + c.uri().getHost() + "; check --url",
                    UNREACHABLE);
        }
        if (has(cause, HttpConnectTimeoutException.class) || has(cause, HttpTimeoutException.class)) {
            return new Failure("no answer from " + hub + " in time; is the hub running and reachable? check --url"
                    + " and the network", UNREACHABLE);
        }
        String alert = alert(cause);
        if (alert != null) {
            return new Failure("the hub refused your client certificate (" + c.clientSubject() + "): it is not issued"
                    + " by the partnership CA or is revoked (TLS alert " + alert + "); give the certificate the"
                    + " partnership CA issued you with --cert, or ask the hub's operator whether it is revoked",
                    UNREACHABLE);
        }
        if (has(cause, CertPathBuilderException.class) || has(cause, CertPathValidatorException.class)
                || has(cause, CertificateException.class)) {
            return new Failure("the hub's certificate at " + hub + " is not trusted by --ca " + c.ca() + " ("
                    + reason(cause) + "); give the partnership CA that issued the hub's certificate with --ca"
                    + " (in the demo: demo-data/pki/ca.pem), and check --url names the hub", UNREACHABLE);
        }
        if (has(cause, SSLException.class)) {
            return new Failure("the TLS handshake with " + hub + " failed (" + reason(cause) + "); check --url is the"
                    + " hub's HTTPS address, --ca the partnership CA and --cert your certificate", UNREACHABLE);
        }
        return new Failure("the connection to " + hub + " failed (" + reason(cause) + "); is the hub running?"
                + " run the command again, or check --url", UNREACHABLE);
    }

    /** The TLS alert by which the server refused the client's certificate, or null. */
    private static String alert(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            for (String a : new String[] {"certificate_unknown", "bad_certificate", "certificate_revoked",
                    "certificate_expired", "unknown_ca", "certificate_required", "access_denied"}) {
                if (t instanceof SSLException && m.contains("received fatal alert: " + a)) {
                    return a;
                }
            }
        }
        return null;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message: the JDK's outer ones repeat the inner one with a class name before it. */
    private static String reason(Throwable e) {
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
        }
        return reason == null ? e.getClass().getSimpleName() : reason.replaceAll("^[\\w.]+(Exception|Error): ", "");
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
