package dev.berth.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.provisioning.local.LocalWorkspaceBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Starter files seeding new homes, and "reset to starter files" through the engine, on a real PostgreSQL. */
class StarterFilesEngineIntegrationTests {

    private static final EngineSettings FAST = new EngineSettings(
            Duration.ofMillis(20),
            Duration.ofMillis(100),
            Duration.ofSeconds(15),
            Duration.ofMillis(20),
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            5,
            16,
            Duration.ofHours(1));

    private static final Map<String, String> STARTER = Map.of("README.md", "Start here", "src/main.py", "print(1)");

    private final DataSource dataSource = TestDatabase.dataSource();
    private final JdbcClient jdbc = JdbcClient.create(dataSource);
    private final TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final StarterArchives archives = new StarterArchives(jdbc, clock, StarterZip.Limits.DEFAULT);

    @TempDir
    Path data;

    private WorkspaceBackend backend;
    private JdbcWorkspaceStore store;
    private Workspaces workspaces;

    @BeforeEach
    void resetDatabase() {
        TestDatabase.reset();
    }

    @AfterEach
    void closeRunners() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        if (backend instanceof LocalWorkspaceBackend) {
            for (OwnedWorkspace owned : backend.listOwned()) {
                backend.releaseOrphan(owned);
            }
        }
    }

    private void engine(WorkspaceBackend chosen) {
        backend = chosen;
        store = new JdbcWorkspaceStore(jdbc, clock);
        JdbcJobQueue queue = new JdbcJobQueue(jdbc, clock, FAST);
        workspaces = new Workspaces(store, queue, backend, tx);
        WorkspaceRunner runner = new WorkspaceRunner("r", store, queue, backend, tx, clock, FAST);
        toClose.add(runner);
        runner.start();
    }

    private FakeBackend fake() {
        return (FakeBackend) backend;
    }

    private UUID archive(Map<String, String> files) {
        return archives.save("starter.zip", TestZips.zip(files), "person:1").id();
    }

    private void awaitRunning(UUID id) throws InterruptedException {
        await(
                "the workspace RUNNING with no reset pending",
                () -> workspaces.find(id).orElseThrow().state() == WorkspaceState.RUNNING
                        && workspaces.find(id).orElseThrow().desiredState() == WorkspaceState.RUNNING
                        && !workspaces.resetPending(id));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s for: " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Where the last reset put the files, from its timeline event ("Backed up your files to Backups/…/"). */
    private String backup(UUID id) {
        String prefix = "Backed up your files to ";
        String message = messages(id).reversed().stream()
                .filter(m -> m.startsWith(prefix))
                .findFirst()
                .orElseThrow();
        String folder = message.substring(prefix.length(), message.length() - 1);
        assertThat(folder).matches("Backups/\\d{4}-\\d{2}-\\d{2} \\d{2}-\\d{2}-\\d{2}");
        return folder;
    }

    private List<String> messages(UUID id) {
        return workspaces.events(id, 0).stream().map(WorkspaceEvent::message).toList();
    }

    @Test
    void aNewWorkspaceHomeIsSeededWithTheStarterFiles() throws Exception {
        engine(FakeBackend.healthy());
        UUID id = workspaces
                .ensureRunning("alice", "course-1", "http", archive(STARTER))
                .id();
        awaitRunning(id);
        assertThat(fake().files.get(id)).isEqualTo(STARTER);
    }

    @Test
    void aLaterArchiveNeverTouchesAnExistingHome() throws Exception {
        engine(FakeBackend.healthy());
        UUID id = workspaces
                .ensureRunning("alice", "course-1", "http", archive(STARTER))
                .id();
        awaitRunning(id);
        fake().files.get(id).put("README.md", "my notes");
        workspaces.stop(id);
        await("stopped", () -> workspaces.find(id).orElseThrow().state() == WorkspaceState.STOPPED);
        UUID second = archive(Map.of("other.txt", "new starter"));
        assertThat(workspaces.ensureRunning("alice", "course-1", "http", second).id())
                .isEqualTo(id);
        awaitRunning(id);
        assertThat(fake().files.get(id))
                .containsOnly(Map.entry("README.md", "my notes"), Map.entry("src/main.py", "print(1)"));
    }

    @Test
    void resetBacksUpTheFilesRestoresTheStarterFilesAndStartsAgainWithEachStepOnTheTimeline() throws Exception {
        engine(FakeBackend.healthy());
        UUID id = workspaces
                .ensureRunning("alice", "course-1", "http", archive(STARTER))
                .id();
        awaitRunning(id);
        fake().files.get(id).put("README.md", "my notes");
        fake().files.get(id).put("homework.py", "answer = 42");

        workspaces.reset(id);
        awaitRunning(id);

        String backup = backup(id);
        assertThat(fake().files.get(id))
                .containsOnly(
                        Map.entry("README.md", "Start here"),
                        Map.entry("src/main.py", "print(1)"),
                        Map.entry(backup + "/README.md", "my notes"),
                        Map.entry(backup + "/homework.py", "answer = 42"),
                        Map.entry(backup + "/src/main.py", "print(1)"));
        List<String> messages = messages(id);
        assertThat(messages.subList(messages.indexOf("Reset to the starter files requested"), messages.size()))
                .containsSubsequence(
                        "Reset to the starter files requested",
                        "Resetting: stopping first",
                        "Stopped; files kept",
                        "Preparing the home folder",
                        "Backing up your files",
                        "Backed up your files to " + backup + "/",
                        "Restored the starter files",
                        "Ready");
        assertThat(fake().maxOverlap.get())
                .as("steps at once for one workspace")
                .isEqualTo(1);
    }

    @Test
    void aSecondResetKeepsTheFirstBackupInPlace() throws Exception {
        engine(FakeBackend.healthy());
        UUID id = workspaces
                .ensureRunning("alice", "course-1", "http", archive(STARTER))
                .id();
        awaitRunning(id);
        fake().files.get(id).put("first.txt", "1");
        workspaces.reset(id);
        awaitRunning(id);
        String first = backup(id);
        fake().files.get(id).put("second.txt", "2");
        clock.advance(Duration.ofMinutes(10));
        workspaces.reset(id);
        awaitRunning(id);
        String second = backup(id);
        assertThat(second).isNotEqualTo(first);
        assertThat(fake().files.get(id))
                .containsEntry(first + "/first.txt", "1")
                .containsEntry(second + "/second.txt", "2")
                .containsEntry("README.md", "Start here")
                .doesNotContainKey("second.txt")
                .allSatisfy((path, content) ->
                        assertThat(path).as("no backup nested in another").doesNotContain("/Backups/"));
    }

    @Test
    void aCrashHalfWayThroughTheBackupResumesIntoTheSameFolderWithoutLosingAFile() throws Exception {
        engine(FakeBackend.healthy().crashingHalfWayThroughBackups(1));
        UUID id = workspaces
                .ensureRunning("alice", "course-1", "http", archive(STARTER))
                .id();
        awaitRunning(id);
        fake().files.get(id).put("a.txt", "a");
        fake().files.get(id).put("b.txt", "b");
        workspaces.reset(id);
        await("the crashed backup to be retried", () -> fake().count("backupHome") >= 2);
        clock.advance(Duration.ofMinutes(1));
        awaitRunning(id);

        String backup = backup(id);
        assertThat(fake().files.get(id))
                .as("every file of before the reset, in the one backup folder chosen before the crash")
                .containsOnly(
                        Map.entry("README.md", "Start here"),
                        Map.entry("src/main.py", "print(1)"),
                        Map.entry(backup + "/README.md", "Start here"),
                        Map.entry(backup + "/a.txt", "a"),
                        Map.entry(backup + "/b.txt", "b"),
                        Map.entry(backup + "/src/main.py", "print(1)"));
        assertThat(messages(id)).anyMatch(message -> message.startsWith("A step failed"));
    }

    @Test
    void aFailureWhileRestoringRetriesTheRestoreAndNeverBacksUpTheStarterFilesOverTheBackup() throws Exception {
        engine(FakeBackend.healthy().failing("restoreStarterFiles", 1));
        UUID id = workspaces
                .ensureRunning("alice", "course-1", "http", archive(STARTER))
                .id();
        awaitRunning(id);
        fake().files.get(id).put("mine.txt", "mine");
        workspaces.reset(id);
        awaitRunning(id);
        assertThat(fake().count("backupHome")).as("backups made").isEqualTo(1);
        assertThat(fake().count("restoreStarterFiles")).as("restores tried").isEqualTo(2);
        assertThat(fake().files.get(id))
                .containsEntry("README.md", "Start here")
                .anySatisfy((path, content) -> assertThat(path).endsWith("/mine.txt"));
    }

    @Test
    void resetWithAnotherArchiveRestoresThatOne() throws Exception {
        engine(FakeBackend.healthy());
        UUID id = workspaces
                .ensureRunning("alice", "course-1", "http", archive(STARTER))
                .id();
        awaitRunning(id);
        workspaces.reset(id, archive(Map.of("week2.md", "Week 2")));
        awaitRunning(id);
        assertThat(fake().files.get(id)).containsEntry("week2.md", "Week 2").doesNotContainKey("README.md");
    }

    @Test
    void resetOfAStoppedWorkspaceStartsItWithTheStarterFiles() throws Exception {
        engine(FakeBackend.healthy());
        UUID id = workspaces
                .ensureRunning("alice", "course-1", "http", archive(STARTER))
                .id();
        awaitRunning(id);
        workspaces.stop(id);
        await("stopped", () -> workspaces.find(id).orElseThrow().state() == WorkspaceState.STOPPED);
        fake().files.get(id).put("README.md", "changed while stopped");
        workspaces.reset(id);
        awaitRunning(id);
        assertThat(fake().files.get(id)).containsEntry("README.md", "Start here");
    }

    @Test
    void aResetRealWorkspaceHasTheStarterFilesAndABackupOfTheOldFilesInItsHome() throws Exception {
        LocalWorkspaceBackend local = new LocalWorkspaceBackend(data.resolve("workspaces"), clock);
        engine(local);
        UUID id = workspaces
                .ensureRunning("alice", "course-1", "http", archive(STARTER))
                .id();
        awaitRunning(id);
        Path home = data.resolve("workspaces").resolve(id.toString()).resolve("home");
        assertThat(files(home)).isEqualTo(new TreeMap<>(STARTER));
        Files.writeString(home.resolve("homework.py"), "answer = 42");
        Files.writeString(home.resolve("README.md"), "my notes");
        long pid = Long.parseLong(store.find(id).orElseThrow().refs().get("pid"));

        workspaces.reset(id);
        awaitRunning(id);

        String backup = backup(id);
        assertThat(files(home))
                .containsOnly(
                        Map.entry("README.md", "Start here"),
                        Map.entry("src/main.py", "print(1)"),
                        Map.entry(backup + "/README.md", "my notes"),
                        Map.entry(backup + "/homework.py", "answer = 42"),
                        Map.entry(backup + "/src/main.py", "print(1)"));
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("the process from before the reset")
                .isEmpty();
        assertThat(backend.observe(
                                store.find(id).orElseThrow().spec(),
                                store.find(id).orElseThrow().refs())
                        .healthy())
                .isTrue();
    }

    private static Map<String, String> files(Path home) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(home)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(home.relativize(file).toString(), Files.readString(file));
            }
        }
        return files;
    }
}
