package dev.berth.lti;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;

/** What a launch rule sees: the signed claims, the platform and the login that started the launch. */
record LaunchContext(JWTClaimsSet claims, Platform platform, OidcStates.Stored login, Instant now) {}
