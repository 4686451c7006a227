package dev.berth.terminal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Figures for docs/performance.md, printed, never asserted: the terminal's cold start (spawn of the process
 * from {@link TerminalCommand#argv()} to its first 200 from healthz) and the keystroke echo round trip over
 * the WebSocket (a key sent, its echo by the pty received). Run with the test classpath, e.g.
 * {@code java -cp <test classpath> dev.berth.terminal.TerminalBenchmark [starts] [keystrokes]}.
 */
public final class TerminalBenchmark {

    private TerminalBenchmark() {}

    public static void main(String[] args) throws Exception {
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int keystrokes = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Path directory = Files.createTempDirectory("terminal-bench-");
        System.out.println(
                "command: " + String.join(" ", TerminalCommand.argv()).replaceAll("-cp \\S+", "-cp …"));

        List<Double> coldStarts = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            try (RunningTerminal terminal = RunningTerminal.start(Files.createTempDirectory(directory, "start"))) {
                coldStarts.add(millis(terminal.startup));
            }
        }
        System.out.printf(
                "cold start (spawn -> healthz 200), %d runs: median %.0f ms, min %.0f, max %.0f%n",
                starts, percentile(coldStarts, 50), percentile(coldStarts, 0), percentile(coldStarts, 100));

        try (RunningTerminal terminal = RunningTerminal.start(Files.createTempDirectory(directory, "echo"));
                PtyClient client = new PtyClient(terminal.pty())) {
            client.type("PS1='ready> '\n");
            client.await(Pattern.compile("ready> $"));
            List<Double> roundTrips = new ArrayList<>();
            for (int i = 0; i < keystrokes; i++) {
                int before = client.output().length();
                long sent = System.nanoTime();
                client.type(i % 50 == 49 ? "\u0015" : "x");
                client.awaitLongerThan(before);
                roundTrips.add(millis(Duration.ofNanos(System.nanoTime() - sent)));
            }
            System.out.printf(
                    "keystroke echo round trip, %d keys: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    keystrokes, percentile(roundTrips, 50), percentile(roundTrips, 99), percentile(roundTrips, 100));
        }
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1_000_000.0;
    }

    private static double percentile(List<Double> values, int percent) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
