package org.safeguarding.hub.app;

import org.slf4j.LoggerFactory;

/**
 * Logs two lines with the hub's logging configuration, for {@link LogFormatTest} to read in another JVM; and two that
 * must not show: Artemis's acceptor failure (filtered), and a trace call below its logger's level, whose argument
 * says on stdout if anything turned it into a string.
 */
public final class LogFormatProbe {
    private LogFormatProbe() {
    }

    public static void main(String[] args) {
        var log = LoggerFactory.getLogger(LogFormatProbe.class);
        log.info("refused GET /api/v1/inbox for police-fib: 403 FORBIDDEN, password=hunter2, retry");
        log.warn("a store failed", new IllegalStateException("connection refused, secret: s3cr3t"));
        var artemis = LoggerFactory.getLogger("org.apache.activemq.artemis.core.server");
        artemis.warn("AMQ224104: Error starting acceptor with parameters {keyStorePassword=hunter2}");
        artemis.trace("send {}", new Object() {
            @Override
            public String toString() {
                System.out.println("FORMATTED BELOW ITS LEVEL");
                return "packet";
            }
        });
        org.apache.logging.log4j.LogManager.shutdown();
    }
}
