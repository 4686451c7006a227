package dev.berth.sandbox;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.berth.sandbox.SandboxPlatform.SandboxCourse;
import dev.berth.sandbox.SandboxPlatform.SandboxLink;
import dev.berth.sandbox.SandboxPlatform.SandboxPerson;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Launches the sandbox has started and not yet finished: the {@code lti_message_hint} it sent to Berth's login
 * names one, and its authorization endpoint answers only for hints it issued, to the person it issued them for.
 * Kept in memory, like a real LMS keeps them in its session.
 */
final class SandboxLaunches {

    static final Duration LIFETIME = Duration.ofMinutes(10);

    /**
     * A launch in progress.
     *
     * @param documentTarget {@code iframe} or {@code window}, for the launch_presentation claim
     */
    record SandboxLaunch(
            String messageHint,
            SandboxPlatform platform,
            SandboxCourse course,
            SandboxLink link,
            SandboxPerson person,
            String documentTarget,
            Instant expiresAt) {}

    private final SandboxKeys keys;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<String, SandboxLaunch> pending = new ConcurrentHashMap<>();

    SandboxLaunches(SandboxKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    SandboxLaunch start(
            SandboxPlatform platform,
            SandboxCourse course,
            SandboxLink link,
            SandboxPerson person,
            String documentTarget) {
        Instant now = clock.instant();
        pending.values().removeIf(launch -> launch.expiresAt().isBefore(now));
        SandboxLaunch launch = new SandboxLaunch(
                messageHint(platform, course, link, now),
                platform,
                course,
                link,
                person,
                documentTarget,
                now.plus(LIFETIME));
        pending.put(launch.messageHint(), launch);
        return launch;
    }

    /** The launch a message hint names, if this platform issued it and it has not expired. */
    Optional<SandboxLaunch> find(SandboxPlatform platform, String messageHint) {
        if (messageHint == null) {
            return Optional.empty();
        }
        SandboxLaunch launch = pending.get(messageHint);
        if (launch == null
                || !launch.platform().key().equals(platform.key())
                || launch.expiresAt().isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(launch);
    }

    /** Shaped like each LMS's: a signed JWT for Canvas, a JSON string for Moodle, an opaque token for D2L. */
    private String messageHint(SandboxPlatform platform, SandboxCourse course, SandboxLink link, Instant now) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String nonce = HexFormat.of().formatHex(bytes);
        return switch (platform.key()) {
            case "canvas" ->
                keys.sign(
                        platform,
                        new JWTClaimsSet.Builder()
                                .claim("verifier", nonce)
                                .claim("canvas_domain", SandboxServer.HOST)
                                .claim("context_type", "Course")
                                .claim("context_id", course.contextId())
                                .claim("canvas_locale", "en")
                                .claim("include_storage_target", true)
                                .expirationTime(Date.from(now.plus(LIFETIME)))
                                .build());
            case "moodle" ->
                "{\"cmid\":\"" + link.id() + "\",\"launchid\":\"ltilaunch" + link.id() + "_" + nonce + "\"}";
            default -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        };
    }
}
