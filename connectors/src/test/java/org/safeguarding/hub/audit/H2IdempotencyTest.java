package org.safeguarding.hub.audit;

class H2IdempotencyTest extends IdempotencyContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
