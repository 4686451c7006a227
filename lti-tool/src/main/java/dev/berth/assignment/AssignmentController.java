package dev.berth.assignment;

import dev.berth.course.CourseAccess;
import dev.berth.course.CourseRole;
import dev.berth.course.Courses;
import dev.berth.course.LaunchUser;
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

    AssignmentController(Courses courses, Assignments assignments) {
        this.courses = courses;
        this.assignments = assignments;
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
        return "assignment/assignment";
    }
}
