package dev.berth.lti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.testing.BerthIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Launches read platform registrations from memory, and only while Berth hears every change to them: a change
 * made anywhere (another replica, an operator's SQL) reaches this Berth through PostgreSQL's notifications, and
 * without its listener Berth reads the database every time.
 */
@BerthIntegrationTest
class PlatformChangesIntegrationTests {

    @Autowired
    PlatformRegistry registry;

    @Autowired
    PlatformChanges changes;

    @Autowired
    JdbcClient jdbc;

    private Platform platform;

    @BeforeEach
    void registerAPlatform() {
        String issuer = "https://lms-" + UUID.randomUUID() + ".example.edu";
        platform = registry.create(
                new PlatformDraft(
                        "Cached",
                        issuer,
                        "client-1",
                        "moodle",
                        issuer + "/mod/lti/auth.php",
                        issuer + "/mod/lti/token.php",
                        issuer + "/mod/lti/certs.php",
                        null,
                        List.of(),
                        List.of("3"),
                        true),
                "admin",
                "test");
        await().atMost(Duration.ofSeconds(10)).until(changes::listening);
    }

    private Platform lookedUp() {
        return registry.lookup(platform.issuer(), "client-1").platform().orElseThrow();
    }

    @Test
    void aPlatformDisabledOutsideThisBerthIsRefusedHereWithinMoments() {
        assertThat(lookedUp().enabled()).isTrue();

        jdbc.sql("UPDATE platform SET enabled = false WHERE id = ?")
                .param(platform.id())
                .update();

        await().atMost(Duration.ofSeconds(5)).until(() -> !lookedUp().enabled());
        assertThat(registry.find(platform.id()).orElseThrow().enabled()).isFalse();
    }

    @Test
    void whileListeningLookupsAreServedFromMemoryAndChangesThroughTheRegistryShowAtOnce() {
        assertThat(lookedUp().name()).isEqualTo("Cached");
        jdbc.sql("ALTER TABLE platform DISABLE TRIGGER platform_changed").update();
        try {
            jdbc.sql("UPDATE platform SET name = 'Renamed unheard' WHERE id = ?")
                    .param(platform.id())
                    .update();

            assertThat(lookedUp().name())
                    .as("a change nobody announced is not seen: the lookup did not read the database")
                    .isEqualTo("Cached");

            Platform renamed = registry.update(
                            platform.id(), PlatformDraft.of(platform).withName("Renamed by the admin"), "admin", "test")
                    .orElseThrow();

            assertThat(renamed.name()).isEqualTo("Renamed by the admin");
            assertThat(lookedUp().name()).isEqualTo("Renamed by the admin");
        } finally {
            jdbc.sql("ALTER TABLE platform ENABLE TRIGGER platform_changed").update();
        }
    }

    @Test
    void withoutItsListenerBerthReadsTheDatabaseOnEveryLookupUntilItListensAgain() {
        assertThat(lookedUp().name()).isEqualTo("Cached");
        jdbc.sql("ALTER TABLE platform DISABLE TRIGGER platform_changed").update();
        try {
            jdbc.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")
                    .param(PlatformChanges.APPLICATION_NAME)
                    .query(Boolean.class)
                    .list();
            await().atMost(Duration.ofSeconds(10)).until(() -> !changes.listening());

            jdbc.sql("UPDATE platform SET name = 'Renamed while deaf' WHERE id = ?")
                    .param(platform.id())
                    .update();

            assertThat(lookedUp().name()).isEqualTo("Renamed while deaf");
        } finally {
            jdbc.sql("ALTER TABLE platform ENABLE TRIGGER platform_changed").update();
        }
        await().atMost(Duration.ofSeconds(15)).until(changes::listening);
        jdbc.sql("UPDATE platform SET name = 'Renamed after reconnecting' WHERE id = ?")
                .param(platform.id())
                .update();
        await().atMost(Duration.ofSeconds(5)).until(() -> lookedUp().name().equals("Renamed after reconnecting"));
    }
}
