package dev.berth.lti;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules of id_token validation, each citing the section of the specification it enforces. */
final class LaunchRules {

    private static final Set<String> MESSAGE_TYPES =
            Set.of(LtiClaims.RESOURCE_LINK_REQUEST, LtiClaims.DEEP_LINKING_REQUEST);

    private LaunchRules() {}

    /** Security §5.1.3 step 2: iss is exactly the registered issuer. */
    static LaunchRule issuer() {
        return (launch, failures) -> {
            String iss = launch.claims().getIssuer();
            if (!launch.platform().issuer().equals(iss)) {
                failures.add(LaunchFailure.of(
                        "issuer_mismatch",
                        String.valueOf(iss),
                        launch.platform().issuer()));
            }
        };
    }

    /** Security §5.1.3 steps 3–5: aud holds our client_id; with several audiences azp must be ours. */
    static LaunchRule audience() {
        return (launch, failures) -> {
            String clientId = launch.platform().clientId();
            List<String> audience = launch.claims().getAudience();
            if (audience == null || !audience.contains(clientId)) {
                failures.add(LaunchFailure.of("audience_mismatch", String.valueOf(audience), clientId));
                return;
            }
            String azp = launch.claims().getStringClaim("azp");
            if (audience.size() > 1 && !clientId.equals(azp)) {
                failures.add(LaunchFailure.of("azp_mismatch", String.valueOf(azp), clientId));
            } else if (azp != null && !clientId.equals(azp)) {
                failures.add(LaunchFailure.of("azp_mismatch", azp, clientId));
            }
        };
    }

    /** Security §5.1.3 steps 7–8: not expired, not issued in the future, both within the clock skew. */
    static LaunchRule lifetime(Duration skew) {
        return (launch, failures) -> {
            JWTClaimsSet claims = launch.claims();
            Instant now = launch.now();
            Date exp = claims.getExpirationTime();
            Date iat = claims.getIssueTime();
            if (exp == null) {
                failures.add(LaunchFailure.of("claim_missing", "exp"));
            } else if (exp.toInstant().plus(skew).isBefore(now)) {
                failures.add(LaunchFailure.of("token_expired", exp.toInstant()));
            }
            if (iat == null) {
                failures.add(LaunchFailure.of("claim_missing", "iat"));
            } else if (iat.toInstant().minus(skew).isAfter(now)) {
                failures.add(LaunchFailure.of("token_issued_in_future", iat.toInstant()));
            }
        };
    }

    /** Security §5.1.3 step 9: the nonce is the one this login issued (its state is single use, so unused). */
    static LaunchRule nonce() {
        return (launch, failures) -> {
            String nonce = launch.claims().getStringClaim("nonce");
            if (nonce == null) {
                failures.add(LaunchFailure.of("claim_missing", "nonce"));
            } else if (!nonce.equals(launch.login().nonce())) {
                failures.add(LaunchFailure.of("nonce_mismatch"));
            }
        };
    }

    /** Core §5.3.3 and §3.1.3: the deployment is registered for this (issuer, client_id). */
    static LaunchRule deployment() {
        return (launch, failures) -> {
            String deploymentId = launch.claims().getStringClaim(LtiClaims.DEPLOYMENT_ID);
            if (deploymentId == null) {
                failures.add(LaunchFailure.of("claim_missing", LtiClaims.DEPLOYMENT_ID));
                return;
            }
            if (!launch.platform().deploymentIds().contains(deploymentId)) {
                failures.add(LaunchFailure.of(
                        "deployment_unknown", deploymentId, launch.platform().name()));
            }
            // Security §5.1.1.1: lti_deployment_id at login must equal the launch's deployment_id.
            String hint = launch.login().deploymentHint();
            if (hint != null && !hint.equals(deploymentId)) {
                failures.add(LaunchFailure.of("deployment_hint_mismatch", hint, deploymentId));
            }
        };
    }

    /** Core §5.3.1: version 1.3.0. */
    static LaunchRule version() {
        return (launch, failures) -> {
            String version = launch.claims().getStringClaim(LtiClaims.VERSION);
            if (!LtiClaims.LTI_VERSION.equals(version)) {
                failures.add(LaunchFailure.of("version_unsupported", String.valueOf(version)));
            }
        };
    }

    /** Core §5.3.2 and Deep Linking §4.4: a message type Berth handles, with the claims that type requires. */
    static LaunchRule messageType() {
        return (launch, failures) -> {
            String type = launch.claims().getStringClaim(LtiClaims.MESSAGE_TYPE);
            if (!MESSAGE_TYPES.contains(type)) {
                failures.add(LaunchFailure.of("message_type_unsupported", String.valueOf(type)));
                return;
            }
            if (LtiClaims.RESOURCE_LINK_REQUEST.equals(type)) {
                // Core §5.3.5: resource_link.id is required for resource link launches.
                Map<String, Object> link = launch.claims().getJSONObjectClaim(LtiClaims.RESOURCE_LINK);
                Object id = link == null ? null : link.get("id");
                if (!(id instanceof String value) || value.isBlank()) {
                    failures.add(LaunchFailure.of("claim_missing", LtiClaims.RESOURCE_LINK + ".id"));
                }
            } else {
                // Deep Linking §4.4.1: deep_link_return_url is required.
                Map<String, Object> settings = launch.claims().getJSONObjectClaim(LtiClaims.DEEP_LINKING_SETTINGS);
                Object url = settings == null ? null : settings.get("deep_link_return_url");
                if (!(url instanceof String value) || value.isBlank()) {
                    failures.add(LaunchFailure.of(
                            "claim_missing", LtiClaims.DEEP_LINKING_SETTINGS + ".deep_link_return_url"));
                }
            }
        };
    }

    /** Core §5.3.4 and the implementation guide: target_link_uri is this tool and what the login named. */
    static LaunchRule targetLinkUri(LtiProperties properties) {
        return (launch, failures) -> {
            String target = launch.claims().getStringClaim(LtiClaims.TARGET_LINK_URI);
            if (target == null) {
                failures.add(LaunchFailure.of("claim_missing", LtiClaims.TARGET_LINK_URI));
            } else if (!properties.isOwnUrl(target)) {
                failures.add(LaunchFailure.of("target_link_foreign", target));
            } else if (!target.equals(launch.login().targetLinkUri())) {
                failures.add(LaunchFailure.of(
                        "target_link_mismatch", target, launch.login().targetLinkUri()));
            }
        };
    }

    /** Core §5.3.7: roles must be present (it may be empty); Core §5.3.6: sub identifies the user. */
    static LaunchRule user() {
        return (launch, failures) -> {
            if (!launch.claims().getClaims().containsKey(LtiClaims.ROLES)) {
                failures.add(LaunchFailure.of("claim_missing", LtiClaims.ROLES));
            } else {
                launch.claims().getStringListClaim(LtiClaims.ROLES);
            }
            String sub = launch.claims().getSubject();
            if (sub == null || sub.isBlank()) {
                failures.add(LaunchFailure.of("subject_missing"));
            } else if (sub.length() > 255) {
                failures.add(LaunchFailure.of("claim_too_long", "sub", 255));
            }
        };
    }
}
