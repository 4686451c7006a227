package dev.berth.lti.web;

import dev.berth.lti.LoginInitiation;
import dev.berth.lti.LoginRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET|POST /lti/login}: third-party-initiated login (Security §5.1.1). */
@RestController
class LoginInitiationEndpoint {

    private final LoginInitiation login;
    private final LaunchMetrics metrics;

    LoginInitiationEndpoint(LoginInitiation login, LaunchMetrics metrics) {
        this.login = login;
        this.metrics = metrics;
    }

    @RequestMapping(
            path = "/lti/login",
            method = {RequestMethod.GET, RequestMethod.POST})
    ResponseEntity<Void> login(HttpServletRequest request) {
        // Canvas sends deployment_id where the specification says lti_deployment_id.
        String deploymentId = request.getParameter("lti_deployment_id");
        if (deploymentId == null) {
            deploymentId = request.getParameter("deployment_id");
        }
        String redirect = login.start(new LoginRequest(
                request.getParameter("iss"),
                request.getParameter("login_hint"),
                request.getParameter("target_link_uri"),
                request.getParameter("lti_message_hint"),
                request.getParameter("client_id"),
                deploymentId));
        metrics.logins();
        return ResponseEntity.status(HttpStatus.FOUND)
                .header(HttpHeaders.LOCATION, redirect)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }
}
