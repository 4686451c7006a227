package dev.berth.workspace;

import dev.berth.course.LaunchUser;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceEvent;
import dev.berth.provisioning.Workspaces;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Entering a workspace, and its progress for the student page: a live event stream, or its state to poll. */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Controller
class WorkspaceController {

    private final Workspaces workspaces;
    private final WorkspaceProgress progress;

    WorkspaceController(Workspaces workspaces, WorkspaceProgress progress) {
        this.workspaces = workspaces;
        this.progress = progress;
    }

    /**
     * The timeline after {@code after} (or the {@code Last-Event-ID} EventSource sends when it reconnects) and
     * every state change, as server-sent events, until the workspace settles. See {@link WorkspaceProgress}.
     */
    @GetMapping(path = "/workspaces/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "0") long after,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @AuthenticationPrincipal LaunchUser user) {
        enterable(id, user);
        return progress.stream(id, Math.max(0, Math.max(after, parse(lastEventId))));
    }

    @GetMapping("/workspaces/{id}/status")
    @ResponseBody
    Status status(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "0") long after,
            @AuthenticationPrincipal LaunchUser user) {
        Workspace workspace = enterable(id, user);
        List<Event> events =
                workspaces.events(id, after).stream().map(Event::of).toList();
        return new Status(
                id,
                workspace.state().name(),
                workspace.desiredState().name(),
                workspace.failure(),
                WorkspaceLinks.openPath(id),
                events,
                progress.state(workspace).view());
    }

    private Workspace enterable(UUID id, LaunchUser user) {
        if (user == null) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED);
        }
        Workspace workspace = workspaces.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (!WorkspaceAccess.mayEnter(user, workspace)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        return workspace;
    }

    private static long parse(String lastEventId) {
        if (lastEventId == null) {
            return 0;
        }
        try {
            return Long.parseLong(lastEventId.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code view}: what the student page shows (PROGRESS, IDE, FAILED, STOPPED). */
    record Status(
            UUID id, String state, String desiredState, String failure, String path, List<Event> events, String view) {}

    record Event(long id, Instant at, String kind, String state, String message) {
        static Event of(WorkspaceEvent event) {
            return new Event(
                    event.id(),
                    event.at(),
                    event.kind(),
                    event.state() == null ? null : event.state().name(),
                    event.message());
        }
    }
}
