package dev.berth.sandbox;

import dev.berth.lti.LtiProperties;
import dev.berth.sandbox.SandboxLaunches.SandboxLaunch;
import dev.berth.sandbox.SandboxPlatform.SandboxCourse;
import dev.berth.sandbox.SandboxPlatform.SandboxLink;
import dev.berth.sandbox.SandboxPlatform.SandboxPerson;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The sandbox's pages and protocol endpoints, answered only on the sandbox's connector:
 *
 * <ul>
 *   <li>{@code /}: the courses, assignments and people, each with a launch button;
 *   <li>{@code /{lms}/courses/{course}/links/{link}?as=}: an LMS assignment page with Berth in an iframe;
 *   <li>{@code /{lms}/launch}: starts a launch with the LMS's login initiation (auto-posted form or redirect);
 *   <li>{@code /{lms}/authorize}: the OIDC authorization endpoint, answering with a form post of the id_token;
 *   <li>{@code /{lms}/jwks}: the LMS's public keys.
 * </ul>
 */
final class SandboxEndpoints {

    /** One hidden field of an auto-submitting form. */
    record Field(String name, String value) {}

    private final SandboxCatalogue catalogue;
    private final SandboxServer server;
    private final SandboxLaunches launches;
    private final SandboxAuthorization authorization;
    private final SandboxIdTokens idTokens;
    private final SandboxKeys keys;
    private final LtiProperties berth;

    SandboxEndpoints(
            SandboxCatalogue catalogue,
            SandboxServer server,
            SandboxLaunches launches,
            SandboxAuthorization authorization,
            SandboxIdTokens idTokens,
            SandboxKeys keys,
            LtiProperties berth) {
        this.catalogue = catalogue;
        this.server = server;
        this.launches = launches;
        this.authorization = authorization;
        this.idTokens = idTokens;
        this.keys = keys;
        this.berth = berth;
    }

    RouterFunction<ServerResponse> routes() {
        RequestPredicate onSandboxPort = request -> server.serves(request.servletRequest());
        return RouterFunctions.route()
                .nest(onSandboxPort, sandbox -> sandbox.GET("/", this::home)
                        .GET("/{lms}/courses/{course}/links/{link}", this::assignmentPage)
                        .GET("/{lms}/launch", this::launch)
                        .route(
                                RequestPredicates.path("/{lms}/authorize")
                                        .and(RequestPredicates.GET("/**").or(RequestPredicates.POST("/**"))),
                                this::authorize)
                        .GET("/{lms}/jwks", this::jwks))
                .build();
    }

