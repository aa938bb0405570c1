package org.safeguarding.hub.broker;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.apache.activemq.artemis.core.remoting.impl.ssl.DefaultSSLContextFactory;
import org.apache.activemq.artemis.spi.core.remoting.ssl.SSLContextConfig;
import org.apache.activemq.artemis.spi.core.remoting.ssl.SSLContextFactory;
import org.safeguarding.hub.http.HandshakeRefusals;
import org.safeguarding.hub.http.TlsMaterial;

/**
 * The broker's TLS contexts, so that a client certificate refused in the handshake is reported like any other broker
 * refusal. Artemis asks one JVM-wide {@link SSLContextFactory} (a ServiceLoader choice by priority; this one is above
 * Artemis's own) for each TLS acceptor's context. An acceptor of an {@link EmbeddedBroker} is known by the trust store
 * file its parameters name ({@link #register}, unique per broker): its context presents the hub's key and decides
 * with the hub's live trust check (CA and CRL files re-read when they change, as the HTTPS API), wrapped in
 * {@link HandshakeRefusals}. Anything else (a client's connector, another broker in the same JVM) gets Artemis's own
 * {@link DefaultSSLContextFactory} context, as without this class.
 */
public final class ObservedHandshakes implements SSLContextFactory {
    private static final Map<String, SSLContext> CONTEXTS = new ConcurrentHashMap<>();
    private final SSLContextFactory fallback = new DefaultSSLContextFactory();

    /** Registers the context of the acceptors whose trust store is {@code trustStore}, until {@link #unregister}. */
    static void register(Path trustStore, BrokerTls tls, BrokerAccessListener listener) throws Exception {
        BrokerAccessListener told = listener == null ? (who, what) -> { } : listener;
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {TlsMaterial.keyManager(tls.identity())},
                new TrustManager[] {new HandshakeRefusals(tls.liveTrust(), (peer, fingerprint, reason) ->
                        told.refused(new BrokerRefusal("unknown", false, peer, fingerprint,
                                "TLS handshake: " + reason, 1)))},
                new SecureRandom());
        CONTEXTS.put(key(trustStore.toString()), context);
    }

    static void unregister(Path trustStore) {
        CONTEXTS.remove(key(trustStore.toString()));
    }

    @Override
    public SSLContext getSSLContext(SSLContextConfig config, Map<String, Object> additionalOpts) throws Exception {
        SSLContext ours = config.getTruststorePath() == null ? null : CONTEXTS.get(key(config.getTruststorePath()));
        return ours != null ? ours : fallback.getSSLContext(config, additionalOpts);
    }

    private static String key(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    @Override
    public int getPriority() {
        return 50; // above Artemis's DefaultSSLContextFactory (5) and CachingSSLContextFactory
    }
}
