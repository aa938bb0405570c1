package org.safeguarding.hub.audit;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_URL, matches = ".+")
class PostgresExportTest extends ExportContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
