package org.safeguarding.hub.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.testing.Await;

/**
 * A partner dropping its sealed files over SFTP as a real one does: one session, each file uploaded to
 * {@code /inbound/<name>} and its answer awaited in {@code /outbound/}; an upload cut by a dead hub is made again
 * (same name, same bytes) once the hub is back; a session lost while waiting is opened again. A valid file whose
 * upload was cut may meet a stale problem for its truncated first copy: the answer is taken once the file has left
 * {@code /inbound/}, and the final listing decides (read by the test after the load).
 */
final class SftpPartner implements Runnable {
    static final int MAX_UPLOADS = 20;
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);
    static final Duration SSH_TIMEOUT = Duration.ofSeconds(10);

    private final ForkedHub hub;
    private final SshClient ssh;
    private final Identity identity;
    private final String partner;
    private final HubKiller.Progress progress;
    private final List<CrashLoad.Planned> share;
    private final Map<String, CrashLoad.Outcome> outcomes;
    private ClientSession session;
    private SftpClient sftp;

    SftpPartner(ForkedHub hub, SshClient ssh, Identity identity, String partner, HubKiller.Progress progress,
                List<CrashLoad.Planned> share, Map<String, CrashLoad.Outcome> outcomes) {
        this.hub = hub;
        this.ssh = ssh;
        this.identity = identity;
        this.partner = partner;
        this.progress = progress;
        this.share = share;
        this.outcomes = outcomes;
    }

    @Override
    public void run() {
        try {
            for (CrashLoad.Planned p : share) {
                drop(p, outcomes.get(p.submissionId()));
            }
        } finally {
            closeSession();
        }
    }

    private void drop(CrashLoad.Planned p, CrashLoad.Outcome o) {
        String inbound = "/inbound/" + p.fileName();
        boolean uploaded = false;
        while (!uploaded && o.attempts < MAX_UPLOADS) {
            o.attempts++;
            progress.attempted();
            try {
                SftpClient c = sftp();
                try (OutputStream out = c.write(inbound)) {
                    out.write(p.sealed());
                }
            } catch (IOException | RuntimeException e) {
                o.unanswered++;
                closeSession();
                awaitHub();
                continue;
            }
            uploaded = true;
        }
        if (!uploaded) {
            return; // never uploaded whole: no answer; the test reports it
        }
        JsonNode answer;
        try {
            answer = Await.value(p.fileName() + "'s answer in " + partner + "'s /outbound/", ANSWER_TIMEOUT,
                    () -> answer(p.fileName()), a -> a != null);
        } catch (AssertionError noAnswer) {
            return; // no answer in time: the test reports it
        }
        if (answer.has("receiptId")) {
            o.receipt = answer.path("receiptId").asText();
            o.receipts.add(o.receipt);
            o.status = 202;
        } else {
            o.code = answer.path("code").asText(null);
            o.status = answer.path("status").asInt(400);
        }
    }

    /**
     * The answer for {@code name}, or null while there is none or the file has not yet left /inbound/; the session
     * is opened again if it was lost (a failure here is "not yet" for the wait).
     */
    private JsonNode answer(String name) throws IOException {
        SftpClient c;
        try {
            c = sftp();
        } catch (IOException | RuntimeException e) {
            closeSession();
            throw e;
        }
        try {
            List<String> out = names(c, "/outbound");
            String found = out.contains(name + ".receipt.json") ? name + ".receipt.json"
                    : out.contains(name + ".error.json") ? name + ".error.json" : null;
            if (found == null || (found.endsWith(".error.json") && names(c, "/inbound").contains(name))) {
                return null;
            }
            try (InputStream in = c.read("/outbound/" + found)) {
                return HubHttpClient.JSON.readTree(in.readAllBytes());
            }
        } catch (IOException | RuntimeException e) {
            closeSession();
            throw e;
        }
    }

    /** The names in {@code dir} of this partner's drop (its own session). */
    List<String> list(String dir) throws IOException {
        return names(sftp(), dir);
    }

    /** The content of one of this partner's answers. */
    JsonNode read(String path) throws IOException {
        try (InputStream in = sftp().read(path)) {
            return HubHttpClient.JSON.readTree(in.readAllBytes());
        }
    }

    static List<String> names(SftpClient c, String dir) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            for (SftpClient.DirEntry e : c.readDir(dir)) {
                if (!e.getFilename().equals(".") && !e.getFilename().equals("..")) {
                    names.add(e.getFilename());
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return names;
    }

    private SftpClient sftp() throws IOException {
        if (sftp != null && sftp.isOpen() && session != null && session.isOpen()) {
            return sftp;
        }
        closeSession();
        ClientSession s = ssh.connect(partner, "127.0.0.1", hub.sftpPort).verify(SSH_TIMEOUT).getSession();
        try {
            s.addPublicKeyIdentity(new KeyPair(identity.certificate().getPublicKey(), identity.privateKey()));
            s.auth().verify(SSH_TIMEOUT);
            sftp = SftpClientFactory.instance().createSftpClient(s);
        } catch (IOException | RuntimeException e) {
            s.close(true);
            throw e;
        }
        session = s;
        return sftp;
    }

    void closeSession() {
        try {
            if (sftp != null) {
                sftp.close();
            }
        } catch (IOException | RuntimeException e) {
            // the hub is gone: nothing to close politely
        }
        if (session != null) {
            session.close(true);
        }
        sftp = null;
        session = null;
    }

    private void awaitHub() {
        try {
            hub.awaitUp(ForkedHub.START_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
