package dev.berth.launch;

import dev.berth.assignment.Assignments;
import dev.berth.course.CourseRole;
import dev.berth.course.Courses;
import dev.berth.course.LaunchSessions;
import dev.berth.lti.LtiLaunch;
import dev.berth.lti.web.LaunchHandler;
import dev.berth.workspace.StudentWorkspaces;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What Berth makes of a validated launch: the course, person, membership, cohorts and assignment it names,
 * a session for the person, and the page they land on (staff: the course; learners: the assignment). A learner's
 * launch also asks for their workspace to run, so it is starting while their browser follows the redirect.
 */
@Component
class LaunchMapping implements LaunchHandler {

    private static final Logger log = LoggerFactory.getLogger(LaunchMapping.class);

    private final Courses courses;
    private final Assignments assignments;
    private final LaunchSessions sessions;
    private final ObjectProvider<StudentWorkspaces> workspaces;
    private final TransactionTemplate savepoint;

    LaunchMapping(
            Courses courses,
            Assignments assignments,
            LaunchSessions sessions,
            ObjectProvider<StudentWorkspaces> workspaces,
            PlatformTransactionManager transactions) {
        this.courses = courses;
        this.assignments = assignments;
        this.sessions = sessions;
        this.workspaces = workspaces;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
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
            Assignments.Launched assignment = assignments.recordLaunch(enrolment.courseId(), launch);
            if (enrolment.role() == CourseRole.STAFF) {
                path = "/courses/" + enrolment.courseId() + "?assignment=" + assignment.id();
            } else {
                startWorkspace(enrolment, assignment);
                path = "/courses/" + enrolment.courseId() + "/assignments/" + assignment.id();
            }
        }
        String sessionId = sessions.open(launch, enrolment, request, response);
        return LaunchSessions.withSessionId(path, sessionId);
    }

    /**
     * Never fails the launch: the assignment page offers a start button and says what is wrong. The request runs
     * under a savepoint of the launch's transaction, so a database error in it is undone alone instead of
     * aborting the launch.
     */
    private void startWorkspace(Courses.Enrolment enrolment, Assignments.Launched assignment) {
        StudentWorkspaces available = workspaces.getIfAvailable();
        if (available == null) {
            return;
        }
        try {
            savepoint.executeWithoutResult(status -> available.ensureRunning(
                    enrolment.personId(), enrolment.courseId(), assignment.id(), assignment.environmentKey()));
        } catch (RuntimeException e) {
            log.warn(
                    "Could not ask for the workspace of person {} in course {} (environment {}) to run: {}",
                    enrolment.personId(),
                    enrolment.courseId(),
                    assignment.environmentKey(),
                    e.toString());
        }
    }
}
