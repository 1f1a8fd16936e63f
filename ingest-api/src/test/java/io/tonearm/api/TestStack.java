package io.tonearm.api;

import io.tonearm.localstack.KafkaServer;
import io.tonearm.localstack.LocalStack;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.Database;

import java.util.UUID;

/**
 * The real servers of this test JVM ({@link LocalStack#shared()}: started once on first use, stopped at exit).
 * Each test class takes a fresh database so classes never see each other's rows.
 */
public final class TestStack {

    private TestStack() {
    }

    public static PostgresServer postgres() {
        return LocalStack.shared().postgres();
    }

    public static KafkaServer kafka() {
        return LocalStack.shared().kafka();
    }

    /** A new, migrated database on the shared server. */
    public static Database freshDatabase() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return Database.open(postgres().createDatabase(name), PostgresServer.SUPERUSER, null, 8);
    }
}
