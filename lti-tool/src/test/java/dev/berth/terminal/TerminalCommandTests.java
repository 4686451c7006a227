package dev.berth.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminalCommandTests {

    @TempDir
    Path directory;

    @Test
    void explodedClasspathRunsTheMainClassWithAbsoluteEntries() {
        List<String> argv =
                TerminalCommand.argv("/opt/jdk/bin/java", "target/classes" + File.pathSeparator + "/x/y.jar");

        assertThat(argv).first().isEqualTo("/opt/jdk/bin/java");
        assertThat(argv)
                .containsSubsequence(
                        "-cp",
                        Path.of("target/classes").toAbsolutePath() + File.pathSeparator + "/x/y.jar",
                        TerminalCommand.MAIN_CLASS);
        assertThat(argv).last().isEqualTo(TerminalCommand.MAIN_CLASS);
        assertThat(argv).containsAll(TerminalCommand.JVM_OPTIONS);
    }

    @Test
    void executableJarRunsThroughSpringBootsLauncher() throws IOException {
        Path jar = directory.resolve("berth.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream entries = new JarOutputStream(out)) {
            entries.putNextEntry(new JarEntry("BOOT-INF/classes/"));
            entries.closeEntry();
        }

        List<String> argv = TerminalCommand.argv("java", jar.toString());

        assertThat(argv)
                .endsWith(
                        "-cp",
                        jar.toAbsolutePath().toString(),
                        "-Dloader.main=" + TerminalCommand.MAIN_CLASS,
                        TerminalCommand.JAR_LAUNCHER);
    }

    @Test
    void plainJarIsAnOrdinaryClasspath() throws IOException {
        Path jar = directory.resolve("plain.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream entries = new JarOutputStream(out)) {
            entries.putNextEntry(new JarEntry("dev/"));
            entries.closeEntry();
        }

        assertThat(TerminalCommand.argv("java", jar.toString())).last().isEqualTo(TerminalCommand.MAIN_CLASS);
    }

    @Test
    void currentRuntimeUsesThisJavaExecutable() {
        List<String> argv = TerminalCommand.argv();

        assertThat(Path.of(argv.getFirst())).isExecutable();
        assertThat(argv).contains(TerminalCommand.MAIN_CLASS);
    }
}
