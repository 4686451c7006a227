package dev.berth.lti;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import dev.berth.testing.BerthIntegrationTest;
import dev.berth.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rotation never surprises a platform: the new key is published before it signs anything, and the key it
 * replaces stays published until nothing it signed can still be valid.
 */
@BerthIntegrationTest
@Import(ToolKeyRotationIntegrationTests.Clocks.class)
class ToolKeyRotationIntegrationTests {

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Clock.systemUTC().instant());
        }
    }

    @Autowired
    ToolKeys keys;

    @Autowired
    KeyProperties properties;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void letPendingRotationsTakeOver() {
        clock.advance(Duration.ofDays(1));
    }

    private List<String> published() {
        return keys.publishedKeys().getKeys().stream().map(JWK::getKeyID).toList();
    }

    @Test
    void rotationPublishesTheNewKeyBeforeItSignsAndKeepsTheOldOneUntilItsTokensExpire() {
        String old = keys.signingKey().getKeyID();

        ToolKey next = keys.rotate("test", "scheduled");

        assertThat(next.state()).isEqualTo(ToolKey.State.NEXT);
        assertThat(published()).contains(old, next.kid());
        assertThat(keys.signingKey().getKeyID())
                .as("the new key signs nothing yet")
                .isEqualTo(old);

        clock.advance(properties.publishLead().plusSeconds(1));
        assertThat(keys.signingKey().getKeyID()).isEqualTo(next.kid());
        assertThat(published())
                .as("the old key is still published for its tokens")
                .contains(old, next.kid());
        assertThat(keys.list())
                .extracting(ToolKey::kid, ToolKey::state)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(next.kid(), ToolKey.State.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(old, ToolKey.State.RETIRED));

        clock.advance(properties.tokenLifetime().plus(properties.publishLead()));
        assertThat(published()).doesNotContain(old).contains(next.kid());
    }

    @Test
    void aSecondRotationWhileOneIsPendingReturnsThePendingKey() {
        ToolKey first = keys.rotate("test", "first");

        ToolKey second = keys.rotate("test", "again");

        assertThat(second.kid()).isEqualTo(first.kid());
    }

    @Test
    void keysOlderThanTheirMaximumAgeAreRotatedAutomatically() {
        String active = keys.signingKey().getKeyID();

        clock.advance(properties.maxAge().plusDays(1));
        keys.maintain();

        assertThat(keys.list()).anySatisfy(key -> assertThat(key.state()).isEqualTo(ToolKey.State.NEXT));
        assertThat(keys.signingKey().getKeyID()).isEqualTo(active);
    }

    @Test
    void privateKeysAreEncryptedAtRest() {
        List<String> stored = jdbc.sql("SELECT private_jwk_encrypted FROM tool_key")
                .query(String.class)
                .list();

        assertThat(stored).isNotEmpty().allSatisfy(value -> {
            assertThat(value.split("\\.")).as("compact JWE").hasSize(5);
            assertThat(value).doesNotContain("\"d\"", "\"p\"", "\"q\"");
        });
    }
}
