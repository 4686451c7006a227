package dev.berth.assignment;

import dev.berth.course.CourseAccess;
import dev.berth.course.CourseRole;
import dev.berth.course.Courses;
import dev.berth.course.LaunchUser;
import dev.berth.provisioning.UnknownEnvironmentException;
import dev.berth.provisioning.Workspace;
import dev.berth.workspace.StudentWorkspaces;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The assignment page a student lands on after a launch: the steps of their workspace starting, then the IDE at
 * full size, or what went wrong. Staff also choose the assignment's environment here.
 */
@Controller
class AssignmentController {

    private static final Logger log = LoggerFactory.getLogger(AssignmentController.class);

    private final Courses courses;
    private final Assignments assignments;
    private final ObjectProvider<StudentWorkspaces> workspaces;

    AssignmentController(Courses courses, Assignments assignments, ObjectProvider<StudentWorkspaces> workspaces) {
        this.courses = courses;
        this.assignments = assignments;
        this.workspaces = workspaces;
    }

    @GetMapping("/courses/{courseId}/assignments/{assignmentId}")
    String assignment(
            @PathVariable long courseId,
            @PathVariable long assignmentId,
            @RequestParam(name = "environmentSaved", required = false) String environmentSaved,
            @AuthenticationPrincipal LaunchUser user,
            Model model) {
        Courses.Course course = CourseAccess.require(courses, user, courseId, CourseRole.LEARNER);
        Assignments.Assignment assignment = find(courseId, assignmentId);
        CourseRole role = user.roleIn(courseId);
        model.addAttribute("course", course);
        model.addAttribute("assignment", assignment);
        model.addAttribute("user", user);
        model.addAttribute("role", role);
        boolean staff = role == CourseRole.STAFF;
        model.addAttribute("staff", staff);
        StudentWorkspaces available = workspaces.getIfAvailable();
        model.addAttribute("workspacesEnabled", available != null);
        Workspace workspace = available == null
                ? null
                : available
                        .find(user.personId(), courseId, assignment.environmentKey())
                        .orElse(null);
        model.addAttribute("workspace", workspace);
        StudentWorkspaces.View view = workspace == null ? null : available.view(workspace);
        model.addAttribute("view", view == null ? null : view.name());
        if (view == StudentWorkspaces.View.IDE && !staff) {
            return "assignment/workspace";
        }
        if (view == StudentWorkspaces.View.FAILED) {
            String reference = available.failureReference(workspace.id());
            log.warn(
                    "Workspace {} of person {} failed (reference {}): {}",
                    workspace.id(),
                    user.personId(),
                    reference,
                    workspace.failure());
            model.addAttribute("reference", reference);
        }
        if (view == StudentWorkspaces.View.PROGRESS) {
            model.addAttribute("progressAfter", available.attemptStart(workspace.id()));
            // A reset restarts the workspace: its steps show here, under the reset's own heading.
            model.addAttribute("resetting", available.resetPending(workspace.id()));
        }
        if (staff || workspace == null) {
            List<Assignments.EnvironmentChoice> environments = assignments.environments();
            model.addAttribute("environments", environments);
            model.addAttribute("environmentAvailable", environments.stream().anyMatch(e -> e.key()
                    .equals(assignment.environmentKey())));
        }
        model.addAttribute("environmentSaved", environmentSaved != null);
        return "assignment/assignment";
    }

    /** Start (or "try again"): post/redirect/get back to the page, which shows the steps as they happen. */
    @PostMapping("/courses/{courseId}/assignments/{assignmentId}/workspace")
    String start(
            @PathVariable long courseId, @PathVariable long assignmentId, @AuthenticationPrincipal LaunchUser user) {
        CourseAccess.require(courses, user, courseId, CourseRole.LEARNER);
        Assignments.Assignment assignment = find(courseId, assignmentId);
        try {
            required().ensureRunning(user.personId(), courseId, assignmentId, assignment.environmentKey());
        } catch (UnknownEnvironmentException e) {
            // The page says the environment is not available and tells the student to ask their instructor.
            log.warn("Assignment {} opens environment {}, which is not available", assignmentId, e.getMessage());
        }
        return redirect(courseId, assignmentId);
    }

    @PostMapping("/courses/{courseId}/assignments/{assignmentId}/workspace/restart")
    String restart(
            @PathVariable long courseId, @PathVariable long assignmentId, @AuthenticationPrincipal LaunchUser user) {
        CourseAccess.require(courses, user, courseId, CourseRole.LEARNER);
        Assignments.Assignment assignment = find(courseId, assignmentId);
        required()
                .restart(user.personId(), courseId, assignment.environmentKey())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        return redirect(courseId, assignmentId);
    }

    /** Staff choose the environment the assignment opens; audited. */
    @PostMapping("/courses/{courseId}/assignments/{assignmentId}/environment")
    String chooseEnvironment(
            @PathVariable long courseId,
            @PathVariable long assignmentId,
            @RequestParam(name = "environment", defaultValue = "") String environment,
            @AuthenticationPrincipal LaunchUser user) {
        CourseAccess.require(courses, user, courseId, CourseRole.STAFF);
        find(courseId, assignmentId);
        if (!assignments.chooseEnvironment(courseId, assignmentId, environment, "person:" + user.personId())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Unknown or disabled environment");
        }
        return redirect(courseId, assignmentId) + "?environmentSaved";
    }

    private Assignments.Assignment find(long courseId, long assignmentId) {
        return assignments
                .find(courseId, assignmentId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private StudentWorkspaces required() {
        StudentWorkspaces available = workspaces.getIfAvailable();
        if (available == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return available;
    }

    private static String redirect(long courseId, long assignmentId) {
        return "redirect:/courses/" + courseId + "/assignments/" + assignmentId;
    }
}
