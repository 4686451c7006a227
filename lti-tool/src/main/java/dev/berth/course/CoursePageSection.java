package dev.berth.course;

import java.util.List;
import org.springframework.ui.Model;

/**
 * A part of the staff course page that another feature supplies (the workspaces table), so that the course
 * package need not know that feature: it depends on this package, not the other way round.
 */
public interface CoursePageSection {

    /** Adds what the section's template fragment needs. Called only after the viewer was checked to be staff. */
    void addTo(Courses.Course course, List<Courses.Member> members, LaunchUser user, Model model);
}
