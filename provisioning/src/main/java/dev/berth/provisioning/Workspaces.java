package dev.berth.provisioning;

import dev.berth.provisioning.JdbcWorkspaceStore.Environment;
import dev.berth.provisioning.JdbcWorkspaceStore.Row;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one door to workspaces. Requests only record what is wanted (the desired state) and queue a job;
 * runners do the work, so every method returns quickly and is safe to call from any replica at any time.
 * Owners and scopes are opaque references: this package knows nothing of people or courses.
 */
public class Workspaces {

    private static final Duration ACTIVITY_THROTTLE = Duration.ofSeconds(5);

    private final JdbcWorkspaceStore store;
    private final JdbcJobQueue queue;
    private final WorkspaceBackend backend;
    private final TransactionTemplate tx;

    Workspaces(JdbcWorkspaceStore store, JdbcJobQueue queue, WorkspaceBackend backend, TransactionTemplate tx) {
        this.store = store;
        this.queue = queue;
        this.backend = backend;
        this.tx = tx;
    }

    /**
     * The owner's workspace for this scope and environment, created on first call, and asked to run. Any
     * number of concurrent calls for the same key make one workspace and at most one pending job. A RUNNING
     * workspace is returned after one read (the warm launch).
     *
     * @throws UnknownEnvironmentException when the environment is not in the catalogue or is disabled
     */
    public Workspace ensureRunning(String ownerRef, String scopeRef, String environmentKey) {
        return ensureRunning(ownerRef, scopeRef, environmentKey, () -> null);
    }

    /**
     * As {@link #ensureRunning(String, String, String)}; a workspace created by this call has its home seeded
     * with the starter archive {@code starterArchiveId} ({@link StarterArchives}; null for none). An existing
     * workspace keeps its home and files, whatever archive is named now.
     */
    public Workspace ensureRunning(String ownerRef, String scopeRef, String environmentKey, UUID starterArchiveId) {
        return ensureRunning(ownerRef, scopeRef, environmentKey, () -> starterArchiveId);
    }

    /**
     * As above, with the starter archive asked for only when this call finds no workspace to reuse, so that the
     * warm launch pays no lookup for it.
     */
    public Workspace ensureRunning(
            String ownerRef, String scopeRef, String environmentKey, Supplier<UUID> starterArchiveId) {
        Environment environment = store.environment(environmentKey)
                .filter(Environment::enabled)
                .orElseThrow(() -> new UnknownEnvironmentException(environmentKey));
        Optional<Row> existing = store.find(ownerRef, scopeRef, environment.id());
        if (existing.isPresent() && isRunningAsWanted(existing.get())) {
            return existing.get().workspace();
        }
        UUID starter = existing.isEmpty() ? starterArchiveId.get() : null;
        return tx.execute(status -> {
            store.insertIfAbsent(ownerRef, scopeRef, environment, backend.kind(), starter)
                    .ifPresent(id -> store.event(id, "requested", WorkspaceState.PROVISIONING, "Workspace created"));
            UUID id = store.find(ownerRef, scopeRef, environment.id())
                    .orElseThrow()
                    .id();
            Row row = store.lock(id).orElseThrow();
            if (!isRunningAsWanted(row)) {
                if (row.desired() != WorkspaceState.RUNNING) {
                    store.setDesired(id, WorkspaceState.RUNNING, false, false);
                    store.event(id, "requested", row.state(), "Start requested");
                }
                queue.enqueue(id);
            }
            return store.find(id).orElseThrow().workspace();
        });
    }

    public Workspace start(UUID id) {
        return request(id, WorkspaceState.RUNNING, false, false, "Start requested");
    }

    public Workspace stop(UUID id) {
        return request(id, WorkspaceState.STOPPED, false, false, "Stop requested");
    }

    /** Stops and starts again; the home is kept. Starts a stopped workspace. */
    public Workspace restart(UUID id) {
        return request(id, WorkspaceState.RUNNING, true, false, "Restart requested");
    }

    /**
     * Resets the home to the starter files the workspace was seeded from, keeping a backup: the workspace is
     * stopped, everything in its home moves into {@code Backups/<date time>/} in the home, the starter files are
     * unpacked, and it starts again. Each step is on the timeline; a crash resumes where it stopped, never
     * losing a file.
     */
    public Workspace reset(UUID id) {
        return reset(id, false, null);
    }

