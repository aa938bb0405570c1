package org.safeguarding.hub.audit;

class H2AutoCheckpointTest extends AutoCheckpointContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
