package dev.berth.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The terminal server as the local backend runs it: a child process, driven over HTTP and its WebSocket. */
class TerminalServerIntegrationTests {

    private static final Duration GONE_WITHIN = Duration.ofSeconds(10);

    @TempDir
    static Path directory;

    static RunningTerminal terminal;

    @BeforeAll
    static void startTerminal() {
        terminal = RunningTerminal.start(directory);
    }

    @AfterAll
    static void stopTerminal() {
        terminal.close();
    }

    @Test
    void commandTypedOverTheSocketRunsInHomeAndItsOutputComesBack() throws Exception {
        try (PtyClient client = new PtyClient(terminal.pty())) {
            client.type("echo hello > note.txt && cat note.txt\n");

            client.await(Pattern.compile("\nhello\n"));
        }
        assertThat(terminal.home.resolve("note.txt")).hasContent("hello");
    }

    @Test
    void shellSeesOnlyItsMinimalEnvironment() {
        try (PtyClient client = new PtyClient(terminal.pty())) {
            // $((6*7)) tells the shell's answer from the terminal's echo of the command line.
            client.type("echo \"env-$((6*7)) canary=[$" + RunningTerminal.CANARY
                    + "] home=[$HOME] term=[$TERM] cwd=[$PWD]\"\n");

            String line = client.await(Pattern.compile("env-42 (.*)\n"));
            assertThat(line)
                    .as("the shell's view of the environment Berth started the terminal with")
                    .isEqualTo(
                            "canary=[] home=[" + terminal.home + "] term=[xterm-256color] cwd=[" + terminal.home + "]");
            assertThat(client.output()).doesNotContain(terminal.canaryValue);
        }
    }

    @Test
    void multibyteTextSurvivesBothDirections() {
        try (PtyClient client = new PtyClient(terminal.pty())) {
            // Typed: printed back by the shell as the bytes it received. Printed: split by printf into
            // single-byte writes is not possible, so print many to cross read boundaries somewhere.
            client.type("echo 'typed: ünïcødé 😀 日本'\n");
            client.await(Pattern.compile("\ntyped: ünïcødé 😀 日本\n"));

            client.type("for i in $(seq 1 3000); do printf 'é€😀'; done; echo; echo done-$((6*7))\n");
            client.await(Pattern.compile("done-42"));
            assertThat(client.output())
                    .as("no replacement characters from sequences split across pty reads")
                    .doesNotContain("\uFFFD")
                    .contains("é€😀".repeat(3000));
        }
    }

    @Test
    void resizeMessageChangesTheTerminalSize() {
        try (PtyClient client = new PtyClient(terminal.pty())) {
            client.type("echo \"size=[$(stty size)]\"\n");
            assertThat(client.await(Pattern.compile("size=\\[(\\d+ \\d+)\\]"))).isEqualTo("30 100");

            client.control("{\"cols\":132,\"rows\":43}");
            client.type("echo \"resized=[$(stty size)]\"\n");
            assertThat(client.await(Pattern.compile("resized=\\[(\\d+ \\d+)\\]")))
                    .isEqualTo("43 132");
        }
    }

    @Test
    void closingTheSocketKillsTheShellAndEverythingItStarted() throws Exception {
        long shell;
        long background;
        long nohup;
        try (PtyClient client = new PtyClient(terminal.pty())) {
            client.type("echo \"shell=[$$]\"; sleep 1000 & echo \"bg=[$!]\"; "
                    + "nohup sleep 1001 >/dev/null 2>&1 & echo \"nohup=[$!]\"\n");
            shell = Long.parseLong(client.await(Pattern.compile("shell=\\[(\\d+)\\]")));
            background = Long.parseLong(client.await(Pattern.compile("bg=\\[(\\d+)\\]")));
            nohup = Long.parseLong(client.await(Pattern.compile("nohup=\\[(\\d+)\\]")));
            assertThat(ProcessHandle.of(nohup)).isPresent();
        }

        for (long pid : List.of(shell, background, nohup)) {
            awaitGone(pid);
        }
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> ProcessSessions.sessionOf(p.pid()).orElse(-1L) == shell)
                        .toList())
                .as("processes left in the closed terminal's session")
                .isEmpty();
    }

    @Test
    void healthCheckAnswersOk() throws Exception {
        var response = terminal.get(terminal.basePath + "healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void terminalPageIsServedUnderTheBasePathOnly() throws Exception {
        assertThat(terminal.get(terminal.basePath).statusCode()).isEqualTo(200);
        assertThat(terminal.get(terminal.basePath).body()).contains("xterm/lib/xterm.js");
        assertThat(terminal.get(terminal.basePath + "xterm/lib/xterm.js").statusCode())
                .isEqualTo(200);
        assertThat(terminal.get(terminal.basePath + "addon-fit/lib/addon-fit.js")
                        .statusCode())
                .isEqualTo(200);

        for (String outside : List.of("/", "/healthz", "/pty", "/ws/other/", "/ws/other/healthz")) {
            assertThat(terminal.get(outside).statusCode()).as(outside).isEqualTo(404);
        }
        assertThat(terminal.get(terminal.basePath + "nothing.js").statusCode()).isEqualTo(404);
        assertThat(terminal.get(terminal.basePath + "..%2F..%2Fetc%2Fpasswd").statusCode())
                .isIn(400, 404);
    }

    static void awaitGone(long pid) throws Exception {
        var process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().onExit().get(GONE_WITHIN.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("process %d", pid)
                .isEmpty();
    }

    @Test
    void stoppingTheServerKillsEveryShell() throws Exception {
        try (RunningTerminal second = RunningTerminal.start(Files.createTempDirectory(directory, "second"));
                PtyClient one = new PtyClient(second.pty());
                PtyClient two = new PtyClient(second.pty())) {
            one.type("echo \"shell=[$$]\"; nohup sleep 1002 >/dev/null 2>&1 & echo \"nohup=[$!]\"\n");
            two.type("echo \"shell=[$$]\"\n");
            long first = Long.parseLong(one.await(Pattern.compile("shell=\\[(\\d+)\\]")));
            long nohup = Long.parseLong(one.await(Pattern.compile("nohup=\\[(\\d+)\\]")));
            long other = Long.parseLong(two.await(Pattern.compile("shell=\\[(\\d+)\\]")));

            assertThat(second.terminate(GONE_WITHIN))
                    .as("server exits on SIGTERM")
                    .isTrue();

            for (long pid : List.of(first, nohup, other)) {
                awaitGone(pid);
            }
        }
    }
}
