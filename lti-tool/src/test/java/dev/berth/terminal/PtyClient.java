package dev.berth.terminal;

import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A WebSocket client speaking the terminal's protocol, collecting everything the shell prints. */
public final class PtyClient implements WebSocket.Listener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newHttpClient();
    private final StringBuilder output = new StringBuilder();
    private final StringBuilder partial = new StringBuilder();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    public PtyClient(URI uri) {
        this(uri, Map.of());
    }

    /**
     * With handshake headers, e.g. the Host, Origin and Cookie of a page on a workspace's own host (Host needs
     * {@code jdk.httpclient.allowRestrictedHeaders=host}, which the surefire configuration sets).
     */
    public PtyClient(URI uri, Map<String, String> headers) {
        WebSocket.Builder builder = http.newWebSocketBuilder();
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(uri, this).join();
    }

    public void type(String text) {
        socket.sendText(text, true).join();
    }

    void control(String json) {
        socket.sendBinary(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), true)
                .join();
    }

    private static final Pattern ESCAPES = Pattern.compile("\u001B(\\[[0-9;?]*[A-Za-z]|\\][^\u0007]*\u0007|[=>])");

    /**
     * Waits until the output, without terminal escape sequences and carriage returns, matches {@code pattern}; returns the first
     * match's group 1 (or the whole match).
     */
    public String await(Pattern pattern) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (output) {
            while (true) {
                Matcher matcher = pattern.matcher(plain(output));
                if (matcher.find()) {
                    return matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return fail(
                            "No output matching " + pattern + " within " + WAIT + "; the shell printed:\n" + output);
                }
                try {
                    output.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return fail("interrupted");
                }
            }
        }
    }

    static String plain(CharSequence output) {
        return ESCAPES.matcher(output).replaceAll("").replace("\r", "");
    }

    /** Waits until more than {@code length} characters have arrived; returns the new length. */
    int awaitLongerThan(int length) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (output) {
            while (output.length() <= length) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return fail("no output after " + length + " characters within " + WAIT);
                }
                output.wait(left);
            }
            return output.length();
        }
    }

    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            synchronized (output) {
                output.append(partial);
                output.notifyAll();
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
        http.close();
    }
}
