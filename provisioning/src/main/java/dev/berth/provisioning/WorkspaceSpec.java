package dev.berth.provisioning;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything a backend needs to run one workspace: who, which environment, and how to reach it.
 *
 * @param command the local argv template (placeholders {@code {port}}, {@code {base_path}}, {@code {home}}),
 *     or null when the environment is built into Berth or has no local command
 * @param basePath the path the gateway serves the workspace under, {@code /ws/{id}/}
 * @param stripBasePath whether the gateway removes {@code basePath} before forwarding
 * @param healthPath the health check path with {@code {base_path}} already replaced
 * @param starter the starter files a new home is seeded with (and a reset restores), or null for none
 */
public record WorkspaceSpec(
        UUID workspaceId,
        String ownerRef,
        String scopeRef,
        String environmentKey,
        String environmentKind,
        List<String> command,
        String image,
        int port,
        String basePath,
        boolean stripBasePath,
        String healthPath,
        int cpuMillis,
        int memoryMib,
        Map<String, String> env,
        Duration startTimeout,
        StarterFiles starter) {

    public WorkspaceSpec {
        command = command == null ? null : List.copyOf(command);
        env = Map.copyOf(env);
    }

    /** The same spec with these starter files. */
    public WorkspaceSpec withStarter(StarterFiles files) {
        return new WorkspaceSpec(
                workspaceId,
                ownerRef,
                scopeRef,
                environmentKey,
                environmentKind,
                command,
                image,
                port,
                basePath,
                stripBasePath,
                healthPath,
                cpuMillis,
                memoryMib,
                env,
                startTimeout,
                files);
    }
}
