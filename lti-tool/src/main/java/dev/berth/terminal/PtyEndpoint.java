package dev.berth.terminal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The terminal's WebSocket: one shell per connection, gone when the connection is.
 *
 * <p>Protocol: text frames from the browser are keystrokes (or a paste), written to the shell as UTF-8; binary
 * frames are control messages, a small JSON object {@code {"cols":120,"rows":40}} to resize. Keeping control
 * out of the text channel means no typed or pasted text can ever be mistaken for one. Text frames to the
 * browser are the shell's output. Initial size comes from the {@code cols} and {@code rows} query parameters.
 */
final class PtyEndpoint extends Endpoint {

    private static final System.Logger LOG = System.getLogger(PtyEndpoint.class.getName());
    private static final Pattern COLS = Pattern.compile("\"cols\"\\s*:\\s*(\\d{1,4})");
    private static final Pattern ROWS = Pattern.compile("\"rows\"\\s*:\\s*(\\d{1,4})");
    private static final String SHELL = "berth.shell";

    /** Tomcat's timeout for a blocking send: a browser that stops reading for this long is dropped. */
    private static final long SEND_TIMEOUT_MILLIS = 30_000;

    private final ShellEnvironment environment;
    private final Shells shells;

    PtyEndpoint(ShellEnvironment environment, Shells shells) {
        this.environment = environment;
        this.shells = shells;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.setMaxTextMessageBufferSize(1024 * 1024);
        session.setMaxBinaryMessageBufferSize(1024);
        session.setMaxIdleTimeout(0);
        session.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", SEND_TIMEOUT_MILLIS);
        Map<String, List<String>> query = session.getRequestParameterMap();
        int columns = dimension(first(query, "cols"), 80);
        int rows = dimension(first(query, "rows"), 24);
        ShellSession shell;
        try {
            shell = ShellSession.start(
                    environment, columns, rows, text -> send(session, text), () -> closeQuietly(session));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "could not start " + environment.shell(), e);
            closeQuietly(session, new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "shell failed"));
            return;
        }
        shells.add(shell);
        session.getUserProperties().put(SHELL, shell);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
            try {
                shell.write(text);
            } catch (IOException e) {
                closeQuietly(session);
            }
        });
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) control -> {
            String json = StandardCharsets.UTF_8.decode(control).toString();
            Optional<Integer> newColumns = number(COLS.matcher(json));
            Optional<Integer> newRows = number(ROWS.matcher(json));
            if (newColumns.isPresent() && newRows.isPresent()) {
                shell.resize(dimension(newColumns.get(), 80), dimension(newRows.get(), 24));
            }
        });
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        if (session.getUserProperties().remove(SHELL) instanceof ShellSession shell) {
            shells.remove(shell);
            shell.terminate();
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        LOG.log(System.Logger.Level.DEBUG, "terminal socket failed", failure);
    }

    private static void send(Session session, String text) {
        try {
            session.getBasicRemote().sendText(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(Session session) {
        closeQuietly(session, new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "shell exited"));
    }

    private static void closeQuietly(Session session, CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException ignored) {
            // The browser is already gone.
        }
    }

    private static Optional<String> first(Map<String, List<String>> query, String name) {
        return Optional.ofNullable(query.get(name))
                .flatMap(values -> values.stream().findFirst());
    }

    private static int dimension(Optional<String> value, int fallback) {
        try {
            return value.map(Integer::parseInt).map(n -> dimension(n, fallback)).orElse(fallback);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static int dimension(int value, int fallback) {
        return value >= 1 && value <= 1000 ? value : fallback;
    }

    private static Optional<Integer> number(Matcher matcher) {
        return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
    }
}
