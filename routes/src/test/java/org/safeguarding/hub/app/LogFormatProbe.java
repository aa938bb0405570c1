package org.safeguarding.hub.app;

import org.slf4j.LoggerFactory;

/** Logs two lines with the hub's logging configuration, for {@link LogFormatTest} to read in another JVM. */
public final class LogFormatProbe {
    private LogFormatProbe() {
    }

    public static void main(String[] args) {
        var log = LoggerFactory.getLogger(LogFormatProbe.class);
        log.info("refused GET /api/v1/inbox for police-fib: 403 FORBIDDEN, password=hunter2, retry");
        log.warn("a store failed", new IllegalStateException("connection refused, secret: s3cr3t"));
        org.apache.logging.log4j.LogManager.shutdown();
    }
}
