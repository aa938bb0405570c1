package org.safeguarding.hub.testing;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection factory that runs a hook just before each session commit is made and right after it returns, to stop
 * the broker at that instant as a crash would. Everything else goes straight to the broker's own objects.
 */
public final class CommitWatch {
    private CommitWatch() {
    }

    /** Run on the committing thread with the count of commits so far (this one included). */
    @FunctionalInterface
    public interface Hook {
        /** May throw: a {@code JMSException} as the commit's own failure, an {@code Error} as the process dying. */
        void at(int commit) throws Exception;
    }

    /** @param afterCommit given the count of commits so far, run on the committing thread after the commit */
    public static ConnectionFactory wrap(ConnectionFactory real, java.util.function.IntConsumer afterCommit) {
        return wrap(real, n -> { }, afterCommit::accept);
    }

    /**
     * @param beforeCommit run before each commit reaches the broker (if it throws, the commit is not made)
     * @param afterCommit  run after each commit returned
     */
    public static ConnectionFactory wrap(ConnectionFactory real, Hook beforeCommit, Hook afterCommit) {
        AtomicInteger commits = new AtomicInteger();
        return proxy(ConnectionFactory.class, real, (p, m, args) -> {
            Object result = invoke(real, m, args);
            if (result instanceof Connection c) {
                return proxy(Connection.class, c, (cp, cm, cargs) -> {
                    Object r = invoke(c, cm, cargs);
                    if (r instanceof Session s) {
                        return proxy(Session.class, s, (sp, sm, sargs) -> {
                            if (!sm.getName().equals("commit")) {
                                return invoke(s, sm, sargs);
                            }
                            int n = commits.incrementAndGet();
                            beforeCommit.at(n);
                            Object sr = invoke(s, sm, sargs);
                            afterCommit.at(n);
                            return sr;
                        });
                    }
                    return r;
                });
            }
            return result;
        });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, InvocationHandler h) {
        return (T) Proxy.newProxyInstance(CommitWatch.class.getClassLoader(), new Class<?>[] {type}, h);
    }
}
