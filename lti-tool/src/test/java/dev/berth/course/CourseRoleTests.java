package dev.berth.course;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CourseRoleTests {

    @Test
    void instructorsTeachingAssistantsContentDevelopersAndAdministratorsAreStaff() {
        assertThat(CourseRole.of(List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor")))
                .isEqualTo(CourseRole.STAFF);
        assertThat(CourseRole.of(
                        List.of("http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant")))
                .isEqualTo(CourseRole.STAFF);
        assertThat(CourseRole.of(List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper")))
                .isEqualTo(CourseRole.STAFF);
        assertThat(CourseRole.of(List.of("http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator")))
                .isEqualTo(CourseRole.STAFF);
    }

    @Test
    void learnersAreLearnersEvenWithInstitutionRolesBeside() {
        assertThat(CourseRole.of(List.of(
                        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student",
                        "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner")))
                .isEqualTo(CourseRole.LEARNER);
    }

    @Test
    void staffWinsOverLearnerWhenBothAreSent() {
        assertThat(CourseRole.of(List.of(
                        "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
                        "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor")))
                .isEqualTo(CourseRole.STAFF);
    }

    @Test
    void shortRoleNamesAreUnderstood() {
        assertThat(CourseRole.of(List.of("Instructor"))).isEqualTo(CourseRole.STAFF);
        assertThat(CourseRole.of(List.of("Learner"))).isEqualTo(CourseRole.LEARNER);
    }

    @Test
    void mentorsUnknownAndEmptyRolesGetNoAccess() {
        assertThat(CourseRole.of(List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor")))
                .isEqualTo(CourseRole.NONE);
        assertThat(CourseRole.of(List.of("urn:lti:role:unknown"))).isEqualTo(CourseRole.NONE);
        assertThat(CourseRole.of(List.of())).isEqualTo(CourseRole.NONE);
    }
}
