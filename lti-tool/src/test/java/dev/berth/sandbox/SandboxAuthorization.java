package dev.berth.sandbox;

import dev.berth.sandbox.SandboxLaunches.SandboxLaunch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks a platform's OIDC authorization endpoint makes before it signs an id_token (LTI Security §5.1.1.2
 * and §5.1.1.3): the parameters Berth must send, the redirect URI registered for the client, and a login hint
 * and message hint this platform issued, for the same person.
 */
final class SandboxAuthorization {

    /** Either the launch to answer with an id_token, or every reason the request is refused. */
    record Outcome(Optional<SandboxLaunch> launch, List<String> problems) {}

    private final SandboxLaunches launches;
    private final String registeredRedirectUri;

    SandboxAuthorization(SandboxLaunches launches, String registeredRedirectUri) {
        this.launches = launches;
        this.registeredRedirectUri = registeredRedirectUri;
    }

    String registeredRedirectUri() {
        return registeredRedirectUri;
    }

    Outcome check(SandboxPlatform platform, Map<String, String> request) {
        List<String> problems = new ArrayList<>();
        expect(request, "scope", "openid", problems);
        expect(request, "response_type", "id_token", problems);
        expect(request, "response_mode", "form_post", problems);
        expect(request, "prompt", "none", problems);
        expect(request, "client_id", platform.clientId(), problems);
        expect(request, "redirect_uri", registeredRedirectUri, problems);
        for (String required : List.of("state", "nonce", "login_hint")) {
            if (blank(request.get(required))) {
                problems.add("The request has no " + required + ".");
            }
        }
        Optional<SandboxLaunch> launch = launches.find(platform, request.get("lti_message_hint"));
        if (launch.isEmpty()) {
            problems.add("The lti_message_hint is not one " + platform.name()
                    + " issued, or it expired: start the launch again from the sandbox.");
        } else if (!launch.get().person().loginHint().equals(request.get("login_hint"))) {
            problems.add("The login_hint does not name the user who started this launch.");
        }
        return new Outcome(problems.isEmpty() ? launch : Optional.empty(), List.copyOf(problems));
    }

    private static void expect(Map<String, String> request, String name, String expected, List<String> problems) {
        String actual = request.get(name);
        if (!expected.equals(actual)) {
            problems.add(name + " must be \"" + expected + "\" but is "
                    + (actual == null ? "missing" : "\"" + actual + "\"") + ".");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
