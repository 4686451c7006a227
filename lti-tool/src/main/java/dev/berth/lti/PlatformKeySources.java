package dev.berth.lti;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * One JWK source per platform JWKS URL, kept between launches so its cache survives. A key id the cache
 * does not know triggers one refetch, rate-limited, never a loop (pitfall: D2L rotates hourly). The verifier
 * of each published key is kept too, so a launch does not rebuild the RSA public key it checks against.
 */
@Component
class PlatformKeySources {

    private static final long CACHE_TTL_MS = 5 * 60_000L;
    private static final long REFRESH_TIMEOUT_MS = 15_000L;
    private static final long MIN_REFETCH_INTERVAL_MS = 30_000L;
    /** Platforms publish a few keys each; past this many, the verifiers of keys gone from their JWKS are dropped. */
    private static final int MAX_VERIFIERS = 256;

    private final OutboundHttp http;
    private final ConcurrentMap<String, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();
    private final ConcurrentMap<RSAKey, RSASSAVerifier> verifiers = new ConcurrentHashMap<>();

    PlatformKeySources(OutboundHttp http) {
        this.http = http;
    }

    /**
     * The platform's published keys that may have signed a token with this header (RSA signature keys with its
     * {@code kid} and algorithm), each with its verifier; empty when the platform publishes none.
     *
     * @throws KeySourceException when the JWKS cannot be fetched, or was refetched moments ago (rate limit)
     */
    List<RSASSAVerifier> verifiersFor(JWSHeader header, Platform platform) throws KeySourceException {
        List<JWK> keys = source(platform).get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
        List<RSASSAVerifier> result = new ArrayList<>(keys.size());
        for (JWK key : keys) {
            RSASSAVerifier verifier = key instanceof RSAKey rsa ? verifier(rsa) : null;
            if (verifier != null) {
                result.add(verifier);
            }
        }
        return result;
    }

    /** Null for a key that is no usable RSA public key: skipped, as a key that is not there. */
    private RSASSAVerifier verifier(RSAKey key) {
        RSASSAVerifier known = verifiers.get(key);
        if (known != null) {
            return known;
        }
        if (verifiers.size() >= MAX_VERIFIERS) {
            verifiers.clear();
        }
        try {
            RSASSAVerifier verifier = new RSASSAVerifier(key.toRSAPublicKey());
            verifiers.put(key, verifier);
            return verifier;
        } catch (JOSEException | IllegalArgumentException e) {
            return null;
        }
    }

    private JWKSource<SecurityContext> source(Platform platform) {
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
