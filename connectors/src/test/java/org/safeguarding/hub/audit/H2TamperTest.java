package org.safeguarding.hub.audit;

class H2TamperTest extends TamperContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
