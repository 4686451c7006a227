package dev.berth.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellEnvironmentTests {

    @Test
    void onlyTheShellsEssentialsAreKept() {
        Map<String, String> parent = Map.of(
                "PATH", "/usr/bin:/bin",
                "SHELL", "/bin/zsh",
                "LANG", "de_DE.UTF-8",
                "USER", "student",
                "SPRING_DATASOURCE_PASSWORD", "secret",
                "AWS_SECRET_ACCESS_KEY", "secret",
                "HOME", "/somewhere/else");

        ShellEnvironment environment = ShellEnvironment.from(parent, Path.of("/data/homes/42"), "fallback");

        assertThat(environment.variables())
                .containsOnlyKeys("PATH", "HOME", "LANG", "TERM", "COLORTERM", "USER", "SHELL")
                .containsEntry("HOME", "/data/homes/42")
                .containsEntry("TERM", "xterm-256color")
                .containsEntry("SHELL", "/bin/zsh")
                .containsEntry("LANG", "de_DE.UTF-8");
        assertThat(environment.command()).containsExactly("/bin/zsh", "-l");
    }

    @Test
    void missingValuesFallBackToSafeDefaults() {
        ShellEnvironment environment = ShellEnvironment.from(Map.of(), Path.of("/h"), "nobody");

        assertThat(environment.variables())
                .containsEntry("PATH", ShellEnvironment.DEFAULT_PATH)
                .containsEntry("LANG", "C.UTF-8")
                .containsEntry("USER", "nobody")
                .containsEntry("SHELL", "/bin/bash");
    }
}
