package dev.berth.workspace;

import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceEvent;
import dev.berth.provisioning.Workspaces;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams a workspace's timeline and state changes as server-sent events. Each stream is a task that a small
 * scheduler runs every {@link #TICK}: it reads what is new (two short queries, no connection held between ticks),
 * sends it, and ends when the workspace settles (the IDE can be shown, it failed or it stopped) or after
 * {@link #LIFETIME}, when EventSource reconnects by itself with {@code Last-Event-ID}.
 *
 * <p>Events: {@code step} (id = the timeline event's id; data: at, kind, state, message) and {@code state} (no id;
 * data: state, desiredState, failure, view). The first event of every stream is a {@code state}.
 */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Component
class WorkspaceProgress implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(300);
    static final Duration LIFETIME = Duration.ofMinutes(3);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(WorkspaceProgress.class);

    private final Workspaces workspaces;
    private final StudentWorkspaces students;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(
            2, Thread.ofPlatform().name("workspace-progress-", 0).daemon().factory());

    WorkspaceProgress(Workspaces workspaces, StudentWorkspaces students, Clock clock) {
        this.workspaces = workspaces;
        this.students = students;
        this.clock = clock;
    }

    record Step(long id, Instant at, String kind, String state, String message) {
        static Step of(WorkspaceEvent event) {
            return new Step(
                    event.id(),
                    event.at(),
                    event.kind(),
                    event.state() == null ? null : event.state().name(),
                    event.message());
        }
    }

    record State(String state, String desiredState, String failure, String view) {}

    SseEmitter stream(UUID id, long afterEventId) {
        SseEmitter emitter = new SseEmitter(LIFETIME.plusSeconds(30).toMillis());
        Stream stream = new Stream(id, afterEventId, emitter, clock.instant().plus(LIFETIME));
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        Runnable cancel = () -> Optional.ofNullable(task.get()).ifPresent(f -> f.cancel(false));
        emitter.onCompletion(cancel);
        emitter.onTimeout(cancel);
        emitter.onError(e -> cancel.run());
        task.set(scheduler.scheduleWithFixedDelay(
                () -> {
                    if (!stream.tick()) {
                        cancel.run();
                    }
                },
                0,
                TICK.toMillis(),
                TimeUnit.MILLISECONDS));
        return emitter;
    }

    State state(Workspace workspace) {
        return new State(
                workspace.state().name(),
                workspace.desiredState().name(),
                workspace.failure(),
                students.view(workspace).name());
    }

    private final class Stream {
        private final UUID id;
        private final SseEmitter emitter;
        private final Instant endsAt;
        private long after;
        private State lastState;
        private Instant lastSent;
        private boolean done;

        Stream(UUID id, long after, SseEmitter emitter, Instant endsAt) {
            this.id = id;
            this.after = after;
            this.emitter = emitter;
            this.endsAt = endsAt;
        }

        /** One round; false when the stream is over. */
        boolean tick() {
            if (done) {
                return false;
            }
            try {
                if (lastState == null && !sendState()) {
                    return finish();
                }
                List<WorkspaceEvent> events = workspaces.events(id, after);
                for (WorkspaceEvent event : events) {
                    emitter.send(SseEmitter.event()
                            .id(Long.toString(event.id()))
                            .name("step")
                            .data(Step.of(event), MediaType.APPLICATION_JSON));
                    after = event.id();
                    lastSent = clock.instant();
                }
                if (!sendState()) {
                    return finish();
                }
                if (!lastState.view().equals(StudentWorkspaces.View.PROGRESS.name())
                        || !clock.instant().isBefore(endsAt)) {
                    return finish();
                }
                if (Duration.between(lastSent, clock.instant()).compareTo(HEARTBEAT) >= 0) {
                    emitter.send(SseEmitter.event().comment("still here"));
                    lastSent = clock.instant();
                }
                return true;
            } catch (IOException | IllegalStateException e) {
                // The browser went away (or the emitter completed): nothing to tell anyone.
                done = true;
                return false;
            } catch (RuntimeException e) {
                log.warn("Progress stream of workspace {} ended: {}", id, e.toString());
                done = true;
                emitter.completeWithError(e);
                return false;
            }
        }

        /** Sends the state when it changed; false when the workspace is gone. */
        private boolean sendState() throws IOException {
            Optional<Workspace> workspace = workspaces.find(id);
            if (workspace.isEmpty()) {
                return false;
            }
            State state = state(workspace.get());
            if (!Objects.equals(state, lastState)) {
                emitter.send(SseEmitter.event().name("state").data(state, MediaType.APPLICATION_JSON));
                lastState = state;
                lastSent = clock.instant();
            }
            return true;
        }

        private boolean finish() {
            done = true;
            emitter.complete();
            return false;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
