package org.safeguarding.hub.app;

import java.io.PrintWriter;

/**
 * {@code submit --dir}'s progress: a bar redrawn in place ({@code \r}) as each file is answered, drawn only on a
 * terminal (a log or a pipe gets the summary alone). The count is taken and drawn under one lock, so the bar never
 * counts backwards however many senders finish at once.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final boolean terminal;
    private final int total;
    private int sent;
    private int accepted;
    private int refused;
    private int retry;

    ProgressBar(PrintWriter out, boolean terminal, int total) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
    }

    /** Whether this process's console is a terminal (System.console() is null when stdin or stdout is not). */
    static boolean onTerminal() {
        return System.console() != null;
    }

    synchronized void answered(BatchSubmission.Outcome o) {
        sent++;
        switch (o) {
            case ACCEPTED -> accepted++;
            case REFUSED -> refused++;
            case RETRY -> retry++;
        }
        if (terminal) {
            int filled = total == 0 ? WIDTH : Math.min(WIDTH, sent * WIDTH / total);
            out.printf("\r[%s%s] %d/%d  accepted %d  refused %d  to retry %d", "#".repeat(filled),
                    ".".repeat(WIDTH - filled), sent, total, accepted, refused, retry);
            out.flush();
        }
    }

    /** Ends the bar's line, if one was drawn. */
    synchronized void finish() {
        if (terminal && sent > 0) {
            out.println();
            out.flush();
        }
    }
}
