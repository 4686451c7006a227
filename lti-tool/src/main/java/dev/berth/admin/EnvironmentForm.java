package dev.berth.admin;

import dev.berth.provisioning.EnvironmentDefinition;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * An environment as the form (and, converted, the API) sends it: every value as text, so that "abc" in a number
 * field or a malformed JSON command is a message next to the field rather than a binding failure.
 * {@link EnvironmentValidation} turns it into an {@link EnvironmentDefinition}.
 */
public class EnvironmentForm {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private String key = "";
    private String name = "";
    private String description = "";
    private String kind = EnvironmentDefinition.PROCESS;
    private String command = "";
    private String image = "";
    private String port = "8080";
    private String basePathMode = "strip";
    private String healthPath = "/";
    private String cpuMillis = "1000";
    private String memoryMib = "2048";
    private String idleTimeoutSeconds = "3600";
    private String startTimeoutSeconds = "120";
    private String env = "";
    private boolean enabled = true;

    static EnvironmentForm of(EnvironmentDefinition environment) {
        EnvironmentForm form = new EnvironmentForm();
        form.key = environment.key();
        form.name = environment.name();
        form.description = environment.description();
        form.kind = environment.kind();
        form.command = environment.command() == null ? "" : pretty(environment.command());
        form.image = environment.image() == null ? "" : environment.image();
        form.port = Integer.toString(environment.port());
        form.basePathMode = environment.basePathMode();
        form.healthPath = environment.healthPath();
        form.cpuMillis = Integer.toString(environment.cpuMillis());
        form.memoryMib = Integer.toString(environment.memoryMib());
        form.idleTimeoutSeconds = Integer.toString(environment.idleTimeoutSeconds());
        form.startTimeoutSeconds = Integer.toString(environment.startTimeoutSeconds());
        form.env = environment.env().isEmpty() ? "" : pretty(environment.env());
        form.enabled = environment.enabled();
        return form;
    }

    static EnvironmentForm of(EnvironmentRequest request) {
        EnvironmentForm form = new EnvironmentForm();
        form.key = text(request.key());
        form.name = text(request.name());
        form.description = text(request.description());
        form.kind = request.kind() == null ? EnvironmentDefinition.PROCESS : request.kind();
        form.command = json(request.command());
        form.image = text(request.image());
        form.port = number(request.port(), form.port);
        form.basePathMode = request.basePathMode() == null ? form.basePathMode : request.basePathMode();
        form.healthPath = request.healthPath() == null ? form.healthPath : request.healthPath();
        form.cpuMillis = number(request.cpuMillis(), form.cpuMillis);
        form.memoryMib = number(request.memoryMib(), form.memoryMib);
        form.idleTimeoutSeconds = number(request.idleTimeoutSeconds(), form.idleTimeoutSeconds);
        form.startTimeoutSeconds = number(request.startTimeoutSeconds(), form.startTimeoutSeconds);
        form.env = json(request.env());
        form.enabled = request.enabled() == null || request.enabled();
        return form;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String number(Integer value, String fallback) {
        return value == null ? fallback : value.toString();
    }

    private static String json(Object value) {
        return value == null ? "" : JSON.writeValueAsString(value);
    }

    /** The command's JSON with one argument per line, easier to read and edit in the form's text area. */
    static String pretty(List<String> command) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(command);
    }

    static String pretty(Map<String, String> env) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(env);
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getCommand() {
        return command;
    }

    public void setCommand(String command) {
        this.command = command;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getPort() {
        return port;
    }

    public void setPort(String port) {
        this.port = port;
    }

    public String getBasePathMode() {
        return basePathMode;
    }

    public void setBasePathMode(String basePathMode) {
        this.basePathMode = basePathMode;
    }

    public String getHealthPath() {
        return healthPath;
    }

    public void setHealthPath(String healthPath) {
        this.healthPath = healthPath;
    }

    public String getCpuMillis() {
        return cpuMillis;
    }

    public void setCpuMillis(String cpuMillis) {
        this.cpuMillis = cpuMillis;
    }

    public String getMemoryMib() {
        return memoryMib;
    }

    public void setMemoryMib(String memoryMib) {
        this.memoryMib = memoryMib;
    }

    public String getIdleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    public void setIdleTimeoutSeconds(String idleTimeoutSeconds) {
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    public String getStartTimeoutSeconds() {
        return startTimeoutSeconds;
    }

    public void setStartTimeoutSeconds(String startTimeoutSeconds) {
        this.startTimeoutSeconds = startTimeoutSeconds;
    }

    public String getEnv() {
        return env;
    }

    public void setEnv(String env) {
        this.env = env;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
