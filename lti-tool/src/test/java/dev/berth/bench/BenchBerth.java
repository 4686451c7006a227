package dev.berth.bench;

import dev.berth.BerthApplication;
import dev.berth.lti.PlatformDraft;
import dev.berth.lti.PlatformRegistry;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Berth as shipped ({@link BerthApplication}, same configuration), plus one thing the launch benchmark needs
 * before Berth has another way to get it: the benchmark's platform registration, read from {@code
 * bench.platform.*} properties and stored through {@link PlatformRegistry} when the application is ready, so
 * before the readiness probe reports UP. Test sources only.
 */
public final class BenchBerth {

    private BenchBerth() {}

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(BerthApplication.class);
        application.addListeners(new RegisterPlatform());
        application.run(args);
    }

    /**
     * A class, not a lambda: Spring cannot read a lambda's event type, so it would call a lambda listener for
     * every event (one per HTTP request) and swallow a ClassCastException each time.
     */
    private static final class RegisterPlatform implements ApplicationListener<ApplicationReadyEvent> {

        @Override
        public void onApplicationEvent(ApplicationReadyEvent event) {
            register(event.getApplicationContext());
        }
    }

    private static void register(ConfigurableApplicationContext context) {
        Environment environment = context.getEnvironment();
        String issuer = environment.getProperty("bench.platform.issuer");
        if (issuer == null) {
            return;
        }
        PlatformDraft draft = new PlatformDraft(
                "Benchmark platform",
                issuer,
                environment.getRequiredProperty("bench.platform.client-id"),
                "canvas",
                environment.getRequiredProperty("bench.platform.auth-url"),
                environment.getRequiredProperty("bench.platform.token-url"),
                environment.getRequiredProperty("bench.platform.jwks-url"),
                null,
                List.of(),
                List.of(environment.getRequiredProperty("bench.platform.deployment-id")),
                true);
        context.getBean(PlatformRegistry.class).upsert(draft, "config", "bench");
    }
}
