package dev.berth.web;

import dev.berth.lti.PlatformRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Who reaches what. Public: the LTI endpoints, the JWKS, the front page, health. Admin pages: the configured
 * admin login. Admin API and metrics: a bearer admin token. Everything else: a Berth session that a valid
 * LTI launch created.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    @Order(1)
    SecurityFilterChain adminApi(HttpSecurity http, AdminProperties admin) throws Exception {
        http.securityMatcher("/api/admin/**", "/actuator/prometheus")
                .authorizeHttpRequests(requests -> requests.anyRequest().hasRole("ADMIN"))
                .oauth2ResourceServer(
                        server -> server.opaqueToken(token -> token.introspector(new AdminTokenIntrospector(admin))))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    /**
     * The two LTI endpoints every launch passes: public, cross-site by design (the login's {@code state}, not a
     * CSRF token, ties the launch to its login), and the hot path. Only what they need: headers and the
     * permit-all decision; no form login, logout, request cache, anonymous user or CSRF filter.
     */
    @Bean
    @Order(2)
    SecurityFilterChain ltiLaunch(HttpSecurity http) throws Exception {
        http.securityMatcher("/lti/login", "/lti/launch")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> anonymous.disable())
                .servletApi(api -> api.disable())
                .logout(logout -> logout.disable())
                .sessionManagement(session -> session.enableSessionUrlRewriting(true));
        headers(http);
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain pages(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.requestMatchers(
                                "/",
                                "/lti/deep-linking",
                                "/lti/config/**",
                                "/.well-known/jwks.json",
                                "/css/**",
                                "/js/**",
                                "/images/**",
                                "/favicon.ico",
                                "/error",
                                "/admin/login",
                                "/actuator/health",
                                "/actuator/health/**")
                        .permitAll()
                        .requestMatchers("/admin/**")
                        .hasRole("ADMIN")
                        .anyRequest()
                        .authenticated())
                .formLogin(form -> form.loginPage("/admin/login")
                        .defaultSuccessUrl("/admin", true)
                        .permitAll())
                .logout(logout -> logout.logoutUrl("/admin/logout").logoutSuccessUrl("/admin/login?logout"))
                // A workspace's own requests are the IDE's business; the gateway checks the session.
                .csrf(csrf -> csrf.ignoringRequestMatchers("/ws/**"))
                // Pages served without the session cookie keep the session in their links (SessionConfiguration).
                .sessionManagement(session -> session.enableSessionUrlRewriting(true))
                .exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(
                                new LoginUrlAuthenticationEntryPoint("/admin/login"),
                                PathPatternRequestMatcher.pathPattern("/admin/**"))
                        .defaultAuthenticationEntryPointFor(
                                (request, response, e) -> response.sendError(
                                        HttpServletResponse.SC_UNAUTHORIZED, HttpStatus.UNAUTHORIZED.getReasonPhrase()),
                                request -> true));
        headers(http);
        return http.build();
    }

    /** Framing is decided by {@link FrameAncestorsFilter} (the registered platforms' origins), not by X-Frame-Options. */
    private static void headers(HttpSecurity http) throws Exception {
        http.headers(headers -> headers.frameOptions(frame -> frame.disable())
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
    }

    /**
     * Berth exports no traces: Spring Security's per-filter observations would only cost every request (the
     * launch benchmark found them among the largest items of a launch's CPU).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    FrameAncestorsFilter frameAncestorsFilter(PlatformRegistry platforms) {
        return new FrameAncestorsFilter(platforms);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService adminUsers(AdminProperties admin, PasswordEncoder encoder) {
        String password = admin.password();
        if (password == null || password.isBlank()) {
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            password = HexFormat.of().formatHex(random);
            log.warn(
                    "No berth.admin.password is set. The admin page ({}) accepts user '{}' with this generated password"
                            + " until the next restart: {}",
                    "/admin",
                    admin.username(),
                    password);
        }
        return new InMemoryUserDetailsManager(User.withUsername(admin.username())
                .password(encoder.encode(password))
                .roles("ADMIN")
                .build());
    }
}
