package org.safeguarding.hub.linkstore;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.safeguarding.hub.audit.TestDatabase;
import org.safeguarding.hub.registry.RegistryTestDatabase;

/** {@link LinkStoreTest} on a real PostgreSQL (HUB_TEST_POSTGRES_URL, _USER, _PASSWORD), each test in its own schema. */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_URL, matches = ".+")
class PostgresLinkStoreTest extends LinkStoreTest {
    @Override
    RegistryTestDatabase newDatabase() {
        return RegistryTestDatabase.postgres();
    }
}
