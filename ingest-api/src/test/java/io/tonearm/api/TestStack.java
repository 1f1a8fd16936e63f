package io.tonearm.api;

import io.tonearm.localstack.KafkaServer;
import io.tonearm.localstack.PostgresServer;
import io.tonearm.sinks.postgres.Database;

import java.util.UUID;

/**
 * The real servers of this test JVM, started once on first use (local-stack's throwaway servers) and stopped
 * at exit. Each test class takes a fresh database so classes never see each other's rows.
 */
public final class TestStack {

    private static PostgresServer postgres;
    private static KafkaServer kafka;

    private TestStack() {
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = PostgresServer.startThrowaway();
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close));
        }
        return postgres;
    }

    public static synchronized KafkaServer kafka() {
        if (kafka == null) {
            kafka = KafkaServer.startThrowaway();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        }
        return kafka;
    }

    /** A new, migrated database on the shared server. */
    public static Database freshDatabase() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return Database.open(postgres().createDatabase(name), PostgresServer.SUPERUSER, null, 8);
    }
}
