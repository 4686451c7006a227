package dev.berth.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may administer Berth.
 *
 * @param username the admin page's user name
 * @param password the admin page's password; when unset, Berth generates one at start and logs it once
 * @param apiTokens bearer tokens accepted by {@code /api/admin/**} and the metrics endpoint; none means the
 *     admin API refuses every call. Use long random values ({@code openssl rand -hex 32}).
 */
@ConfigurationProperties("berth.admin")
public record AdminProperties(
        @DefaultValue("admin") String username,
        String password,
        @DefaultValue List<String> apiTokens) {}
