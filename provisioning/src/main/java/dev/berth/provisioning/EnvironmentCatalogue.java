package dev.berth.provisioning;

import static dev.berth.provisioning.JdbcJobQueue.at;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The environment catalogue ({@code environment} table) for the admin pages and API: read, create, edit, enable
 * and disable, each entry with what the backend says about running it here. Keys never change, so workspaces and
 * courses that refer to an environment keep doing so across edits. An edit applies to the next start of each
 * workspace; running ones keep what they started with.
 */
public class EnvironmentCatalogue {

    /** An entry and whether this server's backend can run it. */
    public record Entry(EnvironmentDefinition environment, EnvironmentAvailability availability) {}

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
    private static final String COLUMNS = """
            key, name, description, kind, local_command, image, port, base_path_mode, health_path, cpu_millis,
            memory_mib, idle_timeout_seconds, start_timeout_seconds, env, enabled
            """;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final WorkspaceBackend backend;
    private final JsonMapper json = JsonMapper.builder().build();

    EnvironmentCatalogue(JdbcClient jdbc, Clock clock, WorkspaceBackend backend) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.backend = backend;
    }

    /** Every environment, by name, with its availability. */
    public List<Entry> entries() {
        return jdbc
                .sql("SELECT " + COLUMNS + " FROM environment ORDER BY lower(name), key")
                .query(this::definition)
                .list()
                .stream()
                .map(environment -> new Entry(environment, availability(environment)))
                .toList();
    }

    public Optional<Entry> find(String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM environment WHERE key = :key")
                .param("key", key)
                .query(this::definition)
                .optional()
                .map(environment -> new Entry(environment, availability(environment)));
    }

    /** Enabled environments this server cannot run: what the admin dashboard warns about. */
    public long notInstalledCount() {
        return entries().stream()
                .filter(entry -> entry.availability().status() == EnvironmentAvailability.Status.NOT_INSTALLED)
                .count();
    }

    public EnvironmentAvailability availability(EnvironmentDefinition environment) {
        if (!environment.enabled()) {
            return new EnvironmentAvailability(EnvironmentAvailability.Status.DISABLED, "");
        }
        return backend.availability(environment.kind(), environment.command());
    }

    /**
     * Adds an environment.
     *
     * @throws DuplicateEnvironmentException when the key is taken
     */
    public Entry create(EnvironmentDefinition environment) {
        int inserted = bind(
                        jdbc.sql("INSERT INTO environment (" + COLUMNS + ", created_at, updated_at)"
                                + " VALUES (:key, :name, :description, :kind, :command::jsonb, :image, :port,"
                                + " :basePathMode, :healthPath, :cpu, :memory, :idle, :startTimeout, :env::jsonb,"
                                + " :enabled, :now, :now) ON CONFLICT (key) DO NOTHING"),
                        environment)
                .update();
        if (inserted == 0) {
            throw new DuplicateEnvironmentException(environment.key());
        }
        return find(environment.key()).orElseThrow();
    }

    /** Replaces everything but the key; empty when there is no such environment. */
    public Optional<Entry> update(String key, EnvironmentDefinition environment) {
        int updated = bind(
                        jdbc.sql("""
                                UPDATE environment SET name = :name, description = :description, kind = :kind,
                                       local_command = :command::jsonb, image = :image, port = :port,
                                       base_path_mode = :basePathMode, health_path = :healthPath, cpu_millis = :cpu,
                                       memory_mib = :memory, idle_timeout_seconds = :idle,
                                       start_timeout_seconds = :startTimeout, env = :env::jsonb, enabled = :enabled,
                                       updated_at = :now
                                WHERE key = :key
                                """),
                        new EnvironmentDefinition(
                                key,
                                environment.name(),
                                environment.description(),
                                environment.kind(),
                                environment.command(),
                                environment.image(),
                                environment.port(),
                                environment.basePathMode(),
                                environment.healthPath(),
                                environment.cpuMillis(),
                                environment.memoryMib(),
                                environment.idleTimeoutSeconds(),
                                environment.startTimeoutSeconds(),
                                environment.env(),
                                environment.enabled()))
                .update();
        return updated == 0 ? Optional.empty() : find(key);
    }

    /** Enables or disables; empty when there is no such environment. Running workspaces are not touched. */
    public Optional<Entry> setEnabled(String key, boolean enabled) {
        int updated = jdbc.sql("UPDATE environment SET enabled = :enabled, updated_at = :now WHERE key = :key")
                .param("enabled", enabled)
                .param("now", at(clock.instant()))
                .param("key", key)
                .update();
        return updated == 0 ? Optional.empty() : find(key);
    }

    private JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, EnvironmentDefinition environment) {
        return statement
                .param("key", environment.key())
                .param("name", environment.name())
                .param("description", environment.description() == null ? "" : environment.description())
                .param("kind", environment.kind())
                .param("command", environment.command() == null ? null : json.writeValueAsString(environment.command()))
                .param("image", environment.image())
                .param("port", environment.port())
                .param("basePathMode", environment.basePathMode())
                .param("healthPath", environment.healthPath())
                .param("cpu", environment.cpuMillis())
                .param("memory", environment.memoryMib())
                .param("idle", environment.idleTimeoutSeconds())
                .param("startTimeout", environment.startTimeoutSeconds())
                .param("env", json.writeValueAsString(environment.env()))
                .param("enabled", environment.enabled())
                .param("now", at(clock.instant()));
    }

    private EnvironmentDefinition definition(ResultSet rs, int n) throws SQLException {
        String command = rs.getString("local_command");
        return new EnvironmentDefinition(
                rs.getString("key"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("kind"),
                command == null ? null : json.readValue(command, STRINGS),
                rs.getString("image"),
                rs.getInt("port"),
                rs.getString("base_path_mode"),
                rs.getString("health_path"),
                rs.getInt("cpu_millis"),
                rs.getInt("memory_mib"),
                rs.getInt("idle_timeout_seconds"),
                rs.getInt("start_timeout_seconds"),
                json.readValue(rs.getString("env"), STRING_MAP),
                rs.getBoolean("enabled"));
    }
}
