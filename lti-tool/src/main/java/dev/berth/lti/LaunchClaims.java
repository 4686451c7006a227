package dev.berth.lti;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.util.List;
import java.util.Map;

/** Reads the claims of a validated id_token into an {@link LtiLaunch}. */
final class LaunchClaims {

    private LaunchClaims() {}

    static LtiLaunch toLaunch(JWTClaimsSet claims, Platform platform) throws ParseException {
        Map<String, Object> context = claims.getJSONObjectClaim(LtiClaims.CONTEXT);
        Map<String, Object> link = claims.getJSONObjectClaim(LtiClaims.RESOURCE_LINK);
        Map<String, Object> presentation = claims.getJSONObjectClaim(LtiClaims.LAUNCH_PRESENTATION);
        Map<String, Object> lis = claims.getJSONObjectClaim(LtiClaims.LIS);
        Map<String, Object> ags = claims.getJSONObjectClaim(LtiClaims.AGS_ENDPOINT);
        Map<String, Object> nrps = claims.getJSONObjectClaim(LtiClaims.NRPS);
        Map<String, Object> deepLinking = claims.getJSONObjectClaim(LtiClaims.DEEP_LINKING_SETTINGS);
        Map<String, Object> toolPlatform = claims.getJSONObjectClaim(LtiClaims.TOOL_PLATFORM);
        List<String> roles = claims.getStringListClaim(LtiClaims.ROLES);
        return new LtiLaunch(
                platform,
                claims.getStringClaim(LtiClaims.DEPLOYMENT_ID),
                claims.getStringClaim(LtiClaims.MESSAGE_TYPE),
                claims.getSubject(),
                new LtiLaunch.Person(
                        claims.getStringClaim("name"),
                        claims.getStringClaim("given_name"),
                        claims.getStringClaim("family_name"),
                        claims.getStringClaim("email"),
                        claims.getStringClaim("picture")),
                roles == null ? List.of() : roles,
                context == null || string(context, "id") == null
                        ? null
                        : new LtiLaunch.Context(
                                string(context, "id"),
                                string(context, "label"),
                                string(context, "title"),
                                stringList(context.get("type"))),
                link == null
                        ? null
                        : new LtiLaunch.ResourceLink(
                                string(link, "id"), string(link, "title"), string(link, "description")),
                claims.getStringClaim(LtiClaims.TARGET_LINK_URI),
                presentation == null
                        ? null
                        : new LtiLaunch.Presentation(
                                string(presentation, "document_target"),
                                string(presentation, "return_url"),
                                string(presentation, "locale")),
                lis == null
                        ? null
                        : new LtiLaunch.Lis(
                                string(lis, "person_sourcedid"),
                                string(lis, "course_offering_sourcedid"),
                                string(lis, "course_section_sourcedid")),
                LaunchProcessor.strings(claims.getJSONObjectClaim(LtiClaims.CUSTOM)),
                ags == null
                        ? null
                        : new LtiLaunch.Ags(
                                stringList(ags.get("scope")), string(ags, "lineitems"), string(ags, "lineitem")),
                nrps == null ? null : string(nrps, "context_memberships_url"),
                deepLinking == null
                        ? null
                        : new LtiLaunch.DeepLinkingSettings(
                                string(deepLinking, "deep_link_return_url"),
                                stringList(deepLinking.get("accept_types")),
                                stringList(deepLinking.get("accept_presentation_document_targets")),
                                Boolean.TRUE.equals(deepLinking.get("accept_multiple")),
                                string(deepLinking, "data")),
                toolPlatform == null ? null : string(toolPlatform, "product_family_code"));
    }

    private static String string(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static List<String> stringList(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
