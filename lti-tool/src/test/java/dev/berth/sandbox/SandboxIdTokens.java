package dev.berth.sandbox;

import static dev.berth.sandbox.SandboxCatalogue.ordered;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.berth.lti.LtiClaims;
import dev.berth.lti.LtiProperties;
import dev.berth.sandbox.SandboxLaunches.SandboxLaunch;
import dev.berth.sandbox.SandboxPlatform.SandboxCourse;
import dev.berth.sandbox.SandboxPlatform.SandboxPerson;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The id_token of a resource link launch, with the claims each LMS really sends (LTI Core §5.3–5.4 plus the
 * vendor claims): Canvas's single-string {@code aud} and LTI 1.1 legacy id, Moodle's numeric ids and short
 * lifetime, Brightspace's {@code aud} array with {@code azp} and its {@code http://www.brightspace.com} claim.
 */
final class SandboxIdTokens {

    private static final String LEGACY_USER_ID = "https://purl.imsglobal.org/spec/lti/claim/lti11_legacy_user_id";
    private static final String BRIGHTSPACE = "http://www.brightspace.com";
    private static final String MOODLE_EXT = "https://purl.imsglobal.org/spec/lti/claim/ext";

    private final SandboxKeys keys;
    private final SandboxServer server;
    private final LtiProperties berth;
    private final Clock clock;

    SandboxIdTokens(SandboxKeys keys, SandboxServer server, LtiProperties berth, Clock clock) {
        this.keys = keys;
        this.server = server;
        this.berth = berth;
        this.clock = clock;
    }

    String sign(SandboxLaunch launch, String nonce) {
        return keys.sign(launch.platform(), claims(launch, nonce));
    }

