package dev.berth.workspace;

import dev.berth.course.CourseAccess;
import dev.berth.course.CourseRole;
import dev.berth.course.Courses;
import dev.berth.course.LaunchUser;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceEvent;
import dev.berth.provisioning.Workspaces;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

/** Starting one's workspace from the assignment page, and its state for the page to poll. */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Controller
class WorkspaceController {

    private final Courses courses;
    private final StudentWorkspaces studentWorkspaces;
    private final Workspaces workspaces;
    private final StarterArchiveLookup starters;

    WorkspaceController(
            Courses courses,
            StudentWorkspaces studentWorkspaces,
            Workspaces workspaces,
            StarterArchiveLookup starters) {
        this.courses = courses;
        this.studentWorkspaces = studentWorkspaces;
        this.workspaces = workspaces;
        this.starters = starters;
    }

    /** Post/redirect/get: back to the assignment page, which shows the workspace as it comes up. */
    @PostMapping("/courses/{courseId}/assignments/{assignmentId}/workspace")
    String start(
            @PathVariable long courseId, @PathVariable long assignmentId, @AuthenticationPrincipal LaunchUser user) {
        CourseAccess.require(courses, user, courseId, CourseRole.LEARNER);
        studentWorkspaces.ensureRunning(
                user.personId(),
                courseId,
                starters.starterArchiveId(courseId, assignmentId).orElse(null));
        return "redirect:/courses/" + courseId + "/assignments/" + assignmentId;
    }

    /** Enters the workspace (WorkspaceLinks#openPath): the owner and the course's staff only. */
    @GetMapping("/workspaces/{id}/open")
    String open(@PathVariable UUID id, @AuthenticationPrincipal LaunchUser user) {
        Workspace workspace = enterable(id, user);
        return "redirect:" + WorkspaceGateway.PREFIX + workspace.id() + "/";
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
                WorkspaceGateway.PREFIX + id + "/",
                events);
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

    record Status(UUID id, String state, String desiredState, String failure, String path, List<Event> events) {}

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
