package dev.berth.provisioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * An in-memory backend with failure modes (after JupyterHub's SlowSpawner, NeverSpawner, BadSpawner): slow
 * starts, never healthy, failing a step N times, blocking a start until released. It records every call and
 * the largest number of steps that ever ran at once for one workspace.
 */
final class FakeBackend implements WorkspaceBackend {

    final Set<UUID> running = ConcurrentHashMap.newKeySet();
    final Set<UUID> homes = ConcurrentHashMap.newKeySet();
    /** What {@link #homeBytes} reports for a workspace whose home exists; 0 when not set. */
    final Map<UUID, Long> homeSizes = new ConcurrentHashMap<>();

    /** Each home's files: path (forward slashes) to content. */
    final Map<UUID, Map<String, String>> files = new ConcurrentHashMap<>();

    private final AtomicInteger halfBackupsLeft = new AtomicInteger();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger maxOverlap = new AtomicInteger();
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    volatile Duration startDelay = Duration.ZERO;
    volatile boolean neverHealthy;
    volatile CountDownLatch startGate;

    static FakeBackend healthy() {
        return new FakeBackend();
    }

    static FakeBackend slow(Duration startDelay) {
        FakeBackend backend = new FakeBackend();
        backend.startDelay = startDelay;
        return backend;
    }

    static FakeBackend neverHealthy() {
        FakeBackend backend = new FakeBackend();
        backend.neverHealthy = true;
        return backend;
    }

    FakeBackend failing(String step, int times) {
        failuresLeft.put(step, new AtomicInteger(times));
        return this;
    }

    /** The next {@code times} backups move one file, then fail as if Berth had crashed half-way. */
    FakeBackend crashingHalfWayThroughBackups(int times) {
        halfBackupsLeft.set(times);
        return this;
    }

    /** Every start blocks until the returned latch is counted down (or the thread is interrupted). */
    CountDownLatch blockingStarts() {
        startGate = new CountDownLatch(1);
        return startGate;
    }

    long count(String step) {
        return calls.stream().filter(call -> call.startsWith(step + " ")).count();
    }

    @Override
    public String kind() {
        return "fake";
    }

    @Override
    public BackendRefs ensure(WorkspaceSpec spec, BackendRefs refs) {
        return step("ensure", spec.workspaceId(), () -> {
            if (homes.add(spec.workspaceId())) {
                Map<String, String> home = new ConcurrentHashMap<>();
                unpack(spec, home);
                files.put(spec.workspaceId(), home);
            }
            return refs.with("home", "fake:" + spec.workspaceId());
        });
    }

    @Override
    public BackendRefs start(WorkspaceSpec spec, BackendRefs refs) {
        return step("start", spec.workspaceId(), () -> {
            CountDownLatch gate = startGate;
            if (gate != null) {
                gate.await();
            }
            if (!startDelay.isZero()) {
                Thread.sleep(startDelay.toMillis());
            }
            running.add(spec.workspaceId());
            return refs.with("task", "fake-task-" + spec.workspaceId());
        });
    }

    @Override
    public Observation observe(WorkspaceSpec spec, BackendRefs refs) {
        boolean up = running.contains(spec.workspaceId());
        return new Observation(up, up && !neverHealthy, up ? "http://fake/" + spec.workspaceId() : null);
    }

    @Override
    public void stop(WorkspaceSpec spec, BackendRefs refs) {
        step("stop", spec.workspaceId(), () -> running.remove(spec.workspaceId()));
    }

    @Override
    public String backupHome(WorkspaceSpec spec, BackendRefs refs, String folder) {
        return step("backupHome", spec.workspaceId(), () -> {
            Map<String, String> home = files.computeIfAbsent(spec.workspaceId(), id -> new ConcurrentHashMap<>());
            String backups = BACKUPS + "/";
            boolean crash = halfBackupsLeft.getAndDecrement() > 0;
            for (String path : List.copyOf(new TreeMap<>(home).keySet())) {
                if (path.startsWith(backups)) {
                    continue;
                }
                int attempt = 1;
                String target = backups + folder + "/" + path;
                while (home.containsKey(target)) {
                    attempt++;
                    target = backups + folder + " (" + attempt + ")/" + path;
                }
                home.put(target, home.remove(path));
                if (crash) {
                    throw new WorkspaceBackendException("fake crash half-way through a backup", false);
                }
            }
            return backups + folder;
        });
    }

    @Override
    public void restoreStarterFiles(WorkspaceSpec spec, BackendRefs refs) {
        step("restoreStarterFiles", spec.workspaceId(), () -> {
            unpack(spec, files.computeIfAbsent(spec.workspaceId(), id -> new ConcurrentHashMap<>()));
            return null;
        });
    }

    private static void unpack(WorkspaceSpec spec, Map<String, String> home) throws IOException {
        if (spec.starter() == null) {
            return;
        }
        try (ZipInputStream zip = new ZipInputStream(spec.starter().open())) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (!entry.isDirectory()) {
                    home.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Override
    public void destroy(WorkspaceSpec spec, BackendRefs refs, boolean wipeHome) {
        step("destroy", spec.workspaceId(), () -> {
            running.remove(spec.workspaceId());
            if (wipeHome) {
                files.remove(spec.workspaceId());
            }
            return wipeHome && homes.remove(spec.workspaceId());
        });
    }

    @Override
    public List<OwnedWorkspace> listOwned() {
        List<OwnedWorkspace> owned = new ArrayList<>();
        running.forEach(id -> owned.add(new OwnedWorkspace(id, true, BackendRefs.empty())));
        return owned;
    }

    @Override
    public void releaseOrphan(OwnedWorkspace owned) {
        calls.add("releaseOrphan " + owned.workspaceId());
        running.remove(owned.workspaceId());
    }

    @Override
    public String logs(WorkspaceSpec spec, BackendRefs refs, int maxBytes) {
        String log = "fake log of " + spec.workspaceId();
        return log.substring(Math.max(0, log.length() - maxBytes));
    }

    @Override
    public OptionalLong homeBytes(WorkspaceSpec spec, BackendRefs refs) {
        calls.add("homeBytes " + spec.workspaceId());
        return homes.contains(spec.workspaceId())
                ? OptionalLong.of(homeSizes.getOrDefault(spec.workspaceId(), 0L))
                : OptionalLong.empty();
    }

    private interface Body<T> {
        T run() throws Exception;
    }

    private <T> T step(String name, UUID id, Body<T> body) {
        calls.add(name + " " + id);
        AtomicInteger flying = inFlight.computeIfAbsent(id, key -> new AtomicInteger());
        maxOverlap.accumulateAndGet(flying.incrementAndGet(), Math::max);
        try {
            AtomicInteger left = failuresLeft.get(name);
            if (left != null && left.getAndDecrement() > 0) {
                throw new WorkspaceBackendException("fake " + name + " failure", false);
            }
            return body.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkspaceBackendException("interrupted during " + name, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new WorkspaceBackendException(name + " failed", e);
        } finally {
            flying.decrementAndGet();
        }
    }
}
