package dev.berth.lti;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A registered LMS: one (issuer, client_id) pair with its endpoints and deployments. */
public record Platform(
        long id,
        String issuer,
        String clientId,
        String name,
        String product,
        String authUrl,
        String tokenUrl,
        String jwksUrl,
        String tokenAudience,
        List<String> frameOrigins,
        boolean enabled,
        String source,
        List<String> deploymentIds) {

    /** The origins that may frame Berth for this platform: the configured ones, the issuer's and the auth URL's. */
    public Set<String> allowedFrameOrigins() {
        Set<String> origins = new LinkedHashSet<>(frameOrigins);
        origin(issuer).ifPresent(origins::add);
        origin(authUrl).ifPresent(origins::add);
        return origins;
    }

    static java.util.Optional<String> origin(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return java.util.Optional.empty();
            }
            String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
            return java.util.Optional.of(
                    uri.getScheme().toLowerCase() + "://" + uri.getHost().toLowerCase() + port);
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
