package dev.berth.provisioning;

import java.util.List;
import java.util.OptionalLong;

/**
 * Where workspaces actually run: a process on this machine, an ECS service, a Kubernetes pod. The engine
 * moves each workspace toward its desired state by calling these methods one at a time; it never calls two
 * of them at once for the same workspace.
 *
 * <p>Every method is <b>idempotent</b>: the engine retries a step after a crash or a failure without knowing
 * whether the first attempt took effect, so calling a method again with the same spec and refs must not
 * create a twin, fail because the work is already done, or lose data. Resources are named deterministically
 * from {@link WorkspaceSpec#workspaceId()}, and everything a backend creates is reported back in the
 * returned {@link BackendRefs}, which the engine stores and passes in on every later call (it never
 * re-derives them).
 *
 * <p>Failures: throw {@link WorkspaceBackendException}. A {@linkplain WorkspaceBackendException#permanent()
 * permanent} one (a command that is not installed, an image that does not exist) fails the workspace at once
 * with its message, which the student and the admin see; any other exception is retried with backoff up to
 * the job's maximum attempts. Methods may block (the engine calls them from worker threads) but must bound
 * every wait.
 */
public interface WorkspaceBackend {

    /** The value stored in {@code workspace.backend}, e.g. {@code local} or {@code ecs}. */
    String kind();

    /** The top-level folder of a home that {@link #backupHome} moves files into and never moves itself. */
    String BACKUPS = "Backups";

    /**
     * Creates the persistent resources of a workspace (its home: a folder, a volume, an access point) if
     * they do not exist yet. Called before every start. Idempotent: existing resources are kept untouched,
     * including their files. Returns the refs to store (at least those passed in).
     *
     * <p>A home created by this call is seeded with {@link WorkspaceSpec#starter()} (when there are starter
     * files) before it counts as existing: a crash while seeding must not leave a home that a later call takes
     * as complete. An existing home is never seeded again, whatever starter files the spec names now.
     */
    BackendRefs ensure(WorkspaceSpec spec, BackendRefs refs);

    /**
     * Starts the workspace's compute if it is not already running, and returns immediately (the engine
     * waits for health through {@link #observe}). Idempotent: when it is already running, returns the refs
     * unchanged and starts nothing. Called only after {@link #ensure}.
     */
    BackendRefs start(WorkspaceSpec spec, BackendRefs refs);

    /**
     * Reports what is there now, without changing anything. Never throws for "nothing there" (that is
     * {@link Observation#absent()}); safe to call before {@link #ensure}, after {@link #destroy}, and while a
     * start or stop is in progress. Health means the environment answered its health check.
     */
    Observation observe(WorkspaceSpec spec, BackendRefs refs);

    /**
     * Stops the compute and releases it, keeping the home. Idempotent: stopping a stopped, never-started or
     * destroyed workspace does nothing. Graceful first, then forceful within a bounded time; returns only
     * when nothing of the workspace is running any more.
     */
    void stop(WorkspaceSpec spec, BackendRefs refs);

    /**
     * First half of "reset to starter files": moves everything in the home except its top-level
     * {@value #BACKUPS} folder into {@code Backups/<folder>/}, creating it, so that the home then holds only its
     * backups (earlier backups stay where they are, never nested). Called only while the workspace is stopped,
     * after {@link #ensure}; {@code folder} is one path segment the engine chose and stored before the first
     * call.
     *
     * <p>Never overwrites or deletes a file: an entry whose name is already taken in that folder goes to
     * {@code Backups/<folder> (2)/} (then 3, and so on). Idempotent: a retry after a crash moves what is left
     * into the same folder; on a home that holds nothing but backups it changes nothing (it may leave an empty
     * folder behind). Returns where the files went, relative to the home, with forward slashes
     * ({@code Backups/<folder>}).
     */
    String backupHome(WorkspaceSpec spec, BackendRefs refs, String folder);

    /**
     * Second half of "reset to starter files": unpacks {@link WorkspaceSpec#starter()} into the home, replacing
     * files of the same name and keeping every other (the backups above all). Does nothing when the spec has no
     * starter files. Called only while the workspace is stopped, after {@link #backupHome}. Idempotent:
     * unpacking again, after a crash half-way or not, gives the same files.
     */
    void restoreStarterFiles(WorkspaceSpec spec, BackendRefs refs);

    /**
     * Stops the workspace and removes every resource it owns; the home too when {@code wipeHome}, else the
     * home is kept so that a later workspace of the same owner finds the files. Idempotent.
     */
    void destroy(WorkspaceSpec spec, BackendRefs refs, boolean wipeHome);

    /**
     * Everything this backend holds running resources for, found by its own means (tags, names, run
     * records), not from the database: the reconciler compares it with the rows to find orphans and rows
     * that claim something that is gone. Must not throw for a single unreadable entry; skip it.
     */
    List<OwnedWorkspace> listOwned();

    /**
     * Releases the running resources of a workspace that has no row (or whose row says it should not run),
     * knowing only what {@link #listOwned} reported. Never removes a home. Idempotent.
     */
    void releaseOrphan(OwnedWorkspace owned);

    /**
     * The tail of the workspace's output, at most {@code maxBytes} bytes, for staff troubleshooting; empty
     * when there is none. Never throws for a missing log.
     */
    String logs(WorkspaceSpec spec, BackendRefs refs, int maxBytes);

    /**
     * Whether this backend could run an environment of this catalogue kind and local command on this server,
     * decided without starting anything (the admin's catalogue page shows it). Never throws. The default, for
     * backends that run container images, is {@link EnvironmentAvailability#READY}.
     */
    default EnvironmentAvailability availability(String environmentKind, List<String> command) {
        return EnvironmentAvailability.READY;
    }

    /**
     * How many bytes the workspace's home holds now, for staff pages. The engine calls it every few minutes
     * for RUNNING and STOPPED workspaces and stores the answer, so it may take a while (bounded: a backend that
     * walks files stops after a time or entry limit) but must not change anything. Empty when the home does
     * not exist or the backend cannot tell within its bounds. Never throws for a missing or unreadable home.
     */
    default OptionalLong homeBytes(WorkspaceSpec spec, BackendRefs refs) {
        return OptionalLong.empty();
    }
}
