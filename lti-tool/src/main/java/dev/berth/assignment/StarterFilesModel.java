package dev.berth.assignment;

import dev.berth.provisioning.StarterArchives.StarterArchive;
import dev.berth.provisioning.StarterZip;
import java.time.Instant;
import java.util.Locale;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;

/** What the starter-files fragments (templates/assignment/starter.html) need on the assignment page. */
@ControllerAdvice(assignableTypes = AssignmentController.class)
class StarterFilesModel {

    /** An assignment's archive as staff see it, sizes already written for people. */
    record StarterView(
            String name,
            int fileCount,
            String size,
            String unpacked,
            Instant uploadedAt,
            String uploadedBy,
            String sha256) {

        static StarterView of(StarterArchive archive) {
            return new StarterView(
                    archive.name(),
                    archive.fileCount(),
                    size(archive.sizeBytes()),
                    size(archive.unpackedBytes()),
                    archive.uploadedAt(),
                    archive.uploadedBy(),
                    archive.sha256());
        }

        static String size(long bytes) {
            if (bytes < 1024) {
                return bytes + " bytes";
            }
            if (bytes < 1024 * 1024) {
                return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
            }
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
    }

    private final StarterFiles starterFiles;

    StarterFilesModel(StarterFiles starterFiles) {
        this.starterFiles = starterFiles;
    }

    /** Null on a page that names no assignment, or whose assignment has no starter files. */
    @ModelAttribute("starter")
    StarterView starter(
            @PathVariable(required = false) Long courseId, @PathVariable(required = false) Long assignmentId) {
        if (courseId == null || assignmentId == null) {
            return null;
        }
        return starterFiles.current(courseId, assignmentId).map(StarterView::of).orElse(null);
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
