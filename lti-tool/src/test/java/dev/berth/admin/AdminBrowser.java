package dev.berth.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal browser for the admin pages over real HTTP: keeps cookies (including {@code Secure} ones, which
 * {@link java.net.CookieManager} will not send over plain http), follows no redirects on its own, and takes
 * the CSRF token from the last page it read, as a browser's form would.
 */
final class AdminBrowser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String baseUrl;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String csrf;

    AdminBrowser(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A browser signed in as the test admin. */
    static AdminBrowser signedIn(String baseUrl) {
        AdminBrowser browser = new AdminBrowser(baseUrl);
        Page result =
                browser.signIn(dev.berth.testing.TestBerth.ADMIN_USER, dev.berth.testing.TestBerth.ADMIN_PASSWORD);
        assertThat(result.location()).as("redirect after a successful sign-in").endsWith("/admin");
        return browser;
    }

    Page signIn(String username, String password) {
        get("/admin/login");
        return post("/admin/login", Map.of("username", username, "password", password));
    }

    record Page(int status, String body, Map<String, java.util.List<String>> headers) {

        String location() {
            java.util.List<String> values = headers.getOrDefault("location", java.util.List.of());
            return values.isEmpty() ? "" : values.getFirst();
        }

        /** The path of the redirect target, without scheme and host. */
        String redirectPath() {
            String location = location();
            return location.startsWith("http") ? URI.create(location).getRawPath() + query(location) : location;
        }

        private static String query(String location) {
            String query = URI.create(location).getRawQuery();
            return query == null ? "" : "?" + query;
        }
    }

    Page get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    /** Follows a redirect the way a browser would, with a GET. */
    Page follow(Page redirect) {
        assertThat(redirect.status()).as("a redirect status").isBetween(300, 399);
        return get(redirect.redirectPath());
    }

    /** Posts a form with the CSRF token of the last page read. */
    Page post(String path, Map<String, String> fields) {
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        if (csrf != null) {
            withToken.put("_csrf", csrf);
        }
        return postRaw(path, withToken);
    }

    /** Posts exactly these fields: no CSRF token unless given. */
    Page postRaw(String path, Map<String, String> fields) {
        StringJoiner body = new StringJoiner("&");
        fields.forEach((name, value) -> body.add(encode(name) + "=" + encode(value)));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private Page send(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            StringJoiner header = new StringJoiner("; ");
            cookies.forEach((name, value) -> header.add(name + "=" + value));
            request.header("Cookie", header.toString());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("set-cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                if (value.isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            Matcher token = CSRF.matcher(response.body());
            if (token.find()) {
                csrf = token.group(1);
            }
            return new Page(
                    response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
