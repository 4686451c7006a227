package dev.berth.provisioning;

import dev.berth.provisioning.local.LocalWorkspaceBackend;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
@EnableConfigurationProperties(WorkspaceEngineProperties.class)
public class ProvisioningConfiguration {

    @Bean
    @ConditionalOnMissingBean(WorkspaceBackend.class)
    LocalWorkspaceBackend localWorkspaceBackend(
            @Value("${berth.data-dir:data}") Path dataDir,
            WorkspaceEngineProperties properties,
            Clock clock,
            ObjectProvider<BuiltInEnvironments> builtIn) {
        WorkspaceEngineProperties.Local local = properties.local();
        Path root = local.root() == null ? dataDir.resolve("workspaces") : local.root();
        return new LocalWorkspaceBackend(
                root.toAbsolutePath(),
                clock,
                local.stopGrace(),
                local.logCap().toBytes(),
                local.limitAddressSpace(),
                builtIn.getIfAvailable(() -> BuiltInEnvironments.NONE));
    }

    @Bean
    JdbcWorkspaceStore jdbcWorkspaceStore(JdbcClient jdbc, Clock clock) {
        return new JdbcWorkspaceStore(jdbc, clock);
    }

    @Bean
    JdbcJobQueue jdbcJobQueue(JdbcClient jdbc, Clock clock, WorkspaceEngineProperties properties) {
        return new JdbcJobQueue(jdbc, clock, properties.settings());
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
            Clock clock,
            WorkspaceEngineProperties properties) {
        return new WorkspaceRunner(runnerName(), store, queue, backend, tx, clock, properties.settings());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    WorkspaceReconciler workspaceReconciler(
            JdbcWorkspaceStore store,
            JdbcJobQueue queue,
            WorkspaceBackend backend,
            TransactionTemplate tx,
            WorkspaceEngineProperties properties) {
        return new WorkspaceReconciler(store, queue, backend, tx, properties.settings());
    }

    @Bean
    EnvironmentCatalogue environmentCatalogue(JdbcClient jdbc, Clock clock, WorkspaceBackend backend) {
        return new EnvironmentCatalogue(jdbc, clock, backend);
    }

    /** Home sizes for staff pages, measured every {@code berth.workspaces.home-size-interval} (default 5 minutes). */
    @Bean(initMethod = "start", destroyMethod = "close")
    HomeSizes homeSizes(JdbcWorkspaceStore store, WorkspaceBackend backend, WorkspaceEngineProperties properties) {
        return new HomeSizes(store, backend, properties.homeSizeInterval());
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
