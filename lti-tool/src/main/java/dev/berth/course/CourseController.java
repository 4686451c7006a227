package dev.berth.course;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The course page that staff land on, and the pages for launches Berth cannot serve yet or to this role. */
@Controller
class CourseController {

    private final Courses courses;

    CourseController(Courses courses) {
        this.courses = courses;
    }

    @GetMapping("/courses/{courseId}")
    String course(
            @PathVariable long courseId,
            @RequestParam(required = false) Long assignment,
            @AuthenticationPrincipal LaunchUser user,
            Model model) {
        Courses.Course course = CourseAccess.require(courses, user, courseId, CourseRole.STAFF);
        model.addAttribute("course", course);
        model.addAttribute("user", user);
        model.addAttribute("role", user.roleIn(courseId));
        model.addAttribute("members", courses.members(courseId));
        model.addAttribute("cohorts", courses.cohorts(courseId));
        model.addAttribute("assignments", courses.assignments(courseId));
        model.addAttribute("launchedAssignment", assignment);
        return "course/course";
    }

    @GetMapping("/courses/{courseId}/deep-linking")
    String deepLinking(@PathVariable long courseId, @AuthenticationPrincipal LaunchUser user, Model model) {
        model.addAttribute("course", CourseAccess.require(courses, user, courseId, CourseRole.NONE));
        model.addAttribute("user", user);
        model.addAttribute("role", user.roleIn(courseId));
        return "course/deep-linking";
    }

    @GetMapping("/courses/{courseId}/no-access")
    String noAccess(@PathVariable long courseId, @AuthenticationPrincipal LaunchUser user, Model model) {
        model.addAttribute("course", CourseAccess.require(courses, user, courseId, CourseRole.NONE));
        model.addAttribute("user", user);
        return "course/no-access";
    }
}