    private ServerResponse home(ServerRequest request) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("platforms", catalogue.platforms());
        model.put("berthUrl", berth.url("/"));
        model.put("sandboxUrl", server.baseUrl() + "/");
        return ServerResponse.ok().render("sandbox/home", model);
    }

    private ServerResponse assignmentPage(ServerRequest request) {
        Optional<Selection> selection = select(
                request.pathVariable("lms"),
                request.pathVariable("course"),
                request.pathVariable("link"),
                request.param("as").orElse(null));
        if (selection.isEmpty()) {
            return notFound();
        }
        Selection s = selection.get();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("platform", s.platform());
        model.put("course", s.course());
        model.put("link", s.link());
        model.put("person", s.person());
        model.put(
                "frameSource",
                "/" + s.platform().key() + "/launch?course=" + encode(s.course().key()) + "&link="
                        + encode(s.link().key()) + "&as=" + encode(s.person().key()) + "&target=iframe");
        return ServerResponse.ok().render("sandbox/assignment", model);
    }

    /** Third-party initiated login (LTI Security §5.1.1.1), the way each LMS sends it. */
    private ServerResponse launch(ServerRequest request) {
        Optional<Selection> selection = select(
                request.pathVariable("lms"),
                request.param("course").orElse(null),
                request.param("link").orElse(null),
                request.param("as").orElse(null));
        if (selection.isEmpty()) {
            return notFound();
        }
        Selection s = selection.get();
        String target = "window".equals(request.param("target").orElse("iframe")) ? "window" : "iframe";
        SandboxLaunch launch = launches.start(s.platform(), s.course(), s.link(), s.person(), target);
        List<Field> fields = loginParameters(launch);
        if (s.platform().login() == SandboxPlatform.Login.REDIRECT) {
            return ServerResponse.status(HttpStatus.FOUND)
                    .location(URI.create(berth.loginUrl() + "?" + query(fields)))
                    .cacheControl(CacheControl.noStore())
                    .build();
        }
        return autoPost(
                berth.loginUrl(), fields, "Opening Berth from " + s.platform().name() + "…");
    }

    private List<Field> loginParameters(SandboxLaunch launch) {
        SandboxPlatform platform = launch.platform();
        List<Field> fields = new ArrayList<>(List.of(
                new Field("iss", server.issuer(platform)),
                new Field("login_hint", launch.person().loginHint()),
                new Field("client_id", platform.clientId()),
                new Field("target_link_uri", berth.launchUrl()),
                new Field("lti_message_hint", launch.messageHint()),
                new Field("lti_deployment_id", launch.course().deploymentId())));
        if (platform.key().equals("canvas")) {
            fields.add(new Field("deployment_id", launch.course().deploymentId()));
            fields.add(new Field("canvas_environment", "prod"));
            fields.add(new Field("canvas_region", "us-east-1"));
            if (launch.documentTarget().equals("iframe")) {
                fields.add(new Field("lti_storage_target", "post_message_forwarding"));
            }
        }
        return fields;
    }

    /** The OIDC authorization endpoint (LTI Security §5.1.1.2–5.1.1.3): GET or POST, answered by form post. */
    private ServerResponse authorize(ServerRequest request) {
        Optional<SandboxPlatform> platform = catalogue.platform(request.pathVariable("lms"));
        if (platform.isEmpty()) {
            return notFound();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        request.params().forEach((name, values) -> parameters.put(name, values.isEmpty() ? null : values.getFirst()));
        SandboxAuthorization.Outcome outcome = authorization.check(platform.get(), parameters);
        if (outcome.launch().isEmpty()) {
            return ServerResponse.status(HttpStatus.BAD_REQUEST)
                    .cacheControl(CacheControl.noStore())
                    .render("sandbox/refused", Map.of("platform", platform.get(), "problems", outcome.problems()));
        }
        String idToken = idTokens.sign(outcome.launch().get(), parameters.get("nonce"));
        return autoPost(
                authorization.registeredRedirectUri(),
                List.of(new Field("id_token", idToken), new Field("state", parameters.get("state"))),
                "Signing you in to Berth…");
    }

    private ServerResponse jwks(ServerRequest request) {
        Optional<SandboxPlatform> platform = catalogue.platform(request.pathVariable("lms"));
        if (platform.isEmpty()) {
            return notFound();
        }
        return ServerResponse.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.noCache())
                .body(keys.publicJwks(platform.get()));
    }

    private static ServerResponse autoPost(String action, List<Field> fields, String message) {
        return ServerResponse.ok()
                .cacheControl(CacheControl.noStore())
                .render("sandbox/form-post", Map.of("action", action, "fields", fields, "message", message));
    }

    private record Selection(SandboxPlatform platform, SandboxCourse course, SandboxLink link, SandboxPerson person) {}

    private Optional<Selection> select(String lms, String courseKey, String linkKey, String personKey) {
        Optional<SandboxPlatform> platform = catalogue.platform(lms);
        Optional<SandboxCourse> course = platform.flatMap(p -> p.course(String.valueOf(courseKey)));
        Optional<SandboxLink> link = course.flatMap(c -> c.link(String.valueOf(linkKey)));
        Optional<SandboxPerson> person = course.flatMap(c -> c.person(String.valueOf(personKey)));
        if (link.isEmpty() || person.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Selection(platform.get(), course.get(), link.get(), person.get()));
    }

    private static ServerResponse notFound() {
        return ServerResponse.status(HttpStatus.NOT_FOUND)
                .contentType(MediaType.TEXT_PLAIN)
                .body("The sandbox LMS has no such page.\n");
    }

    private static String query(List<Field> fields) {
        StringBuilder query = new StringBuilder();
        for (Field field : fields) {
            if (!query.isEmpty()) {
                query.append('&');
            }
            query.append(encode(field.name())).append('=').append(encode(field.value()));
        }
        return query.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
