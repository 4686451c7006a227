package dev.berth.course;

import dev.berth.lti.LtiClaims;
import java.util.List;

/** What a person may do in a course, derived from the LIS roles of their launch. */
public enum CourseRole {
    /** Instructor, teaching assistant, content developer or administrator: manages the course. */
    STAFF,
    /** Learner: works on the course's assignments. */
    LEARNER,
    /** Any other role (mentor, observer, guest) or none: may see nothing of the course. */
    NONE;

    private static final List<String> STAFF_ROLES =
            List.of("Instructor", "TeachingAssistant", "ContentDeveloper", "Administrator");

    /**
     * Reads full LIS v2 URIs (context, institution and system roles, sub-roles such as
     * {@code Instructor#TeachingAssistant}) and the short names certification also sends.
     */
    public static CourseRole of(List<String> roles) {
        boolean learner = false;
        for (String role : roles) {
            String name = shortName(role);
            if (STAFF_ROLES.contains(name)) {
                return STAFF;
            }
            if (name.equals("Learner") || name.equals("Student")) {
                learner = true;
            }
        }
        return learner ? LEARNER : NONE;
    }

    /** "…/membership#Instructor" → Instructor; "…/membership/Instructor#TeachingAssistant" → TeachingAssistant. */
    static String shortName(String role) {
        String value = role.strip();
        for (String prefix : List.of(LtiClaims.MEMBERSHIP_ROLE, LtiClaims.INSTITUTION_ROLE, LtiClaims.SYSTEM_ROLE)) {
            if (value.startsWith(prefix)) {
                return value.substring(prefix.length());
            }
        }
        int hash = value.lastIndexOf('#');
        return hash >= 0 ? value.substring(hash + 1) : value;
    }

    public String column() {
        return name().toLowerCase();
    }
}
