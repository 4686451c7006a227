package dev.berth.provisioning.local;

import dev.berth.provisioning.BackendRefs;
import dev.berth.provisioning.BuiltInEnvironments;
import dev.berth.provisioning.EnvironmentAvailability;
import dev.berth.provisioning.InvalidStarterArchiveException;
import dev.berth.provisioning.Observation;
import dev.berth.provisioning.OwnedWorkspace;
import dev.berth.provisioning.StarterZip;
import dev.berth.provisioning.WorkspaceBackend;
import dev.berth.provisioning.WorkspaceBackendException;
import dev.berth.provisioning.WorkspaceSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs each workspace as one process on this machine: for development, demos and one-room workshops, not a
 * campus (docs/local-mode.md).
 *
 * <p>Layout under the root ({@code <data dir>/workspaces}): {@code <id>/home} (mode 700, the workspace's
 * files, kept across stops; seeded with the starter files in {@code <id>/home.seeding} and renamed into place),
 * {@code <id>/run.properties} (pid, process start time, port: lets a restarted
 * Berth find its processes after a crash), {@code <id>/output.log} (stdout and stderr, capped).
 *
 * <p>What it enforces: the argv template runs without a shell; the environment is cleared (no Berth
 * secrets reach the workspace) and holds only PATH, LANG, HOME, PORT, BASE_PATH and the environment's own
 * variables; the process binds 127.0.0.1; with {@code prlimit} present, core dumps are off and open files
 * capped, and the address space is capped at the environment's memory when {@code limitAddressSpace} is on
 * (off by default: V8 and the JVM reserve far more virtual memory than they use). What it does not: CPU
 * limits, and isolation between workspaces — every process runs as Berth's own OS user, so the mode-700
 * homes only keep out other users of the machine, not other workspaces.
 */
public class LocalWorkspaceBackend implements WorkspaceBackend {

    private static final String RUN_RECORD = "run.properties";
    private static final String LOG = "output.log";
    private static final String SEEDING = "home.seeding";

    private final Path root;
    private final Clock clock;
    private static final Duration PORT_HOLD = Duration.ofMinutes(2);
    private static final long HOME_WALK_ENTRIES = 1_000_000;
    private static final Duration HOME_WALK_TIME = Duration.ofSeconds(20);
    private final Map<Integer, Instant> recentlyPicked = new ConcurrentHashMap<>();
    private final Duration grace;
    private final long logCapBytes;
    private final boolean limitAddressSpace;
    private final Optional<Path> prlimit;
    private final BuiltInEnvironments builtIn;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public LocalWorkspaceBackend(Path root, Clock clock) {
        this(root, clock, Duration.ofSeconds(5), 1024 * 1024, false);
    }

    public LocalWorkspaceBackend(Path root, Clock clock, Duration grace, long logCapBytes, boolean limitAddressSpace) {
        this(root, clock, grace, logCapBytes, limitAddressSpace, BuiltInEnvironments.NONE);
    }

