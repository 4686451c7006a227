package dev.berth.lti;

/** The parameters of a third-party-initiated login (LTI Core §4.1, Security §5.1.1.1). */
public record LoginRequest(
        String issuer,
        String loginHint,
        String targetLinkUri,
        String ltiMessageHint,
        String clientId,
        String deploymentId) {}
