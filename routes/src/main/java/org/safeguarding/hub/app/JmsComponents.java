package org.safeguarding.hub.app;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;

/** How the hub's routes consume from the broker, made in one place for the hub and its route tests. */
public final class JmsComponents {
    /** The component name of the routes' transacted consumers. */
    public static final String TRANSACTED = "jms";

    private JmsComponents() {
    }

    /**
     * Local session transactions and no transaction manager: the listener container receives each message on its own
     * transacted session, the step sends on that same session, and the container commits it once after the route
     * (one broker transaction). A {@code JmsTransactionManager} would bind a second session for the sends and commit
     * it after the consume: two transactions, and a crash between them loses the submission.
     * {@code CACHE_CONSUMER}: each consumer keeps its connection, session and consumer.
     */
    public static JmsComponent transacted(ConnectionFactory connections) {
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(connections);
        jms.setTransacted(true);
        jms.setLazyCreateTransactionManager(false);
        jms.setCacheLevelName("CACHE_CONSUMER");
        jms.setDeliveryPersistent(true);
        return jms;
    }
}
