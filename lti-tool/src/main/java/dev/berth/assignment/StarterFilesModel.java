package dev.berth.assignment;

import dev.berth.provisioning.StarterArchives.StarterArchive;
import dev.berth.provisioning.StarterZip;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;

/** What the starter-files fragments (templates/assignment/starter.html) need on the assignment page. */
@ControllerAdvice(assignableTypes = AssignmentController.class)
class StarterFilesModel {

    private final StarterFiles starterFiles;

    StarterFilesModel(StarterFiles starterFiles) {
        this.starterFiles = starterFiles;
    }

    @ModelAttribute("starter")
    StarterArchive starter(@PathVariable long courseId, @PathVariable long assignmentId) {
        return starterFiles.current(courseId, assignmentId).orElse(null);
    }

    @ModelAttribute("starterFilesAvailable")
    boolean available() {
        return starterFiles.available();
    }

    @ModelAttribute("starterLimitMegabytes")
    long limitMegabytes() {
        return StarterZip.Limits.DEFAULT.maxArchiveBytes() / (1024 * 1024);
    }
}
