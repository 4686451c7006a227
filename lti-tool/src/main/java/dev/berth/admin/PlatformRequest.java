package dev.berth.admin;

import dev.berth.lti.PlatformDraft;
import java.util.List;

/**
 * The JSON body of {@code POST} and {@code PUT /api/admin/platforms}: {@link PlatformDraft}'s fields, with
 * {@code product} defaulting to {@code other} and {@code enabled} to {@code true} when omitted. A {@code PUT}
 * replaces the whole registration, so omitted fields take these defaults too.
 */
record PlatformRequest(
        String name,
        String issuer,
        String clientId,
        String product,
        String authUrl,
        String tokenUrl,
        String jwksUrl,
        String tokenAudience,
        List<String> frameOrigins,
        List<String> deploymentIds,
        Boolean enabled) {

    PlatformDraft toDraft() {
        return new PlatformDraft(
                name,
                issuer,
                clientId,
                product == null ? "other" : product,
                authUrl,
                tokenUrl,
                jwksUrl,
                tokenAudience,
                frameOrigins,
                deploymentIds,
                enabled == null || enabled);
    }
}
