package dev.berth.lti;

import java.util.List;
import java.util.Map;

/**
 * A validated LTI 1.3 launch: the claims Berth uses, typed. Optional parts are null when the platform did
 * not send them (privacy settings, no context, no services).
 */
public record LtiLaunch(
        Platform platform,
        String deploymentId,
        String messageType,
        String subject,
        Person person,
        List<String> roles,
        Context context,
        ResourceLink resourceLink,
        String targetLinkUri,
        Presentation presentation,
        Lis lis,
        Map<String, String> custom,
        Ags ags,
        String membershipsUrl,
        DeepLinkingSettings deepLinking,
        String productFamilyCode) {

    public boolean isDeepLinking() {
        return LtiClaims.DEEP_LINKING_REQUEST.equals(messageType);
    }

    /** OIDC profile claims, each null when not sent. */
    public record Person(String name, String givenName, String familyName, String email, String picture) {}

    public record Context(String id, String label, String title, List<String> types) {}

    public record ResourceLink(String id, String title, String description) {}

    public record Presentation(String documentTarget, String returnUrl, String locale) {}

    public record Lis(String personSourcedId, String courseOfferingSourcedId, String courseSectionSourcedId) {}

    public record Ags(List<String> scopes, String lineItemsUrl, String lineItemUrl) {}

    public record DeepLinkingSettings(
            String returnUrl,
            List<String> acceptTypes,
            List<String> acceptPresentationDocumentTargets,
            boolean acceptMultiple,
            String data) {}
}
