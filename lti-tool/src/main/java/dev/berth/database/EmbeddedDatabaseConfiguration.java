package dev.berth.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private static final Duration ORPHAN_STOP = Duration.ofSeconds(30);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(DatabaseProperties properties) {
        Path folder = properties.dataDir().toAbsolutePath().resolve("postgres");
        try {
            Files.createDirectories(folder);
            stopOrphanedServer(folder);
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

    /**
     * A Berth that was killed (SIGKILL, a power cut of the JVM only) leaves its PostgreSQL running: pg_ctl detached
     * the postmaster, and no shutdown hook ran. It still holds {@code postmaster.pid}, so the next start would fail.
     * When no live process holds the embedded PostgreSQL's lock file ({@code epg-lock}, which the JVM that started
     * the server kept locked until it died), that server belongs to nobody: stop it (SIGTERM, PostgreSQL's smart
     * shutdown; its clients died with their JVM) and start afresh. A server whose Berth is alive is left alone, and
     * the start fails with the message below.
     */
    static void stopOrphanedServer(Path folder) throws IOException {
        Path pidFile = folder.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(
                        folder.resolve("epg-lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            if (lock == null) {
                return;
            }
            Optional<ProcessHandle> postmaster = postmaster(pidFile);
            if (postmaster.isEmpty()) {
                return;
            }
            log.warn(
                    "An embedded PostgreSQL (pid {}) is still running in {} without the Berth that started it"
                            + " (was Berth killed?); stopping it before starting again",
                    postmaster.get().pid(),
                    folder);
            postmaster.get().destroy();
            try {
                postmaster.get().onExit().get(ORPHAN_STOP.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                log.warn("The orphaned PostgreSQL did not stop within {}; killing it", ORPHAN_STOP);
                postmaster.get().descendants().forEach(ProcessHandle::destroyForcibly);
                postmaster.get().destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while stopping an orphaned PostgreSQL", e);
            }
        } catch (OverlappingFileLockException e) {
            // This JVM runs a server in this folder already; zonky reports it.
        }
    }

    /** The live postgres process named in {@code postmaster.pid}, if any (not a recycled pid of another program). */
    private static Optional<ProcessHandle> postmaster(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(handle -> handle.info()
                    .command()
                    .map(command -> command.endsWith("postgres"))
                    .orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
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
