package dev.berth.sandbox;

import dev.berth.lti.Platform;
import dev.berth.lti.PlatformDraft;
import dev.berth.lti.PlatformRegistry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Registers each sandbox LMS in Berth once both listen, as an LMS admin would. Upserts by (issuer, client id),
 * so restarting on the same data folder updates the registrations instead of adding new ones.
 *
 * <p>The one place that talks to Berth's registry: when the admin API is available it can post the same drafts
 * to {@code /api/admin/platforms} instead.
 */
final class SandboxRegistration implements ApplicationListener<ApplicationReadyEvent> {

    static final String SOURCE = "config";
    static final String ACTOR = "sandbox";

    private static final Logger log = LoggerFactory.getLogger(SandboxRegistration.class);

    private final SandboxCatalogue catalogue;
    private final SandboxServer server;
    private final PlatformRegistry registry;
    private volatile List<Platform> registered = List.of();

    SandboxRegistration(SandboxCatalogue catalogue, SandboxServer server, PlatformRegistry registry) {
        this.catalogue = catalogue;
        this.server = server;
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        register();
    }

    /** Creates or updates the three registrations; safe to repeat. */
    List<Platform> register() {
        List<Platform> platforms = new ArrayList<>();
        for (SandboxPlatform platform : catalogue.platforms()) {
            platforms.add(registry.upsert(draft(platform), SOURCE, ACTOR));
        }
        registered = List.copyOf(platforms);
        log.info(
                "Sandbox LMS registered in Berth: {}",
                platforms.stream().map(p -> p.name() + " (" + p.issuer() + ")").toList());
        return registered;
    }

    /** The registrations as Berth stored them, after start. */
    List<Platform> registered() {
        return registered;
    }

    PlatformDraft draft(SandboxPlatform platform) {
        return new PlatformDraft(
                "Sandbox " + platform.name(),
                server.issuer(platform),
                platform.clientId(),
                platform.product(),
                server.authorizeUrl(platform),
                server.tokenUrl(platform),
                server.jwksUrl(platform),
                platform.tokenAudience(),
                List.of(server.baseUrl()),
                platform.deploymentIds(),
                true);
    }
}
