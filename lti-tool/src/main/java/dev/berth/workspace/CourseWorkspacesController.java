package dev.berth.workspace;

import dev.berth.audit.AuditLog;
import dev.berth.course.CourseAccess;
import dev.berth.course.CourseRole;
import dev.berth.course.Courses;
import dev.berth.course.LaunchUser;
import dev.berth.provisioning.UnknownEnvironmentException;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceEvent;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.WorkspaceSummary;
import dev.berth.provisioning.Workspaces;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

/**
 * What a course's staff do to its workspaces: start, stop and restart one, start a learner's first one, start
 * or stop all of them (with a progress view derived from their states), and read one's output and timeline.
 * Every action needs staff of this very course, touches only workspaces of this course, and is audited.
 */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Controller
class CourseWorkspacesController {

    /** How much of a workspace's output the logs page shows. */
    static final int LOG_TAIL_BYTES = 64 * 1024;

    private static final int TIMELINE_EVENTS = 200;

    private final Courses courses;
    private final Workspaces workspaces;
    private final CourseWorkspaces courseWorkspaces;
    private final CourseEnvironments environments;
    private final AuditLog audit;
    private final MessageSource messages;

    CourseWorkspacesController(
            Courses courses,
            Workspaces workspaces,
            CourseWorkspaces courseWorkspaces,
            CourseEnvironments environments,
            AuditLog audit,
            MessageSource messages) {
        this.courses = courses;
        this.workspaces = workspaces;
        this.courseWorkspaces = courseWorkspaces;
        this.environments = environments;
        this.audit = audit;
        this.messages = messages;
    }

    @PostMapping("/courses/{courseId}/workspaces/{id}/start")
    String start(@PathVariable long courseId, @PathVariable UUID id, @AuthenticationPrincipal LaunchUser user) {
        Workspace workspace = staffWorkspace(courseId, id, user);
        workspaces.start(id);
        record(user, "workspace.start", workspace);
        return backToTable(courseId);
    }

    @PostMapping("/courses/{courseId}/workspaces/{id}/stop")
    String stop(@PathVariable long courseId, @PathVariable UUID id, @AuthenticationPrincipal LaunchUser user) {
        Workspace workspace = staffWorkspace(courseId, id, user);
        workspaces.stop(id);
        record(user, "workspace.stop", workspace);
        return backToTable(courseId);
    }

    @PostMapping("/courses/{courseId}/workspaces/{id}/restart")
    String restart(@PathVariable long courseId, @PathVariable UUID id, @AuthenticationPrincipal LaunchUser user) {
        Workspace workspace = staffWorkspace(courseId, id, user);
        workspaces.restart(id);
        record(user, "workspace.restart", workspace);
        return backToTable(courseId);
    }

    /** A learner who has no workspace yet (or none in this environment) gets one, started. */
    @PostMapping("/courses/{courseId}/workspaces/start")
    String startFor(
            @PathVariable long courseId,
            @RequestParam long personId,
            @RequestParam(defaultValue = WorkspaceAccess.TERMINAL) String environment,
            @AuthenticationPrincipal LaunchUser user) {
        CourseAccess.require(courses, user, courseId, CourseRole.STAFF);
        requireOffered(courseId, environment);
        if (courses.members(courseId).stream().noneMatch(member -> member.personId() == personId)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such member of this course");
        }
        Workspace workspace = ensureRunning(personId, courseId, environment);
        record(user, "workspace.start", workspace);
        return backToTable(courseId);
    }

    @PostMapping("/courses/{courseId}/workspaces/start-all")
    String startAll(
            @PathVariable long courseId,
            @RequestParam(defaultValue = WorkspaceAccess.TERMINAL) String environment,
            @AuthenticationPrincipal LaunchUser user) {
        CourseAccess.require(courses, user, courseId, CourseRole.STAFF);
        requireOffered(courseId, environment);
        int learners = 0;
        for (Courses.Member member : courses.members(courseId)) {
            if (member.role() == CourseRole.LEARNER) {
                ensureRunning(member.personId(), courseId, environment);
                learners++;
            }
        }
        Map<String, Object> details = details(user);
        details.put("environment", environment);
        details.put("learners", learners);
        audit.record(actor(user), "course.workspaces.start-all", WorkspaceAccess.scopeRef(courseId), details);
        return "redirect:/courses/" + courseId + "?bulk=start#workspaces";
    }

