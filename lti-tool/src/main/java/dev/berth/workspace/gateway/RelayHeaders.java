package dev.berth.workspace.gateway;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Which headers cross the relay, in each direction. Requests lose hop-by-hop headers (RFC 9110 §7.6.1), the
 * viewer's credentials for Berth (its cookies and {@code Authorization}) and any forwarding headers the client
 * made up; the relay then states who asked in {@code X-Forwarded-*}. Responses lose hop-by-hop headers and any
 * cookie that would overwrite one of Berth's.
 */
final class RelayHeaders {

    /** RFC 9110 §7.6.1, plus the obsolete ones that still appear in the wild. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade");

    /** Set by the JDK client itself (it refuses them), or restated by the relay. */
    private static final Set<String> NOT_COPIED_UPSTREAM = Set.of(
            "host",
            "content-length",
            "expect",
            "authorization",
            "cookie",
            "forwarded",
            "x-forwarded-for",
            "x-forwarded-host",
            "x-forwarded-proto",
            "x-forwarded-port",
            "x-forwarded-prefix",
            "x-real-ip");

    private final Set<String> berthCookies;

    RelayHeaders(Set<String> berthCookies) {
        this.berthCookies = Set.copyOf(berthCookies);
    }

    /**
     * Hands each header the upstream may see to {@code header}. {@code skip} names more headers to leave out
     * (lower case), such as the WebSocket handshake's own.
     */
    void upstream(HttpServletRequest request, Set<String> skip, BiConsumer<String, String> header) {
        Set<String> connectionListed = connectionListed(request);
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower)
                    || NOT_COPIED_UPSTREAM.contains(lower)
                    || connectionListed.contains(lower)
                    || skip.contains(lower)) {
                continue;
            }
            for (String value : Collections.list(request.getHeaders(name))) {
                header.accept(name, value);
            }
        }
        String cookies = Collections.list(request.getHeaders("Cookie")).stream()
                .flatMap(line -> List.of(line.split(";")).stream())
                .map(String::strip)
                .filter(pair -> !pair.isEmpty() && !berthCookies.contains(cookieName(pair)))
                .collect(Collectors.joining("; "));
        if (!cookies.isEmpty()) {
            header.accept("Cookie", cookies);
        }
        header.accept("X-Forwarded-For", request.getRemoteAddr());
        header.accept("X-Forwarded-Proto", request.getScheme());
        String host = request.getHeader("Host");
        if (host != null) {
            header.accept("X-Forwarded-Host", host);
        }
        header.accept("X-Forwarded-Port", Integer.toString(request.getServerPort()));
    }

    /**
     * The Origin to send upstream in place of the viewer's when the viewer's names the host the request came to:
     * the upstream's own origin. IDEs that compare Origin with Host (Jupyter refuses API writes as cross-origin
     * otherwise) then see a same-origin request as one, while any other origin still reaches them unchanged and
     * is refused as before. Hosts are compared as Jupyter compares them: host and port, not scheme.
     */
    static Optional<String> sameOriginRewrite(HttpServletRequest request, URI target) {
        List<String> origins = Collections.list(request.getHeaders("Origin"));
        String host = request.getHeader("Host");
        if (origins.size() != 1 || host == null) {
            return Optional.empty();
        }
        String origin = origins.getFirst();
        try {
            String authority = URI.create(origin.strip()).getRawAuthority();
            if (authority == null || !authority.equalsIgnoreCase(host.strip())) {
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(target.getScheme() + "://" + target.getRawAuthority());
    }

    /**
     * What of a response header from upstream goes on to the client: nothing, or its value (rewritten where
     * needed). Framing is the gateway's decision, not the workspace's: Berth frames it inside the LMS, and the
     * gateway states which ancestors may do so ({@code frame-ancestors} checks every one of them), so an upstream
     * {@code X-Frame-Options} and its CSP's {@code frame-ancestors} (Jupyter sends {@code 'self'}) are dropped;
     * the rest of its CSP is kept.
     */
    Optional<String> downstream(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (HOP_BY_HOP.contains(lower) || lower.startsWith(":") || lower.equals("x-frame-options")) {
            return Optional.empty();
        }
        if (lower.equals("set-cookie")) {
            if (berthCookies.contains(cookieName(value))) {
                // A workspace must not be able to replace or clear the viewer's session with Berth or the gateway.
                return Optional.empty();
            }
            return Optional.of(embeddable(value));
        }
        if (lower.equals("content-security-policy")) {
            return withoutFrameAncestors(value);
        }
        return Optional.of(value);
    }

    /**
     * A workspace's own cookie (Jupyter's {@code _xsrf}, code-server's session) made to work where the workspace
     * is used: inside the LMS's iframe, where browsers that block third-party cookies drop any cookie that is not
     * {@code Partitioned} (CHIPS), and a cookie without {@code SameSite=None} is not sent at all. Its
     * {@code Domain} is dropped too, so the cookie stays on the workspace's own host and cannot be tossed to
     * another workspace or to Berth.
     */
    static String embeddable(String setCookie) {
        String[] parts = setCookie.split(";");
        StringBuilder rewritten = new StringBuilder(parts[0].strip());
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].strip();
            String name = attribute.split("=", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (attribute.isEmpty()
                    || Set.of("samesite", "secure", "partitioned", "domain").contains(name)) {
                continue;
            }
            rewritten.append("; ").append(attribute);
        }
        return rewritten.append("; Secure; SameSite=None; Partitioned").toString();
    }

    static Optional<String> withoutFrameAncestors(String policy) {
        String kept = Arrays.stream(policy.split(";"))
                .map(String::strip)
                .filter(directive -> !directive.isEmpty()
                        && !directive.toLowerCase(Locale.ROOT).matches("frame-ancestors(\\s.*)?"))
                .collect(Collectors.joining("; "));
        return kept.isEmpty() ? Optional.empty() : Optional.of(kept);
    }

    private static Set<String> connectionListed(HttpServletRequest request) {
        List<String> listed = new ArrayList<>();
        for (String line : Collections.list(request.getHeaders("Connection"))) {
            for (String token : line.split(",")) {
                listed.add(token.strip().toLowerCase(Locale.ROOT));
            }
        }
        return Set.copyOf(listed);
    }

    private static String cookieName(String pair) {
        int equals = pair.indexOf('=');
        return (equals < 0 ? pair : pair.substring(0, equals)).strip();
    }
}
