package dev.berth.lti;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Turns the form post of an authentication response (Security §5.1.3) into a validated {@link LtiLaunch},
 * or an {@link InvalidLaunchException} listing every broken rule. Must run inside a transaction: it consumes
 * the login state, and a refusal must roll that back along with anything else.
 */
@Component
public class LaunchProcessor {

    /** The header's {@code typ}, when present, says JWT (RFC 7519 §5.1): no other kind of token is an id_token. */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPE =
            new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null);

    private final OidcStates states;
    private final PlatformRegistry platforms;
    private final PlatformKeySources keySources;
    private final LtiProperties properties;
    private final Clock clock;
    private final LaunchValidator validator;

    LaunchProcessor(
            OidcStates states,
            PlatformRegistry platforms,
            PlatformKeySources keySources,
            LtiProperties properties,
            Clock clock) {
        this.states = states;
        this.platforms = platforms;
        this.keySources = keySources;
        this.properties = properties;
        this.clock = clock;
        this.validator = new LaunchValidator(
                LaunchRules.audience(),
                LaunchRules.nonce(),
                LaunchRules.deployment(),
                List.of(
                        LaunchRules.issuer(),
                        LaunchRules.lifetime(properties.clockSkew()),
                        LaunchRules.version(),
                        LaunchRules.messageType(),
                        LaunchRules.targetLinkUri(properties),
                        LaunchRules.user()));
    }

    public LtiLaunch process(String idToken, String state) {
        if (idToken == null || idToken.isBlank()) {
            throw new InvalidLaunchException(400, LaunchFailure.of("id_token_missing"));
        }
        long maxBytes = properties.maxIdTokenSize().toBytes();
        if (idToken.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new InvalidLaunchException(413, LaunchFailure.of("id_token_too_large", maxBytes / 1024));
        }
        if (state == null || state.isBlank()) {
            throw new InvalidLaunchException(400, LaunchFailure.of("state_missing"));
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(idToken);
        } catch (ParseException e) {
            throw new InvalidLaunchException(400, LaunchFailure.of("id_token_malformed"));
        }
        OidcStates.Stored login = states.consume(state)
                .orElseThrow(() -> new InvalidLaunchException(
                        400,
                        LaunchFailure.of("state_" + states.explain(state).name().toLowerCase())));
        Platform platform = platforms
                .find(login.platformId())
                .orElseThrow(() -> new InvalidLaunchException(400, LaunchFailure.of("state_unknown")));
        if (!platform.enabled()) {
            throw new InvalidLaunchException(403, LaunchFailure.of("platform_disabled", platform.name()));
        }
        // Security §5.1.3 step 1 and the certification guide: RS256 only; never none, never HMAC.
        if (!(jwt instanceof SignedJWT signed)) {
            throw new InvalidLaunchException(401, LaunchFailure.of("alg_not_allowed", "none"));
        }
        if (!JWSAlgorithm.RS256.equals(signed.getHeader().getAlgorithm())) {
            throw new InvalidLaunchException(
                    401, LaunchFailure.of("alg_not_allowed", signed.getHeader().getAlgorithm()));
        }
        JWTClaimsSet claims = verify(signed, platform);
        List<LaunchFailure> failures = validator.validate(new LaunchContext(claims, platform, login, clock.instant()));
        if (!failures.isEmpty()) {
            boolean untrusted = failures.stream()
                    .anyMatch(f -> f.code().startsWith("audience")
                            || f.code().startsWith("azp")
                            || f.code().equals("issuer_mismatch"));
            throw new InvalidLaunchException(untrusted ? 401 : 400, failures);
        }
        try {
            return LaunchClaims.toLaunch(claims, platform);
        } catch (ParseException | ClassCastException e) {
            throw new InvalidLaunchException(400, LaunchFailure.of("claim_malformed", e.getMessage()));
        }
    }

    /**
     * Security §5.1.3 step 1: the signature is the platform's, by one of the keys its JWKS publishes for this
     * {@code kid}. Then the claims, decoded with the JDK's Base64 (nimbus's own decoder cost more than the RSA
     * check in profiles of the launch benchmark).
     */
    private JWTClaimsSet verify(SignedJWT signed, Platform platform) {
        JWSHeader header = signed.getHeader();
        try {
            TYPE.verify(header.getType(), null);
        } catch (BadJOSEException e) {
            throw new InvalidLaunchException(401, LaunchFailure.of("signature_invalid"));
        }
        List<RSASSAVerifier> verifiers;
        try {
            verifiers = keySources.verifiersFor(header, platform);
        } catch (KeySourceException e) {
            if (isRateLimited(e)) {
                // The JWKS was fetched moments ago and still lacks this kid: refetching again would be a loop.
                throw new InvalidLaunchException(401, keyUnknown(signed, platform));
            }
            throw new PlatformUnavailableException(platform.name(), e);
        }
        if (verifiers.isEmpty()) {
            throw new InvalidLaunchException(401, keyUnknown(signed, platform));
        }
        if (!verifiedByAny(signed, verifiers)) {
            throw new InvalidLaunchException(401, LaunchFailure.of("signature_invalid"));
        }
        // Claims are checked by the launch rules, which report every failure, not only the first.
        try {
            String payload = signed.getParsedParts()[1].toString();
            return JWTClaimsSet.parse(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
        } catch (ParseException | IllegalArgumentException e) {
            throw new InvalidLaunchException(400, LaunchFailure.of("id_token_malformed"));
        }
    }

    private static boolean verifiedByAny(SignedJWT signed, List<RSASSAVerifier> verifiers) {
        byte[] signingInput = signed.getSigningInput();
        for (RSASSAVerifier verifier : verifiers) {
            try {
                if (verifier.verify(signed.getHeader(), signingInput, signed.getSignature())) {
                    return true;
                }
            } catch (JOSEException | RuntimeException e) {
                // a key that cannot check this signature (a critical header it does not know, a provider error)
            }
        }
        return false;
    }

    private static LaunchFailure keyUnknown(SignedJWT signed, Platform platform) {
        String kid = signed.getHeader().getKeyID();
        return LaunchFailure.of("key_unknown", kid == null ? "(none)" : kid, platform.jwksUrl());
    }

    private static boolean isRateLimited(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RateLimitReachedException) {
                return true;
            }
        }
        return false;
    }

    static Map<String, String> strings(Map<String, Object> map) {
        Map<String, String> result = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((key, value) -> result.put(key, value == null ? null : String.valueOf(value)));
        }
        return result;
    }
}
