package org.safeguarding.hub.audit;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_URL, matches = ".+")
class PostgresAutoCheckpointTest extends AutoCheckpointContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
