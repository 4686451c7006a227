package dev.berth.workspace;

import java.util.UUID;

/**
 * Where a viewer enters a workspace. Pages never build gateway URLs themselves: an iframe's {@code src} and an
 * "open in a new tab" link both point at {@link #openPath}, a Berth page that checks the viewer may enter and then
 * redirects to the workspace (so how a workspace is entered, on which origin and with which token, is decided when
 * the link is followed, not when the page was rendered). Use it through Thymeleaf's {@code @{…}} so a session kept
 * in the URL travels along.
 */
public final class WorkspaceLinks {

    private WorkspaceLinks() {}

    public static String openPath(UUID workspaceId) {
        return "/workspaces/" + workspaceId + "/open";
    }
}
