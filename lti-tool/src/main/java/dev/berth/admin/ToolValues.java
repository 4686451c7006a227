package dev.berth.admin;

import dev.berth.lti.LtiProperties;
import java.util.List;

/**
 * What an LMS administrator pastes into the LMS to register Berth. Built from {@code berth.public-url} alone,
 * never from request headers, so a page cannot be tricked into advertising someone else's host.
 *
 * @param redirectUris every URL the platform may send an id_token to; Berth's login always names the launch URL
 */
record ToolValues(
        String domain,
        String loginUrl,
        String launchUrl,
        String targetLinkUri,
        String deepLinkingUrl,
        String jwksUrl,
        List<String> redirectUris,
        String canvasConfigUrl) {

    static ToolValues of(LtiProperties lti) {
        return new ToolValues(
                lti.publicUrl().getHost(),
                lti.loginUrl(),
                lti.launchUrl(),
                lti.launchUrl(),
                lti.deepLinkingUrl(),
                lti.jwksUrl(),
                List.of(lti.launchUrl(), lti.deepLinkingUrl()),
                lti.url(CanvasConfigurationEndpoint.PATH));
    }
}
