package dev.berth.workspace;

import dev.berth.workspace.WorkspaceOriginsProperties.Mode;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Which host serves which workspace. A request belongs to a workspace only when its host is exactly the template
 * with a workspace id (a UUID in its canonical lower-case form) in place of {@code {id}}; everything else is
 * Berth's.
 */
final class WorkspaceOrigins {

    static final String ID = "{id}";

    private static final Pattern HOST_CHARS = Pattern.compile("[a-z0-9.-]*");

    /** What a request's host says about it. */
    sealed interface Host {
        /** Berth's own host, or any other that is not a workspace's. */
        record Berth() implements Host {}

        /** Exactly a workspace's host and port. */
        record Workspace(UUID id) implements Host {}

        /** A workspace's host name on the wrong port: served by nobody. */
        record Misdirected() implements Host {}
    }

    private final boolean perWorkspace;
    private final String scheme;
    private final String prefix;
    private final String suffix;
    private final int port;
    private final String berthOrigin;

    private WorkspaceOrigins(
            boolean perWorkspace, String scheme, String prefix, String suffix, int port, String berthOrigin) {
        this.perWorkspace = perWorkspace;
        this.scheme = scheme;
        this.prefix = prefix;
        this.suffix = suffix;
        this.port = port;
        this.berthOrigin = berthOrigin;
    }

    static WorkspaceOrigins of(WorkspaceOriginsProperties properties, URI publicUrl) {
        String scheme = publicUrl.getScheme().toLowerCase(Locale.ROOT);
        int berthPort = publicUrl.getPort() >= 0 ? publicUrl.getPort() : defaultPort(scheme);
        String berthOrigin = scheme + "://" + publicUrl.getRawAuthority().toLowerCase(Locale.ROOT);
        String template =
                properties.hostTemplate() == null || properties.hostTemplate().isBlank()
                        ? "ws-" + ID + ".localhost"
                        : properties.hostTemplate().strip().toLowerCase(Locale.ROOT);
        int port = berthPort;
        int colon = template.lastIndexOf(':');
        if (colon >= 0) {
            try {
                port = Integer.parseInt(template.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw invalid(template, "the part after ':' must be a port number");
            }
            template = template.substring(0, colon);
        }
        int at = template.indexOf(ID);
        if (at < 0 || template.indexOf(ID, at + 1) >= 0) {
            throw invalid(template, "it must contain " + ID + " exactly once");
        }
        String prefix = template.substring(0, at);
        String suffix = template.substring(at + ID.length());
        if (!HOST_CHARS.matcher(prefix).matches()
                || !HOST_CHARS.matcher(suffix).matches()
                || prefix.contains(".")
                || !suffix.startsWith(".")
                || suffix.length() < 2) {
            throw invalid(
                    template,
                    "use a host name such as ws-{id}.localhost or {id}.workspaces.example.edu,"
                            + " with {id} in its first label");
        }
        return new WorkspaceOrigins(properties.mode() != Mode.SINGLE, scheme, prefix, suffix, port, berthOrigin);
    }

    boolean perWorkspace() {
        return perWorkspace;
    }

    String berthOrigin() {
        return berthOrigin;
    }

    /** The workspace's origin ({@code scheme://host[:port]}), as browsers send it in {@code Origin}. */
    String origin(UUID workspaceId) {
        String host = prefix + workspaceId + suffix;
        return scheme + "://" + host + (port == defaultPort(scheme) ? "" : ":" + port);
    }

    /** The path a workspace is served under, on its own host or on Berth's. */
    static String basePath(UUID workspaceId) {
        return WorkspaceGateway.PREFIX + workspaceId + "/";
    }

    Host host(HttpServletRequest request) {
        if (!perWorkspace) {
            return new Host.Berth();
        }
        String name = request.getServerName();
        if (name == null) {
            return new Host.Berth();
        }
        name = name.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.length() != prefix.length() + 36 + suffix.length()
                || !name.startsWith(prefix)
                || !name.endsWith(suffix)) {
            return new Host.Berth();
        }
        Optional<UUID> id = canonicalUuid(name.substring(prefix.length(), prefix.length() + 36));
        if (id.isEmpty()) {
            return new Host.Berth();
        }
        return request.getServerPort() == port ? new Host.Workspace(id.get()) : new Host.Misdirected();
    }

    /** A UUID written exactly as {@link UUID#toString()} writes it, so one workspace has one host name. */
    static Optional<UUID> canonicalUuid(String text) {
        if (text.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(text);
            return id.toString().equals(text) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : 80;
    }

    private static IllegalStateException invalid(String template, String why) {
        return new IllegalStateException(
                "berth.workspaces.origins.host-template '" + template + "' is not usable: " + why + ".");
    }
}
