package org.safeguarding.hub.audit;

class H2RetentionTest extends RetentionContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
