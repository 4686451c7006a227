package dev.berth.workspace;

import dev.berth.course.LaunchUser;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * Resets a course's workspace to the starter files it was seeded from, for staff pages (the assignment page resets to
 * its own starter files through the assignment's endpoint), and whether a reset is still under way.
 */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Controller
class WorkspaceResetController {

    private final WorkspaceResets resets;

    WorkspaceResetController(WorkspaceResets resets) {
        this.resets = resets;
    }

    @PostMapping("/courses/{courseId}/workspaces/{id}/reset")
    String reset(@PathVariable long courseId, @PathVariable UUID id, @AuthenticationPrincipal LaunchUser user) {
        resets.resetToItsStarterFiles(user, courseId, id);
        return "redirect:/courses/" + courseId;
    }

    @GetMapping("/courses/{courseId}/workspaces/{id}/reset")
    @ResponseBody
    Map<String, Boolean> pending(
            @PathVariable long courseId, @PathVariable UUID id, @AuthenticationPrincipal LaunchUser user) {
        return Map.of("pending", resets.pending(user, courseId, id));
    }
}
