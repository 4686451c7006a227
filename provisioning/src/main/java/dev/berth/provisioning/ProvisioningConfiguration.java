package dev.berth.provisioning;

import dev.berth.provisioning.local.LocalWorkspaceBackend;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The lifecycle engine's beans. Off until the application turns it on with {@code berth.workspaces.enabled=true}
 * (the web side wires it); then one runner and one reconciler run in this process, next to those of any
 * other replica on the same database.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
public class ProvisioningConfiguration {

    @Bean
    @ConditionalOnMissingBean(WorkspaceBackend.class)
    LocalWorkspaceBackend localWorkspaceBackend(
            @Value("${berth.data-dir:data}") Path dataDir, Clock clock, ObjectProvider<BuiltInEnvironments> builtIn) {
        return new LocalWorkspaceBackend(
                dataDir.toAbsolutePath().resolve("workspaces"),
                clock,
                Duration.ofSeconds(5),
                1024 * 1024,
                false,
                builtIn.getIfAvailable(() -> BuiltInEnvironments.NONE));
    }

    @Bean
    JdbcWorkspaceStore jdbcWorkspaceStore(JdbcClient jdbc, Clock clock) {
        return new JdbcWorkspaceStore(jdbc, clock);
    }

    @Bean
    JdbcJobQueue jdbcJobQueue(JdbcClient jdbc, Clock clock) {
        return new JdbcJobQueue(jdbc, clock, EngineSettings.defaults());
    }

    @Bean
    StarterArchives starterArchives(JdbcClient jdbc, Clock clock) {
        return new StarterArchives(jdbc, clock, StarterZip.Limits.DEFAULT);
    }

    @Bean
    Workspaces workspaces(
            JdbcWorkspaceStore store, JdbcJobQueue queue, WorkspaceBackend backend, TransactionTemplate tx) {
        return new Workspaces(store, queue, backend, tx);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    WorkspaceRunner workspaceRunner(
            JdbcWorkspaceStore store,
            JdbcJobQueue queue,
            WorkspaceBackend backend,
            TransactionTemplate tx,
            Clock clock) {
        return new WorkspaceRunner(runnerName(), store, queue, backend, tx, clock, EngineSettings.defaults());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    WorkspaceReconciler workspaceReconciler(
            JdbcWorkspaceStore store, JdbcJobQueue queue, WorkspaceBackend backend, TransactionTemplate tx) {
        return new WorkspaceReconciler(store, queue, backend, tx, EngineSettings.defaults());
    }

    private static String runnerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}
