package dev.berth.workspace;

import dev.berth.course.LaunchUser;
import dev.berth.provisioning.Workspace;
import dev.berth.provisioning.Workspaces;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /workspaces/{id}/open} ({@link WorkspaceLinks#openPath}): where every page's iframe and "open in a new
 * tab" link enters a workspace. It checks, on each entry, that the viewer is the workspace's owner or on its
 * course's staff, then hands over: with per-workspace origins, a one-time token to the workspace's own host
 * ({@code {origin}/.berth/enter?token=…}, see {@link WorkspaceHostFilter}); in single-origin mode, the gateway path
 * on Berth's origin.
 */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@Controller
class WorkspaceEntryController {

    private final Workspaces workspaces;
    private final WorkspaceOrigins origins;
    private final EntryTokens tokens;
    private final Duration tokenTtl;

    WorkspaceEntryController(
            Workspaces workspaces,
            WorkspaceOrigins origins,
            EntryTokens tokens,
            WorkspaceOriginsProperties properties) {
        this.workspaces = workspaces;
        this.origins = origins;
        this.tokens = tokens;
        this.tokenTtl = properties.entryTokenTtl();
    }

    @GetMapping("/workspaces/{id}/open")
    String open(@PathVariable UUID id, @AuthenticationPrincipal LaunchUser user) {
        if (user == null) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED);
        }
        Workspace workspace = workspaces.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (!WorkspaceAccess.mayEnter(user, workspace)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
        if (!origins.perWorkspace()) {
            return "redirect:" + WorkspaceOrigins.basePath(id);
        }
        String token = tokens.mint(id, WorkspaceAccess.ownerRef(user.personId()), tokenTtl);
        return "redirect:" + origins.origin(id) + WorkspaceHostFilter.ENTER + "?token=" + token;
    }
}
