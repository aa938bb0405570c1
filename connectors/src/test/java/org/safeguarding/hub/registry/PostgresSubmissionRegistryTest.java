package org.safeguarding.hub.registry;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.safeguarding.hub.audit.TestDatabase;

/** {@link SubmissionRegistryTest} on a real PostgreSQL (HUB_TEST_POSTGRES_URL, _USER, _PASSWORD), each test in its own schema. */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_URL, matches = ".+")
class PostgresSubmissionRegistryTest extends SubmissionRegistryTest {
    @Override
    RegistryTestDatabase newDatabase() {
        return RegistryTestDatabase.postgres();
    }
}
