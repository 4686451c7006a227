package dev.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The processes the local backend runs for the workspaces under one root, found the way an operator would: by
 * their working directory ({@code <root>/<workspace id>/home}, read from {@code /proc}), not through Berth. Lets a
 * test count them per workspace and kill whatever a killed Berth left behind.
 */
public final class LocalWorkspaceProcesses {

    private LocalWorkspaceProcesses() {}

    /** Workspace id → its top-level processes (those whose parent is not a process of the same workspace). */
    public static Map<UUID, List<ProcessHandle>> topLevel(Path root) {
        Map<UUID, List<ProcessHandle>> all = all(root);
        Map<UUID, List<ProcessHandle>> top = new TreeMap<>();
        all.forEach((id, processes) -> {
            Set<Long> pids = processes.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
            top.put(
                    id,
                    processes.stream()
                            .filter(process -> process.parent()
                                    .map(parent -> !pids.contains(parent.pid()))
                                    .orElse(true))
                            .toList());
        });
        return top;
    }

    /** Workspace id → every live process working in its home. */
    public static Map<UUID, List<ProcessHandle>> all(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        Map<UUID, List<ProcessHandle>> found = new TreeMap<>();
        ProcessHandle.allProcesses().forEach(process -> workspaceOf(process, absolute)
                .ifPresent(id ->
                        found.computeIfAbsent(id, key -> new ArrayList<>()).add(process)));
        return found;
    }

    /** SIGKILL to every process working in a workspace home under the root; waits until they are gone. */
    public static void killAll(Path root) {
        List<ProcessHandle> processes =
                all(root).values().stream().flatMap(List::stream).toList();
        processes.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Reported by the caller's next look, if it still runs.
            }
        }
    }

    private static Optional<UUID> workspaceOf(ProcessHandle process, Path root) {
        try {
            Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"));
            if (!cwd.startsWith(root) || cwd.getNameCount() <= root.getNameCount()) {
                return Optional.empty();
            }
            return Optional.of(UUID.fromString(cwd.getName(root.getNameCount()).toString()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
