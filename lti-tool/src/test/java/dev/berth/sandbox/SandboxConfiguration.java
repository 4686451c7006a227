package dev.berth.sandbox;

import dev.berth.lti.LtiProperties;
import dev.berth.lti.PlatformRegistry;
import java.time.Clock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The sandbox LMS inside a running Berth: a second connector ({@code sandbox.port}, default 9090; 0 picks a
 * free one), its pages and protocol endpoints, its own security, and its registrations in Berth. Import it
 * into a test, or run {@code TestBerthApplication}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class SandboxConfiguration {

    public static final int DEFAULT_PORT = 9090;

    @Bean
    SandboxServer sandboxServer(Environment environment) {
        return new SandboxServer(environment.getProperty("sandbox.port", Integer.class, DEFAULT_PORT));
    }

    @Bean
    SandboxCatalogue sandboxCatalogue() {
        return new SandboxCatalogue();
    }

    @Bean
    SandboxKeys sandboxKeys(SandboxCatalogue catalogue) {
        return new SandboxKeys(catalogue.platforms());
    }

    @Bean
    SandboxLaunches sandboxLaunches(SandboxKeys keys, Clock clock) {
        return new SandboxLaunches(keys, clock);
    }

    @Bean
    SandboxEndpoints sandboxEndpoints(
            SandboxCatalogue catalogue,
            SandboxServer server,
            SandboxLaunches launches,
            SandboxKeys keys,
            LtiProperties berth,
            Clock clock) {
        return new SandboxEndpoints(
                catalogue,
                server,
                launches,
                // The one redirect URI registered for Berth's client ids: its launch URL.
                new SandboxAuthorization(launches, berth.launchUrl()),
                new SandboxIdTokens(keys, server, berth, clock),
                keys,
                berth);
    }

    @Bean
    RouterFunction<ServerResponse> sandboxRoutes(SandboxEndpoints endpoints) {
        return endpoints.routes();
    }

    @Bean
    SandboxRegistration sandboxRegistration(
            SandboxCatalogue catalogue, SandboxServer server, PlatformRegistry registry) {
        return new SandboxRegistration(catalogue, server, registry);
    }

    @Bean
    FilterRegistrationBean<SandboxPortGuard> sandboxPortGuard(SandboxServer server, SandboxCatalogue catalogue) {
        FilterRegistrationBean<SandboxPortGuard> registration =
                new FilterRegistrationBean<>(new SandboxPortGuard(server, catalogue));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * Everything on the sandbox's port is public. It keeps no session and sets no cookie, so there is nothing
     * for CSRF to forge; its pages may be framed by its own pages only.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain sandboxSecurity(HttpSecurity http, SandboxServer server) throws Exception {
        http.securityMatcher(server::serves)
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()));
        return http.build();
    }
}
