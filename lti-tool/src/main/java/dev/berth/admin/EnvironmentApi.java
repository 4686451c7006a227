package dev.berth.admin;

import static dev.berth.admin.AdminApiErrors.body;
import static dev.berth.admin.AdminApiErrors.respond;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.berth.audit.AuditLog;
import dev.berth.lti.LtiProperties;
import dev.berth.provisioning.DuplicateEnvironmentException;
import dev.berth.provisioning.EnvironmentCatalogue;
import dev.berth.provisioning.EnvironmentDefinition;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/admin/environments}: the environment catalogue for scripts, behind an admin API token. Each entry
 * carries {@code availability} ({@code READY}, {@code NOT_INSTALLED} with the missing executable, {@code
 * NO_LOCAL_COMMAND}, {@code DISABLED}). Same rules as the admin page; changes are audited as {@value #ACTOR}.
 */
@ConditionalOnBooleanProperty("berth.workspaces.enabled")
@RestController
@RequestMapping("/api/admin/environments")
class EnvironmentApi {

    static final String ACTOR = "api";

    /** An entry as the API shows it: the definition's fields, then its availability. */
    record View(@JsonUnwrapped EnvironmentDefinition environment, Map<String, String> availability) {

        static View of(EnvironmentCatalogue.Entry entry) {
            return new View(
                    entry.environment(),
                    Map.of(
                            "status",
                            entry.availability().status().name(),
                            "detail",
                            entry.availability().detail()));
        }
    }

    static final class InvalidEnvironmentException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("serial") // an immutable copy of String lists
        final Map<String, List<String>> codes;

        InvalidEnvironmentException(Map<String, List<String>> codes) {
            super("Invalid environment: " + codes.keySet());
            this.codes = Map.copyOf(codes);
        }
    }

    static final class NoSuchEnvironmentException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String key;

        NoSuchEnvironmentException(String key) {
            super("No environment " + key);
            this.key = key;
        }
    }

    private final EnvironmentCatalogue catalogue;
    private final AuditLog audit;
    private final LtiProperties lti;
    private final MessageSource messages;

    EnvironmentApi(EnvironmentCatalogue catalogue, AuditLog audit, LtiProperties lti, MessageSource messages) {
        this.catalogue = catalogue;
        this.audit = audit;
        this.lti = lti;
        this.messages = messages;
    }

    @GetMapping
    List<View> list() {
        return catalogue.entries().stream().map(View::of).toList();
    }

    @GetMapping("/{key}")
    View get(@PathVariable String key) {
        return View.of(catalogue.find(key).orElseThrow(() -> new NoSuchEnvironmentException(key)));
    }

    @PostMapping
    ResponseEntity<View> create(@RequestBody EnvironmentRequest request) {
        EnvironmentDefinition environment = validated(request, null);
        EnvironmentCatalogue.Entry entry = catalogue.create(environment);
        audit.record(
                ACTOR,
                "environment.create",
                EnvironmentPages.target(environment.key()),
                EnvironmentPages.summary(environment));
        return ResponseEntity.created(URI.create(lti.url("/api/admin/environments/" + environment.key())))
                .body(View.of(entry));
    }

    @PutMapping("/{key}")
    View update(@PathVariable String key, @RequestBody EnvironmentRequest request) {
        catalogue.find(key).orElseThrow(() -> new NoSuchEnvironmentException(key));
        EnvironmentDefinition environment = validated(request, key);
        EnvironmentCatalogue.Entry entry =
                catalogue.update(key, environment).orElseThrow(() -> new NoSuchEnvironmentException(key));
        audit.record(ACTOR, "environment.update", EnvironmentPages.target(key), EnvironmentPages.summary(environment));
        return View.of(entry);
    }

    private static EnvironmentDefinition validated(EnvironmentRequest request, String key) {
        EnvironmentValidation.Result result = EnvironmentValidation.validate(EnvironmentForm.of(request), key);
        if (!result.valid()) {
            throw new InvalidEnvironmentException(result.errors());
        }
        return result.environment().orElseThrow();
    }

    @ExceptionHandler(InvalidEnvironmentException.class)
    ResponseEntity<Map<String, Object>> invalid(InvalidEnvironmentException e, Locale locale) {
        Map<String, List<String>> fields = new TreeMap<>();
        e.codes.forEach((field, codes) -> fields.put(
                field,
                codes.stream()
                        .map(code -> messages.getMessage(code, null, code, locale))
                        .toList()));
        Map<String, Object> body = body("invalid_environment", message("admin.api.environment.invalid", locale));
        body.put("fields", fields);
        return respond(HttpStatus.BAD_REQUEST, body);
    }

    @ExceptionHandler(NoSuchEnvironmentException.class)
    ResponseEntity<Map<String, Object>> notFound(NoSuchEnvironmentException e, Locale locale) {
        return respond(
                HttpStatus.NOT_FOUND, body("not_found", message("admin.api.environment.notFound", locale, e.key)));
    }

    @ExceptionHandler(DuplicateEnvironmentException.class)
    ResponseEntity<Map<String, Object>> duplicate(DuplicateEnvironmentException e, Locale locale) {
        return respond(
                HttpStatus.CONFLICT,
                body("duplicate_environment", message("admin.api.environment.duplicate", locale, e.key())));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e, Locale locale) {
        return respond(
                HttpStatus.BAD_REQUEST, body("malformed_json", message("admin.api.environment.malformed", locale)));
    }

    private String message(String code, Locale locale, Object... args) {
        return messages.getMessage(code, args, locale);
    }
}
