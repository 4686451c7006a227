package dev.berth.sandbox;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One LMS the sandbox imitates: its registration of Berth (client id, deployments) and the courses it holds.
 *
 * @param key the path segment of its URLs and of its issuer ({@code canvas}, {@code moodle}, {@code brightspace})
 * @param name what people see, such as "Canvas"
 * @param product Berth's product name for the registration
 * @param productFamilyCode the {@code tool_platform.product_family_code} the real LMS sends
 * @param clientId the client id the LMS gave Berth
 * @param login how the LMS sends the browser to Berth's login initiation URL
 * @param tokenAudience the {@code aud} Berth's client assertions must carry, when it is not the token URL
 * @param extraAudience a second {@code aud} entry of every id_token (Brightspace names its token service)
 * @param tokenLifetimeSeconds {@code exp - iat} of the id_tokens
 */
record SandboxPlatform(
        String key,
        String name,
        String product,
        String productFamilyCode,
        String platformVersion,
        String clientId,
        Login login,
        String tokenAudience,
        String extraAudience,
        long tokenLifetimeSeconds,
        List<SandboxCourse> courses) {

    /** Canvas and Moodle post an auto-submitting form to the tool; Brightspace redirects. */
    enum Login {
        AUTO_POST,
        REDIRECT
    }

    List<String> deploymentIds() {
        return courses.stream().map(SandboxCourse::deploymentId).distinct().toList();
    }

    Optional<SandboxCourse> course(String key) {
        return courses.stream().filter(c -> c.key().equals(key)).findFirst();
    }

    /** A course of the LMS, placed in one deployment of Berth, with its assignments and people. */
    record SandboxCourse(
            String key,
            String contextId,
            String label,
            String title,
            String deploymentId,
            String sectionId,
            String sectionName,
            List<SandboxLink> links,
            List<SandboxPerson> people) {

        Optional<SandboxLink> link(String key) {
            return links.stream().filter(l -> l.key().equals(key)).findFirst();
        }

        Optional<SandboxPerson> person(String key) {
            return people.stream().filter(p -> p.key().equals(key)).findFirst();
        }
    }

    /**
     * An assignment that opens Berth: an LTI resource link. {@code environment}, when not null, is sent as the
     * custom parameter {@code environment} (as a Canvas custom field {@code environment=jupyter} would be).
     */
    record SandboxLink(String key, String id, String title, String description, String environment) {
        SandboxLink(String key, String id, String title, String description) {
            this(key, id, title, description, null);
        }
    }

    /**
     * Someone in a course, as the LMS knows them.
     *
     * @param sub the stable user id in id_tokens
     * @param loginHint what the LMS sends as {@code login_hint} at login initiation
     * @param ids LMS-specific identifiers (legacy LTI 1.1 id, SIS id, user name…) for the vendor claims
     */
    record SandboxPerson(
            String key,
            String sub,
            String loginHint,
            String givenName,
            String familyName,
            String email,
            Role role,
            Map<String, String> ids) {

        /** The full name, or null for someone the LMS shares no name of. */
        public String name() {
            if (givenName == null && familyName == null) {
                return null;
            }
            return ((givenName == null ? "" : givenName) + " " + (familyName == null ? "" : familyName)).strip();
        }

        public String label() {
            String name = name();
            return name != null ? name : "Anonymous (sub " + sub + ")";
        }
    }

    /** What someone is in a course, as full LIS v2 role URIs (LTI Core §A.2). */
    enum Role {
        STUDENT(
                "Student",
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student"),
        INSTRUCTOR(
                "Instructor",
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty",
                "http://purl.imsglobal.org/vocab/lis/v2/system/person#User"),
        TEACHING_ASSISTANT(
                "Teaching assistant",
                "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student"),
        /** Canvas's "Student view": a learner the instructor launches as. */
        TEST_STUDENT("Test student", "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"),
        /** A learner whose LMS shares neither name nor email (Moodle's privacy settings, for one). */
        ANONYMOUS("Student, no name shared", "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner");

        private final String label;
        private final List<String> uris;

        Role(String label, String... uris) {
            this.label = label;
            this.uris = List.of(uris);
        }

        public String label() {
            return label;
        }

        List<String> uris() {
            return uris;
        }

        boolean staff() {
            return this == INSTRUCTOR || this == TEACHING_ASSISTANT;
        }
    }
}
