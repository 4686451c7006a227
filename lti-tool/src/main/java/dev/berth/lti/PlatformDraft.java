package dev.berth.lti;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;

/** What an admin (page, API or configuration) says a platform registration should be. */
public record PlatformDraft(
        @NotBlank @Size(max = 200) String name,

        @NotBlank @Size(max = 1024) @Pattern(regexp = URL, message = "{platform.url.invalid}")
        String issuer,

        @NotBlank @Size(max = 255) String clientId,

        @NotNull @Pattern(regexp = "canvas|moodle|brightspace|other")
        String product,

        @NotBlank @Size(max = 2048) @Pattern(regexp = URL, message = "{platform.url.invalid}")
        String authUrl,

        @NotBlank @Size(max = 2048) @Pattern(regexp = URL, message = "{platform.url.invalid}")
        String tokenUrl,

        @NotBlank @Size(max = 2048) @Pattern(regexp = URL, message = "{platform.url.invalid}")
        String jwksUrl,

        @Size(max = 2048) String tokenAudience,
        @NotNull List<@Pattern(regexp = ORIGIN, message = "{platform.origin.invalid}") String> frameOrigins,
        @NotEmpty(message = "{platform.deployments.empty}") List<@NotBlank @Size(max = 255) String> deploymentIds,
        boolean enabled) {

    static final String URL = "https?://[^\\s/?#]+[^\\s]*";
    static final String ORIGIN = "https?://[^\\s/?#]+";

    public PlatformDraft {
        frameOrigins = frameOrigins == null ? List.of() : trimmed(frameOrigins);
        deploymentIds = deploymentIds == null ? List.of() : trimmed(deploymentIds);
        tokenAudience = tokenAudience == null || tokenAudience.isBlank() ? null : tokenAudience.strip();
        name = strip(name);
        issuer = strip(issuer);
        clientId = strip(clientId);
        authUrl = strip(authUrl);
        tokenUrl = strip(tokenUrl);
        jwksUrl = strip(jwksUrl);
    }

    public static PlatformDraft of(Platform platform) {
        return new PlatformDraft(
                platform.name(),
                platform.issuer(),
                platform.clientId(),
                platform.product(),
                platform.authUrl(),
                platform.tokenUrl(),
                platform.jwksUrl(),
                platform.tokenAudience(),
                platform.frameOrigins(),
                platform.deploymentIds(),
                platform.enabled());
    }

    public PlatformDraft withName(String newName) {
        return new PlatformDraft(
                newName,
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

    public PlatformDraft withEnabled(boolean newEnabled) {
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
                newEnabled);
    }

    private static String strip(String value) {
        return value == null ? null : value.strip();
    }

    private static List<String> trimmed(List<String> values) {
        List<String> result = new ArrayList<>();
        for (String value : values) {
            if (value != null && !value.isBlank() && !result.contains(value.strip())) {
                result.add(value.strip());
            }
        }
        return List.copyOf(result);
    }
}
