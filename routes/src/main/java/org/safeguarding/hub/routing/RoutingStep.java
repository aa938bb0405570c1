package org.safeguarding.hub.routing;

import jakarta.jms.BytesMessage;
import jakarta.jms.Session;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsMessage;

/**
 * The routes' one hand on the broker: the consumed message and the listener's own transacted session, on which every
 * send of the step is made, so that the consumer's commit after the route is the step's only commit point.
 */
final class RoutingStep implements Processor {
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
    private final CrashPoint beforeCommit;

    RoutingStep(Work work, CrashPoint beforeCommit) {
        this.work = work;
        this.beforeCommit = beforeCommit;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        JmsMessage in = exchange.getIn(JmsMessage.class);
        Session session = in == null ? null : in.getJmsSession();
        if (session == null || !session.getTransacted()) {
            // never send outside the consumer's transaction: that would be a second commit point
            throw new IllegalStateException("a routing step runs only on a transacted JMS consumer's session");
        }
        if (!(in.getJmsMessage() instanceof BytesMessage message)) {
            // only the hub's own steps send to these queues, always bytes: anything else is a defect, not input
            throw new IllegalStateException("expected a bytes message");
        }
        Completion completion = Completion.NONE;
        try {
            completion = work.run(message, session);
            beforeCommit.reached();
            // the step's one commit point, made here so that what follows it knows it happened; the container's own
            // commit after the route then finds nothing to commit
            session.commit();
        } catch (Exception | Error e) {
            completion.rolledBack();
            throw e;
        }
        completion.committed();
    }
}
