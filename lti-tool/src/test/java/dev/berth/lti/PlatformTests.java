package dev.berth.lti;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformTests {

    @Test
    void framingIsAllowedFromTheIssuerTheAuthEndpointAndConfiguredOrigins() {
        Platform canvas = new Platform(
                1,
                "https://canvas.instructure.com",
                "10000000000001",
                "Canvas",
                "canvas",
                "https://sso.canvaslms.com/api/lti/authorize_redirect",
                "https://school.instructure.com/login/oauth2/token",
                "https://sso.canvaslms.com/api/lti/security/jwks",
                null,
                List.of("https://school.instructure.com"),
                true,
                "admin",
                List.of("1:abc"));

        assertThat(canvas.allowedFrameOrigins())
                .containsExactly(
                        "https://school.instructure.com",
                        "https://canvas.instructure.com",
                        "https://sso.canvaslms.com");
    }

    @Test
    void originsKeepExplicitPorts() {
        assertThat(Platform.origin("http://127.0.0.1:9090/canvas")).hasValue("http://127.0.0.1:9090");
        assertThat(Platform.origin("not a url")).isEmpty();
    }
}
