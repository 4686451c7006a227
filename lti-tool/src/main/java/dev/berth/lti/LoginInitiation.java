package dev.berth.lti;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Answers a platform's login initiation with the OIDC authentication request (Security §5.1.1.2): state
 * and nonce are stored server-side, so the launch that follows needs no cookie.
 */
@Component
public class LoginInitiation {

    private final PlatformRegistry platforms;
    private final OidcStates states;
    private final LtiProperties properties;

    LoginInitiation(PlatformRegistry platforms, OidcStates states, LtiProperties properties) {
        this.platforms = platforms;
        this.states = states;
        this.properties = properties;
    }

    /** The URL to send the browser to. */
    public String start(LoginRequest request) {
        List<LaunchFailure> missing = new ArrayList<>();
        // Security §5.1.1.1: iss, login_hint and target_link_uri are required.
        require(request.issuer(), "iss", missing);
        require(request.loginHint(), "login_hint", missing);
        require(request.targetLinkUri(), "target_link_uri", missing);
        if (!missing.isEmpty()) {
            throw new InvalidLaunchException(400, missing);
        }
        PlatformRegistry.Lookup lookup = platforms.lookup(request.issuer(), blankToNull(request.clientId()));
        if (lookup.ambiguous()) {
            throw new InvalidLaunchException(400, LaunchFailure.of("login_client_ambiguous", request.issuer()));
        }
        Platform platform = lookup.platform()
                .orElseThrow(() -> new InvalidLaunchException(
                        400,
                        request.clientId() == null
                                ? LaunchFailure.of("login_platform_unknown", request.issuer())
                                : LaunchFailure.of("login_client_unknown", request.issuer(), request.clientId())));
        if (!platform.enabled()) {
            throw new InvalidLaunchException(403, LaunchFailure.of("platform_disabled", platform.name()));
        }
        // Core §5.1.1.1 / Impl guide: only launch into this tool.
        if (!properties.isOwnUrl(request.targetLinkUri())) {
            throw new InvalidLaunchException(
                    400, LaunchFailure.of("login_target_foreign", request.targetLinkUri(), properties.url("")));
        }
        OidcStates.Issued issued =
                states.issue(platform.id(), request.targetLinkUri(), blankToNull(request.deploymentId()));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("scope", "openid");
        query.put("response_type", "id_token");
        query.put("response_mode", "form_post");
        query.put("prompt", "none");
        query.put("client_id", platform.clientId());
        query.put("redirect_uri", properties.launchUrl());
        query.put("login_hint", request.loginHint());
        query.put("state", issued.state());
        query.put("nonce", issued.nonce());
        if (request.ltiMessageHint() != null) {
            query.put("lti_message_hint", request.ltiMessageHint());
        }
        StringBuilder url = new StringBuilder(platform.authUrl());
        char separator = platform.authUrl().contains("?") ? '&' : '?';
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            url.append(separator)
                    .append(parameter.getKey())
                    .append('=')
                    .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return url.toString();
    }

    private static void require(String value, String name, List<LaunchFailure> missing) {
        if (value == null || value.isBlank()) {
            missing.add(LaunchFailure.of("login_parameter_missing", name));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
