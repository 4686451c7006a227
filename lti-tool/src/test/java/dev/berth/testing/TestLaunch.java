package dev.berth.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.lti.LtiClaims;
import dev.berth.lti.LtiLaunch;
import dev.berth.lti.Platform;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The claims of one launch, shaped like the platform's LMS, for a test to tweak and sign:
 * {@code TestLaunch.student(platform, login).without(ROLES).signed()}.
 */
public final class TestLaunch {

    public static final String LEARNER = LtiClaims.MEMBERSHIP_ROLE + "Learner";
    public static final String INSTRUCTOR = LtiClaims.MEMBERSHIP_ROLE + "Instructor";
    public static final String TEACHING_ASSISTANT =
            "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant";

    private final TestPlatform platform;
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private RSAKey signingKey;
    private JOSEObjectType type = JOSEObjectType.JWT;

    private TestLaunch(TestPlatform platform, LtiFlow.Login login, String sub, String name, List<String> roles) {
        this.platform = platform;
        this.signingKey = platform.key();
        Instant now = Instant.now();
        claims.put("iss", platform.issuer());
        claims.put("aud", platform.clientId());
        claims.put("sub", sub);
        claims.put("iat", Date.from(now));
        claims.put("exp", Date.from(now.plusSeconds(3600)));
        claims.put("nonce", login.nonce());
        if (name != null) {
            claims.put("name", name);
            claims.put("given_name", name.split(" ")[0]);
            claims.put("family_name", name.substring(name.indexOf(' ') + 1));
            claims.put("email", name.toLowerCase().replace(' ', '.') + "@example.edu");
        }
        claims.put(LtiClaims.MESSAGE_TYPE, LtiClaims.RESOURCE_LINK_REQUEST);
        claims.put(LtiClaims.VERSION, "1.3.0");
        claims.put(LtiClaims.DEPLOYMENT_ID, platform.deploymentId());
        claims.put(LtiClaims.TARGET_LINK_URI, login.targetLinkUri());
        claims.put(LtiClaims.RESOURCE_LINK, Map.of("id", "link-lab-1", "title", "Lab 1: Hello, shell"));
        claims.put(LtiClaims.ROLES, roles);
        claims.put(
                LtiClaims.CONTEXT,
                Map.of(
                        "id", "course-cs101",
                        "label", "CS101",
                        "title", "Introduction to Computing",
                        "type", List.of("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering")));
        claims.put(LtiClaims.TOOL_PLATFORM, Map.of("product_family_code", platform.product(), "guid", "test"));
        claims.put(LtiClaims.LIS, Map.of("course_section_sourcedid", "section-a"));
        claims.put(LtiClaims.CUSTOM, Map.of("section_names", "Section A"));
        claims.put(
                LtiClaims.LAUNCH_PRESENTATION,
                Map.of("document_target", "iframe", "return_url", platform.issuer() + "/return"));
    }

    public static TestLaunch student(TestPlatform platform, LtiFlow.Login login) {
        return new TestLaunch(platform, login, "student-ada", "Ada Lovelace", List.of(LEARNER));
    }

    public static TestLaunch instructor(TestPlatform platform, LtiFlow.Login login) {
        return new TestLaunch(platform, login, "teacher-grace", "Grace Hopper", List.of(INSTRUCTOR));
    }

    /**
     * A validated launch as {@code LaunchProcessor} hands it on, for tests that drive Berth's launch mapping
     * directly: a resource link launch into {@code contextId} (section "section-a"), by {@code subject} in
     * {@code role}.
     */
    public static LtiLaunch validated(Platform platform, String subject, String role, String contextId) {
        return new LtiLaunch(
                platform,
                platform.deploymentIds().getFirst(),
                LtiClaims.RESOURCE_LINK_REQUEST,
                subject,
                new LtiLaunch.Person("Student " + subject, null, null, subject + "@example.edu", null),
                List.of(role),
                new LtiLaunch.Context(contextId, "LOCKS", "Launching at once", List.of()),
                new LtiLaunch.ResourceLink("link-locks", "Lab 1", null),
                "https://berth.example/lti/launch",
                null,
                new LtiLaunch.Lis(null, null, "section-a"),
                Map.of("section_names", "Section A"),
                null,
                null,
                null,
                "canvas");
    }

    public TestLaunch with(String claim, Object value) {
        claims.put(claim, value instanceof Instant instant ? Date.from(instant) : value);
        return this;
    }

    public TestLaunch without(String claim) {
        claims.remove(claim);
        return this;
    }

    public TestLaunch signedBy(RSAKey key) {
        this.signingKey = key;
        return this;
    }

    /** The header's {@code typ}: JWT unless a test says otherwise (null leaves it out). */
    public TestLaunch typed(JOSEObjectType type) {
        this.type = type;
        return this;
    }

    public JWTClaimsSet claims() {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        claims.forEach(builder::claim);
        return builder.build();
    }

    public String signed() {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(signingKey.getKeyID())
                            .type(type)
                            .build(),
                    claims());
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String unsigned() {
        return new PlainJWT(claims()).serialize();
    }

    /** The classic key-confusion attack: HMAC with the platform's public key as the shared secret. */
    public String signedWithPublicKeyAsHmacSecret() {
        try {
            byte[] secret = platform.key().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .keyID(platform.key().getKeyID())
                            .build(),
                    claims());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
