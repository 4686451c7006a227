package dev.berth.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ./berth bench} was asked for. Options: {@code --duration=30s --warmup=10s --concurrency=32
 * --courses=300 --links=3 --launcher=classpath|jar --jar=PATH --berth-jvm-args=-Xmx256m,-XX:+UseSerialGC
 * --jfr[=SETTINGS] --keep-data --max-launches=N --driver=node|java}; {@code --jfr} records the measured
 * window with JFR's {@code profile} settings, or with the named settings or .jfc file. {@code driver} is null
 * when not given: node if a Node.js 18 or newer is on PATH, else java ({@link LaunchDriver}).
 */
record BenchOptions(
        Duration duration,
        Duration warmup,
        int concurrency,
        int courses,
        int linksPerCourse,
        String launcher,
        String jar,
        List<String> berthJvmArgs,
        String jfr,
        boolean keepData,
        long maxLaunches,
        String driver) {

    static final String USAGE = """
            ./berth bench [--duration=30s] [--warmup=10s] [--concurrency=32] [--courses=300] [--links=3]
                          [--launcher=classpath|jar] [--jar=target/berth-lti-tool-0.1.0-SNAPSHOT.jar]
                          [--berth-jvm-args=-Xmx256m,-XX:+UseSerialGC] [--jfr[=profile|FILE.jfc]] [--keep-data]
                          [--max-launches=2000000] [--driver=node|java]
              --driver  who plays the LMS: node (a Node.js child process signing with OpenSSL; the default
                        when node 18 or newer is on PATH) or java (worker threads in the harness's JVM)""";

    static BenchOptions parse(String[] args) {
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = Duration.ofSeconds(10);
        int concurrency = 32;
        int courses = 300;
        int links = 3;
        String launcher = "classpath";
        String jar = "target/berth-lti-tool-0.1.0-SNAPSHOT.jar";
        List<String> jvmArgs = new ArrayList<>();
        String jfr = null;
        boolean keepData = false;
        long maxLaunches = 2_000_000;
        String driver = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.isBlank()) {
                continue;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
            if (value == null && !name.equals("--jfr") && !name.equals("--keep-data") && !name.equals("--help")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
                }
                value = args[++i];
            }
            switch (name) {
                case "--duration" -> duration = seconds(value);
                case "--warmup" -> warmup = seconds(value);
                case "--concurrency" -> concurrency = positive(name, value);
                case "--courses" -> courses = positive(name, value);
                case "--links" -> links = positive(name, value);
                case "--launcher" -> launcher = value;
                case "--jar" -> jar = value;
                case "--berth-jvm-args" -> jvmArgs.addAll(List.of(value.split(",")));
                case "--jfr" -> jfr = value == null ? "profile" : value;
                case "--keep-data" -> keepData = true;
                case "--max-launches" -> maxLaunches = positive(name, value);
                case "--driver" -> driver = value;
                case "--help" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("Unknown option " + name + "\n" + USAGE);
            }
        }
        if (!launcher.equals("classpath") && !launcher.equals("jar")) {
            throw new IllegalArgumentException("--launcher is classpath or jar\n" + USAGE);
        }
        if (driver != null && !driver.equals("node") && !driver.equals("java")) {
            throw new IllegalArgumentException("--driver is node or java\n" + USAGE);
        }
        if (duration.compareTo(Duration.ofMinutes(30)) > 0 || warmup.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("At most 30 minutes measured and 10 minutes of warm-up");
        }
        if (concurrency > 1024) {
            throw new IllegalArgumentException("At most 1024 concurrent workers");
        }
        return new BenchOptions(
                duration,
                warmup,
                concurrency,
                courses,
                links,
                launcher,
                jar,
                List.copyOf(jvmArgs),
                jfr,
                keepData,
                maxLaunches,
                driver);
    }

    private static Duration seconds(String value) {
        String number = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
        return Duration.ofMillis(Math.round(Double.parseDouble(number) * 1000));
    }

    private static int positive(String name, String value) {
        int number = Integer.parseInt(value);
        if (number < 1) {
            throw new IllegalArgumentException(name + " must be at least 1");
        }
        return number;
    }
}
