package dev.berth.lti;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Berth's signing keys.
 *
 * @param encryptionKey base64 of 32 random bytes that encrypt private keys at rest (AES-256-GCM). Required
 *     with an external database; on one machine Berth generates one in the data folder when unset
 * @param maxAge a key older than this is rotated automatically; the documented way to rotate by property
 * @param publishLead how long a new key is published before it signs anything, so that platforms caching
 *     our JWKS have seen it
 * @param tokenLifetime the longest any JWT Berth signs stays valid; a retired key stays published this long
 *     after its successor takes over, plus {@code publishLead} for caches
 */
@ConfigurationProperties("berth.keys")
public record KeyProperties(
        String encryptionKey,
        @DefaultValue("P90D") Duration maxAge,
        @DefaultValue("PT1H") Duration publishLead,
        @DefaultValue("PT10M") Duration tokenLifetime) {}
