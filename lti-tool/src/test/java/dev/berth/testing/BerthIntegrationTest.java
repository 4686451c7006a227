package dev.berth.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * A real Berth on a real port with a real (embedded) PostgreSQL in a fresh data folder. The port is chosen
 * before the context starts, so {@code berth.public-url} names it and browsers can follow every redirect.
 * Admin API token: {@value TestBerth#ADMIN_TOKEN}; admin page: {@value TestBerth#ADMIN_USER} /
 * {@value TestBerth#ADMIN_PASSWORD}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ContextConfiguration(initializers = TestBerth.class)
@ActiveProfiles("test")
public @interface BerthIntegrationTest {}
