package org.safeguarding.hub.broker;

/** Told of every refused broker login or operation, so that it can be audited. */
@FunctionalInterface
public interface BrokerAccessListener {
    void refused(String who, String what);

    BrokerAccessListener NONE = (who, what) -> { };
}
