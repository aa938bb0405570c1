package org.safeguarding.hub.broker;

/**
 * Told of every refused broker login or operation, so that it can be audited. The broker reports each refusal whole
 * ({@link #refused(BrokerRefusal)}: who, from which address, with which certificate, what); a listener that only needs
 * who and what implements {@link #refused(String, String)}.
 */
@FunctionalInterface
public interface BrokerAccessListener {
    void refused(String who, String what);

    default void refused(BrokerRefusal refusal) {
        refused(refusal.who(), refusal.what());
    }

    BrokerAccessListener NONE = (who, what) -> { };
}
