package dev.berth.provisioning.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.provisioning.BackendRefs;
import dev.berth.provisioning.WorkspaceBackend;
import dev.berth.provisioning.WorkspaceBackendContract;
import dev.berth.provisioning.WorkspaceBackendException;
import dev.berth.provisioning.WorkspaceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local backend with a real process: Python's http.server stands in for an IDE. */
class LocalWorkspaceBackendContractTests extends WorkspaceBackendContract {

    @TempDir
    Path data;

    private LocalWorkspaceBackend local;

    @Override
    protected WorkspaceBackend createBackend() throws Exception {
        assertThat(new ProcessBuilder("python3", "--version").start().waitFor())
                .as("python3 must be installed for the local backend tests (apt-get install python3)")
                .isZero();
        local = new LocalWorkspaceBackend(
                data.resolve("workspaces"), Clock.systemUTC(), Duration.ofSeconds(2), 4096, false);
        return local;
    }

    @Override
    protected WorkspaceSpec spec(UUID id) {
        return spec(id, List.of("python3", "-m", "http.server", "--bind", "127.0.0.1", "{port}"));
    }

    @Override
    protected Map<String, String> homeFiles(WorkspaceSpec spec, BackendRefs refs) throws Exception {
        Path home = local.home(spec.workspaceId());
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(home)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(home.relativize(file).toString(), Files.readString(file));
            }
        }
        return files;
    }

    @Override
    protected void writeHomeFile(WorkspaceSpec spec, BackendRefs refs, String path, String content) throws Exception {
        Path file = local.home(spec.workspaceId()).resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static WorkspaceSpec spec(UUID id, List<String> command) {
        return new WorkspaceSpec(
                id,
                "owner-1",
                "scope-1",
                "http",
                "process",
                command,
                null,
                8000,
                "/ws/" + id + "/",
                true,
                "/",
                1000,
                512,
                Map.of("GREETING", "port {port}"),
                Duration.ofSeconds(30),
                null);
    }

    @Test
    void homeSizeSumsTheFilesOfTheHomeWithoutFollowingLinks() throws Exception {
        BackendRefs refs = backend.ensure(spec, BackendRefs.empty());
        Path home = Path.of(refs.get("home"));
        assertThat(backend.homeBytes(spec, refs)).as("an empty home").hasValue(0);
        Files.write(home.resolve("data.bin"), new byte[10_000]);
        Files.createDirectories(home.resolve("src/deep"));
        Files.write(home.resolve("src/deep/main.py"), new byte[2_345]);
        Path outside = Files.write(data.resolve("outside.bin"), new byte[50_000]);
        Files.createSymbolicLink(home.resolve("link.bin"), outside);
        assertThat(backend.homeBytes(spec, refs)).hasValue(12_345);
    }

    @Test
    void homeIsPrivateAndSurvivesStopAndDestroyWithoutWipe() throws Exception {
        BackendRefs refs = backend.ensure(spec, BackendRefs.empty());
        Path home = Path.of(refs.get("home"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("workspaces"))))
                .as("other users of the machine cannot even list the workspaces")
                .isEqualTo("rwx------");
        Files.writeString(home.resolve("note.txt"), "hello");
        refs = backend.start(spec, refs);
        backend.stop(spec, refs);
        backend.destroy(spec, refs, false);
        assertThat(home.resolve("note.txt")).hasContent("hello");
        backend.destroy(spec, refs, true);
        assertThat(home).doesNotExist();
    }

    @Test
    void processGetsHomePortBasePathAndTheEnvironmentsVariablesButNotBerths() throws Exception {
        WorkspaceSpec printing = spec(
                spec.workspaceId(),
                List.of(
                        "python3",
                        "-c",
                        "import os,sys; print('HOME='+os.environ['HOME'], 'PORT='+os.environ['PORT'],"
                                + " 'BASE='+os.environ['BASE_PATH'], 'G='+os.environ['GREETING'],"
                                + " 'JAVA='+str('JAVA_HOME' in os.environ)); sys.stdout.flush()"));
        BackendRefs refs = backend.start(printing, backend.ensure(printing, BackendRefs.empty()));
        await("the process to print its environment", () -> backend.logs(printing, BackendRefs.empty(), 4096)
                .contains("JAVA="));
        String output = backend.logs(printing, refs, 4096);
        assertThat(output)
                .contains("HOME=" + refs.get("home"))
                .contains("PORT=" + refs.get("port"))
                .contains("BASE=/ws/" + spec.workspaceId() + "/")
                .contains("G=port " + refs.get("port"))
                .contains("JAVA=False");
    }

    @Test
    void environmentWithoutALocalCommandRunsTheBuiltInCommandForItsKind() throws Exception {
        LocalWorkspaceBackend withBuiltIn = new LocalWorkspaceBackend(
                data.resolve("workspaces"),
                Clock.systemUTC(),
                Duration.ofSeconds(2),
                4096,
                false,
                kind -> kind.equals("terminal")
                        ? Optional.of(List.of("python3", "-c", "print('built in on {port}', flush=True)"))
                        : Optional.empty());
        WorkspaceSpec builtIn = new WorkspaceSpec(
                spec.workspaceId(),
                "owner-1",
                "scope-1",
                "terminal",
                "terminal",
                null,
                null,
                8080,
                "/ws/" + spec.workspaceId() + "/",
                false,
                "/",
                500,
                512,
                Map.of(),
                Duration.ofSeconds(30),
                null);

        BackendRefs refs = withBuiltIn.start(builtIn, withBuiltIn.ensure(builtIn, BackendRefs.empty()));

        await(
                "the built-in command to run",
                () -> withBuiltIn.logs(builtIn, BackendRefs.empty(), 4096).contains("built in on"));
        assertThat(withBuiltIn.logs(builtIn, refs, 4096)).contains("built in on " + refs.get("port"));
    }

    @Test
    void environmentWithoutALocalCommandAndNothingBuiltInIsAPermanentFailure() {
        WorkspaceSpec none = spec(spec.workspaceId(), null);
        try {
            backend.start(none, backend.ensure(none, BackendRefs.empty()));
            assertThat(false).as("start should have failed").isTrue();
        } catch (WorkspaceBackendException e) {
            assertThat(e.permanent()).isTrue();
            assertThat(e.getMessage()).contains("has no local command");
        }
    }

    @Test
    void missingCommandIsAPermanentFailureNamingIt() {
        WorkspaceSpec missing = spec(spec.workspaceId(), List.of("no-such-ide-berth", "--port", "{port}"));
        BackendRefs refs = backend.ensure(missing, BackendRefs.empty());
        try {
            backend.start(missing, refs);
            assertThat(false).as("start should have failed").isTrue();
        } catch (WorkspaceBackendException e) {
            assertThat(e.permanent()).isTrue();
            assertThat(e.getMessage()).contains("'no-such-ide-berth' is not installed");
        }
    }

    @Test
    void stopKillsTheWholeProcessTreeEvenWhenSigtermIsIgnored() throws Exception {
        WorkspaceSpec stubborn = spec(
                spec.workspaceId(),
                List.of(
                        "python3",
                        "-c",
                        "import signal,subprocess,time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
                                + " subprocess.Popen(['sleep','300']); print('started', flush=True); time.sleep(300)"));
        BackendRefs refs = backend.start(stubborn, backend.ensure(stubborn, BackendRefs.empty()));
        await("the child to start", () -> backend.logs(stubborn, BackendRefs.empty(), 100)
                .contains("started"));
        ProcessHandle parent = local.process(stubborn.workspaceId()).orElseThrow();
        List<ProcessHandle> tree = parent.descendants().toList();
        assertThat(tree).as("the sleep child").isNotEmpty();
        backend.stop(stubborn, refs);
        assertThat(parent.isAlive()).isFalse();
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aRestartedBerthFindsItsProcessThroughTheRunRecordAndReleasesIt() throws Exception {
        BackendRefs refs = backend.start(spec, backend.ensure(spec, BackendRefs.empty()));
        long pid = Long.parseLong(refs.get("pid"));
        LocalWorkspaceBackend afterCrash = new LocalWorkspaceBackend(
                data.resolve("workspaces"), Clock.systemUTC(), Duration.ofSeconds(2), 4096, false);
        var owned = afterCrash.listOwned();
        assertThat(owned).singleElement().satisfies(o -> {
            assertThat(o.workspaceId()).isEqualTo(spec.workspaceId());
            assertThat(o.running()).isTrue();
        });
        afterCrash.releaseOrphan(owned.getFirst());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
    }

    @Test
    void runRecordOfARecycledPidIsNotTrusted() throws Exception {
        BackendRefs refs = backend.start(spec, backend.ensure(spec, BackendRefs.empty()));
        Path record = Path.of(refs.get("home")).resolveSibling("run.properties");
        String text = Files.readString(record);
        String shifted = text.replaceAll("startedAt=(\\d+)", "startedAt=1000");
        Files.writeString(record, shifted);
        assertThat(backend.observe(spec, refs).running())
                .as("a live pid whose start time differs is someone else's")
                .isFalse();
        Files.writeString(record, text);
    }

    @Test
    void logIsCappedWhileTheProcessWrites() throws Exception {
        WorkspaceSpec chatty = spec(
                spec.workspaceId(),
                List.of(
                        "python3",
                        "-c",
                        "import time\nfor i in range(2000):\n print('x'*80, flush=True)\nprint('done', flush=True)\n"
                                + "time.sleep(300)"));
        BackendRefs refs = backend.start(chatty, backend.ensure(chatty, BackendRefs.empty()));
        await("the output to end", () -> backend.logs(chatty, BackendRefs.empty(), 100)
                .contains("done"));
        backend.observe(chatty, refs);
        Path log = Path.of(refs.get("home")).resolveSibling("output.log");
        assertThat(Files.size(log)).as("log size after trimming").isLessThanOrEqualTo(4096 + 100);
        backend.stop(chatty, refs);
    }
}
