package dev.berth.workspace;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * On which origin the gateway serves workspaces (docs/security.md, "Workspace origins").
 *
 * @param mode {@code per-workspace} (each workspace on a host of its own, entered with a one-time token) or
 *     {@code single} (every workspace under {@code /ws/{id}/} on Berth's own origin, with Berth's session: only
 *     for trusted code, see docs/security.md)
 * @param hostTemplate the host of workspace {@code {id}}, optionally with a port, e.g.
 *     {@code {id}.workspaces.example.edu} (a wildcard DNS name, best under a registrable domain of its own);
 *     unset: {@code ws-{id}.localhost} with Berth's own port, which browsers resolve to this machine
 * @param entryTokenTtl how long the token Berth hands over on entry stays redeemable
 * @param sessionTtl how long a workspace session cookie is honoured; entering again through Berth renews it
 */
@ConfigurationProperties("berth.workspaces.origins")
public record WorkspaceOriginsProperties(
        @DefaultValue("per-workspace") Mode mode,
        String hostTemplate,
        @DefaultValue("PT60S") Duration entryTokenTtl,
        @DefaultValue("PT8H") Duration sessionTtl) {

    public enum Mode {
        PER_WORKSPACE,
        SINGLE
    }
}
