package dev.berth.assignment;

import dev.berth.course.CourseAccess;
import dev.berth.course.CourseRole;
import dev.berth.course.Courses;
import dev.berth.course.LaunchUser;
import dev.berth.workspace.StudentWorkspaces;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/** The assignment page a student lands on after a launch. */
@Controller
class AssignmentController {

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
            @AuthenticationPrincipal LaunchUser user,
            Model model) {
        Courses.Course course = CourseAccess.require(courses, user, courseId, CourseRole.LEARNER);
        Assignments.Assignment assignment = assignments
                .find(courseId, assignmentId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        model.addAttribute("course", course);
        model.addAttribute("assignment", assignment);
        model.addAttribute("user", user);
        model.addAttribute("role", user.roleIn(courseId));
        StudentWorkspaces available = workspaces.getIfAvailable();
        model.addAttribute("workspacesEnabled", available != null);
        model.addAttribute(
                "workspace",
                available == null
                        ? null
                        : available.find(user.personId(), courseId).orElse(null));
        return "assignment/assignment";
    }
}
