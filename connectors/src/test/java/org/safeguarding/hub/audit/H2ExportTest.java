package org.safeguarding.hub.audit;

class H2ExportTest extends ExportContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
