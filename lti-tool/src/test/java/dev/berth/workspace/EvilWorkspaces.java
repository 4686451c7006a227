package dev.berth.workspace;

import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.Workspaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A test environment whose workspace serves its home folder at {@code /} ({@code base_path_mode = strip}) with
 * Python's http.server, logging every request line and its headers, so a test can put a page of its own in a
 * student's workspace and then see exactly what reached the student's process.
 */
final class EvilWorkspaces {

    static final String KEY = "http-server";

    private static final String SERVER = """
            import http.server, sys
            class Logged(http.server.SimpleHTTPRequestHandler):
                def log_message(self, format, *args):
                    sys.stderr.write("REQUEST " + self.requestline + " HEADERS " + repr(dict(self.headers)) + "\\n")
                    sys.stderr.flush()
            http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Logged).serve_forever()
            """;

    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private EvilWorkspaces() {}

    static void addEnvironment(JdbcClient jdbc) {
        jdbc.sql("""
                        INSERT INTO environment (key, name, kind, local_command, port, base_path_mode, health_path)
                        VALUES (:key, 'Python http.server', 'process', CAST(:command AS jsonb), 8000, 'strip', '/')
                        ON CONFLICT (key) DO NOTHING
                        """)
                .param("key", KEY)
                .param("command", "[\"python3\", \"-c\", " + json(SERVER) + ", \"{port}\"]")
                .update();
    }

    static long personId(JdbcClient jdbc, String subject) {
        return jdbc.sql("SELECT max(id) FROM person WHERE subject = :subject")
                .param("subject", subject)
                .query(Long.class)
                .single();
    }

    static long latestCourseId(JdbcClient jdbc) {
        return jdbc.sql("SELECT max(id) FROM course").query(Long.class).single();
    }

    static UUID startFor(Workspaces workspaces, long personId, long courseId) throws InterruptedException {
        Workspace workspace =
                workspaces.ensureRunning(WorkspaceAccess.ownerRef(personId), WorkspaceAccess.scopeRef(courseId), KEY);
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Workspace now = workspaces.find(workspace.id()).orElseThrow();
            if (now.state() == WorkspaceState.RUNNING) {
                return now.id();
            }
            if (now.state() == WorkspaceState.FAILED) {
                throw new AssertionError("The http.server workspace failed (is python3 installed?): " + now.failure());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("The http.server workspace was not RUNNING within " + START_LIMIT);
    }

    static void stop(Workspaces workspaces, UUID id) throws InterruptedException {
        workspaces.stop(id);
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (workspaces.find(id).orElseThrow().state() == WorkspaceState.STOPPED) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Workspace " + id + " did not stop within " + START_LIMIT);
    }

    static Path home(String dataDir, UUID id) {
        return Path.of(dataDir, "workspaces", id.toString(), "home");
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
