package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.BerthIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.client.RestClient;

@BerthIntegrationTest
class BerthApplicationIntegrationTests {

    @Value("${berth.public-url}")
    String baseUrl;

    @Test
    void startsOnTheEmbeddedDatabaseAndPublishesOneSigningKey() {
        String jwks = RestClient.create(baseUrl)
                .get()
                .uri("/.well-known/jwks.json")
                .retrieve()
                .body(String.class);

        assertThat(jwks).contains("\"kty\":\"RSA\"", "\"use\":\"sig\"", "\"alg\":\"RS256\"", "\"kid\"");
    }
}
