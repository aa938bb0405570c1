package org.safeguarding.hub.audit;

class H2QueryTest extends QueryContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
