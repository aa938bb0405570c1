package org.safeguarding.hub.routing;

import jakarta.jms.BytesMessage;
import jakarta.jms.Session;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsMessage;

/**
 * The routes' one hand on the broker: the consumed message and the listener's own transacted session, on which every
 * send of the step is made. {@link Commit}, the route's next processor, commits that session: the step's only commit
 * point, made there so that what follows knows it happened (the container's own commit after the route then finds
 * nothing to commit). Whatever fails between the two, the commit included, rolls back, and the step hears of it.
 */
final class RoutingStep implements Processor {
    private static final String COMPLETION = "hub.routingStepCompletion";

    /** What a step does with the consumed message, sending only on the session. */
    interface Work {
        /** Sends on the session; what it returns is told whether the step's transaction committed. */
        Completion run(BytesMessage message, Session session) throws Exception;
    }

    /** What a step does once its transaction is over: committed, or rolled back (the broker redelivers). */
    interface Completion {
        Completion NONE = new Completion() {
            @Override
            public void committed() {
            }

            @Override
            public void rolledBack() {
            }
        };

        void committed();

        void rolledBack();
    }

    private final Work work;

    RoutingStep(Work work) {
        this.work = work;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Session session = session(exchange);
        if (!(exchange.getIn(JmsMessage.class).getJmsMessage() instanceof BytesMessage message)) {
            // only the hub's own steps send to these queues, always bytes: anything else is a defect, not input
            throw new IllegalStateException("expected a bytes message");
        }
        Completion completion = work.run(message, session);
        exchange.setProperty(COMPLETION, completion);
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onFailure(Exchange failed) {
                completion.rolledBack(); // the listener rolls the session back
            }
        });
    }

    private static Session session(Exchange exchange) throws jakarta.jms.JMSException {
        JmsMessage in = exchange.getIn(JmsMessage.class);
        Session session = in == null ? null : in.getJmsSession();
        if (session == null || !session.getTransacted()) {
            // never send outside the consumer's transaction: that would be a second commit point
            throw new IllegalStateException("a routing step runs only on a transacted JMS consumer's session");
        }
        return session;
    }

    /** The step's commit point: the crash point first (tests only), then the session's commit, then the step told. */
    static final class Commit implements Processor {
        private final CrashPoint beforeCommit;

        Commit(CrashPoint beforeCommit) {
            this.beforeCommit = beforeCommit;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            Session session = session(exchange);
            beforeCommit.reached();
            session.commit();
            Completion completion = exchange.getProperty(COMPLETION, Completion.class);
            if (completion != null) {
                completion.committed();
            }
        }
    }
}
