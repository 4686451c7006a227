package dev.berth.provisioning;

import java.util.List;
import java.util.Optional;

/**
 * How a backend runs an environment that is built into the application rather than installed on the machine (the
 * catalogue's {@code local_command} is NULL): the application that embeds the engine knows the command, the engine
 * does not. The process gets the same environment as any other ({@code PORT}, {@code BASE_PATH}, {@code HOME}).
 */
@FunctionalInterface
public interface BuiltInEnvironments {

    /** Nothing is built in: environments without a local command cannot run locally. */
    BuiltInEnvironments NONE = kind -> Optional.empty();

    /**
     * The argv (placeholders {@code {port}}, {@code {base_path}}, {@code {home}} allowed) for environments of this
     * catalogue kind, or empty when the application has none.
     */
    Optional<List<String>> argv(String environmentKind);
}