    /** With {@code builtIn} supplying the command of environments that have no local command of their own. */
    public LocalWorkspaceBackend(
            Path root,
            Clock clock,
            Duration grace,
            long logCapBytes,
            boolean limitAddressSpace,
            BuiltInEnvironments builtIn) {
        this.builtIn = builtIn;
        this.root = root;
        this.clock = clock;
        this.grace = grace;
        this.logCapBytes = logCapBytes;
        this.limitAddressSpace = limitAddressSpace;
        this.prlimit = onPath("prlimit");
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public BackendRefs ensure(WorkspaceSpec spec, BackendRefs refs) {
        Path home = home(spec.workspaceId());
        try {
            createPrivateDirectory(root);
            createPrivateDirectory(home.getParent());
            if (!Files.isDirectory(home)) {
                // Seeded beside it and renamed into place: a crash while unpacking leaves no half-seeded home.
                Path seeding = dir(spec.workspaceId()).resolve(SEEDING);
                deleteTree(seeding);
                createPrivateDirectory(seeding);
                if (spec.starter() != null) {
                    unpackStarter(spec, seeding);
                }
                Files.move(seeding, home, StandardCopyOption.ATOMIC_MOVE);
            }
            createPrivateDirectory(home);
        } catch (IOException e) {
            throw new WorkspaceBackendException("Could not create the home folder " + home + ": " + e.getMessage(), e);
        }
        return refs.with("home", home.toString());
    }

    @Override
    public BackendRefs start(WorkspaceSpec spec, BackendRefs refs) {
        UUID id = spec.workspaceId();
        Optional<RunRecord> running = liveRecord(id);
        if (running.isPresent()) {
            return refs.with("pid", Long.toString(running.get().pid()))
                    .with("port", Integer.toString(running.get().port()));
        }
        List<String> command = spec.command() == null || spec.command().isEmpty()
                ? builtIn.argv(spec.environmentKind()).orElse(List.of())
                : spec.command();
        if (command.isEmpty()) {
            throw new WorkspaceBackendException(
                    "The environment '" + spec.environmentKey() + "' has no local command: it is built into Berth"
                            + " or runs only on container backends.",
                    true);
        }
        String executable = command.getFirst();
        if (resolve(executable).isEmpty()) {
            throw new WorkspaceBackendException(
                    "'" + executable + "' is not installed on this machine, so the environment '"
                            + spec.environmentKey() + "' cannot start. Ask the administrator to install it or to"
                            + " disable the environment.",
                    true);
        }
        Path home = home(id);
        int port = freePort();
        List<String> argv = new ArrayList<>();
        prlimit.ifPresent(tool -> {
            argv.add(tool.toString());
            argv.add("--core=0");
            argv.add("--nofile=4096");
            if (limitAddressSpace) {
                argv.add("--as=" + (long) spec.memoryMib() * 1024 * 1024);
            }
            argv.add("--");
        });
        for (String part : command) {
            argv.add(fill(part, port, spec, home));
        }
        Path log = dir(id).resolve(LOG);
        try {
            createPrivateDirectory(dir(id));
            createPrivateDirectory(home);
            trimLog(log);
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
            env.put("LANG", "C.UTF-8");
            env.put("HOME", home.toString());
            env.put("PORT", Integer.toString(port));
            env.put("BASE_PATH", spec.basePath());
            spec.env().forEach((name, value) -> env.put(name, fill(value, port, spec, home)));
            Process process = builder.start();
            Instant startedAt = process.info().startInstant().orElse(clock.instant());
            RunRecord record = new RunRecord(process.pid(), startedAt.toEpochMilli(), port);
            record.write(dir(id).resolve(RUN_RECORD));
            return refs.with("home", home.toString())
                    .with("pid", Long.toString(record.pid()))
                    .with("port", Integer.toString(port));
        } catch (IOException e) {
            throw new WorkspaceBackendException("Could not start " + executable + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Observation observe(WorkspaceSpec spec, BackendRefs refs) {
        Optional<RunRecord> record = liveRecord(spec.workspaceId());
        if (record.isEmpty()) {
            return Observation.absent();
        }
        trimLog(dir(spec.workspaceId()).resolve(LOG));
        String endpoint = "http://127.0.0.1:" + record.get().port();
        return new Observation(true, healthy(endpoint + spec.healthPath()), endpoint);
    }

    @Override
    public void stop(WorkspaceSpec spec, BackendRefs refs) {
        stop(spec.workspaceId());
    }

    @Override
    public String backupHome(WorkspaceSpec spec, BackendRefs refs, String folder) {
        if (folder.isEmpty() || folder.contains("/") || folder.equals(".") || folder.equals("..")) {
            throw new IllegalArgumentException("A backup folder is one path segment: " + folder);
        }
        Path home = home(spec.workspaceId());
        Path backups = home.resolve(BACKUPS);
        try {
            createPrivateDirectory(home);
            if (Files.exists(backups, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(backups, LinkOption.NOFOLLOW_LINKS)) {
                throw new WorkspaceBackendException(
                        "The home folder holds a file or link named '" + BACKUPS + "', where backups go. Rename it"
                                + " (or ask staff to), then reset again.",
                        true);
            }
            Files.createDirectories(backups.resolve(folder));
            List<Path> entries;
            try (Stream<Path> listed = Files.list(home)) {
                entries = listed.filter(entry -> !entry.equals(backups)).toList();
            }
            for (Path entry : entries) {
                Path name = entry.getFileName();
                int attempt = 1;
                Path target = backups.resolve(folder).resolve(name);
                while (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    attempt++;
                    target = backups.resolve(folder + " (" + attempt + ")").resolve(name);
                }
                Files.createDirectories(target.getParent());
                Files.move(entry, target);
            }
        } catch (IOException e) {
            throw new WorkspaceBackendException("Could not back up the home folder: " + e.getMessage(), e);
        }
        return BACKUPS + "/" + folder;
    }

    @Override
    public void restoreStarterFiles(WorkspaceSpec spec, BackendRefs refs) {
        if (spec.starter() == null) {
            return;
        }
        Path home = home(spec.workspaceId());
        try {
            createPrivateDirectory(home);
        } catch (IOException e) {
            throw new WorkspaceBackendException("Could not create the home folder " + home + ": " + e.getMessage(), e);
        }
        unpackStarter(spec, home);
    }

    private static void unpackStarter(WorkspaceSpec spec, Path into) {
        try (InputStream archive = spec.starter().open()) {
            StarterZip.unpack(archive, into, StarterZip.Limits.DEFAULT);
        } catch (InvalidStarterArchiveException e) {
            throw new WorkspaceBackendException("The starter files cannot be unpacked: " + e.getMessage(), true);
        } catch (IOException | UncheckedIOException e) {
            throw new WorkspaceBackendException("Could not read the starter files: " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy(WorkspaceSpec spec, BackendRefs refs, boolean wipeHome) {
        UUID id = spec.workspaceId();
        stop(id);
        Path dir = dir(id);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                if (wipeHome || !entry.equals(home(id))) {
                    deleteTree(entry);
                }
            }
            if (wipeHome) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new WorkspaceBackendException("Could not remove " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<OwnedWorkspace> listOwned() {
        List<OwnedWorkspace> owned = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return owned;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                Optional<UUID> id = uuid(dir.getFileName().toString());
                Path runRecord = dir.resolve(RUN_RECORD);
                if (id.isEmpty() || !Files.exists(runRecord)) {
                    continue;
                }
                Optional<RunRecord> record = RunRecord.read(runRecord);
                if (record.isEmpty()) {
                    continue;
                }
                boolean live = record.get().process().isPresent();
                if (live) {
                    trimLog(dir.resolve(LOG));
                }
                owned.add(new OwnedWorkspace(
                        id.get(),
                        live,
                        BackendRefs.empty()
                                .with("pid", Long.toString(record.get().pid()))
                                .with("port", Integer.toString(record.get().port()))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return owned;
    }

    @Override
    public void releaseOrphan(OwnedWorkspace owned) {
        stop(owned.workspaceId());
    }

    /**
     * Ready when the command's executable (or, without a command, the built-in one of the kind) is on the PATH or
     * is an executable absolute path; this is the same check {@link #start} fails on.
     */
    @Override
    public EnvironmentAvailability availability(String environmentKind, List<String> command) {
        List<String> argv = command == null || command.isEmpty()
                ? builtIn.argv(environmentKind).orElse(List.of())
                : command;
        if (argv.isEmpty()) {
            return new EnvironmentAvailability(EnvironmentAvailability.Status.NO_LOCAL_COMMAND, "");
        }
        String executable = argv.getFirst();
        return resolve(executable).isPresent()
                ? EnvironmentAvailability.READY
                : EnvironmentAvailability.notInstalled(executable);
    }

    @Override
    public String logs(WorkspaceSpec spec, BackendRefs refs, int maxBytes) {
        Path log = dir(spec.workspaceId()).resolve(LOG);
        if (!Files.exists(log)) {
            return "";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - maxBytes);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Walks the home without following links, summing regular files' sizes. Gives up (empty) after
     * {@link #HOME_WALK_ENTRIES} entries or {@link #HOME_WALK_TIME}, so a home of millions of small files cannot
     * hold the engine's measuring thread; unreadable entries are skipped.
     */
    @Override
    public OptionalLong homeBytes(WorkspaceSpec spec, BackendRefs refs) {
        Path home = home(spec.workspaceId());
        if (!Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)) {
            return OptionalLong.empty();
        }
        long deadline = System.nanoTime() + HOME_WALK_TIME.toNanos();
        long[] bytes = {0};
        long[] entries = {0};
        boolean[] complete = {true};
        try {
            Files.walkFileTree(home, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return count();
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        bytes[0] += attributes.size();
                    }
                    return count();
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return count();
                }

                private FileVisitResult count() {
                    if (++entries[0] > HOME_WALK_ENTRIES || System.nanoTime() > deadline) {
                        complete[0] = false;
                        return FileVisitResult.TERMINATE;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return complete[0] ? OptionalLong.of(bytes[0]) : OptionalLong.empty();
    }

    /** The process of a workspace, if its run record names a live process started at the recorded time. */
    Optional<ProcessHandle> process(UUID id) {
        return RunRecord.read(dir(id).resolve(RUN_RECORD)).flatMap(RunRecord::process);
    }

    Path home(UUID id) {
        return dir(id).resolve("home");
    }

    private Path dir(UUID id) {
        return root.resolve(id.toString());
    }

    private Optional<RunRecord> liveRecord(UUID id) {
        return RunRecord.read(dir(id).resolve(RUN_RECORD))
                .filter(r -> r.process().isPresent());
    }

    private void stop(UUID id) {
        process(id).ifPresent(this::terminateTree);
        try {
            Files.deleteIfExists(dir(id).resolve(RUN_RECORD));
        } catch (IOException e) {
            throw new WorkspaceBackendException("Could not remove the run record of " + id + ": " + e.getMessage(), e);
        }
    }

    /** SIGTERM, then after the grace period SIGKILL to the process and everything it started. */
    private void terminateTree(ProcessHandle process) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            process.destroyForcibly();
        }
        List<ProcessHandle> all = new ArrayList<>(tree);
        process.descendants().forEach(all::add);
        all.add(process);
        for (ProcessHandle handle : all) {
            if (handle.isAlive()) {
                handle.destroyForcibly();
            }
        }
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // A process that does not die of SIGKILL within seconds is the kernel's business now.
            }
        }
    }

    private boolean healthy(String url) {
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() >= 200 && response.statusCode() < 300;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Keeps the log under its cap by dropping its older half; the process appends (O_APPEND) after the cut. */
    private void trimLog(Path log) {
        try {
            if (!Files.exists(log) || Files.size(log) <= logCapBytes) {
                return;
            }
            byte[] tail;
            try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
                long keep = logCapBytes / 2;
                tail = new byte[(int) keep];
                file.seek(file.length() - keep);
                file.readFully(tail);
                file.setLength(0);
            }
            try (OutputStream out = Files.newOutputStream(log, java.nio.file.StandardOpenOption.APPEND)) {
                out.write("[earlier output dropped]\n".getBytes(StandardCharsets.UTF_8));
                out.write(tail);
            }
        } catch (IOException e) {
            // A log that cannot be trimmed now will be on the next look.
        }
    }

    private static String fill(String template, int port, WorkspaceSpec spec, Path home) {
        return template.replace("{port}", Integer.toString(port))
                .replace("{base_path}", spec.basePath())
                .replace("{home}", home.toString());
    }

    /**
     * A port free now and not handed to another start in the last {@link #PORT_HOLD}: between closing the
     * probe socket and the workspace binding it, the OS could give the same port to a concurrent start, and
     * two workspaces would then answer each other's health checks.
     */
    private int freePort() {
        Instant now = clock.instant();
        recentlyPicked.values().removeIf(pickedAt -> pickedAt.plus(PORT_HOLD).isBefore(now));
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new WorkspaceBackendException("No free port on 127.0.0.1: " + e.getMessage(), e);
            }
            if (recentlyPicked.putIfAbsent(port, now) == null) {
                return port;
            }
        }
        throw new WorkspaceBackendException("No free port on 127.0.0.1 that no other workspace is starting on", false);
    }

    private static Optional<Path> resolve(String executable) {
        if (executable.contains("/")) {
            Path path = Path.of(executable);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        return onPath(executable);
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Optional<UUID> uuid(String name) {
        try {
            return Optional.of(UUID.fromString(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * What Berth needs to find a workspace's process again after a crash. The recorded start time guards
     * against a recycled pid: a process with that pid but another start time is someone else's.
     */
    record RunRecord(long pid, long startedAtMillis, int port) {

        Optional<ProcessHandle> process() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(handle -> handle.info()
                    .startInstant()
                    .map(start -> Math.abs(start.toEpochMilli() - startedAtMillis) < 1000)
                    .orElse(false));
        }

        void write(Path file) throws IOException {
            Properties properties = new Properties();
            properties.setProperty("pid", Long.toString(pid));
            properties.setProperty("startedAt", Long.toString(startedAtMillis));
            properties.setProperty("port", Integer.toString(port));
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                properties.store(out, "Berth local workspace process");
            }
            Files.move(
                    temporary,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }

        static Optional<RunRecord> read(Path file) {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            try (InputStream in = Files.newInputStream(file)) {
                Properties properties = new Properties();
                properties.load(in);
                return Optional.of(new RunRecord(
                        Long.parseLong(properties.getProperty("pid")),
                        Long.parseLong(properties.getProperty("startedAt")),
                        Integer.parseInt(properties.getProperty("port"))));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