    /** As {@link #reset(UUID)}, restoring the starter archive {@code starterArchiveId} (null: an empty home). */
    public Workspace reset(UUID id, UUID starterArchiveId) {
        return reset(id, true, starterArchiveId);
    }

    private Workspace reset(UUID id, boolean replaceStarter, UUID starterArchiveId) {
        return tx.execute(status -> {
            Row row = store.lock(id).orElseThrow(() -> new WorkspaceNotFoundException(id));
            // No restart flag: the runner stops a RUNNING workspace whose reset is pending, and resets it on the way
            // up.
            store.setDesired(id, WorkspaceState.RUNNING, false, false);
            store.requestReset(id, replaceStarter, starterArchiveId);
            store.event(id, "requested", row.state(), "Reset to the starter files requested");
            queue.enqueue(id);
            return store.find(id).orElseThrow().workspace();
        });
    }

    /** Whether a reset to starter files is asked for and not finished yet. */
    public boolean resetPending(UUID id) {
        return store.find(id).map(row -> row.reset().pending()).orElse(false);
    }

    /** Removes the workspace's resources; its home too when {@code wipeHome} (a reset), else the home is kept. */
    public Workspace delete(UUID id, boolean wipeHome) {
        return request(
                id,
                WorkspaceState.DELETED,
                false,
                wipeHome,
                wipeHome ? "Delete requested, home folder included" : "Delete requested");
    }

    public Optional<Workspace> find(UUID id) {
        return store.find(id).map(Row::workspace);
    }

    /** The workspace with its base path and base-path handling, in one read: what the gateway needs per request. */
    public Optional<WorkspaceRoute> route(UUID id) {
        return store.find(id)
                .map(row -> new WorkspaceRoute(
                        row.workspace(), row.spec().basePath(), row.spec().stripBasePath()));
    }

    public Optional<Workspace> find(String ownerRef, String scopeRef, String environmentKey) {
        return store.environment(environmentKey)
                .flatMap(environment -> store.find(ownerRef, scopeRef, environment.id()))
                .map(Row::workspace);
    }

    /**
     * Whether the workspace can be shown to its user now: RUNNING, wanted running, and no restart pending (a
     * restart asked while RUNNING leaves the state RUNNING until the runner begins to stop it).
     */
    public boolean ready(UUID id) {
        return store.find(id).map(Workspaces::isRunningAsWanted).orElse(false);
    }

    /** Every workspace of a scope (a course), for staff pages. */
    public List<Workspace> inScope(String scopeRef) {
        return store.inScope(scopeRef).stream().map(Row::workspace).toList();
    }

    /** Every workspace of a scope with its last measured home size, in one query: the staff page's table. */
    public List<WorkspaceSummary> summaries(String scopeRef) {
        return store.summaries(scopeRef);
    }

    /** The timeline after {@code afterEventId} (0 for all), oldest first: what a progress page streams. */
    public List<WorkspaceEvent> events(UUID workspaceId, long afterEventId) {
        return store.events(workspaceId, afterEventId);
    }

    /** Someone used the workspace (through the gateway). Cheap to call per request: writes at most every few seconds. */
    public void recordActivity(UUID id) {
        store.recordActivity(id, ACTIVITY_THROTTLE);
    }

    /** The tail of the workspace's output, for staff. */
    public String logs(UUID id, int maxBytes) {
        Row row = store.find(id).orElseThrow(() -> new WorkspaceNotFoundException(id));
        return backend.logs(row.spec(), row.refs(), maxBytes);
    }

    private Workspace request(UUID id, WorkspaceState desired, boolean restart, boolean wipeHome, String message) {
        return tx.execute(status -> {
            Row row = store.lock(id).orElseThrow(() -> new WorkspaceNotFoundException(id));
            store.setDesired(id, desired, restart && row.state() != WorkspaceState.STOPPED, wipeHome);
            store.event(id, "requested", row.state(), message);
            queue.enqueue(id);
            return store.find(id).orElseThrow().workspace();
        });
    }

    private static boolean isRunningAsWanted(Row row) {
        return row.state() == WorkspaceState.RUNNING
                && row.desired() == WorkspaceState.RUNNING
                && !row.restartPending()
                && !row.reset().pending();
    }
}
