package dev.berth.course;

import dev.berth.database.Upserts;
import dev.berth.lti.LtiLaunch;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Courses, people, memberships and cohorts as launches describe them. Every launch updates the rows it names
 * and never duplicates them: each is keyed by what the LMS keeps stable (issuer and context id, issuer and
 * {@code sub}), never by email or name.
 */
@Component
public class Courses {

    private final JdbcClient jdbc;
    private final Clock clock;

    Courses(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** What a launch made of its user and course. */
    public record Enrolment(long courseId, long personId, CourseRole role, String displayName) {}

    /**
     * Writes the person, the course, the membership and, for a learner, the course's cohort in one statement (a
     * launch is the hot path: one round trip instead of five); section cohorts, when the LMS names any, follow.
     */
    public Enrolment recordLaunch(LtiLaunch launch) {
        Timestamp now = Timestamp.from(clock.instant());
        LtiLaunch.Person person = launch.person();
        LtiLaunch.Context context = launch.context();
        // A launch without a context claim (allowed by Core §5.4.1) belongs to its deployment as a whole.
        String contextId = context != null ? context.id() : "deployment:" + launch.deploymentId();
        String title = context != null && context.title() != null
                ? context.title()
                : launch.platform().name();
        String label = context != null ? context.label() : null;
        CourseRole role = CourseRole.of(launch.roles());
        Map<String, Object> params = new HashMap<>();
        params.put("platform", launch.platform().id());
        params.put("subject", launch.subject());
        params.put("name", person.name());
        params.put("givenName", person.givenName());
        params.put("familyName", person.familyName());
        params.put("email", person.email());
        params.put("picture", person.picture());
        params.put("deployment", launch.deploymentId());
        params.put("context", contextId);
        params.put("title", title);
        params.put("label", label);
        params.put("membershipsUrl", launch.membershipsUrl());
        params.put("roles", launch.roles().toArray(String[]::new));
        params.put("access", role.column());
        params.put("learner", role == CourseRole.LEARNER);
        params.put("now", now);
        long[] ids = Upserts.row(jdbc.sql(ENROL).params(params), (rs, n) ->
                new long[] {rs.getLong("person_id"), rs.getLong("course_id")});
        long personId = ids[0];
        long courseId = ids[1];
        if (role == CourseRole.LEARNER && launch.lis() != null && launch.lis().courseSectionSourcedId() != null) {
            joinSections(launch, courseId, personId);
        }
        return new Enrolment(courseId, personId, role, displayName(launch));
    }

    /**
     * Person, course, membership and the course cohort, each an upsert that locks only a row it changes (see
     * {@link Upserts}): launches into one course do not wait for each other. Profile claims depend on the LMS's
     * privacy settings: what is not sent this time is kept, not erased. Returns no row when a concurrent launch
     * inserted the person or the course first (invisible to this statement's snapshot); {@link Upserts#row} then
     * runs it again.
     */
    private static final String ENROL = """
            WITH inserted_person AS (
                INSERT INTO person (platform_id, subject, name, given_name, family_name, email, picture, updated_at)
                VALUES (:platform, :subject, :name, :givenName, :familyName, :email, :picture, :now)
                ON CONFLICT (platform_id, subject) DO NOTHING
                RETURNING id),
            updated_person AS (
                UPDATE person SET
                    name = coalesce(:name, name),
                    given_name = coalesce(:givenName, given_name),
                    family_name = coalesce(:familyName, family_name),
                    email = coalesce(:email, email),
                    picture = coalesce(:picture, picture),
                    updated_at = :now
                WHERE platform_id = :platform AND subject = :subject
                  AND (name, given_name, family_name, email, picture)
                      IS DISTINCT FROM
                      (coalesce(:name, name), coalesce(:givenName, given_name), coalesce(:familyName, family_name),
                       coalesce(:email, email), coalesce(:picture, picture))
                RETURNING id),
            the_person AS (
                SELECT id FROM inserted_person
                UNION ALL SELECT id FROM updated_person
                UNION ALL SELECT id FROM person WHERE platform_id = :platform AND subject = :subject LIMIT 1),
            the_deployment AS (
                SELECT id FROM deployment WHERE platform_id = :platform AND deployment_id = :deployment),
            inserted_course AS (
                INSERT INTO course (platform_id, deployment_id, context_id, title, label, memberships_url, updated_at)
                VALUES (:platform, (SELECT id FROM the_deployment), :context, :title, :label, :membershipsUrl, :now)
                ON CONFLICT (platform_id, context_id) DO NOTHING
                RETURNING id),
            updated_course AS (
                UPDATE course SET
                    deployment_id = (SELECT id FROM the_deployment),
                    title = coalesce(:title, title),
                    label = coalesce(:label, label),
                    memberships_url = coalesce(:membershipsUrl, memberships_url),
                    updated_at = :now
                WHERE platform_id = :platform AND context_id = :context
                  AND (deployment_id, title, label, memberships_url)
                      IS DISTINCT FROM
                      ((SELECT id FROM the_deployment), coalesce(:title, title), coalesce(:label, label),
                       coalesce(:membershipsUrl, memberships_url))
                RETURNING id),
            the_course AS (
                SELECT id FROM inserted_course
                UNION ALL SELECT id FROM updated_course
                UNION ALL SELECT id FROM course WHERE platform_id = :platform AND context_id = :context LIMIT 1),
            written_membership AS (
                INSERT INTO membership (person_id, course_id, roles, access, first_launch_at, last_launch_at)
                SELECT p.id, c.id, :roles, :access, :now, :now FROM the_person p, the_course c
                ON CONFLICT (person_id, course_id) DO UPDATE
                SET roles = excluded.roles, access = excluded.access, last_launch_at = excluded.last_launch_at),
            written_cohort AS (
                INSERT INTO cohort (course_id, kind, source_id, name)
                SELECT c.id, 'course', 'course', 'All learners' FROM the_course c WHERE :learner
                ON CONFLICT (course_id, kind, source_id) DO NOTHING
                RETURNING id),
            the_cohort AS (
                SELECT id FROM written_cohort
                UNION ALL SELECT h.id FROM cohort h, the_course c
                WHERE :learner AND h.course_id = c.id AND h.kind = 'course' AND h.source_id = 'course' LIMIT 1),
            written_cohort_member AS (
                INSERT INTO cohort_member (cohort_id, person_id)
                SELECT h.id, p.id FROM the_cohort h, the_person p
                ON CONFLICT DO NOTHING)
            SELECT p.id AS person_id, c.id AS course_id FROM the_person p, the_course c
            WHERE NOT :learner OR EXISTS (SELECT 1 FROM the_cohort)""";

    /**
     * Learners belong to the course's cohort (written with the membership) and to one sub-cohort per section the
     * LMS names (the LIS {@code course_section_sourcedid}, comma-separated when several). Sections not named any
     * more are left.
     */
    private void joinSections(LtiLaunch launch, long courseId, long personId) {
        List<Long> cohorts = new ArrayList<>();
        for (Map.Entry<String, String> section : sections(launch).entrySet()) {
            cohorts.add(cohort(courseId, "section", section.getKey(), section.getValue()));
        }
        jdbc.sql("""
                        DELETE FROM cohort_member m USING cohort c
                        WHERE m.cohort_id = c.id AND c.course_id = ? AND c.kind = 'section' AND m.person_id = ?
                        AND NOT (c.id = ANY (?))""").params(courseId, personId, cohorts.toArray(Long[]::new)).update();
        for (long cohortId : cohorts) {
            jdbc.sql("INSERT INTO cohort_member (cohort_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
                    .params(cohortId, personId)
                    .update();
        }
    }

    static Map<String, String> sections(LtiLaunch launch) {
        Map<String, String> sections = new LinkedHashMap<>();
        if (launch.lis() == null || launch.lis().courseSectionSourcedId() == null) {
            return sections;
        }
        String[] ids = launch.lis().courseSectionSourcedId().split(",");
        String namesValue = launch.custom().getOrDefault("section_names", "");
        String[] names = namesValue.isBlank() ? new String[0] : namesValue.split(",");
        for (int i = 0; i < ids.length; i++) {
            String id = ids[i].strip();
            if (!id.isEmpty()) {
                sections.put(id, i < names.length && !names[i].isBlank() ? names[i].strip() : "Section " + id);
            }
        }
        return sections;
    }

    private long cohort(long courseId, String kind, String sourceId, String name) {
        return Upserts.row(
                jdbc.sql("""
                                WITH inserted AS (
                                    INSERT INTO cohort (course_id, kind, source_id, name)
                                    VALUES (:course, :kind, :source, :name)
                                    ON CONFLICT (course_id, kind, source_id) DO NOTHING
                                    RETURNING id),
                                updated AS (
                                    UPDATE cohort SET name = :name
                                    WHERE course_id = :course AND kind = :kind AND source_id = :source
                                      AND name IS DISTINCT FROM :name
                                    RETURNING id)
                                SELECT id FROM inserted UNION ALL SELECT id FROM updated UNION ALL
                                SELECT id FROM cohort WHERE course_id = :course AND kind = :kind AND source_id = :source
                                LIMIT 1""")
                        .param("course", courseId)
                        .param("kind", kind)
                        .param("source", sourceId)
                        .param("name", name),
                (rs, n) -> rs.getLong(1));
    }

    static String displayName(LtiLaunch launch) {
        LtiLaunch.Person person = launch.person();
        if (person.name() != null && !person.name().isBlank()) {
            return person.name();
        }
        String joined = ((person.givenName() == null ? "" : person.givenName()) + " "
                        + (person.familyName() == null ? "" : person.familyName()))
                .strip();
        if (!joined.isEmpty()) {
            return joined;
        }
        return person.email() != null ? person.email() : null;
    }

    // ---- reading, for the course pages ----

    public record Course(long id, String title, String label, String contextId, String platformName, String product) {}

    public record Member(
            long personId,
            String name,
            String email,
            String subject,
            CourseRole role,
            List<String> roles,
            List<String> cohorts,
            Instant lastLaunchAt) {}

    public record Cohort(long id, String kind, String name, int members) {}

    public Optional<Course> find(long courseId) {
        return jdbc.sql("""
                        SELECT c.id, c.title, c.label, c.context_id, p.name AS platform_name, p.product
                        FROM course c JOIN platform p ON p.id = c.platform_id WHERE c.id = ?""")
                .param(courseId)
                .query((rs, n) -> new Course(
                        rs.getLong("id"),
                        rs.getString("title"),
                        rs.getString("label"),
                        rs.getString("context_id"),
                        rs.getString("platform_name"),
                        rs.getString("product")))
                .optional();
    }

    public List<Member> members(long courseId) {
        return jdbc.sql("""
                        SELECT p.id, p.name, p.given_name, p.family_name, p.email, p.subject, m.access, m.roles,
                               m.last_launch_at,
                               coalesce(array_agg(c.name ORDER BY c.kind, c.name) FILTER (WHERE c.kind = 'section'),
                                        '{}') AS cohorts
                        FROM membership m
                        JOIN person p ON p.id = m.person_id
                        LEFT JOIN cohort_member cm ON cm.person_id = p.id
                        LEFT JOIN cohort c ON c.id = cm.cohort_id AND c.course_id = m.course_id
                        WHERE m.course_id = ?
                        GROUP BY p.id, m.access, m.roles, m.last_launch_at
                        ORDER BY m.access DESC, lower(coalesce(p.family_name, p.name, p.email, p.subject))""")
                .param(courseId)
                .query((rs, n) -> {
                    String name = rs.getString("name");
                    if (name == null && (rs.getString("given_name") != null || rs.getString("family_name") != null)) {
                        name = ((rs.getString("given_name") == null ? "" : rs.getString("given_name")) + " "
                                        + (rs.getString("family_name") == null ? "" : rs.getString("family_name")))
                                .strip();
                    }
                    return new Member(
                            rs.getLong("id"),
                            name,
                            rs.getString("email"),
                            rs.getString("subject"),
                            CourseRole.valueOf(rs.getString("access").toUpperCase()),
                            List.of((String[]) rs.getArray("roles").getArray()),
                            List.of((String[]) rs.getArray("cohorts").getArray()),
                            rs.getTimestamp("last_launch_at").toInstant());
                })
                .list();
    }

    public List<Cohort> cohorts(long courseId) {
        return jdbc.sql("""
                        SELECT c.id, c.kind, c.name, count(m.person_id) AS members
                        FROM cohort c LEFT JOIN cohort_member m ON m.cohort_id = c.id
                        WHERE c.course_id = ? GROUP BY c.id ORDER BY c.kind, c.name""")
                .param(courseId)
                .query((rs, n) ->
                        new Cohort(rs.getLong("id"), rs.getString("kind"), rs.getString("name"), rs.getInt("members")))
                .list();
    }

    public record AssignmentLink(long id, String title, String resourceLinkId) {}

    public List<AssignmentLink> assignments(long courseId) {
        return jdbc.sql("SELECT id, title, resource_link_id FROM assignment WHERE course_id = ?"
                        + " ORDER BY lower(coalesce(title, resource_link_id))")
                .param(courseId)
                .query(AssignmentLink.class)
                .list();
    }
}
