package org.safeguarding.hub.audit;

class H2CheckpointTest extends CheckpointContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
