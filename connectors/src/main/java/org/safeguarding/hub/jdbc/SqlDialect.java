package org.safeguarding.hub.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The few statements that H2 (2.x, its own mode) and PostgreSQL (15) spell differently, in one place; the database is
 * told apart by {@link Durability.Kind}. Everything else the registry runs is written once for both.
 */
public final class SqlDialect {
    private SqlDialect() {
    }

    /**
     * What ends an {@code INSERT ... SELECT ... WHERE NOT EXISTS (...)} so that a concurrent insert of the same key
     * (another node, another connection) is skipped instead of failing the caller's transaction: PostgreSQL's
     * {@code ON CONFLICT DO NOTHING}; nothing on H2, where the {@code NOT EXISTS} alone decides.
     */
    public static String ifAbsent(Connection c) throws SQLException {
        return Durability.Kind.of(c) == Durability.Kind.POSTGRESQL ? " ON CONFLICT DO NOTHING" : "";
    }

    /**
     * One statement that inserts a row or, when a row with the same {@code key} exists, replaces its other columns:
     * {@code INSERT ... ON CONFLICT (key) DO UPDATE} on PostgreSQL, {@code MERGE INTO ... KEY (key)} on H2. Its
     * parameters are {@code columns} in order. Names are the caller's constants, never input.
     */
    public static String upsert(Connection c, String table, List<String> columns, List<String> key)
            throws SQLException {
        String cols = String.join(", ", columns);
        String marks = String.join(", ", java.util.Collections.nCopies(columns.size(), "?"));
        if (Durability.Kind.of(c) == Durability.Kind.POSTGRESQL) {
            List<String> others = columns.stream().filter(col -> !key.contains(col)).toList();
            String update = others.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ",
                    others.stream().map(col -> col + " = EXCLUDED." + col).toList());
            return "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ") ON CONFLICT ("
                    + String.join(", ", key) + ") DO " + update;
        }
        return "MERGE INTO " + table + " (" + cols + ") KEY (" + String.join(", ", key) + ") VALUES (" + marks + ")";
    }
}
