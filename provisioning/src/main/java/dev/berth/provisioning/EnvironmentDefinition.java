package dev.berth.provisioning;

import java.util.List;
import java.util.Map;

/**
 * One entry of the environment catalogue, as admins see and edit it.
 *
 * @param key the stable name courses refer to ({@code [a-z0-9][a-z0-9-]{0,62}}); never changes once created
 * @param kind {@code terminal} (Berth's built-in terminal) or {@code process} (runs {@code command} locally or
 *     {@code image} on container backends)
 * @param command the local argv template (placeholders {@code {port}}, {@code {base_path}}, {@code {home}}), or
 *     null: built in (the terminal), or not available on the local backend
 * @param image the container image for container backends, or null
 * @param basePathMode {@code keep} (the IDE serves under {@code /ws/{id}/} itself) or {@code strip} (the gateway
 *     removes the prefix)
 * @param healthPath probed with HTTP GET until it answers 2xx; may contain {@code {base_path}}
 * @param env extra environment variables of the process (placeholders allowed)
 */
public record EnvironmentDefinition(
        String key,
        String name,
        String description,
        String kind,
        List<String> command,
        String image,
        int port,
        String basePathMode,
        String healthPath,
        int cpuMillis,
        int memoryMib,
        int idleTimeoutSeconds,
        int startTimeoutSeconds,
        Map<String, String> env,
        boolean enabled) {

    public static final String TERMINAL = "terminal";
    public static final String PROCESS = "process";

    public EnvironmentDefinition {
        command = command == null ? null : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public EnvironmentDefinition withEnabled(boolean newEnabled) {
        return new EnvironmentDefinition(
                key,
                name,
                description,
                kind,
                command,
                image,
                port,
                basePathMode,
                healthPath,
                cpuMillis,
                memoryMib,
                idleTimeoutSeconds,
                startTimeoutSeconds,
                env,
                newEnabled);
    }
}
