package dev.berth.course;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The person behind a Berth session, with the courses their launches opened and their role in each. Stored
 * in the session (PostgreSQL), so it is serializable and small.
 */
public record LaunchUser(long personId, long platformId, String displayName, Map<Long, CourseRole> courses)
        implements Serializable {

    public LaunchUser {
        courses = Map.copyOf(courses);
    }

    public CourseRole roleIn(long courseId) {
        return courses.getOrDefault(courseId, CourseRole.NONE);
    }

    LaunchUser with(long courseId, CourseRole role) {
        Map<Long, CourseRole> updated = new HashMap<>(courses);
        updated.put(courseId, role);
        return new LaunchUser(personId, platformId, displayName, updated);
    }
}
