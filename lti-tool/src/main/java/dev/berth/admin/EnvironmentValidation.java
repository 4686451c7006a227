package dev.berth.admin;

import dev.berth.provisioning.EnvironmentDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalogue's rules, for the admin page and the API alike: a form becomes an {@link EnvironmentDefinition}
 * or a map of field → message codes, and nothing is saved until every field passes. The database checks the same
 * things again; these rules exist so that the admin reads which field is wrong instead of a 500.
 */
final class EnvironmentValidation {

    /** The database's {@code environment.key} check. */
    static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern NO_SPACE = Pattern.compile("\\S+");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Either the definition or why not, by field. */
    record Result(Optional<EnvironmentDefinition> environment, Map<String, List<String>> errors) {
        boolean valid() {
            return errors.isEmpty();
        }
    }

    private EnvironmentValidation() {}

    /** Validates a form; on edit, {@code existingKey} replaces whatever key the form carries. */
    static Result validate(EnvironmentForm form, String existingKey) {
        Map<String, List<String>> errors = new TreeMap<>();
        String key = existingKey != null ? existingKey : form.getKey().strip();
        if (!KEY.matcher(key).matches()) {
            add(errors, "key", "environment.error.key");
        }
        String name = form.getName().strip();
        if (name.isEmpty() || name.length() > 200) {
            add(errors, "name", "environment.error.name");
        }
        String description = form.getDescription().strip();
        if (description.length() > 2000) {
            add(errors, "description", "environment.error.description");
        }
        String kind = form.getKind();
        if (!EnvironmentDefinition.TERMINAL.equals(kind) && !EnvironmentDefinition.PROCESS.equals(kind)) {
            add(errors, "kind", "environment.error.kind");
        }
        List<String> command = command(form.getCommand(), errors);
        String image = form.getImage().strip();
        if (!image.isEmpty()
                && (image.length() > 300 || !NO_SPACE.matcher(image).matches())) {
            add(errors, "image", "environment.error.image");
        }
        if (EnvironmentDefinition.PROCESS.equals(kind)
                && command == null
                && image.isEmpty()
                && !errors.containsKey("command")) {
            add(errors, "command", "environment.error.command.needed");
        }
        int port = number(form.getPort(), 1, 65535, "port", "environment.error.port", errors);
        String basePathMode = form.getBasePathMode();
        if (!"keep".equals(basePathMode) && !"strip".equals(basePathMode)) {
            add(errors, "basePathMode", "environment.error.basePathMode");
        }
        String healthPath = form.getHealthPath().strip();
        if (!(healthPath.startsWith("/") || healthPath.startsWith("{base_path}"))
                || healthPath.length() > 500
                || !NO_SPACE.matcher(healthPath).matches()) {
            add(errors, "healthPath", "environment.error.healthPath");
        }
        int cpu = number(form.getCpuMillis(), 1, 256_000, "cpuMillis", "environment.error.cpuMillis", errors);
        int memory =
                number(form.getMemoryMib(), 1, 4 * 1024 * 1024, "memoryMib", "environment.error.memoryMib", errors);
        int idle = number(
                form.getIdleTimeoutSeconds(),
                1,
                366 * 24 * 3600,
                "idleTimeoutSeconds",
                "environment.error.idleTimeoutSeconds",
                errors);
        int startTimeout = number(
                form.getStartTimeoutSeconds(),
                1,
                24 * 3600,
                "startTimeoutSeconds",
                "environment.error.startTimeoutSeconds",
                errors);
        Map<String, String> env = env(form.getEnv(), errors);
        if (!errors.isEmpty()) {
            errors.replaceAll((field, codes) -> codes.stream().distinct().toList());
            return new Result(Optional.empty(), errors);
        }
        return new Result(
                Optional.of(new EnvironmentDefinition(
                        key,
                        name,
                        description,
                        kind,
                        command,
                        image.isEmpty() ? null : image,
                        port,
                        basePathMode,
                        healthPath,
                        cpu,
                        memory,
                        idle,
                        startTimeout,
                        env,
                        form.isEnabled())),
                Map.of());
    }

    /** A JSON array of non-blank strings; blank text means "no command". */
    private static List<String> command(String text, Map<String, List<String>> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        JsonNode node = parse(text);
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > 200) {
            add(errors, "command", "environment.error.command");
            return null;
        }
        List<String> argv = new ArrayList<>();
        for (JsonNode part : node) {
            if (!part.isString() || part.asString().isEmpty() || part.asString().length() > 4000) {
                add(errors, "command", "environment.error.command");
                return null;
            }
            argv.add(part.asString());
        }
        if (argv.getFirst().isBlank()) {
            add(errors, "command", "environment.error.command");
            return null;
        }
        return argv;
    }

    /** A JSON object of string values with variable-like names; blank text means none. */
    private static Map<String, String> env(String text, Map<String, List<String>> errors) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        JsonNode node = parse(text);
        if (node == null || !node.isObject() || node.size() > 200) {
            add(errors, "env", "environment.error.env");
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!VARIABLE.matcher(entry.getKey()).matches()
                    || !entry.getValue().isString()
                    || entry.getValue().asString().length() > 4000) {
                add(errors, "env", "environment.error.env");
                return Map.of();
            }
            env.put(entry.getKey(), entry.getValue().asString());
        }
        return env;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static int number(
            String text, int min, int max, String field, String code, Map<String, List<String>> errors) {
        try {
            int value = Integer.parseInt(text == null ? "" : text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below like an out-of-range number.
        }
        add(errors, field, code);
        return 0;
    }

    private static void add(Map<String, List<String>> errors, String field, String code) {
        errors.computeIfAbsent(field, name -> new ArrayList<>()).add(code);
    }
}
