package dev.berth.launch;

import dev.berth.assignment.Assignments;
import dev.berth.course.CourseRole;
import dev.berth.course.Courses;
import dev.berth.course.LaunchSessions;
import dev.berth.lti.LtiLaunch;
import dev.berth.lti.web.LaunchHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;

/**
 * What Berth makes of a validated launch: the course, person, membership, cohorts and assignment it names,
 * a session for the person, and the page they land on (staff: the course; learners: the assignment).
 */
@Component
class LaunchMapping implements LaunchHandler {

    private final Courses courses;
    private final Assignments assignments;
    private final LaunchSessions sessions;

    LaunchMapping(Courses courses, Assignments assignments, LaunchSessions sessions) {
        this.courses = courses;
        this.assignments = assignments;
        this.sessions = sessions;
    }

    @Override
    public String accept(LtiLaunch launch, HttpServletRequest request, HttpServletResponse response) {
        Courses.Enrolment enrolment = courses.recordLaunch(launch);
        String path;
        if (launch.isDeepLinking()) {
            path = "/courses/" + enrolment.courseId() + "/deep-linking";
        } else if (enrolment.role() == CourseRole.NONE) {
            path = "/courses/" + enrolment.courseId() + "/no-access";
        } else {
            long assignment = assignments.recordLaunch(enrolment.courseId(), launch);
            path = enrolment.role() == CourseRole.STAFF
                    ? "/courses/" + enrolment.courseId() + "?assignment=" + assignment
                    : "/courses/" + enrolment.courseId() + "/assignments/" + assignment;
        }
        String sessionId = sessions.open(launch, enrolment, request, response);
        return LaunchSessions.withSessionId(path, sessionId);
    }
}
