package dev.berth.admin;

import dev.berth.lti.LtiProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /lti/config/canvas.json}: Berth's LTI 1.3 configuration in Canvas's format, for a Developer Key's
 * "Enter URL" or "Paste JSON" method (Canvas doc/api/lti_dev_key_config.md). Public: it holds only URLs and
 * the public key set's address.
 */
@RestController
class CanvasConfigurationEndpoint {

    static final String PATH = "/lti/config/canvas.json";

    /** AGS line items, results and scores, and NRPS memberships: what Berth's grading and rosters call. */
    static final List<String> SCOPES = List.of(
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/score",
            "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly");

    private final LtiProperties lti;
    private final MessageSource messages;

    CanvasConfigurationEndpoint(LtiProperties lti, MessageSource messages) {
        this.lti = lti;
        this.messages = messages;
    }

    @GetMapping(path = PATH, produces = "application/json")
    Map<String, Object> canvas(Locale locale) {
        String title = messages.getMessage("app.name", null, locale);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("title", title);
        config.put("description", messages.getMessage("admin.canvas.description", null, locale));
        config.put("oidc_initiation_url", lti.loginUrl());
        config.put("target_link_uri", lti.launchUrl());
        config.put("public_jwk_url", lti.jwksUrl());
        config.put("scopes", SCOPES);
        config.put("custom_fields", Map.of());
        // Names and emails arrive only with privacy_level public; Canvas's default, anonymous, sends just `sub`.
        config.put(
                "extensions",
                List.of(Map.of(
                        "platform",
                        "canvas.instructure.com",
                        "domain",
                        lti.publicUrl().getHost(),
                        "privacy_level",
                        "public",
                        "settings",
                        Map.of(
                                "text",
                                title,
                                "placements",
                                List.of(
                                        placement(
                                                "course_navigation", "LtiResourceLinkRequest", lti.launchUrl(), title),
                                        placement(
                                                "assignment_selection",
                                                "LtiDeepLinkingRequest",
                                                lti.deepLinkingUrl(),
                                                title),
                                        placement(
                                                "link_selection",
                                                "LtiDeepLinkingRequest",
                                                lti.deepLinkingUrl(),
                                                title))))));
        return config;
    }

    private static Map<String, Object> placement(String placement, String messageType, String target, String text) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("placement", placement);
        result.put("message_type", messageType);
        result.put("target_link_uri", target);
        result.put("text", text);
        return result;
    }
}
