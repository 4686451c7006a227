package dev.berth.lti.web;

import dev.berth.lti.LaunchProcessor;
import dev.berth.lti.LtiLaunch;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /lti/launch}: the authentication response (Security §5.1.3). Validation and what Berth makes
 * of the launch share one transaction, so a refused launch changes no data.
 */
@RestController
class LaunchEndpoint {

    private final LaunchProcessor processor;
    private final LaunchHandler handler;
    private final TransactionTemplate transaction;
    private final LaunchMetrics metrics;

    LaunchEndpoint(
            LaunchProcessor processor, LaunchHandler handler, TransactionTemplate transaction, LaunchMetrics metrics) {
        this.processor = processor;
        this.handler = handler;
        this.transaction = transaction;
        this.metrics = metrics;
    }

    @PostMapping("/lti/launch")
    ResponseEntity<Void> launch(
            @RequestParam(name = "id_token", required = false) String idToken,
            @RequestParam(name = "state", required = false) String state,
            HttpServletRequest request,
            HttpServletResponse response) {
        String next = transaction.execute(status -> {
            LtiLaunch launch = processor.process(idToken, state);
            String path = handler.accept(launch, request, response);
            metrics.accepted(launch);
            return path;
        });
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .header(HttpHeaders.LOCATION, next)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }
}
