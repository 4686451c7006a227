package dev.berth.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/** Accepts the configured admin API tokens, compared in constant time. */
class AdminTokenIntrospector implements OpaqueTokenIntrospector {

    private final List<byte[]> tokens;

    AdminTokenIntrospector(AdminProperties properties) {
        this.tokens = properties.apiTokens().stream()
                .filter(token -> !token.isBlank())
                .map(token -> token.getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    @Override
    public OAuth2AuthenticatedPrincipal introspect(String token) {
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] known : tokens) {
            match |= MessageDigest.isEqual(known, presented);
        }
        if (!match) {
            throw new BadOpaqueTokenException("Unknown admin API token");
        }
        return new DefaultOAuth2AuthenticatedPrincipal(
                "admin-api", Map.of("sub", "admin-api"), List.of(new SimpleGrantedAuthority("ROLE_ADMIN")));
    }
}
