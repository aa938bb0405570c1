package org.safeguarding.hub.app;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.safeguarding.hub.intake.StreamedBodies;

/** The two ways the hub's routes talk to the broker, made in one place for the hub and its route tests. */
public final class JmsComponents {
    /** The component name of the routing route's transacted consumer and its producers. */
    public static final String TRANSACTED = "jms";
    /** The component name intake sends with, outside any consumer transaction. */
    public static final String INTAKE = "intake-jms";

    private JmsComponents() {
    }

    /**
     * A local broker transaction per consumed message, which producers in the same thread join.
     * {@code lazyCreateTransactionManager=false} with {@code CACHE_CONSUMER}: otherwise every
     * message would open a new connection.
     */
    public static JmsComponent transacted(ConnectionFactory connections) {
        JmsComponent jms = JmsComponent.jmsComponentTransacted(connections);
        jms.setLazyCreateTransactionManager(false);
        jms.setCacheLevelName("CACHE_CONSUMER");
        jms.setDeliveryPersistent(true);
        jms.setMessageCreatedStrategy(new StreamedBodies());
        return jms;
    }

    /** Intake sends persistent messages from many request threads (give it a caching connection factory). */
    public static JmsComponent intake(ConnectionFactory connections) {
        JmsComponent jms = JmsComponent.jmsComponent(connections);
        jms.setDeliveryPersistent(true);
        jms.setMessageCreatedStrategy(new StreamedBodies());
        return jms;
    }
}
