package dev.berth.course;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The one check every course page makes: this session launched into the course with at least this role. */
public final class CourseAccess {

    private CourseAccess() {}

    public static Courses.Course require(Courses courses, LaunchUser user, long courseId, CourseRole needed) {
        if (user == null) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED);
        }
        if (!user.courses().containsKey(courseId)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        CourseRole role = user.roleIn(courseId);
        boolean allowed =
                switch (needed) {
                    case NONE -> true;
                    case LEARNER -> role == CourseRole.LEARNER || role == CourseRole.STAFF;
                    case STAFF -> role == CourseRole.STAFF;
                };
        if (!allowed) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        return courses.find(courseId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }
}