    @PostMapping("/courses/{courseId}/workspaces/stop-all")
    String stopAll(@PathVariable long courseId, @AuthenticationPrincipal LaunchUser user) {
        CourseAccess.require(courses, user, courseId, CourseRole.STAFF);
        int stopped = 0;
        for (WorkspaceSummary summary : workspaces.summaries(WorkspaceAccess.scopeRef(courseId))) {
            Workspace workspace = summary.workspace();
            if (workspace.desiredState() == WorkspaceState.RUNNING) {
                workspaces.stop(workspace.id());
                stopped++;
            }
        }
        Map<String, Object> details = details(user);
        details.put("workspaces", stopped);
        audit.record(actor(user), "course.workspaces.stop-all", WorkspaceAccess.scopeRef(courseId), details);
        return "redirect:/courses/" + courseId + "?bulk=stop#workspaces";
    }

    /** Where a start all or stop all stands, from the workspaces' states: what the progress panel polls. */
    @GetMapping("/courses/{courseId}/workspaces/progress")
    @ResponseBody
    ProgressView progress(
            @PathVariable long courseId,
            @RequestParam(required = false) String direction,
            @AuthenticationPrincipal LaunchUser user,
            Locale locale) {
        CourseAccess.require(courses, user, courseId, CourseRole.STAFF);
        if (direction != null && !direction.equals("start") && !direction.equals("stop")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "direction is start or stop");
        }
        CourseWorkspaces.Progress progress =
                CourseWorkspaces.Progress.of(workspaces.summaries(WorkspaceAccess.scopeRef(courseId)), direction);
        return ProgressView.of(progress, summary(progress, locale));
    }

    @GetMapping("/courses/{courseId}/workspaces/{id}/logs")
    String logs(
            @PathVariable long courseId, @PathVariable UUID id, @AuthenticationPrincipal LaunchUser user, Model model) {
        Courses.Course course = CourseAccess.require(courses, user, courseId, CourseRole.STAFF);
        Workspace workspace = courseWorkspaces
                .inCourse(courseId, id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        List<WorkspaceEvent> events = workspaces.events(id, 0);
        model.addAttribute("course", course);
        model.addAttribute("user", user);
        model.addAttribute("workspace", workspace);
        model.addAttribute(
                "owner",
                courses.members(courseId).stream()
                        .filter(member ->
                                WorkspaceAccess.ownerRef(member.personId()).equals(workspace.ownerRef()))
                        .findFirst()
                        .orElse(null));
        model.addAttribute("log", workspaces.logs(id, LOG_TAIL_BYTES));
        model.addAttribute("logLimitKib", LOG_TAIL_BYTES / 1024);
        model.addAttribute("events", events.subList(Math.max(0, events.size() - TIMELINE_EVENTS), events.size()));
        return "workspace/logs";
    }

    record ProgressView(
            String direction,
            int total,
            int running,
            int starting,
            int queued,
            int stopping,
            int stopped,
            int failed,
            int percent,
            boolean done,
            String summary) {
        static ProgressView of(CourseWorkspaces.Progress p, String summary) {
            return new ProgressView(
                    p.direction(),
                    p.total(),
                    p.running(),
                    p.starting(),
                    p.queued(),
                    p.stopping(),
                    p.stopped(),
                    p.failed(),
                    p.percent(),
                    p.done(),
                    summary);
        }
    }

    String summary(CourseWorkspaces.Progress p, Locale locale) {
        Object[] args = "stop".equals(p.direction())
                ? new Object[] {p.stopped(), p.total(), p.stopping(), p.failed()}
                : new Object[] {p.running(), p.total(), p.starting(), p.queued(), p.failed()};
        String key = "stop".equals(p.direction()) ? "workspaces.progress.stop" : "workspaces.progress.start";
        return messages.getMessage(key, args, locale);
    }

    private Workspace ensureRunning(long personId, long courseId, String environment) {
        try {
            return workspaces.ensureRunning(
                    WorkspaceAccess.ownerRef(personId), WorkspaceAccess.scopeRef(courseId), environment);
        } catch (UnknownEnvironmentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private void requireOffered(long courseId, String environment) {
        if (!environments.offers(courseId, environment)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "This course does not use that environment");
        }
    }

    /** Staff of this course, and a workspace of this course: anything else is refused before anything changes. */
    private Workspace staffWorkspace(long courseId, UUID id, LaunchUser user) {
        CourseAccess.require(courses, user, courseId, CourseRole.STAFF);
        return courseWorkspaces
                .inCourse(courseId, id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private void record(LaunchUser user, String action, Workspace workspace) {
        Map<String, Object> details = details(user);
        details.put("course", workspace.scopeRef());
        details.put("owner", workspace.ownerRef());
        details.put("environment", workspace.environmentKey());
        audit.record(actor(user), action, "workspace:" + workspace.id(), details);
    }

    private static Map<String, Object> details(LaunchUser user) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (user.displayName() != null) {
            details.put("by", user.displayName());
        }
        return details;
    }

    private static String actor(LaunchUser user) {
        return WorkspaceAccess.ownerRef(user.personId());
    }

    private static String backToTable(long courseId) {
        return "redirect:/courses/" + courseId + "#workspaces";
    }
}
