package org.safeguarding.hub.audit;

class H2AppendChainTest extends AppendChainContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
