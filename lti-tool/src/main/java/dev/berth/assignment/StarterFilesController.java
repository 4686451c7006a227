package dev.berth.assignment;

import dev.berth.course.CourseAccess;
import dev.berth.course.CourseRole;
import dev.berth.course.Courses;
import dev.berth.course.LaunchUser;
import dev.berth.provisioning.InvalidStarterArchiveException;
import dev.berth.provisioning.StarterZip;
import dev.berth.workspace.WorkspaceResets;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Starter files of an assignment: staff upload or remove its .zip, and the owner of a workspace (or staff) resets it
 * to them. A rejected upload gets a 4xx page saying why, and changes nothing.
 */
@Controller
class StarterFilesController {

    static final String NOTICE = "starterNotice";

    private final Courses courses;
    private final Assignments assignments;
    private final StarterFiles starterFiles;
    private final ObjectProvider<WorkspaceResets> resets;

    StarterFilesController(
            Courses courses,
            Assignments assignments,
            StarterFiles starterFiles,
            ObjectProvider<WorkspaceResets> resets) {
        this.courses = courses;
        this.assignments = assignments;
        this.starterFiles = starterFiles;
        this.resets = resets;
    }

    @PostMapping(
            path = "/courses/{courseId}/assignments/{assignmentId}/starter-files",
            consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ModelAndView upload(
            @PathVariable long courseId,
            @PathVariable long assignmentId,
            @RequestParam(name = "archive", required = false) MultipartFile archive,
            @AuthenticationPrincipal LaunchUser user,
            RedirectAttributes redirect)
            throws IOException {
        Courses.Course course = CourseAccess.require(courses, user, courseId, CourseRole.STAFF);
        Assignments.Assignment assignment = assignment(courseId, assignmentId);
        if (!starterFiles.available()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        StarterZip.Limits limits = StarterZip.Limits.DEFAULT;
        Map<String, Object> model = new HashMap<>();
        HttpStatus status = HttpStatus.BAD_REQUEST;
        if (archive == null || archive.isEmpty()) {
            model.put("reasonKey", "starter.rejected.none");
        } else if (archive.getSize() > limits.maxArchiveBytes()) {
            model.put("reasonKey", "starter.rejected.tooLarge");
            status = HttpStatus.CONTENT_TOO_LARGE;
        } else {
            try {
                starterFiles.upload(courseId, assignmentId, archive.getOriginalFilename(), archive.getBytes(), user);
                redirect.addFlashAttribute(NOTICE, "starter.uploaded.notice");
                return new ModelAndView(assignmentPage(courseId, assignmentId));
            } catch (InvalidStarterArchiveException e) {
                model.put("reason", e.getMessage());
            }
        }
        model.put("course", course);
        model.put("assignment", assignment);
        model.put("user", user);
        model.put("limitMegabytes", limits.maxArchiveBytes() / (1024 * 1024));
        return new ModelAndView("assignment/starter-rejected", model, status);
    }

    @PostMapping("/courses/{courseId}/assignments/{assignmentId}/starter-files/remove")
    String remove(
            @PathVariable long courseId,
            @PathVariable long assignmentId,
            @AuthenticationPrincipal LaunchUser user,
            RedirectAttributes redirect) {
        CourseAccess.require(courses, user, courseId, CourseRole.STAFF);
        assignment(courseId, assignmentId);
        starterFiles.remove(courseId, assignmentId, user);
        redirect.addFlashAttribute(NOTICE, "starter.removed");
        return assignmentPage(courseId, assignmentId);
    }

    /** Resets the workspace to this assignment's starter files (its owner, or the course's staff). */
    @PostMapping("/courses/{courseId}/assignments/{assignmentId}/workspaces/{id}/reset")
    String reset(
            @PathVariable long courseId,
            @PathVariable long assignmentId,
            @PathVariable UUID id,
            @AuthenticationPrincipal LaunchUser user,
            RedirectAttributes redirect) {
        CourseAccess.require(courses, user, courseId, CourseRole.LEARNER);
        assignment(courseId, assignmentId);
        WorkspaceResets available = resets.getIfAvailable();
        if (available == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        available.reset(
                user,
                courseId,
                id,
                starterFiles.archiveId(courseId, assignmentId).orElse(null));
        redirect.addFlashAttribute("resetRequested", true);
        return assignmentPage(courseId, assignmentId);
    }

    private Assignments.Assignment assignment(long courseId, long assignmentId) {
        return assignments
                .find(courseId, assignmentId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private static String assignmentPage(long courseId, long assignmentId) {
        return "redirect:/courses/" + courseId + "/assignments/" + assignmentId;
    }
}
