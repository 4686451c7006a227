package dev.berth.lti.web;

import dev.berth.lti.InvalidLaunchException;
import dev.berth.lti.LaunchFailure;
import dev.berth.lti.PlatformUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * Refused logins and launches: a page (or JSON for API callers) naming every reason and what to do, never a
 * stack trace. A platform that does not answer is a 503 "try again", not the user's fault.
 */
@ControllerAdvice(assignableTypes = {LaunchEndpoint.class, LoginInitiationEndpoint.class})
class LaunchErrors {

    private static final Logger log = LoggerFactory.getLogger(LaunchErrors.class);

    private final MessageSource messages;
    private final LaunchMetrics metrics;

    LaunchErrors(MessageSource messages, LaunchMetrics metrics) {
        this.messages = messages;
        this.metrics = metrics;
    }

    record Reason(String code, String message, String help) {}

    @ExceptionHandler(InvalidLaunchException.class)
    Object invalid(InvalidLaunchException e, HttpServletRequest request, Locale locale) {
        String stage = request.getRequestURI().endsWith("/login") ? "login" : "launch";
        metrics.rejected(stage, e.failures());
        String reference = reference();
        log.info("Refused {} {}: {}", stage, reference, e.getMessage());
        List<Reason> reasons = e.failures().stream().map(f -> reason(f, locale)).toList();
        HttpStatus status = HttpStatus.valueOf(e.status());
        if (wantsJson(request)) {
            return ResponseEntity.status(status)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("error", "invalid_" + stage, "reference", reference, "reasons", reasons));
        }
        ModelAndView page = new ModelAndView("lti/launch-error", status);
        page.addObject("stage", stage);
        page.addObject("reasons", reasons);
        page.addObject("reference", reference);
        page.addObject("status", status.value());
        return page;
    }

    @ExceptionHandler(PlatformUnavailableException.class)
    Object unavailable(PlatformUnavailableException e, HttpServletRequest request) {
        String reference = reference();
        log.warn("Platform unavailable during launch {}: {}", reference, e.getMessage());
        metrics.rejected("launch", List.of(LaunchFailure.of("platform_unavailable")));
        if (wantsJson(request)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header("Retry-After", "30")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of(
                            "error", "platform_unavailable", "reference", reference, "platform", e.platformName()));
        }
        ModelAndView page = new ModelAndView("lti/platform-unavailable", HttpStatus.SERVICE_UNAVAILABLE);
        page.addObject("platform", e.platformName());
        page.addObject("reference", reference);
        return page;
    }

    private Reason reason(LaunchFailure failure, Locale locale) {
        Object[] args = failure.details().toArray();
        return new Reason(
                failure.code(),
                messages.getMessage(failure.messageKey(), args, failure.code(), locale),
                messages.getMessage(failure.messageKey() + ".help", args, "", locale));
    }

    private static boolean wantsJson(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    private static String reference() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
