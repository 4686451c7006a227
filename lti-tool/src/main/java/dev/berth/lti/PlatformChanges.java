package dev.berth.lti;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells {@link PlatformRegistry} when its in-memory registrations are stale. A connection of its own (outside
 * the pool) listens on {@value #CHANNEL}, which a trigger on {@code platform} and {@code deployment} notifies at
 * the commit of any change, made by this Berth, another replica or an operator's SQL. Every notification, every
 * (re)connection and every loss of the connection moves the {@link #generation()} on. While not listening, the
 * registry reads the database on every call, so a cache never outlives what this class can vouch for.
 */
@Component
class PlatformChanges implements SmartLifecycle {

    static final String CHANNEL = "berth_platform_changed";

    /** Shown in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "berth-platform-changes";

    private static final Logger log = LoggerFactory.getLogger(PlatformChanges.class);
    private static final int WAIT_MILLIS = 5_000;
    private static final long RECONNECT_SECONDS = 2;

    private final DataSource dataSource;
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean running;
    private volatile Connection connection;
    private volatile boolean warned;
    private ScheduledExecutorService executor;

    PlatformChanges(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Moves on whenever what the database holds may differ from what was read before. */
    long generation() {
        return generation.get();
    }

    /** Whether changes are being heard now; caches are only trusted while they are. */
    boolean listening() {
        return listening;
    }

    /**
     * A change made through this Berth: stale now, and again once the caller's transaction commits (a reader
     * between the two may have read the uncommitted state's predecessor).
     */
    void changed() {
        generation.incrementAndGet();
        if (TransactionSynchronizationManager.isSynchronizationActive()
                && !TransactionSynchronizationManager.hasResource(this)) {
            TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(PlatformChanges.this);
                    generation.incrementAndGet();
                }
            });
        }
    }

    /**
     * Whether the current transaction changed registrations: what it reads is not yet what others may see, so
     * it must neither be cached nor served from the cache.
     */
    boolean changedInThisTransaction() {
        return TransactionSynchronizationManager.hasResource(this);
    }

    @Override
    public void start() {
        if (connectionSettings() == null) {
            log.info("Platform registrations are read from the database on every launch: the data source is not"
                    + " a Hikari pool, so Berth cannot open a connection to listen for their changes");
            return;
        }
        running = true;
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, APPLICATION_NAME);
            thread.setDaemon(true);
            return thread;
        });
        executor.execute(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        listening = false;
        generation.incrementAndGet();
        abort(connection);
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        HikariDataSource hikari = connectionSettings();
        Properties properties = new Properties();
        properties.putAll(hikari.getDataSourceProperties());
        if (hikari.getUsername() != null) {
            properties.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
            properties.setProperty("password", hikari.getPassword());
        }
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        // A connection that died without a word is found by the ping below within this many seconds.
        properties.setProperty("socketTimeout", "30");
        try (Connection listener = DriverManager.getConnection(hikari.getJdbcUrl(), properties)) {
            connection = listener;
            PGConnection postgres = listener.unwrap(PGConnection.class);
            try (Statement statement = listener.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
            }
            generation.incrementAndGet();
            listening = true;
            if (warned) {
                log.info("Listening for platform registration changes again");
                warned = false;
            }
            while (running) {
                PGNotification[] notifications = postgres.getNotifications(WAIT_MILLIS);
                if (notifications != null && notifications.length > 0) {
                    generation.incrementAndGet();
                } else {
                    try (Statement ping = listener.createStatement()) {
                        ping.execute("SELECT 1");
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            if (running && !warned) {
                warned = true;
                log.warn(
                        "Stopped listening for platform registration changes ({}); reading them from the database"
                                + " on every launch until the listener reconnects",
                        e.toString());
            }
        } finally {
            listening = false;
            generation.incrementAndGet();
            connection = null;
        }
        if (running) {
            try {
                executor.schedule(this::listen, RECONNECT_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException stopping) {
                // stop() ran meanwhile
            }
        }
    }

    private HikariDataSource connectionSettings() {
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** Closes the socket under a blocked {@code getNotifications}, which {@code close()} would wait for. */
    private static void abort(Connection connection) {
        if (connection != null) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException e) {
                // the connection is going away either way
            }
        }
    }
}
