package dev.berth.provisioning;

/**
 * A workspace with what a gateway needs to reach it, read together: where it runs ({@link Workspace#endpoint()})
 * and the path it is served under.
 *
 * @param basePath the path the gateway serves the workspace under, {@code /ws/{id}/}
 * @param stripBasePath whether the gateway removes {@code basePath} (keeping its last slash) before forwarding, for
 *     servers that expect to be at {@code /} (the environment's {@code base_path_mode = strip}); otherwise the path
 *     goes upstream whole ({@code keep}: the server was told its base path)
 */
public record WorkspaceRoute(Workspace workspace, String basePath, boolean stripBasePath) {

    /** The path to send upstream for {@code path} (which starts with {@link #basePath()} or equals it less its slash). */
    public String upstreamPath(String path) {
        if (!stripBasePath || !path.startsWith(basePath)) {
            return path;
        }
        return path.substring(basePath.length() - 1);
    }
}
