package org.safeguarding.hub.notices;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.registry.SubmissionRegistry.NonDeliveryReport;
import org.safeguarding.hub.sftp.DropFolders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submitting partner's non-delivery reports: one for each of its packages that expired unacknowledged (recorded
 * with the expiry, in its broker transaction), saying which recipient, when, what happened and what to do next. Ids
 * and codes only, signed by the hub (CMS SignedData, verifiable with {@code openssl cms -verify}): over HTTPS as pages
 * of the partner's reports, oldest first; to an SFTP partner also as one file per report in its {@code /outbound/}
 * ({@code <reportId>.non-delivery.p7s}), written once, atomically, and on disk before it is marked written.
 */
public final class NonDeliveryReports {
    private static final Logger LOG = LoggerFactory.getLogger(NonDeliveryReports.class);
    /** The media type of a signed page or report. */
    public static final String MEDIA_TYPE = "application/pkcs7-mime; smime-type=signed-data";
    /** The file name suffix of a report in {@code /outbound/}. */
    public static final String SUFFIX = ".non-delivery.p7s";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SubmissionRegistry registry;
    private final CmsSealer sealer;
    private final Identity hub;
    private final Clock clock;
    private final DropFolders drops;

    /** @param drops the SFTP partners' folders (null: no SFTP drop, reports are fetched over HTTPS only) */
    public NonDeliveryReports(SubmissionRegistry registry, CmsSealer sealer, Identity hub, Clock clock,
                              DropFolders drops) {
        this.registry = registry;
        this.sealer = sealer;
        this.hub = hub;
        this.clock = clock;
        this.drops = drops;
    }

    /** Stable for the package and what happened to it, so that a replayed step records one report. */
    public static String reportId(String packageId, String event) {
        return UUID.nameUUIDFromBytes(("non-delivery|" + packageId + "|" + event).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** What the partner should do about it. */
    static String next(String event) {
        return switch (event) {
            case "EXPIRED" -> "The recipient did not acknowledge the package in time; it left the recipient's inbox"
                    + " unread. If the intelligence still matters, contact the recipient, or send it again as a new"
                    + " submission.";
            case "ESCALATED" -> "The recipient did not acknowledge the urgent package by its deadline; the hub told"
                    + " the next contact the partnership names. If the child is at immediate risk, act as your own"
                    + " procedures say as well.";
            default -> "Contact the recipient about the package.";
        };
    }

    /** One signed page of the partner's reports, and the id to ask {@code after} for the next (null: none left). */
    public record Page(byte[] signed, String next) {
    }

    public Page page(String partnerId, String afterReportId, int limit) {
        List<NonDeliveryReport> reports = registry.nonDeliveryPage(partnerId, afterReportId, limit + 1);
        boolean more = reports.size() > limit;
        if (more) {
            reports = reports.subList(0, limit);
        }
        ObjectNode page = JSON.createObjectNode();
        page.put("kind", "non-delivery-reports");
        page.put("partnerId", partnerId);
        page.put("generatedAt", clock.instant().toString());
        ArrayNode list = page.putArray("reports");
        reports.forEach(r -> list.add(json(r)));
        String next = more ? reports.get(reports.size() - 1).reportId() : null;
        page.put("next", next);
        return new Page(sign(page), next);
    }

    /** Whether {@code reportId} is one of the partner's reports (a page may start after it). */
    public boolean isReportOf(String partnerId, String reportId) {
        return registry.nonDeliveryReport(reportId).filter(r -> r.partnerId().equals(partnerId)).isPresent();
    }

    /**
     * Writes every report not yet written into its SFTP partner's {@code /outbound/} (a partner without a drop folder
     * fetches its reports over HTTPS only), and marks each written once it is on disk. Returns how many were written.
     */
    public int writeOutbound() throws IOException {
        int written = 0;
        Set<String> sftpPartners = drops == null ? Set.of() : new HashSet<>(drops.partners());
        for (NonDeliveryReport r : registry.outboundPending(500)) {
            if (sftpPartners.contains(r.partnerId())) {
                write(r);
                written++;
            }
            registry.markOutboundWritten(r.reportId());
        }
        if (written > 0) {
            LOG.info("wrote {} non-delivery reports to SFTP partners' outbound folders", written);
        }
        return written;
    }

    private void write(NonDeliveryReport r) throws IOException {
        ObjectNode report = json(r);
        report.put("kind", "non-delivery-report");
        report.put("partnerId", r.partnerId());
        byte[] signed = sign(report);
        Path home = drops.home(r.partnerId());
        Path outbound = drops.outbound(r.partnerId());
        Files.createDirectories(outbound);
        // written beside /outbound/ (which the partner lists), forced, then moved in whole
        Path tmp = home.resolve("." + r.reportId() + ".non-delivery.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(signed));
            ch.force(true);
        }
        Files.move(tmp, outbound.resolve(r.reportId() + SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(outbound, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static ObjectNode json(NonDeliveryReport r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("reportId", r.reportId());
        n.put("submissionId", r.submissionId());
        n.put("recipient", r.recipient());
        n.put("packageId", r.packageId());
        n.put("event", r.event());
        n.put("occurredAt", r.occurredAt().toString());
        n.put("next", next(r.event()));
        return n;
    }

    private byte[] sign(ObjectNode json) {
        try {
            return sealer.sign(json.toString().getBytes(StandardCharsets.UTF_8), hub);
        } catch (CryptoException e) {
            throw new IllegalStateException("a non-delivery report could not be signed: " + e.failure(), e);
        }
    }
}
