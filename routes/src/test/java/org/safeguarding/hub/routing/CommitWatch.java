package org.safeguarding.hub.routing;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection factory that runs a hook right after each session commit returns, to stop the broker at that instant as
 * a crash would. Everything else goes straight to the broker's own objects.
 */
final class CommitWatch {
    private CommitWatch() {
    }

    /** @param afterCommit given the count of commits so far, run on the committing thread after the commit */
    static ConnectionFactory wrap(ConnectionFactory real, java.util.function.IntConsumer afterCommit) {
        AtomicInteger commits = new AtomicInteger();
        return proxy(ConnectionFactory.class, real, (p, m, args) -> {
            Object result = invoke(real, m, args);
            if (result instanceof Connection c) {
                return proxy(Connection.class, c, (cp, cm, cargs) -> {
                    Object r = invoke(c, cm, cargs);
                    if (r instanceof Session s) {
                        return proxy(Session.class, s, (sp, sm, sargs) -> {
                            Object sr = invoke(s, sm, sargs);
                            if (sm.getName().equals("commit")) {
                                afterCommit.accept(commits.incrementAndGet());
                            }
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