    JWTClaimsSet claims(SandboxLaunch launch, String nonce) {
        SandboxPlatform platform = launch.platform();
        SandboxCourse course = launch.course();
        SandboxPerson person = launch.person();
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(server.issuer(platform))
                .subject(person.sub())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(platform.tokenLifetimeSeconds())))
                .claim("nonce", nonce)
                .claim("azp", platform.clientId());
        if (platform.extraAudience() == null) {
            claims.audience(platform.clientId());
        } else {
            claims.audience(List.of(platform.clientId(), platform.extraAudience()));
        }
        if (person.name() != null) {
            claims.claim("name", person.name())
                    .claim("given_name", person.givenName())
                    .claim("family_name", person.familyName());
        }
        if (person.email() != null) {
            claims.claim("email", person.email());
        }
        claims.claim("locale", "en")
                .claim(LtiClaims.MESSAGE_TYPE, LtiClaims.RESOURCE_LINK_REQUEST)
                .claim(LtiClaims.VERSION, LtiClaims.LTI_VERSION)
                .claim(LtiClaims.DEPLOYMENT_ID, course.deploymentId())
                .claim(LtiClaims.TARGET_LINK_URI, berth.launchUrl())
                .claim(
                        LtiClaims.RESOURCE_LINK,
                        ordered(
                                "id",
                                launch.link().id(),
                                "title",
                                launch.link().title(),
                                "description",
                                launch.link().description()))
                .claim(LtiClaims.ROLES, person.role().uris())
                .claim(
                        LtiClaims.CONTEXT,
                        ordered(
                                "id",
                                course.contextId(),
                                "label",
                                course.label(),
                                "title",
                                course.title(),
                                "type",
                                List.of(
                                        platform.key().equals("moodle")
                                                ? "http://purl.imsglobal.org/vocab/lis/v2/course#CourseSection"
                                                : "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering")))
                .claim(
                        LtiClaims.TOOL_PLATFORM,
                        ordered(
                                "guid",
                                SandboxCatalogue.sha1("sandbox-platform:" + platform.key()),
                                "name",
                                "Berth sandbox " + platform.name(),
                                "version",
                                platform.platformVersion(),
                                "product_family_code",
                                platform.productFamilyCode()))
                .claim(
                        LtiClaims.LAUNCH_PRESENTATION,
                        ordered(
                                "document_target",
                                launch.documentTarget(),
                                "return_url",
                                server.baseUrl() + "/",
                                "locale",
                                "en"))
                .claim(
                        LtiClaims.AGS_ENDPOINT,
                        ordered(
                                "scope",
                                List.of(
                                        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                                        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
                                        "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
                                        "https://purl.imsglobal.org/spec/lti-ags/scope/score"),
                                "lineitems",
                                courseService(launch, "/line_items"),
                                "lineitem",
                                courseService(
                                        launch, "/line_items/" + launch.link().key())))
                .claim(
                        LtiClaims.NRPS,
                        ordered(
                                "context_memberships_url",
                                courseService(launch, "/names_and_roles"),
                                "service_versions",
                                List.of("2.0")));
        switch (platform.key()) {
            case "canvas" -> canvas(claims, launch);
            case "moodle" -> moodle(claims, launch);
            default -> brightspace(claims, launch);
        }
        return claims.build();
    }

    private String courseService(SandboxLaunch launch, String path) {
        return server.serviceUrl(
                launch.platform(), "/api/lti/courses/" + launch.course().contextId() + path);
    }

    private static void canvas(JWTClaimsSet.Builder claims, SandboxLaunch launch) {
        SandboxPerson person = launch.person();
        Map<String, String> ids = person.ids();
        claims.claim(LEGACY_USER_ID, ids.get("lti11_legacy_user_id"))
                .claim(
                        LtiClaims.LIS,
                        ordered(
                                "person_sourcedid",
                                blankToNull(ids.get("sis_id")),
                                "course_offering_sourcedid",
                                "SIS-" + launch.course().label().replace(" ", ""),
                                "course_section_sourcedid",
                                launch.course().sectionId()))
                .claim(
                        LtiClaims.CUSTOM,
                        ordered(
                                "canvas_course_id",
                                String.valueOf(
                                        Math.abs(launch.course().contextId().hashCode() % 10_000)),
                                "canvas_user_id",
                                ids.get("canvas_user_id"),
                                "canvas_user_login_id",
                                person.email(),
                                "section_names",
                                launch.course().sectionName(),
                                "environment",
                                launch.link().environment()));
        if (person.name() != null) {
            claims.claim("picture", "https://canvas.instructure.com/images/messages/avatar-50.png");
        }
    }

    private static void moodle(JWTClaimsSet.Builder claims, SandboxLaunch launch) {
        SandboxPerson person = launch.person();
        claims.claim(
                        LtiClaims.LIS,
                        ordered(
                                "person_sourcedid",
                                person.ids().get("idnumber"),
                                "course_section_sourcedid",
                                launch.course().sectionId()))
                .claim(
                        LtiClaims.CUSTOM,
                        ordered(
                                "section_names",
                                launch.course().sectionName(),
                                "environment",
                                launch.link().environment()))
                .claim(MOODLE_EXT, ordered("user_username", person.ids().get("username"), "lms", "moodle-2"));
    }

    private static void brightspace(JWTClaimsSet.Builder claims, SandboxLaunch launch) {
        SandboxPerson person = launch.person();
        claims.claim(
                        BRIGHTSPACE,
                        ordered(
                                "tenant_id",
                                person.sub().substring(0, person.sub().indexOf('_')),
                                "org_defined_id",
                                person.ids().get("org_defined_id"),
                                "user_id",
                                Long.parseLong(person.ids().get("user_id")),
                                "username",
                                person.ids().get("username"),
                                "Context.id.history",
                                "",
                                "ResourceLink.id.history",
                                ""))
                .claim(
                        LtiClaims.LIS,
                        ordered(
                                "person_sourcedid",
                                person.ids().get("org_defined_id"),
                                "course_section_sourcedid",
                                launch.course().sectionId()))
                .claim(
                        LtiClaims.CUSTOM,
                        ordered(
                                "section_names",
                                launch.course().sectionName(),
                                "environment",
                                launch.link().environment()));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
