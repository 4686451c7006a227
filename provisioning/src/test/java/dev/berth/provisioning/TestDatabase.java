package dev.berth.provisioning;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

/** One real PostgreSQL per test JVM, migrated by the db module's Flyway scripts. */
final class TestDatabase {

    private static DataSource dataSource;

    private TestDatabase() {}

    static synchronized DataSource dataSource() {
        if (dataSource == null) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "200")
                        .start();
                dataSource = postgres.getPostgresDatabase();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL (zonky)", e);
            }
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            JdbcClient.create(dataSource).sql("""
                            INSERT INTO environment (key, name, kind, local_command, port, health_path,
                                                     idle_timeout_seconds, start_timeout_seconds)
                            VALUES ('http', 'Python HTTP server', 'process',
                                    '["python3", "-m", "http.server", "--bind", "127.0.0.1", "{port}"]',
                                    8000, '/', 600, 60),
                                   ('impatient', 'Times out fast', 'process', '["true"]', 8000, '/', 600, 1)
                            """).update();
        }
        return dataSource;
    }

    /**
     * Empties the engine's tables. A runner closed by the previous test may still be finishing a write, and
     * PostgreSQL then picks the TRUNCATE as a deadlock victim: it is simply tried again.
     */
    static void reset() {
        for (int attempt = 1; ; attempt++) {
            try {
                JdbcClient.create(dataSource())
                        .sql("TRUNCATE workspace_event, job, workspace")
                        .update();
                return;
            } catch (org.springframework.dao.PessimisticLockingFailureException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
