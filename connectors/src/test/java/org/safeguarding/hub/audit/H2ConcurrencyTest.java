package org.safeguarding.hub.audit;

class H2ConcurrencyTest extends ConcurrencyContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
