package dev.berth.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/** Platform registrations for tests: each fixture is a builder with a fresh client id, tweaked per test. */
final class TestPlatforms {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestPlatforms() {}

    static Builder canvas() {
        return new Builder()
                .with("name", "Canvas " + UUID.randomUUID().toString().substring(0, 8))
                .with("product", "canvas")
                .with("issuer", "https://canvas.instructure.com")
                .with("clientId", "10000000000" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 100000))
                .with("authUrl", "https://sso.canvaslms.com/api/lti/authorize_redirect")
                .with("tokenUrl", "https://canvas.example.edu/login/oauth2/token")
                .with("jwksUrl", "https://sso.canvaslms.com/api/lti/security/jwks")
                .with("deploymentIds", List.of("189:" + UUID.randomUUID()))
                .with("frameOrigins", List.of("https://canvas.example.edu"))
                .with("enabled", true);
    }

    static Builder brightspace() {
        return new Builder()
                .with("name", "Brightspace " + UUID.randomUUID().toString().substring(0, 8))
                .with("product", "brightspace")
                .with("issuer", "https://school.brightspace.com")
                .with("clientId", UUID.randomUUID().toString())
                .with("authUrl", "https://school.brightspace.com/d2l/lti/authenticate")
                .with("tokenUrl", "https://auth.brightspace.com/core/connect/token")
                .with("jwksUrl", "https://school.brightspace.com/d2l/.well-known/jwks")
                .with("tokenAudience", "https://api.brightspace.com/auth/token")
                .with("deploymentIds", List.of(UUID.randomUUID().toString()))
                .with("enabled", true);
    }

    static final class Builder {

        private final Map<String, Object> fields = new LinkedHashMap<>();

        Builder with(String field, Object value) {
            fields.put(field, value);
            return this;
        }

        Builder without(String field) {
            fields.remove(field);
            return this;
        }

        Object get(String field) {
            return fields.get(field);
        }

        String json() {
            return JSON.writeValueAsString(fields);
        }

        /** The admin form's fields: lists as one value per line, the checkbox as the browser sends it. */
        Map<String, String> form() {
            Map<String, String> form = new LinkedHashMap<>();
            fields.forEach((name, value) -> {
                if (value instanceof List<?> list) {
                    form.put(
                            name,
                            String.join("\n", list.stream().map(String::valueOf).toList()));
                } else if (value instanceof Boolean enabled) {
                    if (enabled) {
                        form.put(name, "true");
                    }
                    form.put("_" + name, "on");
                } else if (value != null) {
                    form.put(name, String.valueOf(value));
                }
            });
            return form;
        }
    }
}
