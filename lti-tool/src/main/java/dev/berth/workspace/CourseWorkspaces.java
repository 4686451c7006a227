package dev.berth.workspace;

import dev.berth.course.CoursePageSection;
import dev.berth.course.CourseRole;
import dev.berth.course.Courses;
import dev.berth.course.LaunchUser;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.WorkspaceState;
import dev.berth.provisioning.WorkspaceSummary;
import dev.berth.provisioning.Workspaces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * A course's workspaces as its staff see them: one row per learner (with or without a workspace) and per staff
 * member who has one, built from one query for the members and one for the workspaces, however large the course.
 */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Component
class CourseWorkspaces implements CoursePageSection {

    private final Workspaces workspaces;
    private final CourseEnvironments environments;
    private final Clock clock;

    CourseWorkspaces(Workspaces workspaces, CourseEnvironments environments, Clock clock) {
        this.workspaces = workspaces;
        this.environments = environments;
        this.clock = clock;
    }

    @Override
    public void addTo(Courses.Course course, List<Courses.Member> members, LaunchUser user, Model model) {
        List<WorkspaceSummary> summaries = workspaces.summaries(WorkspaceAccess.scopeRef(course.id()));
        model.addAttribute("workspaceRows", rows(members, summaries));
        model.addAttribute("workspaceEnvironments", environments.of(course.id()));
        model.addAttribute("workspaceProgress", Progress.of(summaries, null));
        model.addAttribute(
                "workspaceProgressByDirection",
                Map.of("start", Progress.of(summaries, "start"), "stop", Progress.of(summaries, "stop")));
    }

    List<Row> rows(List<Courses.Member> members, List<WorkspaceSummary> summaries) {
        Map<String, List<WorkspaceSummary>> byOwner = new HashMap<>();
        for (WorkspaceSummary summary : summaries) {
            byOwner.computeIfAbsent(summary.workspace().ownerRef(), owner -> new ArrayList<>())
                    .add(summary);
        }
        Instant now = clock.instant();
        List<Row> rows = new ArrayList<>();
        for (Courses.Member member : members) {
            List<WorkspaceSummary> own = byOwner.getOrDefault(WorkspaceAccess.ownerRef(member.personId()), List.of());
            if (own.isEmpty() && member.role() == CourseRole.LEARNER) {
                rows.add(new Row(member, null, null));
            }
            for (WorkspaceSummary summary : own) {
                rows.add(
                        new Row(member, summary, Ago.between(summary.workspace().lastActivityAt(), now)));
            }
        }
        return rows;
    }

    /** A line of the table. {@code summary} is null for a learner who has no workspace yet. */
    record Row(Courses.Member member, WorkspaceSummary summary, Ago activity) {

        public Workspace workspace() {
            return summary == null ? null : summary.workspace();
        }

        /** The workspace's state, or {@code NONE} when there is no workspace: what the filter and badge use. */
        public String state() {
            return summary == null ? "NONE" : summary.workspace().state().name();
        }

        /** A state on its way somewhere else (the badge says where). */
        public boolean changing() {
            return summary != null && !summary.workspace().settled();
        }

        public String size() {
            return summary == null || summary.homeBytes() == null ? null : Sizes.format(summary.homeBytes());
        }
    }

    /** "3 min ago": a message key ({@code workspaces.ago.*}) and its number. */
    record Ago(String key, long count, Instant at) {
        static Ago between(Instant then, Instant now) {
            Duration elapsed = Duration.between(then, now);
            if (elapsed.toSeconds() < 60) {
                return new Ago("workspaces.ago.now", 0, then);
            }
            if (elapsed.toMinutes() < 60) {
                return new Ago("workspaces.ago.minutes", elapsed.toMinutes(), then);
            }
            if (elapsed.toHours() < 48) {
                return new Ago("workspaces.ago.hours", elapsed.toHours(), then);
            }
            return new Ago("workspaces.ago.days", elapsed.toDays(), then);
        }
    }

    /** Home sizes in decimal units, as file managers show them: 950 B, 12.4 MB, 1.2 GB. */
    static final class Sizes {
        private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB"};

        private Sizes() {}

        static String format(long bytes) {
            if (bytes < 1000) {
                return bytes + " B";
            }
            double value = bytes;
            int unit = 0;
            while (value >= 999.95 && unit < UNITS.length - 1) {
                value /= 1000;
                unit++;
            }
            return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
        }
    }

    /**
     * Where a course's start all or stop all stands, derived from the workspaces' states alone (so a reloaded
     * page, or another replica, shows the same). Start: of the workspaces wanted running, how many run, are
     * starting, wait their turn (queued) or failed. Stop: of those wanted stopped, how many stopped.
     */
    record Progress(
            String direction,
            int total,
            int running,
            int starting,
            int queued,
            int stopping,
            int stopped,
            int failed,
            boolean done) {

        static Progress of(List<WorkspaceSummary> summaries, String requested) {
            int wantRunning = 0;
            int running = 0;
            int starting = 0;
            int queued = 0;
            int wantStopped = 0;
            int stopped = 0;
            int stopping = 0;
            int failedStart = 0;
            int failedStop = 0;
            boolean startUnsettled = false;
            boolean stopUnsettled = false;
            for (WorkspaceSummary summary : summaries) {
                Workspace workspace = summary.workspace();
                WorkspaceState state = workspace.state();
                if (workspace.desiredState() == WorkspaceState.RUNNING) {
                    wantRunning++;
                    switch (state) {
                        case RUNNING -> running++;
                        case STARTING, STOPPING -> starting++;
                        case FAILED -> failedStart++;
                        default -> queued++;
                    }
                    startUnsettled |= !workspace.settled();
                } else if (workspace.desiredState() == WorkspaceState.STOPPED) {
                    wantStopped++;
                    switch (state) {
                        case STOPPED -> stopped++;
                        case FAILED -> failedStop++;
                        default -> stopping++;
                    }
                    stopUnsettled |= !workspace.settled();
                }
            }
            String direction =
                    requested != null ? requested : startUnsettled ? "start" : stopUnsettled ? "stop" : "none";
            return "stop".equals(direction)
                    ? new Progress(direction, wantStopped, 0, 0, 0, stopping, stopped, failedStop, !stopUnsettled)
                    : new Progress(
                            direction, wantRunning, running, starting, queued, 0, 0, failedStart, !startUnsettled);
        }

        /** Share of the total that reached the wanted state or failed, 0 to 100. */
        public int percent() {
            if (total == 0) {
                return 100;
            }
            int finished = "stop".equals(direction) ? stopped + failed : running + failed;
            return (int) Math.floor(100.0 * finished / total);
        }

        /** Whether a page should show the panel: a start or stop is under way. */
        public boolean active() {
            return !"none".equals(direction) && !done;
        }
    }

    /** Resolves a workspace id to the workspace, if it belongs to this course. */
    Optional<Workspace> inCourse(long courseId, UUID id) {
        return workspaces.find(id).filter(w -> w.scopeRef().equals(WorkspaceAccess.scopeRef(courseId)));
    }
}
