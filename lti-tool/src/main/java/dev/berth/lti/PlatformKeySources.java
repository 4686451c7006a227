package dev.berth.lti;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * One JWK source per platform JWKS URL, kept between launches so its cache survives. A key id the cache
 * does not know triggers one refetch, rate-limited, never a loop (pitfall: D2L rotates hourly).
 */
@Component
class PlatformKeySources {

    private static final long CACHE_TTL_MS = 5 * 60_000L;
    private static final long REFRESH_TIMEOUT_MS = 15_000L;
    private static final long MIN_REFETCH_INTERVAL_MS = 30_000L;

    private final OutboundHttp http;
    private final ConcurrentMap<String, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();

    PlatformKeySources(OutboundHttp http) {
        this.http = http;
    }

    JWKSource<SecurityContext> forPlatform(Platform platform) {
        return sources.computeIfAbsent(platform.jwksUrl(), this::create);
    }

    private JWKSource<SecurityContext> create(String jwksUrl) {
        try {
            return JWKSourceBuilder.<SecurityContext>create(URI.create(jwksUrl).toURL(), http)
                    .cache(CACHE_TTL_MS, REFRESH_TIMEOUT_MS)
                    .rateLimited(MIN_REFETCH_INTERVAL_MS)
                    .retrying(false)
                    .refreshAheadCache(false)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid JWKS URL " + jwksUrl, e);
        }
    }
}
