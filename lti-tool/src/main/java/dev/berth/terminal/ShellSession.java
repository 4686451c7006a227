package dev.berth.terminal;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import com.pty4j.unix.UnixPtyProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One shell on one pseudo-terminal. Output is pumped by a dedicated thread into a blocking sink: when the
 * browser reads slowly the sink blocks, the pty buffer fills and the shell's writes block, so a runaway
 * {@code yes} cannot make this process buffer without bound.
 */
final class ShellSession {

    private static final System.Logger LOG = System.getLogger(ShellSession.class.getName());

    /** Time a hung-up shell gets to save its history and exit before everything in its session is killed. */
    static final Duration HANGUP_GRACE = Duration.ofMillis(500);

    private final PtyProcess process;
    private final OutputStream input;
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final CompletableFuture<Void> gone = new CompletableFuture<>();

    private ShellSession(PtyProcess process) {
        this.process = process;
        this.input = process.getOutputStream();
    }

    /**
     * Starts the shell and its output pump. {@code output} receives decoded text and may block; {@code ended}
     * runs once, on the pump thread, when the shell's output ends (it exited or was terminated).
     */
    static ShellSession start(
            ShellEnvironment environment, int columns, int rows, Consumer<String> output, Runnable ended)
            throws IOException {
        PtyProcess process = new PtyProcessBuilder(environment.command())
                .setEnvironment(environment.variables())
                .setDirectory(environment.home().toString())
                .setInitialColumns(columns)
                .setInitialRows(rows)
                .setConsole(false)
                .setRedirectErrorStream(true)
                .start();
        ShellSession session = new ShellSession(process);
        Thread pump = new Thread(() -> session.pump(process.getInputStream(), output, ended), "pty-" + process.pid());
        pump.setDaemon(true);
        pump.start();
        return session;
    }

    long pid() {
        return process.pid();
    }

    void write(String text) throws IOException {
        input.write(text.getBytes(StandardCharsets.UTF_8));
        input.flush();
    }

    void resize(int columns, int rows) {
        if (process.isAlive()) {
            process.setWinSize(new WinSize(columns, rows));
        }
    }

    /**
     * Hangs up the shell (SIGHUP to its process group, as a closed ssh connection would) and, after a short
     * grace, kills whatever is left in its session. Idempotent; the future completes when that is done.
     */
    CompletableFuture<Void> terminate() {
        if (!terminated.compareAndSet(false, true)) {
            return gone;
        }
        long sessionId = process.pid();
        // PtyProcess has no toHandle(); look the shell up by pid. Recorded before the hang-up re-parents them.
        List<ProcessHandle> descendants = ProcessHandle.of(sessionId)
                .map(shell -> shell.descendants().toList())
                .orElse(List.of());
        if (process instanceof UnixPtyProcess unix) {
            unix.hangup();
        } else {
            process.destroy();
        }
        process.onExit()
                .completeOnTimeout(process, HANGUP_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((exited, failure) -> {
                    try {
                        ProcessSessions.killAll(sessionId, descendants);
                        process.destroyForcibly();
                    } finally {
                        closeQuietly();
                        gone.complete(null);
                    }
                });
        return gone;
    }

    private void pump(InputStream stream, Consumer<String> output, Runnable ended) {
        Utf8Chunks chunks = new Utf8Chunks();
        byte[] buffer = new byte[16 * 1024];
        try {
            int read;
            while ((read = stream.read(buffer)) >= 0) {
                if (read > 0) {
                    output.accept(chunks.decode(buffer, read));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Linux reports a hung-up pty as EIO rather than end of stream; a failed send ends the pump too.
            LOG.log(System.Logger.Level.DEBUG, "pty " + process.pid() + " output ended", e);
        } finally {
            ended.run();
        }
    }

    private void closeQuietly() {
        try {
            input.close();
            process.getInputStream().close();
        } catch (IOException ignored) {
            // Already closed by the hang-up.
        }
    }
}
