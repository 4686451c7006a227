package dev.berth.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real PostgreSQL inside Berth's data folder when no {@code spring.datasource.url} is set. Its
 * data survives restarts; production points {@code spring.datasource.url} at an external PostgreSQL and
 * this configuration steps aside.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(DatabaseProperties properties) {
        Path folder = properties.dataDir().toAbsolutePath().resolve("postgres");
        try {
            Files.createDirectories(folder);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(folder)
                    .setCleanDataDirectory(false)
                    .setPort(properties.embeddedPort())
                    .setServerConfig("max_connections", "100")
                    .start();
            log.info("Embedded PostgreSQL is running on port {} with its data in {}", postgres.getPort(), folder);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not start the embedded PostgreSQL in " + folder
                            + ". Is another Berth using this data folder? Set berth.data-dir to another folder,"
                            + " or spring.datasource.url to use an external PostgreSQL.",
                    e);
        }
    }

    @Bean
    DataSource dataSource(EmbeddedPostgres postgres, DatabaseProperties properties) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(properties.embeddedPoolSize());
        dataSource.setPoolName("berth-embedded");
        return dataSource;
    }
}
