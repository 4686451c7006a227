package dev.berth.admin;

import dev.berth.lti.DuplicatePlatformException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The admin API's refusals, always as JSON {@code {"error": code, "message": text, ...}}: bad input is a 4xx
 * that names what is wrong, never a 5xx or a stack trace, and it changes nothing.
 */
@RestControllerAdvice(assignableTypes = {PlatformApi.class, KeyApi.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminApiErrors {

    private final MessageSource messages;

    AdminApiErrors(MessageSource messages) {
        this.messages = messages;
    }

    static final class NotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long id;

        NotFoundException(long id) {
            super("No platform " + id);
            this.id = id;
        }
    }

    static final class HasCoursesException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long id;

        HasCoursesException(long id) {
            super("Platform " + id + " has courses");
            this.id = id;
        }
    }

    static final class InvalidPlatformException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("serial") // an immutable copy of String lists
        final Map<String, List<String>> fields;

        InvalidPlatformException(Map<String, List<String>> fields) {
            super("Invalid platform: " + fields.keySet());
            this.fields = Map.copyOf(fields);
        }
    }

    @ExceptionHandler(InvalidPlatformException.class)
    ResponseEntity<Map<String, Object>> invalid(InvalidPlatformException e, Locale locale) {
        Map<String, Object> body = body("invalid_platform", message("admin.api.invalid", locale));
        body.put("fields", new java.util.TreeMap<>(e.fields));
        return respond(HttpStatus.BAD_REQUEST, body);
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Map<String, Object>> notFound(NotFoundException e, Locale locale) {
        return respond(
                HttpStatus.NOT_FOUND, body("not_found", message("admin.api.notFound", locale, String.valueOf(e.id))));
    }

    @ExceptionHandler(HasCoursesException.class)
    ResponseEntity<Map<String, Object>> hasCourses(HasCoursesException e, Locale locale) {
        return respond(
                HttpStatus.CONFLICT,
                body("platform_has_courses", message("admin.api.hasCourses", locale, String.valueOf(e.id))));
    }

    @ExceptionHandler(DuplicatePlatformException.class)
    ResponseEntity<Map<String, Object>> duplicate(DuplicatePlatformException e, Locale locale) {
        return respond(HttpStatus.CONFLICT, body("duplicate_platform", message("admin.api.duplicate", locale)));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e, Locale locale) {
        return respond(HttpStatus.BAD_REQUEST, body("malformed_json", message("admin.api.malformed", locale)));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e, Locale locale) {
        return respond(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                body("unsupported_media_type", message("admin.api.mediaType", locale)));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> badPath(MethodArgumentTypeMismatchException e, Locale locale) {
        return respond(
                HttpStatus.BAD_REQUEST, body("bad_request", message("admin.api.badParameter", locale, e.getName())));
    }

    private String message(String code, Locale locale, Object... args) {
        return messages.getMessage(code, args, locale);
    }

    /** The JSON error body of every admin API: {@code {"error": code, "message": text}}. */
    static Map<String, Object> body(String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        return body;
    }

    static ResponseEntity<Map<String, Object>> respond(HttpStatus status, Map<String, Object> body) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }
}
