package dev.berth.terminal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * The command line that runs {@link TerminalServer} in a fresh JVM on Berth's own classpath, for the local
 * backend to spawn with {@code PORT}, {@code BASE_PATH} and {@code HOME} in its environment. From an exploded
 * classpath (IDE, Maven, tests) the main class runs directly; from Berth's executable jar the nested jars are
 * reachable only through Spring Boot's launcher, which {@code loader.main} points at the terminal.
 */
public final class TerminalCommand {

    public static final String MAIN_CLASS = "dev.berth.terminal.TerminalServer";
    static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    /**
     * Small and quick to start: C1 only (a terminal relays bytes; peak throughput does not matter), the serial
     * collector and a capped heap, since one machine may run a terminal per student.
     */
    static final List<String> JVM_OPTIONS = List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xms16m",
            "-Xmx128m",
            "-Xss512k",
            "-XX:-UsePerfData",
            // pty4j reaches the C library through JNA.
            "--enable-native-access=ALL-UNNAMED",
            "-Djava.awt.headless=true");

    private TerminalCommand() {}

    /** The command for this JVM: same java executable, same classpath (or executable jar). */
    public static List<String> argv() {
        String java = ProcessHandle.current().info().command().orElseGet(() -> Path.of(
                        System.getProperty("java.home"), "bin", "java")
                .toString());
        return argv(java, System.getProperty("java.class.path"));
    }

    static List<String> argv(String java, String classPath) {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(JVM_OPTIONS);
        if (isExecutableJar(classPath)) {
            argv.addAll(List.of("-cp", absolute(classPath), "-Dloader.main=" + MAIN_CLASS, JAR_LAUNCHER));
        } else {
            // The child may start in another working directory (the workspace's home).
            String absolute = Arrays.stream(classPath.split(File.pathSeparator))
                    .filter(entry -> !entry.isBlank())
                    .map(TerminalCommand::absolute)
                    .collect(Collectors.joining(File.pathSeparator));
            argv.addAll(List.of("-cp", absolute, MAIN_CLASS));
        }
        return List.copyOf(argv);
    }

    static boolean isExecutableJar(String classPath) {
        if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        Path jar = Path.of(classPath);
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getEntry("BOOT-INF/classes/") != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String absolute(String entry) {
        return Path.of(entry).toAbsolutePath().normalize().toString();
    }
}
