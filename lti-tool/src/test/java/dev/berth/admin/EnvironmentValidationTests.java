package dev.berth.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.provisioning.EnvironmentDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentValidationTests {

    @Test
    void aCompleteFormBecomesADefinition() {
        EnvironmentForm form = form();
        form.setCommand("[\"jupyter-notebook\", \"--port={port}\"]");
        form.setEnv("{\"JUPYTER_CONFIG_DIR\": \"{home}/.jupyter\"}");

        EnvironmentValidation.Result result = EnvironmentValidation.validate(form, null);

        assertThat(result.errors()).isEmpty();
        EnvironmentDefinition environment = result.environment().orElseThrow();
        assertThat(environment.key()).isEqualTo("lab");
        assertThat(environment.command()).containsExactly("jupyter-notebook", "--port={port}");
        assertThat(environment.env()).containsEntry("JUPYTER_CONFIG_DIR", "{home}/.jupyter");
        assertThat(environment.image()).isNull();
    }

    @Test
    void eachBrokenRuleIsReportedOnItsField() {
        EnvironmentForm form = form();
        form.setKey("-Lab");
        form.setKind("docker");
        form.setCommand("[\"ok\", 3]");
        form.setImage("has space");
        form.setPort("0");
        form.setBasePathMode("rewrite");
        form.setHealthPath("http://elsewhere/");
        form.setCpuMillis("1.5");
        form.setMemoryMib("");
        form.setIdleTimeoutSeconds("-1");
        form.setStartTimeoutSeconds("999999");
        form.setEnv("{\"1BAD\": \"x\"}");

        EnvironmentValidation.Result result = EnvironmentValidation.validate(form, null);

        assertThat(result.environment()).isEmpty();
        assertThat(result.errors())
                .containsOnlyKeys(
                        "key",
                        "kind",
                        "command",
                        "image",
                        "port",
                        "basePathMode",
                        "healthPath",
                        "cpuMillis",
                        "memoryMib",
                        "idleTimeoutSeconds",
                        "startTimeoutSeconds",
                        "env");
        assertThat(result.errors().get("command")).isEqualTo(List.of("environment.error.command"));
    }

    @Test
    void aProgramNeedsACommandOrAnImageWhileTheTerminalNeedsNeither() {
        EnvironmentForm program = form();
        program.setCommand("  ");

        assertThat(EnvironmentValidation.validate(program, null).errors())
                .isEqualTo(Map.of("command", List.of("environment.error.command.needed")));

        program.setImage("quay.io/jupyter/minimal-notebook:latest");
        assertThat(EnvironmentValidation.validate(program, null).valid()).isTrue();

        EnvironmentForm terminal = form();
        terminal.setKind("terminal");
        terminal.setCommand("");
        assertThat(EnvironmentValidation.validate(terminal, null)
                        .environment()
                        .orElseThrow()
                        .command())
                .isNull();
    }

    @Test
    void onEditTheKeyOfThePathWinsOverTheForm() {
        EnvironmentForm form = form();
        form.setKey("Not Even Valid");

        assertThat(EnvironmentValidation.validate(form, "jupyter")
                        .environment()
                        .orElseThrow()
                        .key())
                .isEqualTo("jupyter");
    }

    private static EnvironmentForm form() {
        EnvironmentForm form = new EnvironmentForm();
        form.setKey("lab");
        form.setName("Lab");
        form.setCommand("[\"lab\"]");
        return form;
    }
}
