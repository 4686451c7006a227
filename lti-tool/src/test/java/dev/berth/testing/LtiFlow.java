package dev.berth.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Drives Berth's LTI endpoints as a platform and a cookie-less browser would: no redirect is followed. */
public final class LtiFlow {

    private final String baseUrl;
    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    public LtiFlow(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** What Berth's login answer told the platform: the state and nonce to use in the launch. */
    public record Login(String state, String nonce, String targetLinkUri, Map<String, String> query) {}

    public Login login(TestPlatform platform) {
        return login(platform, baseUrl + "/lti/launch");
    }

    public Login login(TestPlatform platform, String targetLinkUri) {
        return login(platform, targetLinkUri, platform.deploymentId());
    }

    public Login login(TestPlatform platform, String targetLinkUri, String deploymentId) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("iss", platform.issuer());
        params.put("login_hint", "hint-" + System.nanoTime());
        params.put("target_link_uri", targetLinkUri);
        params.put("client_id", platform.clientId());
        params.put("lti_deployment_id", deploymentId);
        HttpResponse<String> response = get("/lti/login?" + form(params), Map.of());
        if (response.statusCode() != 302) {
            throw new IllegalStateException("Login answered " + response.statusCode() + ": " + response.body());
        }
        Map<String, String> query =
                query(URI.create(response.headers().firstValue("Location").orElseThrow()));
        return new Login(query.get("state"), query.get("nonce"), targetLinkUri, query);
    }

    public HttpResponse<String> launch(String idToken, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        if (idToken != null) {
            params.put("id_token", idToken);
        }
        if (state != null) {
            params.put("state", state);
        }
        return post("/lti/launch", form(params), Map.of());
    }

    public HttpResponse<String> launchAsJson(String idToken, String state) {
        return post(
                "/lti/launch", form(Map.of("id_token", idToken, "state", state)), Map.of("Accept", "application/json"));
    }

    public HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    public HttpResponse<String> post(String path, String formBody, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody));
        headers.forEach(request::header);
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public static Map<String, String> query(URI uri) {
        Map<String, String> result = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return result;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            result.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return result;
    }
}
