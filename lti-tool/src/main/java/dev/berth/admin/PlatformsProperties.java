package dev.berth.admin;

import dev.berth.lti.PlatformDraft;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Platforms registered from the application configuration ({@code berth.platforms[n].*}). At every start Berth
 * creates or updates each entry, keyed by (issuer, client-id), with the source {@code config}; an edit made on
 * the admin page or through the API to such a platform is overwritten at the next start. Removing an entry
 * does not delete its platform (its courses stay); delete or disable it on the admin page. An invalid entry
 * stops Berth from starting, naming the entry and the field.
 *
 * @param platforms the registrations, in any order
 */
@ConfigurationProperties("berth")
public record PlatformsProperties(@DefaultValue List<ConfiguredPlatform> platforms) {

    /**
     * One LMS registration, with the values the LMS shows once Berth is registered there.
     *
     * @param name what the admin pages call this platform
     * @param issuer the platform's issuer ({@code iss}), e.g. {@code https://canvas.instructure.com}
     * @param clientId the client ID the LMS assigned to Berth
     * @param product {@code canvas}, {@code moodle}, {@code brightspace} or {@code other}
     * @param authUrl the platform's OIDC authentication (authorization) endpoint
     * @param tokenUrl the platform's OAuth 2 access token endpoint, for AGS and NRPS
     * @param jwksUrl the platform's public key set URL
     * @param tokenAudience the {@code aud} of Berth's client assertions when it is not the token URL; Brightspace
     *     needs {@code https://api.brightspace.com/auth/token}
     * @param frameOrigins further origins allowed to frame Berth, besides the issuer's and the auth URL's (for an
     *     LMS served on a custom domain)
     * @param deploymentIds the deployment IDs Berth accepts launches from; at least one
     * @param enabled whether launches from this platform are accepted
     */
    public record ConfiguredPlatform(
            String name,
            String issuer,
            String clientId,
            @DefaultValue("other") String product,
            String authUrl,
            String tokenUrl,
            String jwksUrl,
            String tokenAudience,
            @DefaultValue List<String> frameOrigins,
            @DefaultValue List<String> deploymentIds,
            @DefaultValue("true") boolean enabled) {

        PlatformDraft toDraft() {
            return new PlatformDraft(
                    name,
                    issuer,
                    clientId,
                    product,
                    authUrl,
                    tokenUrl,
                    jwksUrl,
                    tokenAudience,
                    frameOrigins,
                    deploymentIds,
                    enabled);
        }
    }
}
