package dev.berth.course;

import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
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
    private final ObjectProvider<CoursePageSection> sections;

    CourseController(Courses courses, ObjectProvider<CoursePageSection> sections) {
        this.courses = courses;
        this.sections = sections;
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
        List<Courses.Member> members = courses.members(courseId);
        model.addAttribute("members", members);
        model.addAttribute("cohorts", courses.cohorts(courseId));
        model.addAttribute("assignments", courses.assignments(courseId));
        model.addAttribute("launchedAssignment", assignment);
        sections.orderedStream().forEach(section -> section.addTo(course, members, user, model));
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
