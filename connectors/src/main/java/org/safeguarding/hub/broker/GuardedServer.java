package org.safeguarding.hub.broker;

import java.util.Map;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.persistence.OperationContext;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.protocol.SessionCallback;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

/**
 * The Artemis server with every session that CORE and AMQP clients open (both protocol heads call this
 * {@code createSession}) handed out through {@link InboxOnlySessions}. Written against Artemis 2.40.0.
 */
final class GuardedServer extends ActiveMQServerImpl {
    private final InboxOnlySessions sessions;

    GuardedServer(Configuration configuration, ActiveMQSecurityManager securityManager, InboxOnlySessions sessions) {
        super(configuration, securityManager);
        this.sessions = sessions;
    }

    @Override
    public ServerSession createSession(String name, String username, String password, int minLargeMessageSize,
                                       RemotingConnection connection, boolean autoCommitSends, boolean autoCommitAcks,
                                       boolean preAcknowledge, boolean xa, String defaultAddress,
                                       SessionCallback callback, boolean autoCreateQueues, OperationContext context,
                                       Map<SimpleString, RoutingType> prefixes, String securityDomain,
                                       String validatedUser, boolean isLegacyProducer) throws Exception {
        return sessions.guard(super.createSession(name, username, password, minLargeMessageSize, connection,
                autoCommitSends, autoCommitAcks, preAcknowledge, xa, defaultAddress, callback, autoCreateQueues,
                context, prefixes, securityDomain, validatedUser, isLegacyProducer));
    }
}
