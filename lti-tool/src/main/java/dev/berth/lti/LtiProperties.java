package dev.berth.lti;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The LTI protocol settings.
 *
 * @param publicUrl the URL at which browsers and LMSs reach Berth (scheme, host, port, no trailing slash);
 *     every URL Berth hands to an LMS is built from it, never from request headers
 * @param stateTtl how long a login's state and nonce stay usable
 * @param clockSkew tolerance on {@code exp} and {@code iat} for clocks that disagree
 * @param maxIdTokenSize larger id_tokens are refused before parsing
 */
@ConfigurationProperties("berth")
public record LtiProperties(
        @DefaultValue("http://localhost:8080") URI publicUrl,
        @DefaultValue("PT5M") Duration stateTtl,
        @DefaultValue("PT60S") Duration clockSkew,
        @DefaultValue("64KB") DataSize maxIdTokenSize) {

    public String url(String path) {
        String base = publicUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    public String loginUrl() {
        return url("/lti/login");
    }

    public String launchUrl() {
        return url("/lti/launch");
    }

    public String deepLinkingUrl() {
        return url("/lti/deep-linking");
    }

    public String jwksUrl() {
        return url("/.well-known/jwks.json");
    }

    /** Whether a target_link_uri points at this tool (same origin, any path). */
    public boolean isOwnUrl(String candidate) {
        try {
            URI uri = URI.create(candidate);
            return publicUrl.getScheme().equalsIgnoreCase(uri.getScheme())
                    && publicUrl.getHost().equalsIgnoreCase(uri.getHost())
                    && publicUrl.getPort() == uri.getPort();
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }
}
