package dev.berth.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.course.CourseRole;
import dev.berth.course.Courses;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.WorkspaceSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The staff table's rows, progress counts, sizes and "ago" labels, without Spring or a database. */
class CourseWorkspacesTests {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    private final CourseWorkspaces table =
            new CourseWorkspaces(null, new CourseEnvironments(null), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void everyLearnerHasARowAndStaffOnlyWhenTheyHaveAWorkspace() {
        Courses.Member ada = member(1, "Ada", CourseRole.LEARNER);
        Courses.Member bob = member(2, "Bob", CourseRole.LEARNER);
        Courses.Member grace = member(3, "Grace", CourseRole.STAFF);
        Courses.Member linus = member(4, "Linus", CourseRole.STAFF);
        WorkspaceSummary adas = summary("person:1", WorkspaceState.RUNNING, WorkspaceState.RUNNING, 12_400_000L);
        WorkspaceSummary graces = summary("person:3", WorkspaceState.STOPPED, WorkspaceState.STOPPED, null);

        List<CourseWorkspaces.Row> rows = table.rows(List.of(ada, bob, grace, linus), List.of(adas, graces));

        assertThat(rows)
                .extracting(row -> row.member().name(), CourseWorkspaces.Row::state, CourseWorkspaces.Row::size)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Ada", "RUNNING", "12.4 MB"),
                        org.assertj.core.groups.Tuple.tuple("Bob", "NONE", null),
                        org.assertj.core.groups.Tuple.tuple("Grace", "STOPPED", null));
        assertThat(rows.getFirst().activity().key()).isEqualTo("workspaces.ago.minutes");
        assertThat(rows.getFirst().activity().count()).isEqualTo(3);
    }

    @Test
    void startProgressCountsRunningStartingQueuedAndFailedAmongWorkspacesWantedRunning() {
        List<WorkspaceSummary> course = new ArrayList<>();
        for (int i = 0; i < 34; i++) {
            course.add(summary("p" + i, WorkspaceState.RUNNING, WorkspaceState.RUNNING, null));
        }
        for (int i = 0; i < 12; i++) {
            course.add(summary("s" + i, WorkspaceState.RUNNING, WorkspaceState.STARTING, null));
        }
        for (int i = 0; i < 3; i++) {
            course.add(summary("q" + i, WorkspaceState.RUNNING, WorkspaceState.PROVISIONING, null));
        }
        course.add(summary("q-stopped", WorkspaceState.RUNNING, WorkspaceState.STOPPED, null));
        course.add(summary("f", WorkspaceState.RUNNING, WorkspaceState.FAILED, null));
        course.add(summary("idle", WorkspaceState.STOPPED, WorkspaceState.STOPPED, null));

        CourseWorkspaces.Progress progress = CourseWorkspaces.Progress.of(course, null);

        assertThat(progress).isEqualTo(new CourseWorkspaces.Progress("start", 51, 34, 12, 4, 0, 0, 1, false));
        assertThat(progress.percent()).as("running or failed of 51").isEqualTo(68);
        assertThat(progress.active()).isTrue();
    }

    @Test
    void stopProgressCountsAmongWorkspacesWantedStoppedAndIsDoneWhenAllSettled() {
        List<WorkspaceSummary> course = List.of(
                summary("a", WorkspaceState.STOPPED, WorkspaceState.STOPPED, null),
                summary("b", WorkspaceState.STOPPED, WorkspaceState.STOPPING, null),
                summary("c", WorkspaceState.STOPPED, WorkspaceState.RUNNING, null));

        assertThat(CourseWorkspaces.Progress.of(course, null))
                .isEqualTo(new CourseWorkspaces.Progress("stop", 3, 0, 0, 0, 2, 1, 0, false));

        List<WorkspaceSummary> settled = List.of(
                summary("a", WorkspaceState.STOPPED, WorkspaceState.STOPPED, null),
                summary("b", WorkspaceState.RUNNING, WorkspaceState.RUNNING, null));
        CourseWorkspaces.Progress derived = CourseWorkspaces.Progress.of(settled, null);
        assertThat(derived.direction()).as("nothing under way").isEqualTo("none");
        assertThat(derived.active()).isFalse();
        CourseWorkspaces.Progress asked = CourseWorkspaces.Progress.of(settled, "stop");
        assertThat(asked.done()).isTrue();
        assertThat(asked.percent()).isEqualTo(100);
    }

    @Test
    void sizesReadAsFileManagersShowThem() {
        assertThat(CourseWorkspaces.Sizes.format(0)).isEqualTo("0 B");
        assertThat(CourseWorkspaces.Sizes.format(999)).isEqualTo("999 B");
        assertThat(CourseWorkspaces.Sizes.format(48_200)).isEqualTo("48.2 kB");
        assertThat(CourseWorkspaces.Sizes.format(12_400_000)).isEqualTo("12.4 MB");
        assertThat(CourseWorkspaces.Sizes.format(999_990)).isEqualTo("1.0 MB");
        assertThat(CourseWorkspaces.Sizes.format(3_210_000_000L)).isEqualTo("3.2 GB");
    }

    @Test
    void activityReadsAsMinutesHoursOrDaysAgo() {
        assertThat(CourseWorkspaces.Ago.between(NOW.minusSeconds(20), NOW).key())
                .isEqualTo("workspaces.ago.now");
        assertThat(CourseWorkspaces.Ago.between(NOW.minus(Duration.ofMinutes(59)), NOW))
                .extracting(CourseWorkspaces.Ago::key, CourseWorkspaces.Ago::count)
                .containsExactly("workspaces.ago.minutes", 59L);
        assertThat(CourseWorkspaces.Ago.between(NOW.minus(Duration.ofHours(30)), NOW))
                .extracting(CourseWorkspaces.Ago::key, CourseWorkspaces.Ago::count)
                .containsExactly("workspaces.ago.hours", 30L);
        assertThat(CourseWorkspaces.Ago.between(NOW.minus(Duration.ofDays(9)), NOW))
                .extracting(CourseWorkspaces.Ago::key, CourseWorkspaces.Ago::count)
                .containsExactly("workspaces.ago.days", 9L);
    }

    private static Courses.Member member(long id, String name, CourseRole role) {
        return new Courses.Member(id, name, null, "sub-" + id, role, List.of(), List.of(), NOW);
    }

    private static WorkspaceSummary summary(String owner, WorkspaceState desired, WorkspaceState state, Long bytes) {
        Workspace workspace = new Workspace(
                UUID.randomUUID(),
                owner,
                "course:1",
                "terminal",
                desired,
                state,
                NOW,
                "local",
                null,
                NOW.minus(Duration.ofMinutes(3)),
                null,
                1);
        return new WorkspaceSummary(workspace, bytes, bytes == null ? null : NOW);
    }
}
