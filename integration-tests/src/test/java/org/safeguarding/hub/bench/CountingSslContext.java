package org.safeguarding.hub.bench;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An initialised {@link SSLContext} that counts the TLS engines made from it: the HTTP client makes one per
 * connection, so this is how many connections (and handshakes) the load needed.
 */
final class CountingSslContext extends SSLContext {
    private final Spi spi;

    private CountingSslContext(Spi spi, SSLContext delegate) {
        super(spi, delegate.getProvider(), delegate.getProtocol());
        this.spi = spi;
    }

    static CountingSslContext of(SSLContext initialised) {
        return new CountingSslContext(new Spi(initialised), initialised);
    }

    long connections() {
        return spi.engines.sum();
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final LongAdder engines = new LongAdder();

        Spi(SSLContext delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            engines.increment();
            return delegate.createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            engines.increment();
            return delegate.createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }
}
