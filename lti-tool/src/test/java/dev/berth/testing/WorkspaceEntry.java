package dev.berth.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Enters a workspace the way a browser follows {@code /workspaces/{id}/open}: redirects followed by hand, cookies kept
 * per host (Secure ones too, as browsers treat {@code localhost}), and workspace hosts under {@code .localhost} reached
 * on 127.0.0.1 with the Host header (the JVM's resolver does not know them; the tests run with {@code
 * jdk.httpclient.allowRestrictedHeaders=host}).
 */
public final class WorkspaceEntry {

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final Map<String, Map<String, String>> cookies = new LinkedHashMap<>();

    /** The last response after following every redirect from {@code url} (at most eight). */
    public HttpResponse<String> follow(String url) throws IOException, InterruptedException {
        String next = url;
        for (int hop = 0; hop < 8; hop++) {
            HttpResponse<String> response = get(next);
            var location = response.headers().firstValue("Location");
            if (response.statusCode() / 100 != 3 || location.isEmpty()) {
                return response;
            }
            next = URI.create(next).resolve(location.get()).toString();
        }
        throw new IOException("More than eight redirects from " + url);
    }

    /**
     * The {@code Cookie} header this client sends to {@code host} (empty when it holds no cookie for it): what a
     * page on that host sends along with its own requests, a WebSocket handshake too.
     */
    public String cookieHeader(String host) {
        StringBuilder header = new StringBuilder();
        cookies.getOrDefault(host, Map.of()).forEach((name, value) -> header.append(header.isEmpty() ? "" : "; ")
                .append(name)
                .append('=')
                .append(value));
        return header.toString();
    }

    public HttpResponse<String> get(String url) throws IOException, InterruptedException {
        URI uri = URI.create(url);
        HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(30));
        if (uri.getHost().endsWith(".localhost")) {
            request.uri(URI.create(uri.getScheme() + "://127.0.0.1:" + uri.getPort() + uri.getRawPath()
                            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .header("Host", uri.getRawAuthority());
        } else {
            request.uri(uri);
        }
        String cookie = cookieHeader(uri.getHost());
        if (!cookie.isEmpty()) {
            request.header("Cookie", cookie);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String pair = setCookie.split(";", 2)[0];
            int equals = pair.indexOf('=');
            if (equals > 0) {
                cookies.computeIfAbsent(uri.getHost(), host -> new LinkedHashMap<>())
                        .put(
                                pair.substring(0, equals).strip(),
                                pair.substring(equals + 1).strip());
            }
        }
        return response;
    }
}
