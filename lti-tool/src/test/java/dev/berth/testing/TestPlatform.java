package dev.berth.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.berth.lti.PlatformDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An LTI platform for tests: its own RSA key, its JWKS served by WireMock, a unique issuer so that test
 * classes sharing one database never meet each other's rows. {@code TestPlatform.canvas(wireMock)} etc.
 * return a platform each test can tweak before registering it.
 */
public final class TestPlatform {

    private final WireMockServer wireMock;
    private final String product;
    private final String issuer;
    private final String clientId;
    private final List<String> deploymentIds = new ArrayList<>();
    private final String jwksPath;
    private final RSAKey key;
    private boolean enabled = true;

    private TestPlatform(WireMockServer wireMock, String product) {
        this.wireMock = wireMock;
        this.product = product;
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.issuer = wireMock.baseUrl() + "/" + product + "-" + id;
        this.clientId = product + "-client-" + id;
        this.jwksPath = "/" + product + "-" + id + "/jwks";
        this.deploymentIds.add(product.equals("canvas") ? "1:" + id : "deployment-" + id);
        this.key = newKey(UUID.randomUUID().toString());
    }

    public static TestPlatform canvas(WireMockServer wireMock) {
        return new TestPlatform(wireMock, "canvas");
    }

    public static TestPlatform moodle(WireMockServer wireMock) {
        return new TestPlatform(wireMock, "moodle");
    }

    public static TestPlatform brightspace(WireMockServer wireMock) {
        return new TestPlatform(wireMock, "brightspace");
    }

    public TestPlatform withDeployment(String deploymentId) {
        deploymentIds.add(deploymentId);
        return this;
    }

    public TestPlatform disabled() {
        enabled = false;
        return this;
    }

    public PlatformDraft draft() {
        return new PlatformDraft(
                "Test " + product + " " + issuer.substring(issuer.lastIndexOf('-') + 1),
                issuer,
                clientId,
                product,
                issuer + "/authorize",
                issuer + "/token",
                wireMock.baseUrl() + jwksPath,
                null,
                List.of(),
                deploymentIds,
                enabled);
    }

    /** Serves this platform's current public key at its JWKS URL. */
    public TestPlatform publishKeys(RSAKey... keys) {
        List<com.nimbusds.jose.jwk.JWK> published = new ArrayList<>();
        for (RSAKey published1 : keys.length == 0 ? new RSAKey[] {key} : keys) {
            published.add(published1.toPublicJWK());
        }
        wireMock.stubFor(get(urlEqualTo(jwksPath))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(new JWKSet(published).toString())));
        return this;
    }

    public String issuer() {
        return issuer;
    }

    public String clientId() {
        return clientId;
    }

    public String deploymentId() {
        return deploymentIds.getFirst();
    }

    public List<String> deploymentIds() {
        return List.copyOf(deploymentIds);
    }

    public String jwksPath() {
        return jwksPath;
    }

    public RSAKey key() {
        return key;
    }

    public String product() {
        return product;
    }

    public static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048)
                    .keyID(kid)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
