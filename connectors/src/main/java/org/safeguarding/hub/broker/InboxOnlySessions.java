package org.safeguarding.hub.broker;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;

/**
 * A participant's broker session may name its own inbox and nothing else. Artemis answers queue, address and binding
 * queries without any security check (CORE {@code ClientSession.queueQuery}/{@code addressQuery}, and what JMS and AMQP
 * link attaches ask before they consume or send), and tells "does not exist" apart from "not allowed" when a consumer
 * is created or a queue deleted; either way one participant could learn whether another's inbox exists and how many
 * packages wait in it. So every session of a network connection (the hub's own sessions are in-VM and untouched)
 * is wrapped: a query, consumer, auto-create check or delete naming anything but {@code intel.<participant>} is
 * refused with the same security error whether or not that queue exists, and reported to the
 * {@link BrokerAccessListener}. What the session may do on its own inbox is left to the security manager's roles.
 */
final class InboxOnlySessions {
    private static final Set<String> NAMED_FIRST = Set.of("executeQueueQuery", "executeAddressQuery",
            "executeBindingQuery", "deleteQueue");

    private final BrokerAccessListener listener;
    private final java.util.function.Predicate<String> unguardedUser;

    InboxOnlySessions(BrokerAccessListener listener) {
        this(listener, user -> false);
    }

    /**
     * @param unguardedUser the users whose network sessions are not participants' (on a standalone broker: the hub
     *                      nodes' user and the brokers' cluster user)
     */
    InboxOnlySessions(BrokerAccessListener listener, java.util.function.Predicate<String> unguardedUser) {
        this.listener = listener;
        this.unguardedUser = unguardedUser;
    }

    /** {@code session} as the protocol heads will use it: guarded when it comes from the network. */
    ServerSession guard(ServerSession session) {
        RemotingConnection connection = session.getRemotingConnection();
        if (connection == null || isInVm(connection.getRemoteAddress())
                || (session.getValidatedUser() != null && unguardedUser.test(session.getValidatedUser()))) {
            return session;
        }
        return (ServerSession) Proxy.newProxyInstance(ServerSession.class.getClassLoader(),
                new Class<?>[] {ServerSession.class}, new Guard(session));
    }

    static boolean isInVm(String remoteAddress) {
        return remoteAddress == null || remoteAddress.startsWith("invm");
    }

    private final class Guard implements InvocationHandler {
        private final ServerSession session;
        private final String participant;
        private final String inbox;

        Guard(ServerSession session) {
            this.session = session;
            this.participant = session.getValidatedUser();
            this.inbox = participant == null || participant.isBlank() ? null : QueueNames.inbox(participant);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (NAMED_FIRST.contains(name) && args != null && args.length > 0 && args[0] instanceof SimpleString s) {
                check(name.equals("deleteQueue") ? "DELETE" : "QUERY", s);
            } else if (name.equals("createConsumer") && args != null && args.length > 1
                    && args[1] instanceof SimpleString s) {
                check(browseOnly(args) ? "BROWSE" : "CONSUME", s);
            } else if (name.equals("checkAutoCreate") && args != null && args.length == 1
                    && args[0] instanceof QueueConfiguration q) {
                check("QUERY", q.getName());
                if (q.getAddress() != null) {
                    check("QUERY", q.getAddress());
                }
            }
            try {
                return method.invoke(session, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private void check(String operation, SimpleString named) throws ActiveMQSecurityException {
            if (named != null && isOwnInbox(session.removePrefix(named).toString())) {
                return;
            }
            listener.refused(PeerIdentity.of(session.getRemotingConnection())
                    .refusal(participant, true, operation + " on " + named));
            // the same answer whether or not the queue exists: nothing is learnt of another's inbox
            throw new ActiveMQSecurityException("a participant may use its own inbox only");
        }

        private boolean isOwnInbox(String name) {
            if (inbox == null) {
                return false;
            }
            int fqqn = name.indexOf("::");
            return fqqn < 0 ? name.equals(inbox)
                    : name.substring(0, fqqn).equals(inbox) && name.substring(fqqn + 2).equals(inbox);
        }
    }

    /** The first boolean argument of every {@code createConsumer} is {@code browseOnly}. */
    private static boolean browseOnly(Object[] args) {
        for (int i = 2; i < args.length; i++) {
            if (args[i] instanceof Boolean b) {
                return b;
            }
        }
        return false;
    }
}
