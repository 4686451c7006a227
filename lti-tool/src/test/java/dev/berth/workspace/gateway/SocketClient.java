package dev.berth.workspace.gateway;

import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** A browser's side of a WebSocket: collects text, binary and the close the other side sends. */
final class SocketClient implements WebSocket.Listener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newHttpClient();
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder partial = new StringBuilder();
    private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    final AtomicLong messages = new AtomicLong();
    final WebSocket socket;

    SocketClient(URI uri, String... subprotocols) {
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (subprotocols.length > 0) {
            builder.subprotocols(
                    subprotocols[0],
                    List.of(subprotocols).subList(1, subprotocols.length).toArray(String[]::new));
        }
        this.socket = builder.buildAsync(uri, this).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (text) {
            partial.append(data);
            if (last) {
                text.append(partial).append('\n');
                partial.setLength(0);
                messages.incrementAndGet();
            }
            text.notifyAll();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        synchronized (text) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.incrementAndGet();
            }
            text.notifyAll();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("error " + error);
    }

    String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    byte[] binary() {
        synchronized (text) {
            return binary.toByteArray();
        }
    }

    /** Waits until the text received so far, as a whole, satisfies {@code done}. */
    String await(Predicate<String> done, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (text) {
            while (!done.test(text.toString())) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return fail("No " + what + " within " + WAIT + "; received:\n" + text);
                }
                try {
                    text.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return fail("interrupted");
                }
            }
            return text.toString();
        }
    }

    void awaitMessages(long count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (text) {
            while (messages.get() < count) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    fail("Only " + messages.get() + " of " + count + " messages within " + WAIT);
                }
                try {
                    text.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "")
                    .orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
        }
        http.close();
    }
}
