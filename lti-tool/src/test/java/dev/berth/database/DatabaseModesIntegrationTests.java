package dev.berth.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.BerthApplication;
import dev.berth.lti.PlatformDraft;
import dev.berth.lti.PlatformRegistry;
import dev.berth.lti.ToolKeys;
import dev.berth.testing.TestBerth;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The default run keeps its data across restarts; one setting moves Berth to an external PostgreSQL. */
class DatabaseModesIntegrationTests {

    private static ConfigurableApplicationContext start(String... properties) {
        List<String> args = new ArrayList<>(List.of(properties));
        args.add("--server.port=" + TestBerth.freePort());
        args.add("--spring.main.banner-mode=off");
        args.add("--logging.level.root=warn");
        return new SpringApplicationBuilder(BerthApplication.class).run(args.toArray(String[]::new));
    }

    private static PlatformDraft platform() {
        return new PlatformDraft(
                "Kept across restarts",
                "https://lms.example.edu",
                "client-1",
                "moodle",
                "https://lms.example.edu/mod/lti/auth.php",
                "https://lms.example.edu/mod/lti/token.php",
                "https://lms.example.edu/mod/lti/certs.php",
                null,
                List.of(),
                List.of("3"),
                true);
    }

    @Test
    void embeddedDatabaseKeepsRegistrationsAndKeysAcrossRestarts() {
        String dataDir = "--berth.data-dir=target/test-data/restart-" + UUID.randomUUID();
        String kid;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            first.getBean(PlatformRegistry.class).create(platform(), "admin", "test");
            kid = first.getBean(ToolKeys.class).signingKey().getKeyID();
        }

        try (ConfigurableApplicationContext second = start(dataDir)) {
            assertThat(second.getBean(PlatformRegistry.class).all())
                    .extracting(p -> p.name())
                    .containsExactly("Kept across restarts");
            assertThat(second.getBean(ToolKeys.class).signingKey().getKeyID()).isEqualTo(kid);
        }
    }

    @Test
    void externalDatabaseIsUsedWhenADatasourceUrlIsSet() throws Exception {
        Path dataDir = Path.of("target", "test-data", "external-" + UUID.randomUUID());
        try (EmbeddedPostgres external = EmbeddedPostgres.builder().start();
                ConfigurableApplicationContext berth = start(
                        "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + external.getPort() + "/postgres",
                        "--spring.datasource.username=postgres",
                        "--berth.keys.encryption-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                        "--berth.data-dir=" + dataDir)) {
            berth.getBean(PlatformRegistry.class).create(platform(), "admin", "test");

            long platforms = JdbcClient.create(external.getPostgresDatabase())
                    .sql("SELECT count(*) FROM platform")
                    .query(Long.class)
                    .single();
            assertThat(platforms).isEqualTo(1);
            assertThat(berth.getBeanNamesForType(EmbeddedPostgres.class)).isEmpty();
            assertThat(Files.exists(dataDir.resolve("postgres"))).isFalse();
        }
    }

    @Test
    void externalDatabaseWithoutAnEncryptionKeyRefusesToStartAndSaysWhy() throws Exception {
        try (EmbeddedPostgres external = EmbeddedPostgres.builder().start()) {
            assertThatThrownBy(() -> start(
                            "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + external.getPort() + "/postgres",
                            "--spring.datasource.username=postgres"))
                    .rootCause()
                    .hasMessageContaining("berth.keys.encryption-key");
        }
    }
}
