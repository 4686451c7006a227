package dev.berth.testing;

import dev.berth.provisioning.OwnedWorkspace;
import dev.berth.provisioning.WorkspaceBackend;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * A learner's launch starts their workspace, so any test that launches as a student starts a process. Local
 * workspaces outlive Berth by design (a restarted Berth finds them again); a test context must not: when it
 * closes, every workspace its backend still runs is stopped (homes are kept, and are in the test's data folder).
 */
final class StopWorkspacesOnClose implements ApplicationListener<ContextClosedEvent> {

    private final ConfigurableApplicationContext context;

    StopWorkspacesOnClose(ConfigurableApplicationContext context) {
        this.context = context;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() != context) {
            return;
        }
        // In parallel: each stop may wait out the backend's grace period, and the JVM has little time to exit.
        context.getBeanProvider(WorkspaceBackend.class).ifAvailable(backend -> {
            try (ExecutorService stops = Executors.newVirtualThreadPerTaskExecutor()) {
                for (OwnedWorkspace owned : backend.listOwned()) {
                    stops.submit(() -> backend.releaseOrphan(owned));
                }
            }
        });
    }
}
