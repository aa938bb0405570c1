package org.safeguarding.hub.sealing;

import java.io.IOException;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.crypto.CryptoFailure;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.SealerOptions;
import org.safeguarding.hub.partnership.PackageFormat;
import org.safeguarding.hub.partnership.Participant;

/**
 * Seals what the hub sends a participant (packages, alerts, recalls, updates, escalation notices) in the package
 * format that participant declared in {@code partnership.yaml}, signed by the hub: every sealing site asks this, so
 * that no site seals in a format its recipient cannot open.
 * <ul>
 *   <li>no declared format (or a participant the partnership does not know): the hub's default, hub.yaml's
 *       {@code crypto.packageEncryption} and {@code crypto.rsaKeyTransport}, to every certificate given;</li>
 *   <li>{@link PackageFormat#AUTH_ENVELOPED_AES256_GCM}: AuthEnvelopedData, RSA-OAEP-SHA256 or ECDH, every
 *       certificate;</li>
 *   <li>{@link PackageFormat#ENVELOPED_AES256_CBC_RSA_OAEP}, {@link PackageFormat#ENVELOPED_AES256_CBC_RSA_PKCS1}:
 *       EnvelopedData AES-256-CBC to the participant's RSA certificates only ({@code WEAK_ALGORITHM} naming the format
 *       when it has none).</li>
 * </ul>
 * RSA PKCS#1 v1.5 key transport, whether declared or hub.yaml's default, is used only for a participant whose
 * entry has {@code allowRsaPkcs1v15: true}; for any other the policy refuses it ({@code WEAK_ALGORITHM}).
 */
public final class RecipientSealer {
    private final Identity hub;
    private final ContentEncryption defaultEncryption;
    private final Function<String, Optional<Participant>> participants;
    private final CmsSealer hubDefault;
    private final CmsSealer hubDefaultPkcs1Allowed;
    private final CmsSealer oaep;
    private final CmsSealer pkcs1;

    /**
     * @param sealer            the hub's sealer: its policy (without RSA PKCS#1 v1.5) and its options (hub.yaml's
     *                          defaults)
     * @param defaultEncryption the content encryption of a participant that declared no format
     * @param participants      the participants of the partnership in force, by id
     */
    public RecipientSealer(CmsSealer sealer, ContentEncryption defaultEncryption, Identity hub,
                           Function<String, Optional<Participant>> participants) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.defaultEncryption = Objects.requireNonNull(defaultEncryption, "defaultEncryption");
        this.participants = Objects.requireNonNull(participants, "participants");
        this.hubDefault = Objects.requireNonNull(sealer, "sealer");
        this.hubDefaultPkcs1Allowed = new CmsSealer(sealer.policy().withRsaPkcs1KeyTransport(), sealer.options());
        this.oaep = new CmsSealer(sealer.policy(), sealer.options()
                .withRsaKeyTransport(SealerOptions.RsaKeyTransport.OAEP_SHA256));
        this.pkcs1 = new CmsSealer(sealer.policy().withRsaPkcs1KeyTransport(), sealer.options()
                .withRsaKeyTransport(SealerOptions.RsaKeyTransport.PKCS1_V15));
    }

    /** A sealer in the hub's default format for everyone: for tests and tools without a partnership. */
    public static RecipientSealer uniform(CmsSealer sealer, ContentEncryption encryption, Identity hub) {
        return new RecipientSealer(sealer, encryption, hub, id -> Optional.empty());
    }

    /**
     * How a participant's envelope is made: its declared format (null: the hub's default), the sealer, the content
     * encryption and the certificates it is sealed to.
     */
    public record Choice(PackageFormat format, CmsSealer sealer, ContentEncryption encryption,
                         List<X509Certificate> certificates) {
    }

    /**
     * The choice for {@code recipient} with its valid {@code certificates}, once the policy accepts it (no key
     * generation, no signature).
     *
     * @throws CryptoException {@code WEAK_ALGORITHM} when the policy refuses a certificate or the format, or the format
     *                         needs an RSA certificate and none is given
     */
    public Choice choose(String recipient, List<X509Certificate> certificates) throws CryptoException {
        if (certificates == null || certificates.isEmpty()) {
            throw new IllegalArgumentException("at least one recipient certificate is needed");
        }
        // a certificate whose key usage does not allow sealing to it (a person's TLS client certificate, say) is
        // passed over: the recipient's other certificates are sealed to, and none at all is a lasting refusal
        List<X509Certificate> sealable = certificates.stream().filter(Certificates::allowsSealingTo).toList();
        if (sealable.isEmpty()) {
            throw new CryptoException(CryptoFailure.RECIPIENT_KEY_USAGE, "no certificate of " + recipient
                    + " allows sealing to it (key agreement for EC, key encipherment for RSA, in its key usage):"
                    + " install its encryption certificate in the certificate directory");
        }
        certificates = sealable;
        Optional<Participant> participant = participants.apply(recipient);
        boolean pkcs1Allowed = participant.map(Participant::rsaPkcs1Allowed).orElse(false);
        PackageFormat format = participant.map(Participant::packageFormat).orElse(null);
        Choice choice;
        if (format == null) {
            choice = new Choice(null, pkcs1Allowed ? hubDefaultPkcs1Allowed : hubDefault, defaultEncryption,
                    List.copyOf(certificates));
        } else {
            if (format.rsaPkcs1() && !pkcs1Allowed) {
                throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, recipient + " declares packageFormat "
                        + format.yamlName() + ", RSA PKCS#1 v1.5 key transport, which the partnership does not allow"
                        + " for it (allowRsaPkcs1v15)");
            }
            List<X509Certificate> certs = certificates;
            if (format.rsaOnly()) {
                certs = certificates.stream().filter(c -> "RSA".equals(c.getPublicKey().getAlgorithm())).toList();
                if (certs.isEmpty()) {
                    throw new CryptoException(CryptoFailure.WEAK_ALGORITHM, recipient + " declares packageFormat "
                            + format.yamlName() + ", which needs an RSA certificate, and has no valid one (its "
                            + "certificates have " + certificates.get(0).getPublicKey().getAlgorithm()
                            + " keys): install its RSA certificate in the certificate directory or change its format");
                }
            }
            choice = new Choice(format, format.rsaPkcs1() ? pkcs1 : oaep,
                    format.authenticated() ? ContentEncryption.AES_256_GCM : ContentEncryption.AES_256_CBC,
                    List.copyOf(certs));
        }
        choice.sealer().requireSealable(hub, choice.certificates(), choice.encryption());
        return choice;
    }

    /** The policy checks of {@link #sealing} for {@code recipient} without sealing anything. */
    public void requireSealable(String recipient, List<X509Certificate> certificates) throws CryptoException {
        choose(recipient, certificates);
    }

    /**
     * A stream whose content is signed by the hub and sealed to {@code recipient} in its format into {@code out} as it
     * is written; complete once closed ({@code out} is not closed). See {@link CmsSealer#sealing}.
     */
    public OutputStream sealing(OutputStream out, String recipient, List<X509Certificate> certificates)
            throws CryptoException, IOException {
        Choice c = choose(recipient, certificates);
        return c.sealer().sealing(out, hub, c.certificates(), c.encryption());
    }

    /** {@code content} signed by the hub and sealed to {@code recipient} in its format. */
    public byte[] seal(byte[] content, String recipient, List<X509Certificate> certificates) throws CryptoException {
        Choice c = choose(recipient, certificates);
        return c.sealer().seal(content, hub, c.certificates(), c.encryption());
    }
}
