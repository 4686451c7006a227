package dev.berth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.provisioning.EnvironmentAvailability.Status;
import dev.berth.provisioning.local.LocalWorkspaceBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

class EnvironmentCatalogueIntegrationTests {

    @TempDir
    Path data;

    private final JdbcClient jdbc = JdbcClient.create(TestDatabase.dataSource());
    private EnvironmentCatalogue catalogue;

    @BeforeEach
    void setUp() {
        LocalWorkspaceBackend backend = new LocalWorkspaceBackend(
                data,
                Clock.systemUTC(),
                Duration.ofSeconds(1),
                4096,
                false,
                kind -> "terminal".equals(kind) ? Optional.of(List.of("sh", "-c", "exec sleep 1")) : Optional.empty());
        catalogue = new EnvironmentCatalogue(jdbc, Clock.systemUTC(), backend);
    }

    @AfterEach
    void removeTestEntries() {
        jdbc.sql("DELETE FROM environment WHERE key LIKE 'cat-%'").update();
    }

    @Test
    void eachEnvironmentSaysWhetherThisServerCanRunIt() {
        catalogue.create(process("cat-python", List.of("python3", "-m", "http.server", "{port}")));
        catalogue.create(process("cat-missing", List.of("berth-no-such-ide", "--port", "{port}")));
        catalogue.create(process("cat-absolute", List.of("/nonexistent/bin/ide")));
        catalogue.create(process("cat-image-only", null));
        catalogue.create(process("cat-off", List.of("berth-no-such-ide")).withEnabled(false));

        assertThat(catalogue.find("cat-python").orElseThrow().availability()).isEqualTo(EnvironmentAvailability.READY);
        assertThat(catalogue.find("cat-missing").orElseThrow().availability())
                .isEqualTo(EnvironmentAvailability.notInstalled("berth-no-such-ide"));
        assertThat(catalogue.find("cat-absolute").orElseThrow().availability())
                .isEqualTo(EnvironmentAvailability.notInstalled("/nonexistent/bin/ide"));
        assertThat(catalogue.find("cat-image-only").orElseThrow().availability().status())
                .isEqualTo(Status.NO_LOCAL_COMMAND);
        assertThat(catalogue.find("cat-off").orElseThrow().availability().status())
                .as("a disabled environment is flagged as disabled, not as missing")
                .isEqualTo(Status.DISABLED);
        assertThat(catalogue.find("terminal").orElseThrow().availability())
                .as("the built-in terminal needs nothing installed")
                .isEqualTo(EnvironmentAvailability.READY);
        assertThat(catalogue.entries())
                .extracting(entry -> entry.environment().key())
                .contains("terminal", "jupyter", "code-server", "rstudio", "cat-python", "cat-missing");
        assertThat(catalogue.entries().stream()
                        .filter(entry -> entry.environment().key().startsWith("cat-"))
                        .filter(entry -> entry.availability().status() == Status.NOT_INSTALLED)
                        .count())
                .isEqualTo(2);
    }

    @Test
    void anEditReplacesEverythingButTheKeyAndADuplicateKeyIsRefused() {
        catalogue.create(process("cat-edit", List.of("python3")));
        EnvironmentDefinition edited = new EnvironmentDefinition(
                "ignored",
                "Edited",
                "Now with a description",
                "process",
                List.of("python3", "-m", "http.server", "{port}"),
                "example/image:1",
                9000,
                "keep",
                "{base_path}health",
                250,
                256,
                60,
                30,
                Map.of("A", "b"),
                true);

        EnvironmentDefinition saved =
                catalogue.update("cat-edit", edited).orElseThrow().environment();

        assertThat(saved)
                .isEqualTo(new EnvironmentDefinition(
                        "cat-edit",
                        "Edited",
                        "Now with a description",
                        "process",
                        List.of("python3", "-m", "http.server", "{port}"),
                        "example/image:1",
                        9000,
                        "keep",
                        "{base_path}health",
                        250,
                        256,
                        60,
                        30,
                        Map.of("A", "b"),
                        true));
        assertThat(catalogue.update("cat-nobody", edited)).isEmpty();
        assertThatThrownBy(() -> catalogue.create(process("cat-edit", null)))
                .isInstanceOf(DuplicateEnvironmentException.class);
        assertThat(catalogue.find("cat-edit").orElseThrow().environment().name())
                .isEqualTo("Edited");
    }

    @Test
    void disablingKeepsTheEntryAndStopsNewWorkspacesFromUsingIt() {
        catalogue.create(process("cat-toggle", List.of("python3")));

        assertThat(catalogue
                        .setEnabled("cat-toggle", false)
                        .orElseThrow()
                        .environment()
                        .enabled())
                .isFalse();
        assertThat(jdbc.sql("SELECT enabled FROM environment WHERE key = 'cat-toggle'")
                        .query(Boolean.class)
                        .single())
                .isFalse();
        assertThat(catalogue.setEnabled("cat-toggle", true).orElseThrow().availability())
                .isEqualTo(EnvironmentAvailability.READY);
        assertThat(catalogue.setEnabled("cat-nobody", true)).isEmpty();
    }

    private static EnvironmentDefinition process(String key, List<String> command) {
        return new EnvironmentDefinition(
                key,
                "Test " + key,
                "",
                "process",
                command,
                null,
                8000,
                "strip",
                "/",
                500,
                512,
                600,
                60,
                Map.of(),
                true);
    }
}
