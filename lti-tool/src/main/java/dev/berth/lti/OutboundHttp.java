package dev.berth.lti;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Every HTTP call Berth makes to a URL from a registration: no redirects followed, bounded in time and
 * size, private addresses refused unless {@code berth.outbound.allow-private-addresses} is set.
 */
@Component
public class OutboundHttp implements ResourceRetriever {

    private final OutboundProperties properties;
    private final HttpClient client;

    OutboundHttp(OutboundProperties properties) {
        this.properties = properties;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.connectTimeout())
                .build();
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        Response response = get(toUri(url), Map.of("Accept", "application/json"));
        if (response.status() != 200) {
            throw new IOException("HTTP " + response.status() + " from " + url);
        }
        return new Resource(response.body(), response.contentType());
    }

    public Response get(URI uri, Map<String, String> headers) throws IOException {
        return send(uri, HttpRequest.newBuilder(uri).GET(), headers);
    }

    public Response post(URI uri, String contentType, String body, Map<String, String> headers) throws IOException {
        return send(
                uri,
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                headers);
    }

    private Response send(URI uri, HttpRequest.Builder builder, Map<String, String> headers) throws IOException {
        checkAllowed(uri);
        builder.timeout(properties.readTimeout()).header("User-Agent", properties.userAgent());
        headers.forEach(builder::header);
        HttpResponse<InputStream> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while calling " + uri, e);
        }
        long limit = properties.maxResponseSize().toBytes();
        try (InputStream in = response.body()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (out.size() + read > limit) {
                    throw new IOException("The response from " + uri + " is larger than " + limit + " bytes");
                }
                out.write(buffer, 0, read);
            }
            return new Response(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    out.toString(StandardCharsets.UTF_8),
                    response.headers().map());
        }
    }

    /** Refuses schemes other than http(s) and, unless allowed, hosts that resolve to non-public addresses. */
    void checkAllowed(URI uri) throws IOException {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
            throw new RefusedUrlException(uri, "only http and https URLs are fetched");
        }
        if (uri.getHost() == null) {
            throw new RefusedUrlException(uri, "the URL names no host");
        }
        if (properties.allowPrivateAddresses()) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new IOException("Unknown host " + uri.getHost(), e);
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new RefusedUrlException(
                        uri,
                        "it resolves to the non-public address " + address.getHostAddress()
                                + " (set berth.outbound.allow-private-addresses to allow it)");
            }
        }
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress()
                || address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc) {
            return false; // IPv6 unique local fc00::/7
        }
        if (bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64) {
            return false; // carrier-grade NAT 100.64.0.0/10
        }
        return true;
    }

    private static URI toUri(URL url) throws IOException {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("Not a valid URL: " + url, e);
        }
    }

    public record Response(int status, String contentType, String body, Map<String, List<String>> headers) {}

    /** A URL Berth will not fetch, whatever it returns. */
    public static class RefusedUrlException extends IOException {

        private static final long serialVersionUID = 1L;

        RefusedUrlException(URI uri, String why) {
            super("Berth does not fetch " + uri + ": " + why);
        }
    }
}
