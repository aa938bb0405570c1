package org.safeguarding.hub.broker;

/**
 * One refused broker login or operation, without content: {@code who} is the participant (the certificate's CN, or
 * {@code unknown}), {@code authenticated} whether the broker let it in before refusing this, {@code peer} the remote
 * host (no port: a client's port changes with every connection), {@code certificateSha256} the SHA-256 fingerprint
 * of its certificate in lower-case hex (null when it showed none), {@code what} the operation and address or the
 * reason, and {@code count} how many identical refusals this one stands for (more than 1 once aggregated).
 */
public record BrokerRefusal(String who, boolean authenticated, String peer, String certificateSha256, String what,
                            long count) {
    public BrokerRefusal {
        if (who == null || who.isBlank()) {
            who = "unknown";
        }
        if (what == null) {
            what = "refused";
        }
        if (count < 1) {
            throw new IllegalArgumentException("a refusal stands for at least one attempt");
        }
    }

    /** The same refusal standing for {@code n} attempts. */
    public BrokerRefusal times(long n) {
        return new BrokerRefusal(who, authenticated, peer, certificateSha256, what, n);
    }

    /** What an audit detail keeps of {@code what}, so that the peer, fingerprint and count always fit. */
    static final int MAX_WHAT = 60;

    /** {@code what;peer=HOST;cert=SHA256;count=N}: the parts that are known, for an audit event's detail. */
    public String detail() {
        StringBuilder b = new StringBuilder(what.length() > MAX_WHAT ? what.substring(0, MAX_WHAT) : what);
        if (peer != null) {
            b.append(";peer=").append(peer);
        }
        if (certificateSha256 != null) {
            b.append(";cert=").append(certificateSha256);
        }
        if (count > 1) {
            b.append(";count=").append(count);
        }
        return b.toString();
    }
}
