package dev.berth.terminal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The shells this server runs, so that stopping the server ends every one of them. */
final class Shells {

    private final Set<ShellSession> running = ConcurrentHashMap.newKeySet();

    void add(ShellSession shell) {
        running.add(shell);
    }

    void remove(ShellSession shell) {
        running.remove(shell);
    }

    int count() {
        return running.size();
    }

    /** Terminates every shell and waits, at most {@code limit}, until their sessions are gone. */
    void terminateAll(Duration limit) {
        CompletableFuture<?>[] gone =
                running.stream().map(ShellSession::terminate).toArray(CompletableFuture<?>[]::new);
        running.clear();
        try {
            CompletableFuture.allOf(gone).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.getLogger(Shells.class.getName())
                    .log(System.Logger.Level.WARNING, "some shells did not end in time", e);
        }
    }
}
