package dev.berth.workspace.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayHeadersTests {

    private final RelayHeaders headers = new RelayHeaders(Set.of("BERTH_SESSION", "__Host-berth-ws"));

    @Test
    void upstreamFramingRulesAreDroppedSoTheGatewayDecidesWhoFramesTheWorkspace() {
        assertThat(headers.downstream("X-Frame-Options", "DENY")).isEmpty();
        assertThat(headers.downstream(
                        "Content-Security-Policy", "frame-ancestors 'self'; report-uri /api/security/csp-report"))
                .as("Jupyter's policy keeps everything but frame-ancestors")
                .hasValue("report-uri /api/security/csp-report");
        assertThat(headers.downstream(
                        "content-security-policy", "default-src 'self';FRAME-ANCESTORS 'none' ; img-src *"))
                .hasValue("default-src 'self'; img-src *");
        assertThat(headers.downstream("Content-Security-Policy", "frame-ancestors 'none'"))
                .isEmpty();
        assertThat(headers.downstream("Content-Security-Policy", "default-src 'self'; frame-src x"))
                .hasValue("default-src 'self'; frame-src x");
    }

    @Test
    void workspaceCannotSetOrClearBerthsOrTheGatewaysCookies() {
        assertThat(headers.downstream("Set-Cookie", "__Host-berth-ws=x; Path=/"))
                .isEmpty();
        assertThat(headers.downstream("Set-Cookie", "BERTH_SESSION=; Max-Age=0"))
                .isEmpty();
        assertThat(headers.downstream("Set-Cookie", "_xsrf=abc; Path=/"))
                .hasValue("_xsrf=abc; Path=/; Secure; SameSite=None; Partitioned");
    }

    @Test
    void aWorkspacesOwnCookiesAreMadePartitionedSoTheyWorkInTheLmsFrameAndStayOnItsHost() {
        assertThat(headers.downstream(
                        "Set-Cookie", "code-server-session=s1; Domain=localhost; Path=/; HttpOnly; SameSite=Lax"))
                .hasValue("code-server-session=s1; Path=/; HttpOnly; Secure; SameSite=None; Partitioned");
        assertThat(headers.downstream("Set-Cookie", "a=b; Secure; Partitioned; Max-Age=60"))
                .hasValue("a=b; Max-Age=60; Secure; SameSite=None; Partitioned");
    }
}
