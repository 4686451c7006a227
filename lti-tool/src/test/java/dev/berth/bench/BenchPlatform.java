package dev.berth.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.berth.lti.LtiClaims;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The LMS side of the benchmark: an RSA-2048 key, its JWKS served on loopback, and Canvas-shaped id_tokens
 * for resource link launches, one distinct user per launch.
 */
final class BenchPlatform implements AutoCloseable {

    static final String ISSUER = "https://canvas.bench.invalid";
    static final String CLIENT_ID = "10000000000042";
    static final String DEPLOYMENT_ID = "42:bench-deployment";
    private static final String LEARNER = LtiClaims.MEMBERSHIP_ROLE + "Learner";
    private static final String STUDENT = LtiClaims.INSTITUTION_ROLE + "Student";

    private final RSAKey key;
    private final RSASSASigner signer;
    private final HttpServer server;
    private final AtomicLong jwksFetches = new AtomicLong();

    BenchPlatform() throws IOException, JOSEException {
        this.key = new RSAKeyGenerator(2048).keyID("bench-key-1").generate();
        this.signer = new RSASSASigner(key);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String authUrl() {
        return baseUrl() + "/auth";
    }

    String tokenUrl() {
        return baseUrl() + "/token";
    }

    String jwksUrl() {
        return baseUrl() + "/jwks";
    }

    String keyId() {
        return key.getKeyID();
    }

    /** The signing key as PKCS#8 PEM, for a load driver outside this JVM. */
    String privateKeyPem() throws JOSEException {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.toPrivateKey().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    long jwksFetches() {
        return jwksFetches.get();
    }

    /** Where launch {@code n} takes place: its user, course and resource link. */
    record Launch(long user, int course, int link) {

        static Launch of(long n, int courses, int linksPerCourse) {
            int course = (int) (n % courses);
            int link = (int) ((n / courses) % linksPerCourse);
            return new Launch(n, course, link);
        }

        String subject() {
            return "bench-user-" + user;
        }

        String contextId() {
            return "bench-course-" + course;
        }

        String resourceLinkId() {
            return "bench-link-" + course + "-" + link;
        }
    }

    /** A signed id_token with the claim set Canvas sends for a learner's resource link launch. */
    String idToken(Launch launch, String nonce, String targetLinkUri) throws JOSEException {
        Instant now = Instant.now();
        String courseApi = "https://canvas.bench.invalid/api/lti/courses/" + launch.course();
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("id", launch.contextId());
        context.put("label", "BENCH-" + launch.course());
        context.put("title", "Benchmark course " + launch.course());
        context.put("type", List.of("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"));
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("id", launch.resourceLinkId());
        link.put("title", "Exercise " + launch.link());
        link.put("description", null);
        Map<String, Object> toolPlatform = new LinkedHashMap<>();
        toolPlatform.put("guid", "bench-platform-guid:canvas-lms");
        toolPlatform.put("name", "Benchmark Canvas");
        toolPlatform.put("version", "cloud");
        toolPlatform.put("product_family_code", "canvas");
        Map<String, Object> presentation = new LinkedHashMap<>();
        presentation.put("document_target", "iframe");
        presentation.put("return_url", "https://canvas.bench.invalid/courses/" + launch.course() + "/external_content");
        presentation.put("locale", "en");
        presentation.put("height", 400);
        presentation.put("width", 800);
        Map<String, Object> lis = new LinkedHashMap<>();
        lis.put("person_sourcedid", "SIS-" + launch.user());
        lis.put("course_offering_sourcedid", "SIS-COURSE-" + launch.course());
        List<String> scopes = new ArrayList<>();
        scopes.add("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem");
        scopes.add("https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly");
        scopes.add("https://purl.imsglobal.org/spec/lti-ags/scope/score");
        Map<String, Object> ags = new LinkedHashMap<>();
        ags.put("scope", scopes);
        ags.put("lineitems", courseApi + "/line_items");
        ags.put("lineitem", courseApi + "/line_items/" + launch.link());
        Map<String, Object> nrps = new LinkedHashMap<>();
        nrps.put("context_memberships_url", courseApi + "/names_and_roles");
        nrps.put("service_versions", List.of("2.0"));
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(CLIENT_ID)
                .claim("azp", CLIENT_ID)
                .subject(launch.subject())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("nonce", nonce)
                .claim(LtiClaims.DEPLOYMENT_ID, DEPLOYMENT_ID)
                .claim(LtiClaims.MESSAGE_TYPE, LtiClaims.RESOURCE_LINK_REQUEST)
                .claim(LtiClaims.VERSION, LtiClaims.LTI_VERSION)
                .claim(LtiClaims.TARGET_LINK_URI, targetLinkUri)
                .claim(LtiClaims.RESOURCE_LINK, link)
                .claim(LtiClaims.ROLES, List.of(LEARNER, STUDENT))
                .claim(LtiClaims.CONTEXT, context)
                .claim(LtiClaims.TOOL_PLATFORM, toolPlatform)
                .claim(LtiClaims.LAUNCH_PRESENTATION, presentation)
                .claim(LtiClaims.LIS, lis)
                .claim(LtiClaims.CUSTOM, Map.of())
                .claim(LtiClaims.AGS_ENDPOINT, ags)
                .claim(LtiClaims.NRPS, nrps)
                .claim("https://purl.imsglobal.org/spec/lti/claim/lti11_legacy_user_id", "legacy-" + launch.user())
                .claim("https://purl.imsglobal.org/spec/lti/claim/lti1p1", Map.of("user_id", "legacy-" + launch.user()))
                .claim("name", "Bench User " + launch.user())
                .claim("given_name", "Bench")
                .claim("family_name", "User " + launch.user())
                .claim("email", launch.subject() + "@bench.invalid")
                .claim("picture", "https://canvas.bench.invalid/images/messages/avatar-50.png")
                .claim("locale", "en")
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
