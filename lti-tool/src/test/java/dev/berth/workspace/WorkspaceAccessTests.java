package dev.berth.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.course.CourseRole;
import dev.berth.course.LaunchUser;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceState;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WorkspaceAccessTests {

    private static Workspace workspace(String ownerRef, String scopeRef) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new Workspace(
                UUID.randomUUID(),
                ownerRef,
                scopeRef,
                "terminal",
                WorkspaceState.RUNNING,
                WorkspaceState.RUNNING,
                now,
                "local",
                "http://127.0.0.1:1234",
                now,
                null,
                1);
    }

    private static LaunchUser user(long personId, Map<Long, CourseRole> courses) {
        return new LaunchUser(personId, 1, "Someone", courses);
    }

    @Test
    void ownerEntersTheirWorkspace() {
        assertThat(WorkspaceAccess.mayEnter(user(7, Map.of(3L, CourseRole.LEARNER)), workspace("person:7", "course:3")))
                .isTrue();
    }

    @Test
    void anotherLearnerOfTheCourseIsKeptOut() {
        assertThat(WorkspaceAccess.mayEnter(user(8, Map.of(3L, CourseRole.LEARNER)), workspace("person:7", "course:3")))
                .isFalse();
    }

    @Test
    void staffOfTheWorkspacesCourseEnters() {
        assertThat(WorkspaceAccess.mayEnter(user(9, Map.of(3L, CourseRole.STAFF)), workspace("person:7", "course:3")))
                .isTrue();
    }

    @Test
    void staffOfAnotherCourseIsKeptOut() {
        assertThat(WorkspaceAccess.mayEnter(
                        user(9, Map.of(4L, CourseRole.STAFF, 3L, CourseRole.LEARNER)),
                        workspace("person:7", "course:3")))
                .isFalse();
    }

    @Test
    void referencesThatAreNotBerthsOwnLetOnlyTheExactOwnerIn() {
        assertThat(WorkspaceAccess.mayEnter(user(9, Map.of(3L, CourseRole.STAFF)), workspace("person:7", "course:x")))
                .isFalse();
        assertThat(WorkspaceAccess.mayEnter(user(7, Map.of()), workspace("person:70", "course:3")))
                .isFalse();
    }
}
