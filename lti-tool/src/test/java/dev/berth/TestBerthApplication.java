package dev.berth;

import dev.berth.lti.LtiProperties;
import dev.berth.sandbox.SandboxConfiguration;
import dev.berth.sandbox.SandboxServer;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Berth for development ({@code ./berth run}, which is {@code spring-boot:test-run}): the normal embedded
 * defaults plus the sandbox LMS on http://127.0.0.1:9090, registered in Berth at start. The defaults below
 * are the lowest-ranked properties, so any {@code -D}, environment variable or configuration file overrides
 * them.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SandboxConfiguration.class)
public class TestBerthApplication {

    static final Map<String, Object> DEVELOPMENT_DEFAULTS = Map.of(
            "berth.admin.password", "berth-dev",
            "berth.admin.api-tokens", "berth-dev-token",
            // The sandbox's JWKS is on 127.0.0.1.
            "berth.outbound.allow-private-addresses", "true",
            "sandbox.port", String.valueOf(SandboxConfiguration.DEFAULT_PORT),
            "spring.thymeleaf.cache", "false");

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(BerthApplication.class, TestBerthApplication.class);
        application.setDefaultProperties(DEVELOPMENT_DEFAULTS);
        ConfigurableApplicationContext context = application.run(args);
        printBanner(context);
    }

    /** A development default is printed; a value someone configured is a secret and is not. */
    private static String shown(ConfigurableApplicationContext context, String property) {
        String value = context.getEnvironment().getProperty(property);
        return String.valueOf(DEVELOPMENT_DEFAULTS.get(property)).equals(value) ? value : "as configured";
    }

    private static void printBanner(ConfigurableApplicationContext context) {
        String sandbox = context.getBean(SandboxServer.class).baseUrl() + "/";
        String berth = context.getBean(LtiProperties.class).url("");
        String user = context.getEnvironment().getProperty("berth.admin.username", "admin");
        String password = shown(context, "berth.admin.password");
        String token = shown(context, "berth.admin.api-tokens");
        String line = "=".repeat(78);
        System.out.println(String.join(
                System.lineSeparator(),
                "",
                line,
                "  Berth is running, with the sandbox LMS.",
                "",
                "  Try a launch:  open " + sandbox + " and click a person's button",
                "  Admin pages:   " + berth + "/admin  (" + user + " / " + password + ")",
                "  Admin API:     " + berth + "/api/admin/platforms  (Authorization: Bearer " + token + ")",
                "",
                "  Stop with Ctrl+C. Data stays in the data folder until you delete it.",
                line,
                ""));
    }
}
