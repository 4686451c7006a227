package dev.berth.lti;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launch rules on their own: no HTTP, no database. */
class LaunchRulesTests {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Platform PLATFORM = new Platform(
            1,
            "https://lms.example.edu",
            "client-1",
            "LMS",
            "moodle",
            "https://lms.example.edu/auth",
            "https://lms.example.edu/token",
            "https://lms.example.edu/jwks",
            null,
            List.of(),
            true,
            "admin",
            List.of("3"));
    private static final OidcStates.Stored LOGIN =
            new OidcStates.Stored("nonce-1", 1, "https://berth.example.edu/lti/launch", null);

    private static List<String> failures(LaunchRule rule, JWTClaimsSet.Builder claims) throws Exception {
        List<LaunchFailure> failures = new ArrayList<>();
        rule.check(new LaunchContext(claims.build(), PLATFORM, LOGIN, NOW), failures);
        return failures.stream().map(LaunchFailure::code).toList();
    }

    @Test
    void audienceMayBeAStringOrAnArrayHoldingOurClientId() throws Exception {
        assertThat(failures(LaunchRules.audience(), new JWTClaimsSet.Builder().audience("client-1")))
                .isEmpty();
        assertThat(failures(
                        LaunchRules.audience(),
                        new JWTClaimsSet.Builder()
                                .audience(List.of("client-1", "other"))
                                .claim("azp", "client-1")))
                .isEmpty();
        assertThat(failures(LaunchRules.audience(), new JWTClaimsSet.Builder().audience("other")))
                .containsExactly("audience_mismatch");
    }

    @Test
    void anAuthorizedPartyThatIsNotUsIsRefusedEvenWithOneAudience() throws Exception {
        assertThat(failures(
                        LaunchRules.audience(),
                        new JWTClaimsSet.Builder().audience("client-1").claim("azp", "x")))
                .containsExactly("azp_mismatch");
    }

    @Test
    void lifetimeAllowsTheClockSkewAndNoMore() throws Exception {
        LaunchRule rule = LaunchRules.lifetime(Duration.ofSeconds(60));
        assertThat(failures(
                        rule,
                        new JWTClaimsSet.Builder()
                                .issueTime(Date.from(NOW.plusSeconds(59)))
                                .expirationTime(Date.from(NOW.minusSeconds(59)))))
                .isEmpty();
        assertThat(failures(
                        rule,
                        new JWTClaimsSet.Builder()
                                .issueTime(Date.from(NOW.plusSeconds(61)))
                                .expirationTime(Date.from(NOW.minusSeconds(61)))))
                .containsExactly("token_expired", "token_issued_in_future");
        assertThat(failures(rule, new JWTClaimsSet.Builder())).containsExactly("claim_missing", "claim_missing");
    }

    @Test
    void theNonceMustBeTheOneIssuedWithTheState() throws Exception {
        assertThat(failures(LaunchRules.nonce(), new JWTClaimsSet.Builder().claim("nonce", "nonce-1")))
                .isEmpty();
        assertThat(failures(LaunchRules.nonce(), new JWTClaimsSet.Builder().claim("nonce", "nonce-2")))
                .containsExactly("nonce_mismatch");
    }

    @Test
    void theDeploymentMustBeRegisteredAndMatchTheLoginHint() throws Exception {
        assertThat(failures(LaunchRules.deployment(), new JWTClaimsSet.Builder().claim(LtiClaims.DEPLOYMENT_ID, "3")))
                .isEmpty();
        assertThat(failures(LaunchRules.deployment(), new JWTClaimsSet.Builder().claim(LtiClaims.DEPLOYMENT_ID, "4")))
                .containsExactly("deployment_unknown");
    }

    @Test
    void rolesMustBePresentButMayBeEmpty() throws Exception {
        assertThat(failures(
                        LaunchRules.user(),
                        new JWTClaimsSet.Builder().subject("u1").claim(LtiClaims.ROLES, List.of())))
                .isEmpty();
        assertThat(failures(LaunchRules.user(), new JWTClaimsSet.Builder().subject("u1")))
                .containsExactly("claim_missing");
    }

    @Test
    void validatorCollectsEveryFailureAndReportsMalformedClaims() {
        LaunchValidator validator = new LaunchValidator(
                LaunchRules.audience(), LaunchRules.nonce(), LaunchRules.deployment(), List.of(LaunchRules.version()));
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .audience("other")
                .claim("nonce", "wrong")
                .claim(LtiClaims.DEPLOYMENT_ID, List.of("not", "a", "string"))
                .claim(LtiClaims.VERSION, "1.1")
                .build();

        List<String> codes = validator.validate(new LaunchContext(claims, PLATFORM, LOGIN, NOW)).stream()
                .map(LaunchFailure::code)
                .toList();

        assertThat(codes)
                .containsExactly("audience_mismatch", "nonce_mismatch", "claim_malformed", "version_unsupported");
    }
}
